// The embedded store: one SQLite file under EIP_DATA_DIR. Each record type is a table of JSON documents with a
// version number as its eTag; filters use indexed JSON expressions.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  AssessmentRecord,
  AuditEntry,
  BudgetRecord,
  CaseRecord,
  ConsentRecord,
  DecisionRecord,
  PackageRecord,
  ProposalRecord,
  ProviderRecord,
  ReminderRecord,
  ReviewRecord,
  SpendRecord,
  VoteRecord,
} from '../../domain/types';
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

const eTagOf = (version: number) => `"${version}"`;
const versionOf = (eTag: string) => Number(eTag.replace(/^W\//, '').replace(/"/g, ''));
const FIELD = /^[A-Za-z][A-Za-z0-9]*$/;

class SqliteCollection<T extends { id: string }> implements Collection<T> {
  constructor(
    private readonly db: Db,
    private readonly table: TableName,
  ) {}

  async get(id: string): Promise<Stored<T> | undefined> {
    const row = this.db.prepare(`SELECT data, version FROM ${this.table} WHERE id = ?`).get(id) as
      Row | undefined;
    return row && this.wrap(row);
  }

  async find(where: Where<T> = {}): Promise<Stored<T>[]> {
    const entries = Object.entries(where).filter(([, v]) => v !== undefined);
    const clauses = entries.map(([k]) => {
      if (!FIELD.test(k)) throw new Error(`not a field name: ${k}`);
      return `json_extract(data, '$.${k}') = ?`;
    });
    const sql = `SELECT data, version FROM ${this.table}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY seq`;
    const rows = this.db.prepare(sql).all(...entries.map(([, v]) => v as string | number)) as Row[];
    return rows.map((r) => this.wrap(r));
  }

  async create(value: T): Promise<Stored<T>> {
    const info = this.db
      .prepare(`INSERT INTO ${this.table} (id, data, version) VALUES (?, ?, 1) ON CONFLICT(id) DO NOTHING`)
      .run(value.id, JSON.stringify(value));
    if (info.changes === 0) throw new StoreError('exists', `${this.table} ${value.id} already exists`);
    return { value: structuredClone(value), eTag: eTagOf(1) };
  }

  async replace(value: T, eTag: string): Promise<Stored<T>> {
    const version = versionOf(eTag);
    const info = this.db
      .prepare(`UPDATE ${this.table} SET data = ?, version = version + 1 WHERE id = ? AND version = ?`)
      .run(JSON.stringify(value), value.id, version);
    if (info.changes === 0) throw this.missOrStale(value.id);
    return { value: structuredClone(value), eTag: eTagOf(version + 1) };
  }

  async remove(id: string, eTag: string): Promise<void> {
    const info = this.db
      .prepare(`DELETE FROM ${this.table} WHERE id = ? AND version = ?`)
      .run(id, versionOf(eTag));
    if (info.changes === 0) throw this.missOrStale(id);
  }

  private missOrStale(id: string): StoreError {
    const exists = this.db.prepare(`SELECT 1 FROM ${this.table} WHERE id = ?`).get(id);
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
  constructor(private readonly db: Db) {}

  async append(entry: AuditEntry): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO audit (at, actor, action, case_id, detail, before_state, after_state, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        entry.at,
        entry.actor,
        entry.action,
        entry.caseId ?? null,
        entry.detail,
        entry.before ?? null,
        entry.after ?? null,
        entry.outcome ?? null,
      );
  }

  async list(caseId?: string): Promise<AuditEntry[]> {
    const rows = (
      caseId === undefined
        ? this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`).all()
        : this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE case_id = ? ORDER BY seq`).all(caseId)
    ) as AuditRow[];
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
  readonly audit: AuditLog;
  private readonly db: Db;

  /** Opens (or creates) the store file; ':memory:' gives a throwaway store. */
  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.cases = new SqliteCollection(this.db, 'cases');
    this.consents = new SqliteCollection(this.db, 'consents');
    this.assessments = new SqliteCollection(this.db, 'assessments');
    this.proposals = new SqliteCollection(this.db, 'proposals');
    this.votes = new SqliteCollection(this.db, 'votes');
    this.decisions = new SqliteCollection(this.db, 'decisions');
    this.conversations = new SqliteCollection(this.db, 'conversations');
    this.settings = new SqliteCollection(this.db, 'settings');
    this.providers = new SqliteCollection(this.db, 'providers');
    this.budgets = new SqliteCollection(this.db, 'budgets');
    this.packages = new SqliteCollection(this.db, 'packages');
    this.spends = new SqliteCollection(this.db, 'spends');
    this.reviews = new SqliteCollection(this.db, 'reviews');
    this.reminders = new SqliteCollection(this.db, 'reminders');
    this.outbox = new SqliteCollection(this.db, 'outbox');
    this.audit = new SqliteAudit(this.db);
  }

  async health(): Promise<StoreHealth> {
    return { ok: this.db.open, kind: 'sqlite', state: this.db.open ? 'ready' : 'closed' };
  }

  async claimOnce(key: string, at: string): Promise<boolean> {
    return (
      this.db.prepare('INSERT INTO claims (key, at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, at)
        .changes === 1
    );
  }

  async nextNumber(counter: string): Promise<number> {
    const row = this.db
      .prepare(
        'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
      )
      .get(counter) as { value: number };
    return row.value;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
