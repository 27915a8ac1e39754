// Fetching a file Teams sent to the bot. The link comes in activity data, so it is an outbound request to an address
// someone else chose: only hosts on the allowed list are asked (every redirect is checked again), nothing is sent
// with it, and the body is read as a stream that stops one byte past the limit.
import { EipError, onAllowList } from '../../domain';

/** How many redirects a download may follow, each to an allowed host. */
const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 60_000;

/**
 * Whether a URL's host is on the list: an origin ("https://contoso.sharepoint.com"), a wildcard for any subdomain
 * ("https://*.sharepoint.com"), or a scheme and host without a port (this machine in local mode, any port).
 */
export const isAllowedFileHost = (raw: string, allowed: readonly string[]): boolean =>
  onAllowList(raw, allowed, { anyPort: true });

const refused = (message: string) => new EipError('invalid_input', message);

/** The file's bytes, at most `max`; refuses a host not on the list, a file over the limit, and a failed download. */
export async function downloadFile(url: string, allowed: readonly string[], max: number): Promise<Buffer> {
  let target = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isAllowedFileHost(target, allowed))
      throw refused(
        'That file comes from a place EIP bot does not download from. Send it from your own OneDrive or computer in this chat.',
      );
    let res: Response;
    try {
      res = await fetch(target, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      throw refused('The file could not be fetched from Teams. Please send it again.');
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      target = new URL(res.headers.get('location')!, target).toString();
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw refused('The file could not be fetched from Teams. Please send it again.');
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > max) {
      await res.body.cancel();
      throw tooLarge(max);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw tooLarge(max);
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
  }
  throw refused('The file could not be fetched from Teams. Please send it again.');
}

export const tooLarge = (max: number) =>
  refused(
    `The file is larger than ${Math.round(max / (1024 * 1024))} MB, the most a case can keep in one file.`,
  );
