// The one storage interface. Asynchronous because the SharePoint store makes network calls; every record carries an
// eTag for optimistic concurrency, so two people acting on the same case cannot overwrite each other.
import type {
  AssessmentRecord,
  AuditEntry,
  BudgetRecord,
  CaseRecord,
  ConsentRecord,
  DecisionRecord,
  MeetingRecord,
  PackageRecord,
  ProposalRecord,
  ProviderRecord,
  ReminderRecord,
  ReviewRecord,
  SpendRecord,
  SubstitutionRecord,
  VoteRecord,
} from '../domain/types';
import type { Readable } from 'node:stream';
import type { FileRecord } from '../domain/files';
import type { TransferRecord } from '../domain/transitions';

export interface Stored<T> {
  value: T;
  eTag: string;
}

export type StoreErrorKind = 'exists' | 'stale' | 'missing' | 'busy';

/**
 * A write that lost a race (exists, stale), found nothing to change (missing), or could not get at the store in time
 * (busy: another process holds it; nothing was written, and trying again shortly will do).
 */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const isStoreError = (e: unknown, kind?: StoreErrorKind): e is StoreError =>
  e instanceof StoreError && (kind === undefined || e.kind === kind);

/** Equality filters on top-level string or number fields. */
export type Where<T> = Partial<{ [K in keyof T]: T[K] extends string | number | undefined ? T[K] : never }>;

export interface Collection<T extends { id: string }> {
  get(id: string): Promise<Stored<T> | undefined>;
  /** Every record whose fields equal the filter's, oldest first. */
  find(where?: Where<T>): Promise<Stored<T>[]>;
  /** Adds a record; StoreError('exists') when the id is taken, which makes create a claim. */
  create(value: T): Promise<Stored<T>>;
  /** Replaces a record if it still has this eTag; StoreError('stale') if someone changed it first. */
  replace(value: T, eTag: string): Promise<Stored<T>>;
  /** Removes a record if it still has this eTag. */
  remove(id: string, eTag: string): Promise<void>;
}

/** How to reach a person or chat proactively: the bot's own conversation reference, opaque to the store. */
export interface ConversationRecord {
  id: string;
  kind: 'person' | 'panel';
  reference: Record<string, unknown>;
  /** The person's Teams user id (29:…), for per-user card refresh. */
  teamsUserId?: string;
  /** Teams refused a message here (403: the app removed, blocked or disabled): not tried until they talk again. */
  inactive?: boolean;
  updatedAt: string;
}

/**
 * A message owed to someone because of a saved change: the outbox. What to send is the application's business
 * (`message`, opaque to the store); the store keeps when and whether it went.
 */
export interface OutboxRecord {
  /** Deterministic: the change and the recipient, so writing the same message twice finds it already there. */
  id: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  caseId?: string;
  message: Record<string, unknown>;
  attempts: number;
  /** Not to be tried again before this time (back-off, Retry-After, or another sender's lease). */
  notBefore: string;
  createdAt: string;
  sentAt?: string;
  /** Why the last attempt failed: a status code and a word, never message content. */
  lastError?: string;
}

/** What the health check reports of the store. */
export interface StoreHealth {
  ok: boolean;
  /** e.g. "sqlite", "sharepoint". */
  kind: string;
  /** A short word on the state: "ready", "busy", "unreachable". Never data. */
  state: string;
}

export interface SettingRecord {
  id: string;
  value: string;
}

/** The record collections of a Store, in the order a new store creates them. */
export const COLLECTION_NAMES = [
  'cases',
  'consents',
  'assessments',
  'proposals',
  'votes',
  'decisions',
  'conversations',
  'settings',
  'providers',
  'budgets',
  'packages',
  'spends',
  'reviews',
  'reminders',
  'outbox',
  'meetings',
  'substitutions',
  'files',
  'transfers',
] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];

/** Collections whose records are not about one case (or, for `cases`, are the case itself). */
const NOT_CASE_RECORDS = [
  'cases',
  'conversations',
  'settings',
  'providers',
  'budgets',
  'meetings',
  'substitutions',
] as const;
export type CaseCollection = Exclude<CollectionName, (typeof NOT_CASE_RECORDS)[number]>;

/**
 * Every collection whose records belong to one case, found by their caseId: every collection the store has, less those
 * above, so a collection added later is exported and deleted with its case unless it is listed there.
 */
export const CASE_COLLECTIONS = COLLECTION_NAMES.filter(
  (n): n is CaseCollection => !(NOT_CASE_RECORDS as readonly string[]).includes(n),
);

export interface Store {
  cases: Collection<CaseRecord>;
  consents: Collection<ConsentRecord>;
  assessments: Collection<AssessmentRecord>;
  proposals: Collection<ProposalRecord>;
  votes: Collection<VoteRecord>;
  decisions: Collection<DecisionRecord>;
  conversations: Collection<ConversationRecord>;
  settings: Collection<SettingRecord>;
  providers: Collection<ProviderRecord>;
  budgets: Collection<BudgetRecord>;
  packages: Collection<PackageRecord>;
  spends: Collection<SpendRecord>;
  reviews: Collection<ReviewRecord>;
  reminders: Collection<ReminderRecord>;
  outbox: Collection<OutboxRecord>;
  /** Panel cycles: meeting dates and cut-offs. */
  meetings: Collection<MeetingRecord>;
  /** Panel members away, and who votes in their place. */
  substitutions: Collection<SubstitutionRecord>;
  /** Evidence documents' records (the bytes are in a DocumentStore), and cases transferred to a new school. */
  files: Collection<FileRecord>;
  transfers: Collection<TransferRecord>;
  audit: AuditLog;
  /** Answers at once how the store is, without waiting on a lock or a slow network. */
  health(): Promise<StoreHealth>;
  /** True the first time a key is claimed, false ever after: what makes a reminder go out exactly once. */
  claimOnce(key: string, at: string): Promise<boolean>;
  /** The next number of a named counter, starting at 1; never the same number twice. */
  nextNumber(counter: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Where a case's documents' bytes are kept: a folder per case reference, under the data folder (local mode) or in
 * the site's evidence library (SharePoint mode). The store's `files` collection records what is there.
 */
export interface DocumentStore {
  /** Keeps a document; answers where it is, and in SharePoint mode its web link. */
  put(
    caseRef: string,
    name: string,
    bytes: Buffer,
    mime: string,
  ): Promise<{ location: string; webUrl?: string }>;
  /** The bytes at a location, or undefined if nothing is there. */
  get(location: string): Promise<Buffer | undefined>;
  /** Deletes a document for good (no recycle bin); one already gone is no error. */
  remove(location: string): Promise<void>;
  /** Local mode: the size, and the bytes as a stream from disk when read, so a download never holds them in memory. */
  open?(location: string): Promise<{ size: number; stream(): Readable } | undefined>;
  /** SharePoint mode: read access to one document for one person until a time; answers its web link. */
  grantRead?(location: string, person: { objectId: string }, until: Date): Promise<string>;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Entries for one case (or all), oldest first. */
  list(caseId?: string): Promise<AuditEntry[]>;
}
