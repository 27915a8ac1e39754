// The SharePoint store against the local Graph server (npm run test:sharepoint): the shared storage contract, the same
// contract with a fifth of requests failing, nothing lost or doubled when responses are lost, races between store
// instances and between processes, how many Graph requests each call costs, and what opening an unready site says.
import { LISTS } from '../../src/store/sharepoint/schema';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AuditEntry, CaseRecord, VoteRecord } from '../../src/domain/types';
import { SharePointSetupError, SharePointStore } from '../../src/store/sharepoint/sharepoint-store';
import { isStoreError, type Where } from '../../src/store/store';
import { sampleCase, sampleVote, storeContract } from '../store/contract';
import type { GraphServer } from '../support/graph/server';
import { Servers, clientFor, envFor, openStore, provision } from './support/sharepoint';

const AT = '2026-11-27T10:00:00.000Z';

/** Graph requests the server answered at top level (a $batch counts once), since the log was cleared. */
const roundTrips = (server: GraphServer) =>
  server.log.filter((e) => e.path.startsWith('/v1.0/') && !e.batched).map((e) => `${e.method} ${e.path}`);

/** What a list holds on the server, record by record, from the data column. */
const recordsOn = (server: GraphServer, list: string) =>
  server.itemsOf(list).map((i) => JSON.parse(String(i.data)) as { id: string } & Record<string, unknown>);

describe('SharePointStore', function () {
  this.timeout(60_000);
  const servers = new Servers();
  afterEach(() => servers.stopAll());

  const fresh = async (): Promise<{ server: GraphServer; store: SharePointStore }> => {
    const server = await servers.start();
    await provision(server);
    return { server, store: await openStore(server) };
  };

  storeContract('SharePointStore', async () => (await fresh()).store);

  let seed = 0;
  storeContract('SharePointStore with a fifth of Graph requests throttled or timing out', async () => {
    const server = await servers.start();
    await provision(server);
    seed += 1;
    server.faults({ rate: 0.2, statuses: [429, 503, 504], retryAfterSeconds: 0.01, seed });
    return openStore(server);
  });

  describe('when requests fail and responses are lost', () => {
    it('loses nothing and doubles nothing, and every write reports what happened', async () => {
      const { server, store } = await fresh();
      server.faults({
        rate: 0.2,
        statuses: [429, 503, 504],
        retryAfterSeconds: 0.01,
        seed: 42,
        lostResponseRate: 0.2,
      });

      const ids = Array.from({ length: 18 }, (_, i) => `case-${i + 1}`);
      const kept = new Map<string, CaseRecord>();
      await Promise.all(
        ids.map(async (id, i) => {
          const created = await store.cases.create(sampleCase(id, { ref: `EIP-2026-${1000 + i}` }));
          const next = await store.cases.replace({ ...created.value, status: 'accepted' }, created.eTag);
          if (i % 3 === 0) await store.cases.remove(id, next.eTag);
          else kept.set(id, next.value);
        }),
      );
      const entries: AuditEntry[] = Array.from({ length: 15 }, (_, i) => ({
        at: AT,
        actor: 'adele',
        action: `action-${i}`,
        caseId: `case-${(i % 4) + 1}`,
        detail: `EIP-2026-${1000 + i}`,
      }));
      await Promise.all(entries.map((e) => store.audit.append(e)));
      const keys = Array.from({ length: 6 }, (_, i) => `case-${i}:review-due:2027-03-01`);
      const firsts = await Promise.all(keys.map((k) => store.claimOnce(k, AT)));
      const seconds = await Promise.all(keys.map((k) => store.claimOnce(k, AT)));
      const numbers = await Promise.all(Array.from({ length: 12 }, () => store.nextNumber('case-ref-2026')));
      server.faults();

      assert.ok(
        server.log.some((e) => e.status === 504 && e.method !== 'GET'),
        'some writes lost their response',
      );
      assert.deepEqual(
        firsts,
        keys.map(() => true),
      );
      assert.deepEqual(
        seconds,
        keys.map(() => false),
      );
      assert.deepEqual(
        [...numbers].sort((a, b) => a - b),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      const cases = recordsOn(server, 'EIP Cases');
      assert.deepEqual(cases.map((c) => c.id).sort(), [...kept.keys()].sort(), 'one item per case kept');
      for (const c of cases) assert.deepEqual(c, kept.get(c.id));
      assert.equal(server.itemsOf('EIP Audit').length, entries.length, 'one item per audit entry');
      assert.deepEqual(
        (await store.audit.list()).map((e) => e.action).sort(),
        entries.map((e) => e.action).sort(),
      );
      assert.equal(server.itemsOf('EIP Claims').length, keys.length, 'one item per claim');
      assert.deepEqual(
        server.itemsOf('EIP Counters').map((i) => i.value),
        [12],
        'one counter, counted once per call',
      );
    });
  });

  describe('races', () => {
    it('lets one of two instances update a case, and tells the other it is stale so it re-reads and applies', async () => {
      const { server, store: adele } = await fresh();
      const megan = await openStore(server);
      await adele.cases.create(sampleCase('case-1'));
      const [a, m] = await Promise.all([adele.cases.get('case-1'), megan.cases.get('case-1')]);
      assert.ok(a && m);
      const results = await Promise.allSettled([
        adele.cases.replace({ ...a.value, status: 'accepted', observationDate: '2026-12-02' }, a.eTag),
        megan.cases.replace({ ...m.value, answer: 'Every afternoon.' }, m.eTag),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(isStoreError(lost[0]!.reason, 'stale'));

      // The loser reads again and applies its own change on top of the winner's.
      const loser = results[0]!.status === 'rejected' ? adele : megan;
      const now = await loser.cases.get('case-1');
      assert.ok(now);
      const change =
        loser === adele
          ? { status: 'accepted' as const, observationDate: '2026-12-02' }
          : { answer: 'Every afternoon.' };
      await loser.cases.replace({ ...now.value, ...change }, now.eTag);
      const final = await adele.cases.get('case-1');
      assert.equal(final?.value.status, 'accepted');
      assert.equal(final?.value.answer, 'Every afternoon.');
    });

    it('gives a reminder key to exactly one of two store instances claiming it at once', async () => {
      const { server, store: one } = await fresh();
      const two = await openStore(server);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? one : two).claimOnce('case-1:vote-pending:2026-12-02', AT),
        ),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(server.itemsOf('EIP Claims').length, 1);
    });

    it('gives a reminder key to exactly one of two processes claiming it at once', async function () {
      this.timeout(90_000);
      const { server } = await fresh();
      const script = path.join(__dirname, 'support', 'claim-process.ts');
      const startAt = Date.now() + 8_000;
      const run = () =>
        new Promise<{ claimed: boolean; created: string }>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '-r',
              'ts-node/register/transpile-only',
              script,
              'case-1:review-due:2027-03-01:adele',
              String(startAt),
            ],
            { env: { ...process.env, ...envFor(server) }, stdio: ['ignore', 'pipe', 'pipe'] },
          );
          let out = '';
          let err = '';
          child.stdout.on('data', (c: Buffer) => (out += c.toString()));
          child.stderr.on('data', (c: Buffer) => (err += c.toString()));
          child.on('exit', (code) =>
            code === 0
              ? resolve(JSON.parse(out) as { claimed: boolean; created: string })
              : reject(new Error(err)),
          );
        });
      const results = await Promise.all([run(), run()]);
      assert.deepEqual(results.map((r) => r.claimed).sort(), [false, true]);
      assert.deepEqual(results.map((r) => r.created).sort(), ['created', 'exists']);
      assert.equal(server.itemsOf('EIP Claims').length, 1);
      assert.equal(server.itemsOf('EIP Reminders').length, 1);
    });
  });

  describe('Graph requests', () => {
    it('opens with one $batch and makes each call in one request once it knows the item', async () => {
      const server = await servers.start();
      await provision(server);
      server.clearLog();
      const store = await openStore(server);
      assert.deepEqual(roundTrips(server), ['POST /v1.0/$batch']);

      const count = async (what: () => Promise<unknown>) => {
        server.clearLog();
        await what();
        return roundTrips(server).length;
      };
      assert.equal(await count(() => store.cases.create(sampleCase('case-1'))), 1, 'create');
      const got = await store.cases.get('case-1');
      assert.equal(await count(() => store.cases.get('case-1')), 1, 'get');
      assert.equal(
        await count(() => store.cases.find({ schoolId: 'oakfield-primary', status: 'submitted' })),
        1,
      );
      let eTag = got!.eTag;
      assert.equal(
        await count(async () => {
          eTag = (await store.cases.replace({ ...got!.value, status: 'accepted' }, eTag)).eTag;
        }),
        1,
        'replace',
      );
      const other = await openStore(server);
      assert.equal(
        await count(async () => {
          eTag = (await other.cases.replace({ ...got!.value, status: 'assessed' }, eTag)).eTag;
        }),
        2,
        'replace by an instance that has not read it: look up, then PATCH',
      );
      assert.equal(await count(() => store.cases.remove('case-1', eTag)), 1, 'remove');
      assert.equal(await count(() => store.claimOnce('k', AT)), 1, 'claimOnce');
      assert.equal(
        await count(() => store.claimOnce('k', AT)),
        2,
        'claimOnce of a taken key: POST, then look',
      );
      assert.equal(await count(() => store.nextNumber('n')), 2, 'first nextNumber: look, then create');
      assert.equal(await count(() => store.nextNumber('n')), 1, 'nextNumber: PATCH with the eTag it knows');
      assert.equal(
        await count(() => store.audit.append({ at: AT, actor: 'a', action: 'x', detail: 'd' })),
        1,
      );
      assert.equal(await count(() => store.audit.list()), 1);
    });

    it('filters on indexed columns only and sends every write with If-Match', async () => {
      const { server, store } = await fresh();
      const v = await store.votes.create(sampleVote('v1'));
      await store.votes.find({ caseId: 'case-1', round: 1, choice: 'approve' });
      await store.votes.replace({ ...v.value, choice: 'decline' }, v.eTag);
      const filters = server.log.filter((e) => e.query.includes('$filter')).map((e) => e.query);
      assert.ok(
        filters.some((q) =>
          q.includes("fields/caseId eq 'case-1' and fields/round eq 1 and fields/choice eq"),
        ),
      );
      const columns = server.columnsOf('EIP Votes');
      for (const q of filters) {
        for (const [, name] of q.matchAll(/fields\/(\w+) eq/g))
          assert.ok(columns.find((c) => c.name === name)?.indexed, `${name} is indexed`);
      }
    });

    it('pages through @odata.nextLink and keeps the oldest first', async () => {
      const server = await servers.start({ maxPageSize: 3 });
      await provision(server);
      const store = await openStore(server);
      for (let i = 1; i <= 8; i++) await store.votes.create(sampleVote(`v${i}`, { round: i % 2 }));
      server.clearLog();
      const all = await store.votes.find();
      assert.deepEqual(
        all.map((s) => s.value.id),
        ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'],
      );
      assert.equal(roundTrips(server).length, 3, 'three pages of three');
      assert.deepEqual(
        (await store.votes.find({ round: 0 })).map((s) => s.value.id),
        ['v2', 'v4', 'v6', 'v8'],
      );
    });

    it('filters a field with no indexed column after reading, and refuses to when strict', async () => {
      const { server, store: strict } = await fresh();
      await strict.votes.create(sampleVote('v1', { comment: 'Too dear.' }));
      await strict.votes.create(sampleVote('v2', { comment: '' }));
      const byComment = { comment: 'Too dear.' } as Where<VoteRecord>;
      await assert.rejects(strict.votes.find(byComment), /no indexed column/);
      const warnings: string[] = [];
      const lenient = await SharePointStore.open({
        client: clientFor(server),
        siteId: server.siteId,
        log: {
          warn: (_o: object, msg?: string) => warnings.push(msg ?? ''),
          debug: () => undefined,
        } as never,
      });
      assert.deepEqual(
        (await lenient.votes.find(byComment)).map((s) => s.value.id),
        ['v1'],
      );
      assert.equal(warnings.length, 1);
    });
  });

  describe('opening a site that is not ready', () => {
    const refusal = async (server: GraphServer) => {
      try {
        await openStore(server);
      } catch (e) {
        assert.ok(e instanceof SharePointSetupError, String(e));
        assert.doesNotMatch(e.message, /\n/);
        return e.message;
      }
      return assert.fail('expected SharePointSetupError');
    };

    it('names the missing lists and says to run npm run provision', async () => {
      const server = await servers.start();
      const message = await refusal(server);
      assert.match(
        message,
        new RegExp(
          `missing list "EIP Cases", list "EIP Consents", list "EIP Assessments" and ${LISTS.filter((l) => l.role !== 'schools' && l.role !== 'people').length - 3} more`,
        ),
      );
      assert.match(message, /npm run provision/);
    });

    it('names a missing column', async () => {
      const server = await servers.start();
      await provision(server);
      server.dropColumn('EIP Votes', 'choice');
      assert.match(await refusal(server), /missing column "choice" of "EIP Votes"\. Run `npm run provision`/);
    });

    it('refuses a record-id column that no longer enforces unique values, since creates would stop being claims', async () => {
      const server = await servers.start();
      await provision(server);
      const client = clientFor(server);
      const list = (await client.api(`/sites/${server.siteId}/lists`).get()) as {
        value: { id: string; displayName: string }[];
      };
      const cases = list.value.find((l) => l.displayName === 'EIP Cases')!;
      await client
        .api(`/sites/${server.siteId}/lists/${cases.id}/columns/eipId`)
        .patch({ enforceUniqueValues: false });
      assert.match(await refusal(server), /unique values on column "eipId" of "EIP Cases"/);
    });

    it('says which site was not found', async () => {
      const server = await servers.start();
      await assert.rejects(
        SharePointStore.open({ client: clientFor(server), siteId: 'contoso.sharepoint.com,nope,nope' }),
        (e: unknown) =>
          e instanceof SharePointSetupError &&
          /contoso\.sharepoint\.com,nope,nope was not found/.test(e.message),
      );
    });
  });
});
