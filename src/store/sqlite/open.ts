// Opens the embedded store the bot runs on, after checking that its data folder (EIP_DATA_DIR) can be written by
// the user the bot runs as. SQLite's own complaint ("attempt to write a readonly database") names neither the
// setting nor the folder, and an unwritable store with old WAL files opens and then fails every message; this says
// what is wrong, once, at start-up.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isBusy, SqliteStore, type SqliteStoreOptions } from './sqlite-store';

/** The store's file in the data folder; SQLite keeps its -wal and -shm files beside it. */
export const STORE_FILE = 'eip.sqlite';
export const STORE_COMPANIONS = ['-wal', '-shm'] as const;

/** The data folder cannot hold the store: names EIP_DATA_DIR and the folder. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

const why = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? (e instanceof Error ? e.message : String(e));
};

/** Throws DataDirError unless the folder exists (or can be made) and this user can create and change files in it. */
export function checkDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  const unwritable = (reason: string) =>
    new DataDirError(`EIP_DATA_DIR ${dir} is not writable by this user: ${reason}`);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new DataDirError(`EIP_DATA_DIR ${dir} is not a folder`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new DataDirError(`EIP_DATA_DIR ${dir} cannot be created: ${why(e)}`);
  }
  // Writing is the only sure test: permissions, ACLs, read-only mounts and root all answer it alike.
  const probe = path.join(dir, `.eip-write-check-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (e) {
    throw unwritable(`cannot create a file there (${why(e)})`);
  }
  for (const name of [STORE_FILE, ...STORE_COMPANIONS.map((s) => STORE_FILE + s)]) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch (e) {
      throw unwritable(`${name} cannot be changed (${why(e)})`);
    }
  }
}

/** What SQLite says when it cannot write the files after all (a check cannot foresee every mount). */
const FILE_TROUBLE = /^SQLITE_(CANTOPEN|IOERR|NOTADB|CORRUPT)/;

/** Checks the data folder, then opens (or creates) the store in it. */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
  checkDataDir(dataDir);
  const dir = path.resolve(dataDir);
  try {
    return new SqliteStore(path.join(dir, STORE_FILE), options);
  } catch (e) {
    if (e instanceof Database.SqliteError && /^SQLITE_(READONLY|PERM)/.test(e.code))
      throw new DataDirError(`EIP_DATA_DIR ${dir} is not writable by this user: ${e.message} (${e.code})`);
    if (isBusy(e))
      throw new DataDirError(
        `EIP_DATA_DIR ${dir}: ${STORE_FILE} stayed locked by another process while opening`,
      );
    if (e instanceof Database.SqliteError && FILE_TROUBLE.test(e.code))
      throw new DataDirError(`EIP_DATA_DIR ${dir}: ${STORE_FILE} cannot be opened: ${e.message} (${e.code})`);
    throw e;
  }
}
