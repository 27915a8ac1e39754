// What the evidence-file handlers work with: where documents are kept, where a sent file may be downloaded from, the
// files waiting for their sender to say which case they belong to, and (local mode) the expiring links that open
// them.
//
// A file sent to the bot is fetched and checked at once, then held in memory for its sender for 15 minutes while a
// card asks which case it belongs to and what kind of document it is; one file a person at a time (a second replaces
// the first), so what is held is bounded by the number of people. Nothing is written until they choose.
import { randomBytes } from 'node:crypto';

import type { DocumentStore } from '../../store/store';
import { MemoryDocuments } from '../../store/local-documents';
import { LocalExports } from '../reports/delivery';
import type { AppDeps } from '../ports';

/** A checked file waiting for its sender to choose a case. */
export interface PendingFile {
  token: string;
  owner: string;
  name: string;
  bytes: Buffer;
  ext: string;
  mime: string;
  sha256: string;
  expires: number;
}

export const PENDING_TTL_MS = 15 * 60_000;

export class PendingFiles {
  private readonly byOwner = new Map<string, PendingFile>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = PENDING_TTL_MS,
  ) {}

  hold(file: Omit<PendingFile, 'token' | 'expires'>): PendingFile {
    const now = this.now().getTime();
    for (const [owner, f] of this.byOwner) if (f.expires <= now) this.byOwner.delete(owner);
    const held = { ...file, token: randomBytes(16).toString('base64url'), expires: now + this.ttlMs };
    this.byOwner.set(file.owner.toLowerCase(), held);
    return held;
  }

  /** The file this person sent under this token, if it is still waiting. */
  get(owner: string, token: unknown): PendingFile | undefined {
    const f = this.byOwner.get(owner.toLowerCase());
    if (!f || typeof token !== 'string' || f.token !== token) return undefined;
    return f.expires > this.now().getTime() ? f : undefined;
  }

  drop(owner: string): void {
    this.byOwner.delete(owner.toLowerCase());
  }
}

export interface FileServices {
  documents: DocumentStore;
  pending: PendingFiles;
  /** Where a sent file may be downloaded from (Config.fileHosts). */
  hosts: readonly string[];
  /** Local mode: documents opened through an expiring link served by the bot (GET /exports/<token>). */
  links?: LocalExports;
}

/** The application's file services; a handler tested without wiring gets memory-only ones, downloading from here. */
export function filesOf(deps: AppDeps): FileServices {
  deps.files ??= {
    documents: new MemoryDocuments(),
    pending: new PendingFiles(() => deps.now()),
    hosts: ['http://127.0.0.1', 'http://localhost'],
    links: deps.reports?.exports ?? new LocalExports(() => deps.now()),
  };
  return deps.files;
}
