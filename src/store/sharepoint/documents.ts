// SharePoint mode's document storage: the document library "EIP Evidence" on the site, one folder per case
// reference. A small file goes up in one request; a larger one through a resumable upload session, as Graph asks
// for anything over 4 MB, using the Graph SDK's LargeFileUploadTask (slices of 3.2 MB, a multiple of 320 KiB; a
// slice whose answer was lost is not sent again blindly: the session is asked which ranges it still expects).
// The library itself is open to the co-ordinators' group alone (break inheritance from the site). Anyone else the
// bot lets open a document (the school's SENCo and head, a receiving school) is granted read access to that one
// item, for a day, by an invitation that sends no email and needs them signed in (`grantRead`).
// Items are named by a random id and the type found in their content ("3f9c….pdf"), never by the sender's file name,
// which may carry the pupil's name: that stays in the store's record. Deleting a document deletes it permanently
// (Graph's permanentDelete), not into the site's recycle bin.
import {
  FileUpload,
  LargeFileUploadTask,
  ResponseType,
  type Client,
  type LargeFileUploadSession,
} from '@microsoft/microsoft-graph-client';
import { EipError } from '../../domain/errors';
import type { DocumentStore } from '../store';
import { storedName } from '../local-documents';
import { statusOf } from './graph';

export const EVIDENCE_LIBRARY = 'EIP Evidence';
/** Graph's limit for a simple upload; anything larger goes through an upload session. */
export const SIMPLE_UPLOAD_MAX = 4 * 1024 * 1024;
/** Each slice of an upload session: a multiple of 320 KiB, as Graph requires, under the 4 MB a request may carry. */
export const SLICE_BYTES = 10 * 320 * 1024;
/** How many times an upload session is resumed after a slice fails (the SDK retries throttling itself first). */
const RESUMES = 3;

interface DriveItem {
  id?: unknown;
  webUrl?: unknown;
  size?: unknown;
}

/** Creates the evidence library if the site lacks it; answers what it did. */
export async function ensureEvidenceLibrary(
  client: Client,
  siteId: string,
): Promise<'created' | 'there already'> {
  if (await findDrive(client, siteId)) return 'there already';
  try {
    await client.api(`/sites/${siteId}/lists`).post({
      displayName: EVIDENCE_LIBRARY,
      description:
        "EIP bot: evidence documents, a folder per case reference. Open only to the co-ordinators' group.",
      list: { template: 'documentLibrary' },
    });
    return 'created';
  } catch (e) {
    if (statusOf(e) === 409) return 'there already';
    throw e;
  }
}

async function findDrive(client: Client, siteId: string): Promise<string | undefined> {
  const drives = (await client.api(`/sites/${siteId}/drives`).select(['id', 'name']).get()) as {
    value?: { id: string; name: string }[];
  };
  return drives.value?.find((d) => d.name === EVIDENCE_LIBRARY)?.id;
}

const segment = (s: string) => encodeURIComponent(s);

export class SharePointDocuments implements DocumentStore {
  private driveId?: Promise<string>;

  constructor(
    private readonly client: Client,
    private readonly siteId: string,
  ) {}

  private drive(): Promise<string> {
    this.driveId ??= findDrive(this.client, this.siteId).then((id) => {
      if (!id) {
        this.driveId = undefined;
        throw new Error(`the document library "${EVIDENCE_LIBRARY}" is missing: run npm run provision`);
      }
      return id;
    });
    return this.driveId;
  }

  async put(
    caseRef: string,
    _name: string,
    bytes: Buffer,
    mime: string,
  ): Promise<{ location: string; webUrl?: string }> {
    const drive = await this.drive();
    // A random id and the checked type: the person's file name stays in the store's record, never in the library.
    const itemName = storedName(mime);
    const itemPath = `${segment(caseRef.replace(/[^A-Za-z0-9-]/g, '_'))}/${segment(itemName)}`;
    const item =
      bytes.length <= SIMPLE_UPLOAD_MAX
        ? await this.uploadSimply(drive, itemPath, bytes, mime)
        : await this.uploadInSession(drive, itemPath, itemName, bytes);
    if (typeof item?.id !== 'string') throw new Error('the upload answered no item id');
    return {
      location: `${drive}/${item.id}`,
      ...(typeof item.webUrl === 'string' ? { webUrl: item.webUrl } : {}),
    };
  }

  /**
   * One PUT. The path is new (its random prefix), so a 409 can only be this very upload retried after its answer was
   * lost: the item is then read back by its path.
   */
  private async uploadSimply(
    drive: string,
    itemPath: string,
    bytes: Buffer,
    mime: string,
  ): Promise<DriveItem> {
    try {
      return (await this.client
        .api(`/drives/${drive}/root:/${itemPath}:/content`)
        .query({ '@microsoft.graph.conflictBehavior': 'fail' })
        .header('Content-Type', mime)
        .put(bytes)) as DriveItem;
    } catch (e) {
      const there = statusOf(e) === 409 ? await this.itemAt(drive, itemPath) : undefined;
      if (!there) throw e;
      return there;
    }
  }

  /** The item at a path, if there is one. */
  private async itemAt(drive: string, itemPath: string): Promise<DriveItem | undefined> {
    try {
      return (await this.client.api(`/drives/${drive}/root:/${itemPath}`).get()) as DriveItem;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /** `itemName` is the last segment of `itemPath`: Graph refuses a session whose body names another (400). */
  private async uploadInSession(
    drive: string,
    itemPath: string,
    itemName: string,
    bytes: Buffer,
  ): Promise<DriveItem> {
    const session: LargeFileUploadSession = await LargeFileUploadTask.createUploadSession(
      this.client,
      `/drives/${drive}/root:/${itemPath}:/createUploadSession`,
      { item: { '@microsoft.graph.conflictBehavior': 'fail', name: itemName } },
    );
    const task = new LargeFileUploadTask(
      this.client,
      new FileUpload(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        itemName,
        bytes.length,
      ),
      session,
      { rangeSize: SLICE_BYTES },
    );
    let lastError: unknown;
    for (let attempt = 0; attempt <= RESUMES; attempt++) {
      try {
        const result = attempt === 0 ? await task.upload() : await task.resume();
        const body = (result as { responseBody?: unknown } | undefined)?.responseBody;
        if (body) return body as DriveItem;
      } catch (e) {
        lastError = e;
        // The last slice may have been taken and its answer lost: the session is then gone and the item there.
        const done = await this.itemAt(drive, itemPath);
        if (done && done.size === bytes.length) return done;
      }
    }
    // Left unfinished: the session is cancelled so no partial file lingers in the library.
    await task.cancel().catch(() => undefined);
    throw lastError instanceof Error ? lastError : new Error('the upload session did not finish');
  }

  private split(location: string): { drive: string; item: string } {
    const [drive, item] = location.split('/');
    if (!drive || !item) throw new Error('not a SharePoint document location');
    return { drive, item };
  }

  async get(location: string): Promise<Buffer | undefined> {
    const { drive, item } = this.split(location);
    try {
      const body = (await this.client
        .api(`/drives/${drive}/items/${item}/content`)
        .responseType(ResponseType.ARRAYBUFFER)
        .get()) as ArrayBuffer;
      return Buffer.from(body);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /** Deleted for good: Graph's permanentDelete, so no copy waits in the site's recycle bin for its 93 days. */
  async remove(location: string): Promise<void> {
    const { drive, item } = this.split(location);
    try {
      await this.client.api(`/drives/${drive}/items/${item}/permanentDelete`).post({});
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }

  /**
   * Gives one person read access to one item until `until`: an invitation that sends no email and needs them signed
   * in, so the item's web link opens for them and for nobody it was not granted to. Answers the item's web link.
   */
  async grantRead(location: string, person: { objectId: string }, until: Date): Promise<string> {
    const { drive, item } = this.split(location);
    try {
      await this.client.api(`/drives/${drive}/items/${item}/invite`).post({
        recipients: [{ objectId: person.objectId }],
        requireSignIn: true,
        sendInvitation: false,
        roles: ['read'],
        expirationDateTime: until.toISOString(),
      });
    } catch (e) {
      // The app's site permission lacks full control (docs/deploy.md, step 5): nobody can be given a document.
      if (statusOf(e) === 403)
        throw new EipError(
          'forbidden',
          'EIP bot is not yet allowed to share documents from the evidence library, so this one cannot be opened. Tell the EIP co-ordinator: the bot needs full control of the EIP site (the deploy guide, step 5).',
        );
      throw e;
    }
    const found = (await this.client
      .api(`/drives/${drive}/items/${item}`)
      .select(['webUrl'])
      .get()) as DriveItem;
    if (typeof found?.webUrl !== 'string') throw new Error('the item answered no webUrl');
    return found.webUrl;
  }
}
