// The embedded SQLite store: the shared storage contract, plus what only a file on disk can promise.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/migrations';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { sampleCase, sampleVote, storeContract } from './contract';

describe('SqliteStore', () => {
  const dirs: string[] = [];
  const freshFile = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-store-'));
    dirs.push(dir);
    return path.join(dir, 'data', 'eip.sqlite');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  storeContract('SqliteStore', async () => new SqliteStore(freshFile()));

  describe('on disk', () => {
    it('loses nothing across a restart', async () => {
      const file = freshFile();
      const before = new SqliteStore(file);
      const c = await before.cases.create(sampleCase('case-1'));
      const moved = await before.cases.replace({ ...c.value, status: 'accepted' }, c.eTag);
      await before.votes.create(sampleVote('vote-1'));
      await before.audit.append({
        at: '2026-11-27T10:00:00.000Z',
        actor: 'adele',
        action: 'accept',
        caseId: 'case-1',
        detail: 'EIP-2026-0042',
      });
      assert.equal(await before.claimOnce('case-1:review-due', '2026-11-27T10:00:00.000Z'), true);
      assert.equal(await before.nextNumber('case-ref-2026'), 1);
      await before.close();

      const after = new SqliteStore(file);
      try {
        assert.deepEqual(await after.cases.get('case-1'), moved);
        assert.equal((await after.votes.find({ caseId: 'case-1' })).length, 1);
        assert.equal((await after.audit.list('case-1')).length, 1);
        assert.equal(
          await after.claimOnce('case-1:review-due', '2026-11-28T10:00:00.000Z'),
          false,
          'no reminder twice',
        );
        assert.equal(await after.nextNumber('case-ref-2026'), 2, 'no reference reused');
        await assert.rejects(after.cases.replace({ ...c.value, status: 'closed' }, c.eTag), {
          kind: 'stale',
        });
      } finally {
        await after.close();
      }
    });

    it('creates the data folder when it does not exist', async () => {
      const file = freshFile();
      assert.equal(fs.existsSync(path.dirname(file)), false);
      const store = new SqliteStore(file);
      await store.close();
      assert.ok(fs.existsSync(file));
    });

    it('records the schema version and does not re-run migrations on reopening', async () => {
      const file = freshFile();
      await new SqliteStore(file).close();
      const version = () => {
        const db = new Database(file, { readonly: true });
        try {
          return db.pragma('user_version', { simple: true }) as number;
        } finally {
          db.close();
        }
      };
      assert.equal(version(), MIGRATIONS.length);

      // Re-running the first migration would fail on CREATE TABLE, so opening twice more proves it is skipped.
      const again = new SqliteStore(file);
      await again.cases.create(sampleCase('case-1'));
      await again.close();
      const third = new SqliteStore(file);
      try {
        assert.equal(version(), MIGRATIONS.length);
        assert.equal((await third.cases.find()).length, 1);
      } finally {
        await third.close();
      }
    });

    it('gives a throwaway store in memory', async () => {
      const store = new SqliteStore(':memory:');
      try {
        await store.cases.create(sampleCase('case-1'));
        assert.equal((await store.cases.find()).length, 1);
      } finally {
        await store.close();
      }
    });
  });
});
