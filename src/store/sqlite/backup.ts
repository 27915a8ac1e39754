// Backing up and restoring the embedded store. A backup is a consistent copy taken online through SQLite's backup
// API (never a copy of the files, which could catch a write half done), so it can run while the bot serves; it
// holds only what was committed when it finished. A restore replaces the store with a backup while the bot is
// stopped, keeping the store it replaces beside it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COLLECTION_NAMES } from '../store';
import { MIGRATIONS } from './migrations';
import { STORE_COMPANIONS, STORE_FILE } from './open';

/** What a backup or restore tells the person who ran it: where, and how many records of each kind. Never data. */
export interface BackupReport {
  file: string;
  bytes: number;
  /** Records per collection, then "audit" entries. */
  counts: Record<string, number>;
}

/** A backup or restore that was refused: says why and changes nothing. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** How long the backup waits for a read of the live store; readers in WAL mode rarely wait at all. */
const BUSY_TIMEOUT_MS = 5000;

/** e.g. 2026-11-30T09-15-02Z: sorts by time and is a valid file name everywhere. */
const stamp = (at: Date): string =>
  at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');

/** e.g. eip-2026-11-30T09-15-02Z.sqlite. */
export const backupName = (at: Date): string => `eip-${stamp(at)}.sqlite`;

/** Counts records in a store file and checks it is whole; throws BackupError if it is not an EIP store. */
function inspect(file: string): Record<string, number> {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupError(`${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1 || version > MIGRATIONS.length)
      throw new BackupError(
        `${file} is not an EIP store this version can use (schema ${version}, this version knows 1 to ${MIGRATIONS.length})`,
      );
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new BackupError(`${file} is damaged: ${check}`);
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    const counts: Record<string, number> = {};
    for (const table of [...COLLECTION_NAMES, 'audit']) {
      // A backup made before a collection existed simply has none of it.
      counts[table] = tables.has(table)
        ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
        : 0;
    }
    return counts;
  } catch (e) {
    if (e instanceof BackupError) throw e;
    throw new BackupError(`${file} is not an EIP store: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    db.close();
  }
}

/**
 * Copies the store in dataDir, while it may be in use, to `to`: a new file if it ends in .sqlite, otherwise a folder
 * (made if need be) to put a timestamped file in; by default dataDir/backups. The copy is a single file (no -wal), readable only by its owner, never written
 * over an existing one.
 */
export async function backupStore(
  dataDir: string,
  to?: string,
  now: Date = new Date(),
): Promise<BackupReport> {
  const source = path.join(path.resolve(dataDir), STORE_FILE);
  if (!fs.existsSync(source)) throw new BackupError(`there is no store to back up at ${source}`);
  const target = path.resolve(to ?? path.join(dataDir, 'backups'));
  const isFolder =
    !target.endsWith('.sqlite') || (fs.existsSync(target) && fs.statSync(target).isDirectory());
  const file = isFolder ? path.join(target, backupName(now)) : target;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // Created here first: so it is the owner's alone from the start, and an existing file is refused, not lost.
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BackupError(
      code === 'EEXIST'
        ? `${file} already exists: choose another name`
        : `${file} cannot be created (${code})`,
    );
  }
  const live = new Database(source, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    // Page by page, yielding between steps; started again by SQLite if another connection writes meanwhile.
    await live.backup(file);
  } catch (e) {
    fs.rmSync(file, { force: true });
    throw e;
  } finally {
    live.close();
  }
  // The copy keeps the live store's WAL mode; a backup is better as one self-contained file.
  const copy = new Database(file);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return { file, bytes: fs.statSync(file).size, counts: inspect(file) };
}

/** True when some connection (the bot, a reminder run) has the store open now. */
function inUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    // An exclusive lock is granted only when no other connection has the file open.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (e) {
    if (e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY')) return true;
    throw e;
  } finally {
    db.close();
  }
}

/**
 * Makes the backup `from` the store in dataDir. Refused while anything has the store open (stop the bot first). The
 * store it replaces, with everything its WAL held, is kept as eip.sqlite.replaced-<time>; answers what was restored.
 */
export function restoreBackup(
  from: string,
  dataDir: string,
  now: Date = new Date(),
): BackupReport & { replaced?: string } {
  const backup = path.resolve(from);
  const counts = inspect(backup);
  const dir = path.resolve(dataDir);
  const target = path.join(dir, STORE_FILE);
  if (backup === target) throw new BackupError(`${backup} is the store itself, not a backup of it`);
  fs.mkdirSync(dir, { recursive: true });
  let replaced: string | undefined;
  if (fs.existsSync(target)) {
    if (inUse(target))
      throw new BackupError(`${target} is in use: stop the bot (and any reminder run) before restoring`);
    // Folds the WAL into the file, so the kept copy is whole on its own.
    const old = new Database(target, { fileMustExist: true });
    try {
      old.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
    replaced = `${target}.replaced-${stamp(now)}`;
    fs.renameSync(target, replaced);
  }
  // Left-over -wal or -shm files belong to the old store and would be replayed into the restored one.
  for (const suffix of STORE_COMPANIONS) fs.rmSync(target + suffix, { force: true });
  const partial = `${target}.restoring`;
  fs.copyFileSync(backup, partial);
  fs.chmodSync(partial, 0o600);
  fs.renameSync(partial, target);
  return { file: target, bytes: fs.statSync(target).size, counts, ...(replaced ? { replaced } : {}) };
}
