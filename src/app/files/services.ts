// What the evidence-file handlers work with: where documents are kept, where a sent file may be downloaded from, the
// files waiting for their sender to say which case they belong to, and (local mode) the expiring links that open
// them.
//
// A file sent to the bot is fetched and checked at once, then held in memory for its sender for 15 minutes while a
// card asks which case it belongs to and what kind of document it is. Each file has its own card and token; a person
// may have at most MAX_WAITING files waiting (a further one lets the oldest go, whose card then says it is no longer
// waiting), so what is held is bounded by the number of people. Nothing is written until they choose.
//
// The files wait in this instance's memory: with several instances, "Keep with this case" may reach one that does
// not hold the file, and the person is asked to send it again (docs/deploy.md, scaling out).
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

/** How many files one person may have waiting for a case at once: also the most read from one message. */
export const MAX_WAITING = 5;

export class PendingFiles {
  /** Each person's waiting files, oldest first. */
  private readonly byOwner = new Map<string, PendingFile[]>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = PENDING_TTL_MS,
  ) {}

  hold(file: Omit<PendingFile, 'token' | 'expires'>): PendingFile {
    const now = this.now().getTime();
    for (const [owner, files] of this.byOwner) {
      const live = files.filter((f) => f.expires > now);
      if (live.length) this.byOwner.set(owner, live);
      else this.byOwner.delete(owner);
    }
    const held = { ...file, token: randomBytes(16).toString('base64url'), expires: now + this.ttlMs };
    const key = file.owner.toLowerCase();
    // The newest MAX_WAITING stay; an older one's card then answers that it is no longer waiting.
    this.byOwner.set(key, [...(this.byOwner.get(key) ?? []), held].slice(-MAX_WAITING));
    return held;
  }

  /** The file this person sent under this token, if it is still waiting. */
  get(owner: string, token: unknown): PendingFile | undefined {
    if (typeof token !== 'string') return undefined;
    const f = this.byOwner.get(owner.toLowerCase())?.find((x) => x.token === token);
    return f && f.expires > this.now().getTime() ? f : undefined;
  }

  /** Lets one waiting file go (kept, or refused for good). */
  drop(owner: string, token: string): void {
    const key = owner.toLowerCase();
    const left = (this.byOwner.get(key) ?? []).filter((f) => f.token !== token);
    if (left.length) this.byOwner.set(key, left);
    else this.byOwner.delete(key);
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
