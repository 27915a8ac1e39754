// When another process holds the SQLite store's lock (a backup tool, a second bot, someone's sqlite3 shell), the bot
// keeps answering: a write waits without freezing anything, then is refused as busy with nothing written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { isStoreError } from '../../src/store/store';
import { P, buttonsOf, startHarness, textOf, type Harness } from '../support/harness';
import { sampleCase } from './contract';

/** Another connection to the same file, as another process would have. */
const otherConnection = (file: string) => new Database(file);

const isBusyError = (e: unknown) => {
  assert.ok(isStoreError(e, 'busy'), `expected StoreError('busy'), got ${String(e)}`);
  return true;
};

describe('SqliteStore under another process’s lock', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let other: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-lock-'));
    file = path.join(dir, 'eip.sqlite');
    // A short wait keeps the tests quick; the bot waits LOCK_WAIT_MS.
    store = new SqliteStore(file, { lockWaitMs: 300 });
    other = otherConnection(file);
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const lock of ['BEGIN IMMEDIATE', 'BEGIN EXCLUSIVE']) {
    it(`keeps the event loop turning while a write waits on ${lock}, then refuses it as busy and writes nothing`, async () => {
      other.exec(lock);
      const events: string[] = [];
      const write = store.cases.create(sampleCase('case-1')).then(
        () => events.push('written'),
        (e: unknown) => {
          events.push('refused');
          throw e;
        },
      );
      setImmediate(() => events.push('tick'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('timer');
      assert.deepEqual(
        await store.health(),
        { ok: false, kind: 'sqlite', state: 'busy' },
        'busy while waiting',
      );

      await assert.rejects(write, isBusyError);
      assert.deepEqual(events, ['tick', 'timer', 'refused'], 'the callbacks ran before the write settled');
      assert.equal((await store.health()).state, 'busy', 'still busy while the lock is held');

      other.exec('ROLLBACK');
      assert.equal(await store.cases.get('case-1'), undefined, 'nothing was written');
      assert.deepEqual(await store.health(), { ok: true, kind: 'sqlite', state: 'ready' });
      const written = await store.cases.create(sampleCase('case-1'));
      assert.deepEqual(
        await store.cases.get('case-1'),
        written,
        'a write succeeds once the lock is released',
      );
    });
  }

  it('refuses every kind of write as busy while locked', async () => {
    const existing = await store.cases.create(sampleCase('case-1'));
    other.exec('BEGIN IMMEDIATE');
    await assert.rejects(
      store.cases.replace({ ...existing.value, status: 'accepted' }, existing.eTag),
      isBusyError,
    );
    await assert.rejects(store.cases.remove('case-1', existing.eTag), isBusyError);
    await assert.rejects(
      store.audit.append({ at: '2026-11-27T10:00:00.000Z', actor: 'adele', action: 'a', detail: 'd' }),
      isBusyError,
    );
    await assert.rejects(store.claimOnce('k', '2026-11-27T10:00:00.000Z'), isBusyError);
    await assert.rejects(store.nextNumber('case-ref-2026'), isBusyError);
    other.exec('ROLLBACK');

    assert.deepEqual(await store.cases.get('case-1'), existing, 'the case is as it was');
    assert.deepEqual(await store.audit.list(), []);
    assert.equal(await store.claimOnce('k', '2026-11-27T10:00:00.000Z'), true, 'the key was never claimed');
    assert.equal(await store.nextNumber('case-ref-2026'), 1, 'no number was used up');
  });

  it('finishes a waiting write once the lock is released within the wait', async () => {
    other.exec('BEGIN IMMEDIATE');
    const write = store.cases.create(sampleCase('case-1'));
    setTimeout(() => other.exec('ROLLBACK'), 30);
    const written = await write;
    assert.deepEqual(await store.cases.get('case-1'), written);
  });

  it('reads what was committed while another connection is writing', async () => {
    const committed = await store.cases.create(sampleCase('case-1'));
    for (const lock of ['BEGIN IMMEDIATE', 'BEGIN EXCLUSIVE']) {
      other.exec(lock);
      other
        .prepare('INSERT INTO cases (id, data, version) VALUES (?, ?, 1)')
        .run('case-2', JSON.stringify(sampleCase('case-2')));
      assert.deepEqual(await store.cases.find(), [committed], `${lock}: only what was committed`);
      assert.deepEqual(await store.cases.get('case-1'), committed);
      other.exec('ROLLBACK');
    }
  });
});

describe('the bot while another process holds the store’s lock', () => {
  let h: Harness;
  let other: Database.Database;
  beforeEach(async () => {
    h = await startHarness({ now: () => new Date('2026-11-27T10:00:00Z') });
    await h.say(P.megan, 'hello');
    other = otherConnection(path.join(h.dataDir, 'eip.sqlite'));
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await h.stop();
  });

  const request = {
    kind: 'class',
    className: '4B',
    yearGroup: 'Year 4',
    needs: 'semh',
    tried: 'Zones of regulation.',
    asked: 'Whole-class support.',
  };

  it('says it is busy to a submit and stores nothing, still answers help, and takes the submit once free', async () => {
    other.exec('BEGIN IMMEDIATE');
    const busy = await h.press(P.megan, 'submitRequest', request);
    assert.match(textOf(busy), /EIP bot is busy/);
    assert.match(textOf(busy), /nothing was changed\. Please try again/);

    const [menu] = await h.say(P.megan, 'help');
    assert.deepEqual(
      buttonsOf(menu).map((b) => b.title),
      ['Raise a request for a pupil', 'Raise a request for a whole class', 'My cases', 'Report'],
    );
    assert.equal((await h.bot.store.health()).state, 'busy');
    other.exec('ROLLBACK');

    assert.deepEqual(await h.bot.store.cases.find(), [], 'nothing stored');
    assert.deepEqual(await h.bot.store.audit.list(), []);
    assert.equal((await h.bot.store.health()).state, 'ready');
    const done = await h.press(P.megan, 'submitRequest', request);
    assert.match(textOf(done), /EIP-2026-0001/, 'the first reference, not one used up by the busy try');
    assert.equal((await h.bot.store.cases.find()).length, 1);
  });
});
