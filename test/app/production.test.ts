// Production rules that do not need the Bot Framework: no acting as others.
import assert from 'node:assert/strict';
import path from 'node:path';
import pino from 'pino';
import { Router } from '../../src/app/router';
import type { Notifier } from '../../src/app/ports';
import { loadDirectory } from '../../src/index';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { P } from '../support/harness';

const notifier: Notifier = {
  send: async () => 'id',
  update: async () => undefined,
};

describe('in production (not local mode)', () => {
  it('refuses "act as", and the person stays themselves', async () => {
    const store = new SqliteStore(':memory:');
    const directory = loadDirectory(path.join(__dirname, '..', 'fixtures', 'directory.json'));
    const router = new Router({
      store,
      directory,
      notifier,
      log: pino({ level: 'silent' }),
      now: () => new Date(),
      local: false,
    });
    const incoming = {
      aadObjectId: P.megan.aadObjectId,
      teamsUserId: '29:megan',
      conversationType: 'personal' as const,
      reference: { conversation: { id: 'c' } },
    };
    const card = await router.text({ ...incoming, text: 'act as Adele Vance' });
    assert.match(JSON.stringify(card), /only works in local mode/);
    const menu = await router.text({ ...incoming, text: 'help' });
    assert.match(JSON.stringify(menu), /Hello Megan Bowen/);
    assert.equal((await store.settings.find()).length, 0);
    await store.close();
  });
});
