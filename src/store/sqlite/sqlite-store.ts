// The embedded store: one SQLite file under EIP_DATA_DIR. Each record type is a table of JSON documents with a
// version number as its eTag; filters use indexed JSON expressions.
//
// better-sqlite3 is synchronous, so SQLite must never be left to wait for a lock itself: that would freeze the whole
// bot. Its busy timeout is zero, and a statement that finds the database locked by another process is tried again
// after a pause that yields to the event loop, for a bounded time, and then refused as StoreError('busy').
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
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
  type SettingRecord,
  type StoreHealth,
  type Store,
  type Stored,
  type Where,
} from '../store';
import { MIGRATIONS, type TableName } from './migrations';

type Db = Database.Database;
interface Row {
  data: string;
  version: number;
}

/**
 * Statements prepared once per database and reused: preparing one costs more than running it, and a card action
 * runs dozens.
 */
const statements = new WeakMap<Db, Map<string, Database.Statement>>();
function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

const eTagOf = (version: number) => `"${version}"`;
const versionOf = (eTag: string) => Number(eTag.replace(/^W\//, '').replace(/"/g, ''));
const FIELD = /^[A-Za-z][A-Za-z0-9]*$/;

/** SQLITE_BUSY and its extended codes: another connection holds the lock this statement needs. */
export const isBusy = (e: unknown): boolean =>
  e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY');

/** How long a statement keeps trying for a lock another process holds before it is refused as busy. */
export const LOCK_WAIT_MS = 3000;
/** The first pause between tries, doubling up to the longest. */
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 100;

/**
 * Runs each statement of one store, trying again while the database is locked. Every try is immediate (the busy
 * timeout is zero) and every pause is a timer, so the event loop keeps serving while a statement waits.
 */
class LockWaiter {
  /** Statements now waiting for the lock: the health check reports busy while there are any. */
  waiting = 0;

  constructor(private readonly waitMs: number) {}

  async run<R>(what: string, statement: () => R): Promise<R> {
    const deadline = Date.now() + this.waitMs;
    let pause = FIRST_PAUSE_MS;
    let waiting = false;
    try {
      for (;;) {
        try {
          return statement();
        } catch (e) {
          if (!isBusy(e)) throw e;
          const left = deadline - Date.now();
          if (left <= 0)
            throw new StoreError(
              'busy',
              `${what}: the database is locked by another process; nothing was written`,
            );
          if (!waiting) {
            waiting = true;
            this.waiting += 1;
          }
          await sleep(Math.min(pause, left));
          pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
        }
      }
    } finally {
      if (waiting) this.waiting -= 1;
    }
  }
}

class SqliteCollection<T extends { id: string }> implements Collection<T> {
  constructor(
    private readonly db: Db,
    private readonly table: TableName,
    private readonly lock: LockWaiter,
  ) {}

  async get(id: string): Promise<Stored<T> | undefined> {
    const row = await this.lock.run(
      `reading ${this.table}`,
      () =>
        prepared(this.db, `SELECT data, version FROM ${this.table} WHERE id = ?`).get(id) as Row | undefined,
    );
    return row && this.wrap(row);
  }

  async find(where: Where<T> = {}): Promise<Stored<T>[]> {
    const entries = Object.entries(where).filter(([, v]) => v !== undefined);
    const clauses = entries.map(([k]) => {
      if (!FIELD.test(k)) throw new Error(`not a field name: ${k}`);
      return `json_extract(data, '$.${k}') = ?`;
    });
    const sql = `SELECT data, version FROM ${this.table}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY seq`;
    const rows = await this.lock.run(
      `reading ${this.table}`,
      () => prepared(this.db, sql).all(...entries.map(([, v]) => v as string | number)) as Row[],
    );
    return rows.map((r) => this.wrap(r));
  }

  async create(value: T): Promise<Stored<T>> {
    const info = await this.lock.run(`adding to ${this.table}`, () =>
      prepared(
        this.db,
        `INSERT INTO ${this.table} (id, data, version) VALUES (?, ?, 1) ON CONFLICT(id) DO NOTHING`,
      ).run(value.id, JSON.stringify(value)),
    );
    if (info.changes === 0) throw new StoreError('exists', `${this.table} ${value.id} already exists`);
    return { value: structuredClone(value), eTag: eTagOf(1) };
  }

  async replace(value: T, eTag: string): Promise<Stored<T>> {
    const version = versionOf(eTag);
    const info = await this.lock.run(`changing ${this.table}`, () =>
      prepared(
        this.db,
        `UPDATE ${this.table} SET data = ?, version = version + 1 WHERE id = ? AND version = ?`,
      ).run(JSON.stringify(value), value.id, version),
    );
    if (info.changes === 0) throw await this.missOrStale(value.id);
    return { value: structuredClone(value), eTag: eTagOf(version + 1) };
  }

  async remove(id: string, eTag: string): Promise<void> {
    const info = await this.lock.run(`removing from ${this.table}`, () =>
      prepared(this.db, `DELETE FROM ${this.table} WHERE id = ? AND version = ?`).run(id, versionOf(eTag)),
    );
    if (info.changes === 0) throw await this.missOrStale(id);
  }

  private async missOrStale(id: string): Promise<StoreError> {
    const exists = await this.lock.run(`reading ${this.table}`, () =>
      prepared(this.db, `SELECT 1 FROM ${this.table} WHERE id = ?`).get(id),
    );
    return exists
      ? new StoreError('stale', `${this.table} ${id} was changed by someone else`)
      : new StoreError('missing', `${this.table} ${id} does not exist`);
  }

  private wrap(row: Row): Stored<T> {
    return { value: JSON.parse(row.data) as T, eTag: eTagOf(row.version) };
  }
}

const AUDIT_COLUMNS = 'at, actor, action, case_id, detail, before_state, after_state, outcome';
interface AuditRow {
  at: string;
  actor: string;
  action: string;
  case_id: string | null;
  detail: string;
  before_state: string | null;
  after_state: string | null;
  outcome: string | null;
}

class SqliteAudit implements AuditLog {
  constructor(
    private readonly db: Db,
    private readonly lock: LockWaiter,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.lock.run('adding to the audit trail', () =>
      prepared(
        this.db,
        'INSERT INTO audit (at, actor, action, case_id, detail, before_state, after_state, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        entry.at,
        entry.actor,
        entry.action,
        entry.caseId ?? null,
        entry.detail,
        entry.before ?? null,
        entry.after ?? null,
        entry.outcome ?? null,
      ),
    );
  }

  async list(caseId?: string): Promise<AuditEntry[]> {
    const rows = await this.lock.run(
      'reading the audit trail',
      () =>
        (caseId === undefined
          ? prepared(this.db, `SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`).all()
          : prepared(this.db, `SELECT ${AUDIT_COLUMNS} FROM audit WHERE case_id = ? ORDER BY seq`).all(
              caseId,
            )) as AuditRow[],
    );
    return rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      ...(r.case_id !== null ? { caseId: r.case_id } : {}),
      detail: r.detail,
      ...(r.before_state !== null ? { before: r.before_state } : {}),
      ...(r.after_state !== null ? { after: r.after_state } : {}),
      ...(r.outcome === 'done' || r.outcome === 'refused' ? { outcome: r.outcome } : {}),
    }));
  }
}

/** Brings a database up to the newest schema, one numbered migration at a time. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  MIGRATIONS.slice(current).forEach((sql, i) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + i + 1}`);
    })();
  });
}

export interface SqliteStoreOptions {
  /** How long a statement waits for a lock another process holds before it is refused as busy (LOCK_WAIT_MS). */
  lockWaitMs?: number;
}

/** How long opening the store may wait for the lock its migrations need: nothing else is running yet. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

export class SqliteStore implements Store {
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
  private readonly db: Db;
  private readonly lock: LockWaiter;

  /**
   * Opens (or creates) the store file; ':memory:' gives a throwaway store. openSqliteStore (open.ts) is the way in
   * for the bot: it checks the data folder first and says what is wrong with it.
   */
  constructor(file: string, options: SqliteStoreOptions = {}) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: OPEN_BUSY_TIMEOUT_MS });
    this.db.pragma('journal_mode = WAL');
    migrate(this.db);
    // From here on SQLite never waits on a lock itself: LockWaiter does, without blocking.
    this.db.pragma('busy_timeout = 0');
    this.lock = new LockWaiter(options.lockWaitMs ?? LOCK_WAIT_MS);
    const col = <T extends { id: string }>(table: TableName) =>
      new SqliteCollection<T>(this.db, table, this.lock);
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
    this.audit = new SqliteAudit(this.db, this.lock);
  }

  /**
   * Busy while a statement is waiting for the lock, or when the write lock cannot be taken this instant (tried
   * without waiting: an empty transaction that writes nothing); ready otherwise.
   */
  async health(): Promise<StoreHealth> {
    if (!this.db.open) return { ok: false, kind: 'sqlite', state: 'closed' };
    if (this.lock.waiting > 0) return { ok: false, kind: 'sqlite', state: 'busy' };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
      return { ok: true, kind: 'sqlite', state: 'ready' };
    } catch (e) {
      return { ok: false, kind: 'sqlite', state: isBusy(e) ? 'busy' : 'failing' };
    }
  }

  async claimOnce(key: string, at: string): Promise<boolean> {
    const info = await this.lock.run('claiming a key', () =>
      prepared(this.db, 'INSERT INTO claims (key, at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(
        key,
        at,
      ),
    );
    return info.changes === 1;
  }

  async nextNumber(counter: string): Promise<number> {
    const row = await this.lock.run(
      'counting',
      () =>
        prepared(
          this.db,
          'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
        ).get(counter) as { value: number },
    );
    return row.value;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
