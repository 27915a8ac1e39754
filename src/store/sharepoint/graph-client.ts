// The Microsoft Graph client the SharePoint store talks through: a token from an Azure credential on every request,
// 429/503/504 retried by the SDK's RetryHandler honouring Retry-After, redirects and telemetry as the SDK's default
// chain has them, and a counter of how many times each request went out (see SendCount).
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { TokenCredential } from '@azure/identity';

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';

export interface GraphClientOptions {
  credential: TokenCredential;
  /** The Graph host without `/v1.0`, e.g. https://graph.microsoft.us for a national cloud. */
  baseUrl?: string;
  /** Defaults to `${baseUrl}/.default`: the app's granted permissions on that Graph host. */
  scopes?: string[];
  retry?: { maxRetries?: number; delaySeconds?: number };
}

/**
 * A per-request option the store attaches to learn whether the SDK sent a request more than once. A write whose
 * response was lost (a 504 after the server applied it) is re-sent by the RetryHandler, and its second answer
 * (409, 412 or 404) then describes our own first attempt, not someone else's change.
 */
export class SendCount implements MiddlewareOptions {
  sends = 0;
}

class SendCountHandler implements Middleware {
  private next?: Middleware;

  async execute(context: Context): Promise<void> {
    const count = context.middlewareControl?.getMiddlewareOptions(SendCount) as SendCount | undefined;
    if (count) count.sends += 1;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The host name alone (no scheme, port or path), as the SDK's customHosts wants it. */
export const hostOf = (baseUrl: string): string => new URL(baseUrl).hostname.toLowerCase();

/** Normalises a configured Graph base URL: no trailing slash, no version segment. */
export const graphBase = (baseUrl: string = GRAPH_BASE_URL): string =>
  baseUrl
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/(v1\.0|beta)$/i, '');

/** A Graph client whose every request carries a bearer token from the credential, including to a non-Graph host. */
export function createGraphClient(options: GraphClientOptions): Client {
  const baseUrl = graphBase(options.baseUrl);
  if (!baseUrl.startsWith('https://')) throw new Error(`The Graph base URL must use https: ${baseUrl}`);
  const scopes = options.scopes ?? [`${baseUrl}/.default`];
  const auth = new TokenCredentialAuthenticationProvider(options.credential, { scopes });
  // Delay is the back-off when a response has no Retry-After; with one, the SDK waits as long as it says.
  const retry = new RetryHandlerOptions(options.retry?.delaySeconds ?? 3, options.retry?.maxRetries ?? 5);
  const middleware: Middleware[] = [
    new AuthenticationHandler(auth),
    new RetryHandler(retry),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new SendCountHandler(),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    middleware,
    // The SDK sends the token only to Graph's own hosts unless the host is listed here.
    customHosts: new Set([hostOf(baseUrl)]),
  });
}
