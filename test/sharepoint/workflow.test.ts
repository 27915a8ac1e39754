// The bot on the SharePoint store: started as `npm start` would be with EIP_STORE=sharepoint (the real credential and
// Graph client against the local Graph server), a case walked from request to decision, and what start-up says when
// the site is not ready. Also measures how many Graph requests each card action makes, with 50 ms on every request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  P,
  acceptAndAssess,
  button,
  personalChat,
  raiseRequest,
  startHarness,
  textOf,
} from '../support/harness';
import type { GraphServer } from '../support/graph/server';
import { Servers, envFor, provision } from './support/sharepoint';
import { loadConfig } from '../../src/config';
import { start, StartupError } from '../../src/index';
import { createLogger } from '../../src/logger';
import { Writable } from 'node:stream';

const sharepointEnv = (server: GraphServer): Record<string, string> =>
  ({ EIP_STORE: 'sharepoint', ...envFor(server) }) as Record<string, string>;

/** Graph requests (a $batch counts once) since the log was last cleared. */
const graphCalls = (server: GraphServer) =>
  server.log.filter((e) => e.path.startsWith('/v1.0/') && !e.batched);

describe('the bot on the SharePoint store', function () {
  this.timeout(120_000);
  const servers = new Servers();
  afterEach(() => servers.stopAll());

  it('walks a case from request to the panel’s decision, with every record in SharePoint lists', async () => {
    const server = await servers.start();
    await provision(server);
    const now = new Date('2026-11-27T10:00:00Z');
    const h = await startHarness({ now: () => now, env: sharepointEnv(server) });
    try {
      for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await h.say(p, 'help');
      await h.say(P.adele, 'panel here', 'panel');
      const caseId = await raiseRequest(h, {
        kind: 'individual',
        pupilName: 'Sam Okonkwo-Price',
        yearGroup: 'Year 4',
        needs: 'semh',
        tried: 'A calm corner; "quotes" and £ signs.',
        asked: 'Counselling.',
        consentGivenBy: 'Jo Price (mother)',
        consentDate: '2026-11-20',
        consentMethod: 'in-writing',
      });
      await acceptAndAssess(h, caseId);
      const proposed = await h.press(P.adele, 'propose', {
        caseId,
        service1: 'counselling@oakwood-counselling',
        sessions1: '10',
        rationale: 'Regulation before escalation.',
        outcomes: 'Fewer incidents',
        reviewDate: '2027-03-19',
      });
      assert.match(textOf(proposed), /Sent to the panel/);
      const refused = await h.press(P.patti, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(refused), /your school raised it/);
      await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      const mark = h.connector.mark();
      await h.press(P.lynne, 'vote', { caseId, round: 1, choice: 'approve', comment: 'Yes.' }, 'panel');
      const [notice] = h.connector.cardsIn(personalChat(P.megan), mark);
      assert.match(textOf(notice), /Approved/);

      // What the lists on the site now hold.
      const records = (list: string) =>
        server.itemsOf(list).map((i) => JSON.parse(String(i.data)) as Record<string, unknown>);
      const [c] = records('EIP Cases');
      assert.equal(c?.status, 'approved');
      assert.equal((c?.request as { tried: string }).tried, 'A calm corner; "quotes" and £ signs.');
      assert.equal(
        server.itemsOf('EIP Cases')[0]?.status,
        'approved',
        'the status column officers filter by',
      );
      assert.equal(records('EIP Consents').length, 1);
      assert.equal(records('EIP Votes').length, 2);
      assert.equal(records('EIP Decisions')[0]?.outcome, 'approved');
      assert.equal(
        (records('EIP Budgets').find((b) => b.id === '2026-27')?.commitments as Record<string, number>)[
          caseId
        ],
        45_000,
      );
      assert.ok(server.itemsOf('EIP Audit').some((a) => a.action === 'decide'));
      assert.ok(records('EIP Conversations').some((x) => x.kind === 'panel'));
      assert.equal(server.itemsOf('EIP Counters')[0]?.value, 1);
      const opened = await h.press(P.megan, 'openCase', {
        caseId: String(button(notice, 'Open case').data.caseId),
      });
      assert.match(textOf(opened), /Approved/);
    } finally {
      await h.stop();
    }
  });

  describe('start-up', () => {
    const tryStart = async (env: Record<string, string>) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-sp-'));
      const config = loadConfig({ PORT: '0', EIP_DATA_DIR: dir, EIP_PLAYGROUND: 'off', ...env });
      const sink = new Writable({ write: (_c, _e, cb) => cb() });
      try {
        const running = await start(
          { ...config, port: 0 },
          { log: createLogger(sink), host: '127.0.0.1', scheduler: false },
        );
        await running.stop();
        return undefined;
      } catch (e) {
        return e;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };

    it('stops with one line saying to run npm run provision when the lists are missing', async () => {
      const server = await servers.start();
      const e = await tryStart(sharepointEnv(server));
      assert.ok(e instanceof StartupError, String(e));
      assert.match(e.message, /npm run provision/);
      assert.equal(e.message.includes('\n'), false);
    });

    it('stops with one line naming the site when the site cannot be reached', async () => {
      const server = await servers.start();
      const env = sharepointEnv(server);
      const e = await tryStart({
        ...env,
        SHAREPOINT_SITE_ID:
          'contoso.sharepoint.com,99999999-9999-4999-8999-999999999999,99999999-9999-4999-8999-999999999999',
      });
      assert.ok(e instanceof StartupError, String(e));
      assert.match(e.message, /^SharePoint site contoso\.sharepoint\.com,9999/);
      assert.equal(e.message.includes('\n'), false);
    });

    it('stops with one line when the sign-in is refused', async () => {
      const server = await servers.start();
      await provision(server);
      const e = await tryStart({ ...sharepointEnv(server), GRAPH_CLIENT_SECRET: 'wrong' });
      assert.ok(e instanceof StartupError, String(e));
      assert.equal(e.message.includes('\n'), false);
    });

    it('reads schools and people from the site’s lists with EIP_DIRECTORY=sharepoint', async () => {
      const server = await servers.start();
      await provision(server);
      const { seedFixtureDirectory } = await import('./support/directory');
      await seedFixtureDirectory(server);
      const h = await startHarness({ env: { ...sharepointEnv(server), EIP_DIRECTORY: 'sharepoint' } });
      try {
        const [menu] = await h.say(P.megan, 'help');
        assert.match(textOf(menu), /Megan Bowen/);
        assert.match(textOf(menu), /Oakfield Primary School/);
      } finally {
        await h.stop();
      }
    });
  });

  it('measures the Graph requests each card action makes, with 50 ms added to every request', async () => {
    const server = await servers.start();
    await provision(server);
    const now = new Date('2026-11-27T10:00:00Z');
    const h = await startHarness({ now: () => now, env: sharepointEnv(server) });
    const rows: { action: string; requests: number; sequential: number; ms: number }[] = [];
    try {
      for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await h.say(p, 'help');
      await h.say(P.adele, 'panel here', 'panel');
      server.latency(50);
      const measure = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
        server.clearLog();
        const t0 = Date.now();
        const out = await run();
        const ms = Date.now() - t0;
        // With 50 ms on every request, the time spent waiting on Graph in series is about 50 ms a round trip.
        rows.push({ action, requests: graphCalls(server).length, sequential: Math.round(ms / 50), ms });
        return out;
      };
      const caseId = await measure('submit a request', () =>
        raiseRequest(h, {
          kind: 'class',
          className: '4B',
          yearGroup: 'Year 4',
          needs: 'semh',
          tried: 't',
          asked: 'a',
        }),
      );
      await measure('open a case', () => h.press(P.adele, 'openCase', { caseId }));
      await measure('my cases', () => h.say(P.adele, 'my cases'));
      await measure('accept', () => h.press(P.adele, 'accept', { caseId, observationDate: '2026-11-27' }));
      await measure('assess', () =>
        h.press(P.adele, 'assess', { caseId, observedOn: '2026-11-27', findings: 'f', needsIdentified: 'n' }),
      );
      await measure('propose', () =>
        h.press(P.adele, 'propose', {
          caseId,
          service1: 'counselling@oakwood-counselling',
          sessions1: '10',
          rationale: 'r',
          outcomes: 'o',
          reviewDate: '2027-03-19',
        }),
      );
      await measure('vote (not deciding)', () =>
        h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel'),
      );
      await measure('vote (deciding)', () =>
        h.press(P.lynne, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel'),
      );
      await measure('help', () => h.say(P.megan, 'help'));
    } finally {
      server.latency(0);
      await h.stop();
    }
    console.log('\n    Graph requests per card action (50 ms added to each):');
    for (const r of rows)
      console.log(
        `      ${r.action.padEnd(22)} ${String(r.requests).padStart(3)} requests, ~${r.sequential} sequential, ${r.ms} ms`,
      );
    assert.ok(rows.every((r) => r.requests > 0));
  });
});
