// Backing up the SQLite store while the bot runs, and restoring it: every record comes back, exactly as it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { backupStore, BackupError, restoreBackup } from '../../src/store/sqlite/backup';
import { parseArgs } from '../../src/store/sqlite/backup-cli';
import { openSqliteStore } from '../../src/store/sqlite/open';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { COLLECTION_NAMES, type Collection, type Stored } from '../../src/store/store';
import { SAMPLES, sampleCase, sampleVote } from './contract';

type AnyRecord = { id: string } & Record<string, unknown>;
const collection = (store: SqliteStore, name: (typeof COLLECTION_NAMES)[number]) =>
  store[name] as unknown as Collection<AnyRecord>;

const AT = '2026-11-27T10:00:00.000Z';
const NOW = new Date('2026-11-30T09:15:02.345Z');

/** Two records of every collection (one changed since it was made), an audit trail, a claim and a counter. */
async function fill(store: SqliteStore): Promise<Map<string, Stored<AnyRecord>>> {
  const written = new Map<string, Stored<AnyRecord>>();
  for (const name of COLLECTION_NAMES) {
    const col = collection(store, name);
    const first = await col.create(SAMPLES[name](`${name}-1`));
    written.set(`${name}/${name}-1`, await col.replace({ ...first.value }, first.eTag));
    written.set(`${name}/${name}-2`, await col.create(SAMPLES[name](`${name}-2`)));
  }
  await store.audit.append({
    at: AT,
    actor: 'megan',
    action: 'submit',
    caseId: 'cases-1',
    detail: 'EIP-2026-0001',
  });
  await store.audit.append({
    at: AT,
    actor: 'adele',
    action: 'accept',
    caseId: 'cases-1',
    detail: 'x',
    before: 'submitted',
    after: 'accepted',
  });
  await store.claimOnce('cases-1:review-due', AT);
  await store.nextNumber('case-ref-2026');
  return written;
}

describe('backing up and restoring the SQLite store', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-backup-'));
    dirs.push(dir);
    return dir;
  };
  const open: SqliteStore[] = [];
  const openStore = (dir: string) => {
    const store = openSqliteStore(dir);
    open.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies every committed record while another connection is in the middle of a write, and restores them all', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    const written = await fill(store);
    const trail = await store.audit.list();

    // Another connection (a second bot, a reminder run) is part-way through a write it has not committed.
    const other = new Database(path.join(dataDir, 'eip.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    other
      .prepare('INSERT INTO cases (id, data, version) VALUES (?, ?, 1)')
      .run('uncommitted', JSON.stringify(sampleCase('uncommitted')));
    const report = await backupStore(dataDir, undefined, NOW);
    other.exec('ROLLBACK');
    other.close();

    assert.equal(report.file, path.join(dataDir, 'backups', 'eip-2026-11-30T09-15-02Z.sqlite'));
    assert.deepEqual(report.counts, {
      ...Object.fromEntries(COLLECTION_NAMES.map((n) => [n, 2])),
      audit: 2,
    });
    assert.equal(fs.statSync(report.file).mode & 0o777, 0o600, 'readable by its owner only');
    assert.deepEqual(
      fs.readdirSync(path.dirname(report.file)),
      [path.basename(report.file)],
      'one file, no WAL',
    );
    assert.ok(report.bytes > 0);

    // The bot carries on after the backup: this write is in the live store only.
    await store.cases.create(sampleCase('after-the-backup'));

    const freshDir = tempDir();
    const restored = restoreBackup(report.file, freshDir);
    assert.equal(restored.file, path.join(freshDir, 'eip.sqlite'));
    assert.equal(restored.replaced, undefined, 'there was nothing to replace');
    const back = openStore(freshDir);
    for (const name of COLLECTION_NAMES) {
      const col = collection(back, name);
      for (const id of [`${name}-1`, `${name}-2`])
        assert.deepEqual(await col.get(id), written.get(`${name}/${id}`), `${name} ${id} as it was`);
      assert.equal((await col.find()).length, 2, `${name}: nothing else`);
    }
    assert.equal(
      await back.cases.get('uncommitted'),
      undefined,
      'the uncommitted write is not in the backup',
    );
    assert.equal(await back.cases.get('after-the-backup'), undefined);
    assert.deepEqual(await back.audit.list(), trail);
    assert.equal(
      await back.claimOnce('cases-1:review-due', AT),
      false,
      'no reminder sent twice after a restore',
    );
    assert.equal(await back.nextNumber('case-ref-2026'), 2, 'no reference reused after a restore');
  });

  it('refuses to restore over a store in use, and changes nothing', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    await store.cases.create(sampleCase('case-1'));
    const { file } = await backupStore(dataDir, path.join(tempDir(), 'copy.sqlite'));
    await store.cases.create(sampleCase('case-2'));

    assert.throws(
      () => restoreBackup(file, dataDir),
      (e: unknown) => e instanceof BackupError && /is in use: stop the bot/.test(e.message),
    );
    assert.equal((await store.cases.find()).length, 2, 'the running store is untouched');
    assert.ok(!fs.readdirSync(dataDir).some((f) => f.includes('replaced')));
  });

  it('restores over a stopped store, keeping the one it replaces with everything its WAL held', async () => {
    const liveDir = tempDir();
    const store = openStore(liveDir);
    await store.cases.create(sampleCase('case-1'));
    const { file } = await backupStore(liveDir, tempDir());
    await store.cases.create(sampleCase('case-2'));
    // A bot that stopped abruptly: its last write is still in its WAL, beside the store.
    const dataDir = tempDir();
    for (const name of ['eip.sqlite', 'eip.sqlite-wal', 'eip.sqlite-shm'])
      fs.copyFileSync(path.join(liveDir, name), path.join(dataDir, name));

    const restored = restoreBackup(file, dataDir, NOW);
    assert.equal(restored.replaced, path.join(dataDir, 'eip.sqlite.replaced-2026-11-30T09-15-02Z'));
    assert.deepEqual(fs.readdirSync(dataDir).sort(), [
      'eip.sqlite',
      'eip.sqlite.replaced-2026-11-30T09-15-02Z',
    ]);
    const back = openStore(dataDir);
    assert.deepEqual(
      (await back.cases.find()).map((c) => c.value.id),
      ['case-1'],
    );
    const kept = new Database(restored.replaced!, { readonly: true });
    try {
      const ids = kept.prepare('SELECT id FROM cases ORDER BY seq').all() as { id: string }[];
      assert.deepEqual(
        ids.map((r) => r.id),
        ['case-1', 'case-2'],
        'the kept store has the write that was only in its WAL',
      );
    } finally {
      kept.close();
    }
  });

  it('never writes over an existing file, and refuses a file that is not a store', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    await store.cases.create(sampleCase('case-1'));
    const taken = path.join(tempDir(), 'taken.sqlite');
    fs.writeFileSync(taken, 'last week’s backup');
    await assert.rejects(
      backupStore(dataDir, taken),
      (e: unknown) => e instanceof BackupError && /already exists/.test(e.message),
    );
    assert.equal(fs.readFileSync(taken, 'utf8'), 'last week’s backup');

    assert.throws(
      () => restoreBackup(taken, tempDir()),
      (e: unknown) => e instanceof BackupError && /is not an EIP store/.test(e.message),
    );
    await assert.rejects(
      backupStore(tempDir()),
      (e: unknown) => e instanceof BackupError && /no store to back up/.test(e.message),
    );
  });

  it('runs from the command line, printing where the backup went and the record counts', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    await store.cases.create(sampleCase('case-1'));
    await store.votes.create(sampleVote('vote-1'));
    const to = path.join(tempDir(), 'nightly.sqlite');
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(Microsoft|EIP_|NODE_ENV|PORT)/.test(k)),
    );
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/store/sqlite/backup-cli.ts', to],
      {
        cwd: path.resolve(__dirname, '..', '..'),
        env: { ...env, EIP_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const [head, counts] = r.stdout.split('\n');
    assert.match(
      head!,
      new RegExp(`^Backed up the EIP store to ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ KB\\)$`),
    );
    assert.match(counts!, /^ {2}cases 1, consents 0, .*votes 1, .*outbox 0, .*audit 0$/);
    assert.ok(fs.existsSync(to));
  });

  it('reads its arguments: a path, or --restore and a file', () => {
    assert.deepEqual(parseArgs([]), { restore: false });
    assert.deepEqual(parseArgs(['/backups']), { restore: false, to: '/backups' });
    assert.deepEqual(parseArgs(['--restore', 'b.sqlite']), { restore: true, from: 'b.sqlite' });
    assert.throws(() => parseArgs(['--restore']), /--restore needs one FILE/);
    assert.throws(() => parseArgs(['--to=x']), /is not understood/);
  });
});
