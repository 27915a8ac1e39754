// The SharePoint store: one SharePoint list per record type, read and written through Microsoft Graph.
//
// Correctness rests on SharePoint itself, never on this process: a create is a claim because `eipId` enforces
// unique values; every change and removal carries the eTag read (If-Match), so nothing is overwritten blindly; and
// each write stores a fresh `idempotencyKey`, so a write the SDK re-sent after a lost response recognises its own
// first attempt instead of reporting a conflict or leaving a duplicate. List ids and column names are read once,
// when the store opens.
import { randomUUID } from 'node:crypto';
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';
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
} from '../../domain/types';
import type { FileRecord } from '../../domain/files';
import type { TransferRecord } from '../../domain/transitions';
import {
  StoreError,
  type AuditLog,
  type Collection,
  type ConversationRecord,
  type OutboxRecord,
  type StoreHealth,
  type SettingRecord,
  type Store,
  type Stored,
  type Where,
} from '../store';
import { SendCount } from './graph-client';
import {
  columnDrift,
  findColumn,
  getAll,
  odataString,
  readSite,
  SiteNotFoundError,
  statusOf,
  withQuery,
  type SiteState,
} from './graph';
import {
  DATA_COLUMN,
  ID_COLUMN,
  KEY_COLUMN,
  keyValue,
  LISTS,
  type ColumnSpec,
  type ListSpec,
} from './schema';

/** The site is not ready for the store: names what is missing, and how to fix it. */
export class SharePointSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SharePointSetupError';
  }
}

export type StoreLog = Pick<Logger, 'warn' | 'debug'>;

export interface SharePointStoreOptions {
  client: Client;
  /** The site id (host,site-guid,web-guid) or any form Graph resolves under /sites/. */
  siteId: string;
  log?: StoreLog;
  /**
   * Refuse a find() on a field with no indexed column instead of filtering it here after reading more than needed.
   * The bot's own queries never need that; tests turn this on to keep it so.
   */
  strictFilters?: boolean;
}

interface GraphItem {
  id: string;
  eTag?: string;
  '@odata.etag'?: string;
  fields?: Record<string, unknown>;
}

const TEXT_LIMIT = 255;
const eTagOf = (item: { eTag?: string; '@odata.etag'?: string }): string | undefined =>
  item['@odata.etag'] ?? item.eTag;
const byItemId = (a: GraphItem, b: GraphItem) => Number(a.id) - Number(b.id);
const text = (v: string) => (v.length > TEXT_LIMIT ? v.slice(0, TEXT_LIMIT) : v);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A date or date-time as SharePoint's dateTime columns take it; anything else is left empty. */
function dateTimeValue(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T00:00:00Z`;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function columnValue(col: ColumnSpec, v: unknown): unknown {
  switch (col.type) {
    case 'text':
      return typeof v === 'string' ? text(v) : typeof v === 'number' ? String(v) : null;
    case 'note':
    case 'choice':
      return typeof v === 'string' ? v : null;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    case 'dateTime':
      return dateTimeValue(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
  }
}

/** One list, resolved at open: its id and the internal name of each column. */
class ListRef {
  readonly path: string;
  constructor(
    readonly spec: ListSpec,
    siteId: string,
    readonly id: string,
    private readonly names: ReadonlyMap<string, string>,
  ) {
    this.path = `/sites/${siteId}/lists/${id}`;
  }

  name(column: string): string {
    return this.names.get(column) ?? column;
  }

  column(name: string): ColumnSpec | undefined {
    return this.spec.columns.find((c) => c.name === name);
  }

  /** Only the columns the store reads back: the managed ones (the record, its key, a counter's value). */
  get expandFields(): string {
    const names = this.spec.columns.filter((c) => c.managed).map((c) => this.name(c.name));
    return `fields($select=${names.join(',')})`;
  }

  itemsPath(filter?: string): string {
    return withQuery(`${this.path}/items`, { $expand: this.expandFields, $filter: filter });
  }

  eq(column: string, value: string | number): string {
    return `fields/${this.name(column)} eq ${typeof value === 'number' ? String(value) : odataString(value)}`;
  }

  /** The fields of an item that copies this value: Title, the typed columns and (if given) the managed ones. */
  fields(
    value: Record<string, unknown>,
    managed: Record<string, unknown>,
    clear: boolean,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const title = value[this.spec.title ?? 'id'];
    out.Title = text(typeof title === 'string' && title ? title : String(value.id ?? this.spec.key));
    for (const col of this.spec.columns) {
      if (col.managed) continue;
      const v = columnValue(col, value[col.name]);
      if (v !== null || clear) out[this.name(col.name)] = v;
    }
    for (const [k, v] of Object.entries(managed)) out[this.name(k)] = v;
    return out;
  }

  async items(client: Client, filter?: string): Promise<GraphItem[]> {
    return (await getAll<GraphItem>(client, this.itemsPath(filter))).sort(byItemId);
  }
}

/** Sends one write; if it fails, the error tells how many times the SDK's RetryHandler sent it (sendsOf). */
async function send<R>(request: GraphRequest, go: (r: GraphRequest) => Promise<R>): Promise<R> {
  const count = new SendCount();
  try {
    return await go(request.middlewareOptions([count]));
  } catch (e) {
    throw Object.assign(e as object, { sends: count.sends });
  }
}

const sendsOf = (e: unknown): number => (e as { sends?: number } | null)?.sends ?? 1;

class SharePointCollection<T extends { id: string }> implements Collection<T> {
  /** Record id to Graph item id, learnt from reads and writes; eTags keep it honest if it goes stale. */
  private readonly itemIds = new Map<string, string>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly list: ListRef,
    private readonly options: { log?: StoreLog; strictFilters: boolean },
  ) {}

  private get label(): string {
    return this.list.spec.key;
  }

  async get(id: string): Promise<Stored<T> | undefined> {
    const item = await this.lookup(id);
    return item && this.wrap(item);
  }

  async find(where: Where<T> = {}): Promise<Stored<T>[]> {
    const entries = Object.entries(where).filter(([, v]) => v !== undefined) as [string, string | number][];
    const clauses: string[] = [];
    for (const [field, value] of entries) {
      if (field === 'id') {
        clauses.push(this.list.eq(ID_COLUMN, keyValue(String(value))));
        continue;
      }
      const col = this.list.column(field);
      const filterable =
        col && !col.managed && (col.indexed || col.unique) && ['text', 'choice', 'number'].includes(col.type);
      if (filterable && (col.type === 'number') === (typeof value === 'number')) {
        clauses.push(this.list.eq(field, value));
      } else {
        const problem = `${this.label}.find filters on "${field}", which has no indexed column`;
        if (this.options.strictFilters) throw new Error(problem);
        if (!this.warned.has(field)) {
          this.warned.add(field);
          this.options.log?.warn(
            { list: this.list.spec.displayName, field },
            `${problem}: filtered after reading`,
          );
        }
      }
    }
    const items = await this.list.items(this.client, clauses.length ? clauses.join(' and ') : undefined);
    const out: Stored<T>[] = [];
    for (const item of items) {
      const stored = this.wrap(item);
      if (!stored) continue;
      // SharePoint compares text without regard to case; the record's own fields decide.
      const record = stored.value as Record<string, unknown>;
      if (entries.every(([k, v]) => record[k] === v)) out.push(stored);
    }
    return out;
  }

  async create(value: T): Promise<Stored<T>> {
    const snapshot = structuredClone(value);
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = randomUUID();
      const fields = this.list.fields(
        snapshot as Record<string, unknown>,
        {
          [ID_COLUMN]: this.idValue(snapshot.id),
          [DATA_COLUMN]: JSON.stringify(snapshot),
          [KEY_COLUMN]: key,
        },
        false,
      );
      try {
        const item = await send(this.client.api(`${this.list.path}/items`), (r) => r.post({ fields }));
        const created = item as GraphItem;
        this.itemIds.set(snapshot.id, created.id);
        return { value: structuredClone(snapshot), eTag: this.requireETag(created) };
      } catch (e) {
        // 409: the id is taken, perhaps by this very create whose first answer was lost. Any other failure may
        // also have been applied before the answer was lost, so look before reporting it.
        const existing = await this.lookup(snapshot.id).catch(() => {
          throw e;
        });
        if (existing?.fields?.[this.list.name(KEY_COLUMN)] === key)
          return { value: structuredClone(snapshot), eTag: this.requireETag(existing) };
        if (statusOf(e) !== 409) throw e;
        if (existing) throw new StoreError('exists', `${this.label} ${snapshot.id} already exists`);
        // Taken when we wrote, gone when we looked: it was removed in between, so claim it again.
      }
    }
    throw new StoreError('exists', `${this.label} ${snapshot.id} already exists`);
  }

  async replace(value: T, eTag: string): Promise<Stored<T>> {
    const snapshot = structuredClone(value);
    return this.onItem(snapshot.id, async (itemId) => {
      const key = randomUUID();
      const fields = this.list.fields(
        snapshot as Record<string, unknown>,
        { [DATA_COLUMN]: JSON.stringify(snapshot), [KEY_COLUMN]: key },
        true,
      );
      try {
        const answer = await send(this.client.api(`${this.list.path}/items/${itemId}/fields`), (r) =>
          r.header('If-Match', eTag).patch(fields),
        );
        const next = eTagOf(answer as GraphItem) ?? this.requireETag(await this.itemById(itemId));
        return { value: structuredClone(snapshot), eTag: next };
      } catch (e) {
        if (statusOf(e) === 412 && sendsOf(e) > 1) {
          // Re-sent after a lost answer: the first attempt may be what changed the eTag.
          const now = await this.itemById(itemId).catch(() => undefined);
          if (now?.fields?.[this.list.name(KEY_COLUMN)] === key)
            return { value: structuredClone(snapshot), eTag: this.requireETag(now) };
        }
        throw e;
      }
    });
  }

  async remove(id: string, eTag: string): Promise<void> {
    await this.onItem(id, async (itemId) => {
      try {
        await send(this.client.api(`${this.list.path}/items/${itemId}`), (r) =>
          r.header('If-Match', eTag).delete(),
        );
      } catch (e) {
        // 404 after a re-send: the first attempt, whose answer was lost, removed it.
        if (statusOf(e) !== 404 || sendsOf(e) === 1) throw e;
      }
      this.itemIds.delete(id);
    });
  }

  /**
   * Runs a write on the record's Graph item: the cached item id if there is one, else looked up. 412 means someone
   * changed it first; 404 on a cached id means the item went (perhaps replaced by another with the same record id),
   * so look again before calling the record missing.
   */
  private async onItem<R>(id: string, write: (itemId: string) => Promise<R>): Promise<R> {
    let itemId = this.itemIds.get(id);
    let cached = itemId !== undefined;
    for (;;) {
      if (itemId === undefined) {
        itemId = (await this.lookup(id))?.id;
        if (itemId === undefined) throw new StoreError('missing', `${this.label} ${id} does not exist`);
      }
      try {
        return await write(itemId);
      } catch (e) {
        const status = statusOf(e);
        if (status === 412) throw new StoreError('stale', `${this.label} ${id} was changed by someone else`);
        if (status !== 404) throw e;
        this.itemIds.delete(id);
        if (!cached) throw new StoreError('missing', `${this.label} ${id} does not exist`);
        cached = false;
        itemId = undefined;
      }
    }
  }

  private idValue(id: string): string {
    const v = keyValue(id);
    if (v.length > TEXT_LIMIT) throw new Error(`${this.label} id is longer than SharePoint allows: ${id}`);
    return v;
  }

  /** The item holding this record id, if any: one request. */
  private async lookup(id: string): Promise<GraphItem | undefined> {
    const items = await this.list.items(this.client, this.list.eq(ID_COLUMN, this.idValue(id)));
    const item = items.find((i) => this.parse(i)?.id === id);
    if (item) this.itemIds.set(id, item.id);
    else this.itemIds.delete(id);
    return item;
  }

  private async itemById(itemId: string): Promise<GraphItem> {
    const path = withQuery(`${this.list.path}/items/${itemId}`, { $expand: this.list.expandFields });
    return (await this.client.api(path).get()) as GraphItem;
  }

  private parse(item: GraphItem): T | undefined {
    const raw = item.fields?.[this.list.name(DATA_COLUMN)];
    if (typeof raw !== 'string') return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      this.options.log?.warn(
        { list: this.list.spec.displayName, item: item.id },
        'an item holds no readable record',
      );
      return undefined;
    }
  }

  private wrap(item: GraphItem): Stored<T> | undefined {
    const value = this.parse(item);
    if (!value) return undefined;
    this.itemIds.set(value.id, item.id);
    return { value, eTag: this.requireETag(item) };
  }

  private requireETag(item: GraphItem): string {
    const eTag = eTagOf(item);
    if (!eTag) throw new Error(`Graph gave ${this.label} item ${item.id} no eTag`);
    return eTag;
  }
}

class SharePointAudit implements AuditLog {
  constructor(
    private readonly client: Client,
    private readonly ref: ListRef,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const key = randomUUID();
    const fields = this.ref.fields(
      entry as unknown as Record<string, unknown>,
      { [DATA_COLUMN]: JSON.stringify(entry), [KEY_COLUMN]: key },
      false,
    );
    try {
      await send(this.client.api(`${this.ref.path}/items`), (r) => r.post({ fields }));
    } catch (e) {
      // The key is fresh, so a conflict on it can only be this append's own first attempt.
      if (statusOf(e) !== 409) throw e;
    }
  }

  async list(caseId?: string): Promise<AuditEntry[]> {
    const items = await this.ref.items(
      this.client,
      caseId === undefined ? undefined : this.ref.eq('caseId', caseId),
    );
    const out: AuditEntry[] = [];
    for (const item of items) {
      const raw = item.fields?.[this.ref.name(DATA_COLUMN)];
      if (typeof raw !== 'string') continue;
      const entry = JSON.parse(raw) as AuditEntry;
      if (caseId === undefined || entry.caseId === caseId) out.push(entry);
    }
    return out;
  }
}

interface CounterState {
  itemId: string;
  eTag: string;
  value: number;
}

/** Checks every list and column the store writes; names all that is missing in one line. */
function checkSite(site: SiteState, log?: StoreLog): Map<string, ListRef> {
  const missing: string[] = [];
  const refs = new Map<string, ListRef>();
  for (const spec of LISTS.filter((l) => l.role !== 'schools' && l.role !== 'people')) {
    const list = site.lists.find((l) => l.displayName === spec.displayName);
    if (!list) {
      missing.push(`list "${spec.displayName}"`);
      continue;
    }
    const names = new Map<string, string>();
    for (const col of spec.columns) {
      const found = findColumn(list, col.name);
      if (!found) {
        missing.push(`column "${col.name}" of "${spec.displayName}"`);
        continue;
      }
      names.set(col.name, found.name);
      const drift = columnDrift(col, found);
      // Without unique values a create is no longer a claim: refuse to run rather than risk doubles.
      if (col.unique && !found.enforceUniqueValues)
        missing.push(`unique values on column "${col.name}" of "${spec.displayName}"`);
      else if (drift.length)
        log?.warn(
          { list: spec.displayName, column: col.name, drift },
          'a SharePoint column differs from the schema',
        );
    }
    refs.set(spec.key, new ListRef(spec, site.siteId, list.id, names));
  }
  if (missing.length) {
    const shown =
      missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    throw new SharePointSetupError(
      `SharePoint site ${site.siteId} is not set up for the EIP bot: missing ${shown}. Run \`npm run provision\`.`,
    );
  }
  return refs;
}

export class SharePointStore implements Store {
  readonly cases: Collection<CaseRecord>;
  readonly consents: Collection<ConsentRecord>;
  readonly assessments: Collection<AssessmentRecord>;
  readonly proposals: Collection<ProposalRecord>;
  readonly votes: Collection<VoteRecord>;
  readonly decisions: Collection<DecisionRecord>;
  readonly conversations: Collection<ConversationRecord>;
  readonly settings: Collection<SettingRecord>;
  readonly providers: Collection<ProviderRecord>;
  readonly budgets: Collection<BudgetRecord>;
  readonly packages: Collection<PackageRecord>;
  readonly spends: Collection<SpendRecord>;
  readonly reviews: Collection<ReviewRecord>;
  readonly reminders: Collection<ReminderRecord>;
  readonly outbox: Collection<OutboxRecord>;
  readonly meetings: Collection<MeetingRecord>;
  readonly substitutions: Collection<SubstitutionRecord>;
  readonly files: Collection<FileRecord>;
  readonly transfers: Collection<TransferRecord>;
  readonly audit: AuditLog;
  private readonly claims: ListRef;
  private readonly counters: ListRef;
  private readonly counterState = new Map<string, CounterState>();
  /** One nextNumber at a time per counter in this process; other processes are kept out by the eTag. */
  private readonly counterQueue = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly client: Client,
    refs: Map<string, ListRef>,
    options: { log?: StoreLog; strictFilters: boolean },
  ) {
    const ref = (k: string) => refs.get(k)!;
    const col = <T extends { id: string }>(k: string) => new SharePointCollection<T>(client, ref(k), options);
    this.cases = col('cases');
    this.consents = col('consents');
    this.assessments = col('assessments');
    this.proposals = col('proposals');
    this.votes = col('votes');
    this.decisions = col('decisions');
    this.conversations = col('conversations');
    this.settings = col('settings');
    this.providers = col('providers');
    this.budgets = col('budgets');
    this.packages = col('packages');
    this.spends = col('spends');
    this.reviews = col('reviews');
    this.reminders = col('reminders');
    this.outbox = col('outbox');
    this.meetings = col('meetings');
    this.substitutions = col('substitutions');
    this.files = col('files');
    this.transfers = col('transfers');
    this.audit = new SharePointAudit(client, ref('audit'));
    this.claims = ref('claims');
    this.counters = ref('counters');
  }

  /** Resolves the site, its lists and their columns once (one $batch); throws SharePointSetupError if any is missing. */
  static async open(options: SharePointStoreOptions): Promise<SharePointStore> {
    let site: SiteState;
    try {
      site = await readSite(options.client, options.siteId);
    } catch (e) {
      if (e instanceof SiteNotFoundError) throw new SharePointSetupError(e.message);
      throw e;
    }
    const refs = checkSite(site, options.log);
    return new SharePointStore(options.client, refs, {
      ...(options.log && { log: options.log }),
      strictFilters: options.strictFilters ?? false,
    });
  }

  /** The lists were found when the store opened; each request retries and reports on its own. */
  async health(): Promise<StoreHealth> {
    return { ok: true, kind: 'sharepoint', state: 'ready' };
  }

  async claimOnce(claimKey: string, at: string): Promise<boolean> {
    const list = this.claims;
    const value = keyValue(claimKey);
    if (value.length > TEXT_LIMIT)
      throw new Error(`a claim key is longer than SharePoint allows: ${claimKey}`);
    const key = randomUUID();
    const fields = {
      Title: text(claimKey),
      [list.name('claimKey')]: value,
      [list.name('claimedAt')]: dateTimeValue(at),
      [list.name(KEY_COLUMN)]: key,
    };
    try {
      await send(this.client.api(`${list.path}/items`), (r) => r.post({ fields }));
      return true;
    } catch (e) {
      const existing = await this.findByKey(list, 'claimKey', value).catch(() => {
        throw e;
      });
      if (existing?.fields?.[list.name(KEY_COLUMN)] === key) return true;
      if (statusOf(e) === 409 && existing) return false;
      throw e;
    }
  }

  async nextNumber(counter: string): Promise<number> {
    const previous = this.counterQueue.get(counter) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.increment(counter));
    this.counterQueue.set(counter, next);
    try {
      return await next;
    } finally {
      if (this.counterQueue.get(counter) === next) this.counterQueue.delete(counter);
    }
  }

  /** Read, then PATCH value + 1 with If-Match; on 412 read again. The first use creates the counter at 1. */
  private async increment(counter: string): Promise<number> {
    const list = this.counters;
    const name = keyValue(counter);
    const valueCol = list.name('value');
    const keyCol = list.name(KEY_COLUMN);
    const stateOf = (item: GraphItem): CounterState => ({
      itemId: item.id,
      eTag: eTagOf(item) ?? '',
      value: Number(item.fields?.[valueCol] ?? 0),
    });
    let state = this.counterState.get(counter);
    for (let attempt = 0; attempt < 100; attempt++) {
      if (attempt > 1) await sleep(Math.random() * Math.min(500, 20 * attempt));
      if (!state) {
        const found = await this.findByKey(list, 'counterName', name);
        if (found) state = stateOf(found);
      }
      const key = randomUUID();
      if (!state) {
        const fields = {
          Title: text(counter),
          [list.name('counterName')]: name,
          [valueCol]: 1,
          [keyCol]: key,
        };
        try {
          const item = await send(this.client.api(`${list.path}/items`), (r) => r.post({ fields }));
          this.counterState.set(counter, stateOf(item as GraphItem));
          return 1;
        } catch (e) {
          const found = await this.findByKey(list, 'counterName', name).catch(() => {
            throw e;
          });
          if (found?.fields?.[keyCol] === key) {
            this.counterState.set(counter, stateOf(found));
            return 1;
          }
          if (statusOf(e) !== 409 || !found) throw e;
          state = stateOf(found);
          continue;
        }
      }
      const wanted = state.value + 1;
      try {
        const answer = await send(this.client.api(`${list.path}/items/${state.itemId}/fields`), (r) =>
          r.header('If-Match', state!.eTag).patch({ [valueCol]: wanted, [keyCol]: key }),
        );
        const eTag = eTagOf(answer as GraphItem);
        if (eTag) this.counterState.set(counter, { itemId: state.itemId, eTag, value: wanted });
        else this.counterState.delete(counter);
        return wanted;
      } catch (e) {
        const status = statusOf(e);
        if (status !== 412 && status !== 404) throw e;
        this.counterState.delete(counter);
        const found = await this.findByKey(list, 'counterName', name);
        if (status === 412 && sendsOf(e) > 1 && found?.fields?.[keyCol] === key) {
          this.counterState.set(counter, stateOf(found));
          return wanted;
        }
        state = found && stateOf(found);
      }
    }
    throw new Error(`counter ${counter} stayed contended for 100 attempts`);
  }

  private async findByKey(list: ListRef, column: string, value: string): Promise<GraphItem | undefined> {
    const items = await list.items(this.client, list.eq(column, value));
    return items.find((i) => i.fields?.[list.name(column)] === value);
  }

  async close(): Promise<void> {
    this.counterState.clear();
  }
}
