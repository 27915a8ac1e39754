// Start-up checks that the data folder (EIP_DATA_DIR) can hold the store, and says which setting and folder are at
// fault, instead of SQLite's "attempt to write a readonly database" or a bot that starts and fails every message.
//
// File permissions do not stop root, so when the tests run as root the opening is done by a child process running
// as "nobody" on files that user owns: the permissions are then really in force.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirError, openSqliteStore } from '../../src/store/sqlite/open';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { sampleCase } from './contract';

const root = path.resolve(__dirname, '..', '..');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const unprivileged: SpawnSyncOptions = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

/** Gives a path to the user the child runs as (only needed when the tests run as root). */
const own = (p: string) => {
  if (asRoot) fs.chownSync(p, NOBODY, NOBODY);
};

const cleanEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(Microsoft|EIP_|NODE_ENV|PORT)/.test(k)));

/** Opens the store in dataDir in a child process as an ordinary user; answers the case it finds, or the error. */
function openAsUser(dataDir: string): { found?: string | null; name?: string; message?: string } {
  const script = `
    const { openSqliteStore } = require('./src/store/sqlite/open');
    (async () => {
      try {
        const store = openSqliteStore(${JSON.stringify(dataDir)});
        const found = await store.cases.get('case-1');
        await store.cases.create({ ...${JSON.stringify(sampleCase('case-2'))} });
        await store.close();
        console.log(JSON.stringify({ found: found ? found.value.id : null }));
      } catch (e) {
        console.log(JSON.stringify({ name: e.name, message: e.message }));
      }
    })();`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: root,
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 30_000,
    ...unprivileged,
  });
  assert.equal(r.status, 0, `the child ran: ${String(r.stderr)}`);
  return JSON.parse(String(r.stdout).trim().split('\n').pop()!) as ReturnType<typeof openAsUser>;
}

describe('opening the SQLite store in EIP_DATA_DIR', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-open-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a read-only folder, naming EIP_DATA_DIR and the folder', () => {
    const dir = tempDir();
    own(dir);
    fs.chmodSync(dir, 0o555);
    const refused = openAsUser(dir);
    assert.equal(refused.name, 'DataDirError');
    assert.match(
      refused.message!,
      /^EIP_DATA_DIR \S+ is not writable by this user: cannot create a file there \(EACCES\)$/,
    );
    assert.ok(refused.message!.includes(dir), 'names the folder');
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing left behind');

    fs.chmodSync(dir, 0o755);
    assert.deepEqual(openAsUser(dir), { found: null }, 'the same user opens it once it is writable');
  });

  it('refuses a read-only store with WAL files left from before, naming the file', async () => {
    // A store whose last write is still in its WAL, as a bot that stopped abruptly leaves it.
    const source = tempDir();
    const live = new SqliteStore(path.join(source, 'eip.sqlite'));
    await live.cases.create(sampleCase('case-1'));
    const dir = tempDir();
    own(dir);
    for (const name of ['eip.sqlite', 'eip.sqlite-wal', 'eip.sqlite-shm']) {
      fs.copyFileSync(path.join(source, name), path.join(dir, name));
      own(path.join(dir, name));
      fs.chmodSync(path.join(dir, name), 0o444);
    }
    await live.close();

    const refused = openAsUser(dir);
    assert.equal(refused.name, 'DataDirError');
    assert.equal(
      refused.message,
      `EIP_DATA_DIR ${dir} is not writable by this user: eip.sqlite cannot be changed (EACCES)`,
    );

    for (const name of ['eip.sqlite', 'eip.sqlite-wal', 'eip.sqlite-shm'])
      fs.chmodSync(path.join(dir, name), 0o644);
    assert.deepEqual(openAsUser(dir), { found: 'case-1' }, 'writable again, it opens with the WAL’s write');
  });

  it('refuses a folder that cannot be made, and a file where the folder should be', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    assert.throws(
      () => openSqliteStore(path.join(file, 'data')),
      (e: unknown) =>
        e instanceof DataDirError &&
        e.message === `EIP_DATA_DIR ${path.join(file, 'data')} cannot be created: ENOTDIR`,
    );
    assert.throws(
      () => openSqliteStore(file),
      (e: unknown) => e instanceof DataDirError && e.message === `EIP_DATA_DIR ${file} is not a folder`,
    );
  });

  it('refuses a store file that is not a database, naming it', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'eip.sqlite'),
      'these are not the records you are looking for'.repeat(20),
    );
    assert.throws(
      () => openSqliteStore(dir),
      (e: unknown) =>
        e instanceof DataDirError &&
        e.message.startsWith(`EIP_DATA_DIR ${dir}: eip.sqlite cannot be opened: file is not a database`),
    );
  });

  it('creates the folder and the store when neither exists', async () => {
    const dir = path.join(tempDir(), 'new', 'data');
    const store = openSqliteStore(dir);
    try {
      await store.cases.create(sampleCase('case-1'));
      assert.equal((await store.cases.find()).length, 1);
    } finally {
      await store.close();
    }
    assert.deepEqual(fs.readdirSync(dir), ['eip.sqlite'], 'no probe file left behind');
  });

  it('stops the bot at start-up with one line naming EIP_DATA_DIR and the folder', () => {
    const dir = tempDir();
    own(dir);
    fs.chmodSync(dir, 0o555);
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
      cwd: root,
      env: { ...cleanEnv(), EIP_PLAYGROUND: 'off', PORT: '0', EIP_DATA_DIR: dir },
      encoding: 'utf8',
      timeout: 30_000,
      ...unprivileged,
    });
    assert.equal(r.status, 1, String(r.stderr));
    const lines = String(r.stderr)
      .split('\n')
      .filter((l) => l.startsWith('EIP bot'));
    assert.deepEqual(lines, [
      `EIP bot cannot start: EIP_DATA_DIR ${dir} is not writable by this user: cannot create a file there (EACCES)`,
    ]);
  });
});
