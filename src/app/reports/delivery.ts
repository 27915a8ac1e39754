// Where a report's CSV goes, and the reports run in this process.
//
// Local mode (the embedded store): the file is held in memory under an unguessable token (32 random bytes) for 15
// minutes and served by the bot's own HTTP server at GET /exports/<token>; the link is sent only in the asker's 1:1
// chat. Nothing is written to disk, so an export leaves no copy of the data behind when it expires or the bot stops.
// The same server serves local mode's evidence documents (LocalExports.deliverDocument): single-use links.
// SharePoint mode: the file is uploaded to the site's default document library, in the folder "EIP reports", and
// the link is the file's own (the library's permissions decide who may open it).
//
// A report run is remembered (who ran it, with which filter) so that its "Export CSV" button works only for the
// person who ran it: the button names the run, never a school or a person.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { ReportFilter } from '../../domain/report-types';
import type { AppDeps } from '../ports';

/** A finished CSV file, and whom it is for (their directory id). */
export interface ReportFile {
  owner: string;
  fileName: string;
  bytes: Buffer;
  /** text/csv unless said otherwise. */
  contentType?: string;
}

/**
 * An evidence document opened in local mode (src/app/files): read from disk only when its link is fetched, and
 * `served` (the audit of the download) before a byte of it is sent.
 */
export interface DocumentLink {
  owner: string;
  fileName: string;
  contentType: string;
  size: number;
  stream(): Readable;
  served(): Promise<void>;
}

/** What GET /exports/<token> sends: a name for the download, its bytes as a stream, and what to do first. */
export interface ExportFile {
  fileName: string;
  contentType?: string;
  size: number;
  stream(): Readable;
  served?(): Promise<void>;
}

/** Where the person can fetch the file; `expiresAt` for a link that stops working. */
export interface Delivered {
  url: string;
  expiresAt?: Date;
}

export interface ReportDelivery {
  deliver(file: ReportFile): Promise<Delivered>;
}

/** How long a local export link works. */
export const EXPORT_TTL_MS = 15 * 60_000;
/** How long a local link to an evidence document works, if it is not used first (it works once). */
export const DOCUMENT_LINK_TTL_MS = 5 * 60_000;
/** How long a report card's export button works. */
export const RUN_TTL_MS = 12 * 60 * 60_000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface Held extends ExportFile {
  expires: number;
  /** An evidence document's link: gone at its first fetch. */
  once: boolean;
}

/**
 * Local mode: links by token, served at GET /exports/<token>. A report's CSV is held in memory and may be fetched
 * for 15 minutes; an evidence document's link holds no bytes (they are read from disk when fetched), works for 5
 * minutes and only once: the first fetch takes it, and the download is audited. Links past their time are pruned
 * at every new link and every fetch, so nothing lingers longer than the next request.
 */
export class LocalExports implements ReportDelivery {
  private readonly files = new Map<string, Held>();
  /** The bot's own address, known once its server listens (index.ts sets it). */
  baseUrl = '';

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = EXPORT_TTL_MS,
    private readonly documentTtlMs = DOCUMENT_LINK_TTL_MS,
  ) {}

  async deliver(file: ReportFile): Promise<Delivered> {
    const bytes = file.bytes;
    return this.hold(
      {
        fileName: file.fileName,
        ...(file.contentType ? { contentType: file.contentType } : {}),
        size: bytes.length,
        stream: () => Readable.from([bytes]),
        once: false,
      },
      this.ttlMs,
    );
  }

  /** A link to one evidence document for one person: it works once, for the next few minutes. */
  async deliverDocument(doc: DocumentLink): Promise<Delivered> {
    return this.hold(
      {
        fileName: doc.fileName,
        contentType: doc.contentType,
        size: doc.size,
        stream: doc.stream,
        served: doc.served,
        once: true,
      },
      this.documentTtlMs,
    );
  }

  private hold(file: Omit<Held, 'expires'>, ttlMs: number): Delivered {
    this.prune();
    const token = randomBytes(32).toString('base64url');
    const expires = this.now().getTime() + ttlMs;
    this.files.set(token, { ...file, expires });
    return { url: `${this.baseUrl}/exports/${token}`, expiresAt: new Date(expires) };
  }

  /**
   * The file for a token, or undefined for one unknown, expired or (a document's) used already: the caller is told
   * nothing more. A document's link is taken by this call, whether or not the download then finishes.
   */
  file(token: string): ExportFile | undefined {
    this.prune();
    if (!TOKEN.test(token)) return undefined;
    const found = this.files.get(token);
    if (!found) return undefined;
    if (found.once) this.files.delete(token);
    const { expires: _expires, once: _once, ...file } = found;
    return file;
  }

  /** How many links are held: a test sees that expired ones do not pile up. */
  get size(): number {
    return this.files.size;
  }

  private prune(): void {
    const now = this.now().getTime();
    for (const [token, f] of this.files) if (f.expires <= now) this.files.delete(token);
  }
}

/** The Graph path of a file in the folder "EIP reports" of the site's default document library. */
export const reportDrivePath = (siteId: string, fileName: string) =>
  `/sites/${siteId}/drive/root:/${encodeURIComponent('EIP reports')}/${encodeURIComponent(fileName)}:/content`;

/** SharePoint mode: the file is uploaded to the site's document library; the link is its webUrl. */
export class SharePointReports implements ReportDelivery {
  constructor(
    private readonly client: Client,
    private readonly siteId: string,
  ) {}

  async deliver(file: ReportFile): Promise<Delivered> {
    // A simple upload (up to 4 MB, far above a report's size); the file name carries the time, so none is replaced.
    const item = (await this.client
      .api(reportDrivePath(this.siteId, file.fileName))
      .header('Content-Type', 'text/csv; charset=utf-8')
      .put(file.bytes)) as { webUrl?: unknown };
    if (typeof item?.webUrl !== 'string') throw new Error('the upload answered no webUrl');
    return { url: item.webUrl };
  }
}

/** A report someone ran: who, and with which filter (already scoped to what they may see). */
export interface ReportRun {
  owner: string;
  filter: ReportFilter;
  expires: number;
}

/** The reports run in this process, by an id the report card's export button carries. */
export class ReportRuns {
  private readonly runs = new Map<string, ReportRun>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = RUN_TTL_MS,
  ) {}

  remember(owner: string, filter: ReportFilter): string {
    const now = this.now().getTime();
    for (const [id, r] of this.runs) if (r.expires <= now) this.runs.delete(id);
    const id = randomBytes(16).toString('base64url');
    this.runs.set(id, { owner, filter, expires: now + this.ttlMs });
    return id;
  }

  get(id: string): ReportRun | undefined {
    const run = this.runs.get(id);
    return run && run.expires > this.now().getTime() ? run : undefined;
  }
}

export interface ReportServices {
  runs: ReportRuns;
  delivery: ReportDelivery;
  /** Local mode's file holder, which the HTTP server serves from. */
  exports?: LocalExports;
}

/** Local mode's services: memory only. */
export function localReports(now: () => Date): ReportServices {
  const exports = new LocalExports(now);
  return { runs: new ReportRuns(now), delivery: exports, exports };
}

/** The application's report services; a handler tested without wiring gets local mode's. */
export function reportsOf(deps: AppDeps): ReportServices {
  deps.reports ??= localReports(() => deps.now());
  return deps.reports;
}
