// `npm run provision` against the local Graph server: creates every list on an empty site, adds only what is missing
// when run again, reports drift without touching it, prints the plan on --dry-run, and seeds the directory lists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseDirectory } from '../../src/domain/directory';
import { readSharePointDirectory } from '../../src/store/sharepoint/directory-source';
import { runProvision } from '../../src/store/sharepoint/provision-cli';
import { LISTS } from '../../src/store/sharepoint/schema';
import { REMINDER_KINDS } from '../../src/domain/types';
import { ConfigError } from '../../src/config';
import type { GraphServer } from '../support/graph/server';
import { FAST_RETRY, Servers, clientFor, envFor, openStore } from './support/sharepoint';
import { sampleCase } from '../store/contract';

const DIRECTORY = path.join(__dirname, '..', 'fixtures', 'directory.json');

/** Runs the command as `npm run provision -- ARGS` would, collecting what it prints. */
async function provisionCli(
  server: GraphServer,
  ...argv: string[]
): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runProvision({ argv, env: envFor(server), out: (l) => out.push(l), retry: FAST_RETRY });
  return { code, out };
}

/** Requests that could have changed something: any write outside $batch, and any write inside one. */
const writes = (server: GraphServer) =>
  server.log
    .filter((e) => e.path.startsWith('/v1.0/') && e.method !== 'GET' && e.path !== '/v1.0/$batch')
    .map((e) => `${e.method} ${e.path}`);

const TYPE_OF = {
  text: 'text',
  note: 'note',
  number: 'number',
  dateTime: 'dateTime',
  choice: 'choice',
  boolean: 'boolean',
};

describe('npm run provision', function () {
  this.timeout(60_000);
  const servers = new Servers();
  afterEach(() => servers.stopAll());

  it('creates every list with typed, indexed and unique columns on an empty site, saying what it does', async () => {
    const server = await servers.start();
    const { code, out } = await provisionCli(server);
    assert.equal(code, 0, out.join('\n'));
    assert.deepEqual(
      server.listNames(),
      LISTS.map((l) => l.displayName),
    );
    for (const spec of LISTS) {
      const columns = server.columnsOf(spec.displayName);
      for (const col of spec.columns) {
        const found = columns.find((c) => c.name === col.name);
        assert.ok(found, `${spec.displayName} has ${col.name}`);
        assert.equal(found.type, TYPE_OF[col.type], `${spec.displayName}.${col.name} type`);
        assert.equal(
          found.indexed,
          Boolean(col.indexed || col.unique),
          `${spec.displayName}.${col.name} indexed`,
        );
        assert.equal(
          found.enforceUniqueValues,
          Boolean(col.unique),
          `${spec.displayName}.${col.name} unique`,
        );
      }
    }
    LISTS.forEach((spec, i) =>
      assert.ok(
        out.includes(
          `[${i + 1}/${LISTS.length}] created list "${spec.displayName}" with ${spec.columns.length} columns`,
        ),
        `progress for ${spec.displayName}`,
      ),
    );
    assert.ok(out.includes(`Created ${LISTS.length} lists and added 0 columns.`));
    // Every list whose creates are claims has its unique key columns.
    for (const name of ['EIP Cases', 'EIP Claims', 'EIP Counters'])
      assert.ok(server.columnsOf(name).some((c) => c.enforceUniqueValues && c.indexed));
  });

  it('finishes while Graph throttles it and loses responses, and then has nothing left to add', async () => {
    const server = await servers.start();
    server.faults({
      rate: 0.2,
      statuses: [429, 503],
      retryAfterSeconds: 0.01,
      seed: 5,
      lostResponseRate: 0.3,
    });
    const { code, out } = await provisionCli(server);
    server.faults();
    assert.equal(code, 0, out.join('\n'));
    assert.ok(server.log.some((e) => e.status === 504 && e.method === 'POST' && e.path.endsWith('/lists')));
    assert.ok(
      out.some((l) => l.endsWith('is there already; checking its columns')),
      out.join('\n'),
    );
    assert.deepEqual(
      server.listNames(),
      LISTS.map((l) => l.displayName),
    );
    const again = await provisionCli(server);
    assert.ok(again.out.includes('  Nothing to add.'), again.out.join('\n'));
  });

  it('adds nothing when run again', async () => {
    const server = await servers.start();
    await provisionCli(server);
    server.clearLog();
    const { code, out } = await provisionCli(server);
    assert.equal(code, 0);
    assert.deepEqual(writes(server), []);
    assert.ok(out.includes('  Nothing to add.'));
    assert.ok(out.includes('The site already has every list and column.'));
    assert.equal(out.filter((l) => l.includes('is up to date')).length, LISTS.length);
  });

  it('adds a column someone deleted, indexed as before, and leaves the items alone', async () => {
    const server = await servers.start();
    await provisionCli(server);
    const store = await openStore(server);
    await store.votes.create({
      id: 'v1',
      caseId: 'case-1',
      round: 1,
      voter: 'alex',
      choice: 'approve',
      comment: '',
      castAt: '2026-11-27T10:00:00.000Z',
    });
    server.dropColumn('EIP Votes', 'choice');
    server.dropColumn('EIP Votes', 'castAt');
    const before = server.itemsOf('EIP Votes');
    const { code, out } = await provisionCli(server);
    assert.equal(code, 0, out.join('\n'));
    assert.ok(out.includes('  + add column "choice" (choice, indexed) to "EIP Votes"'), out.join('\n'));
    assert.ok(out.includes('added column "choice" of "EIP Votes"'));
    assert.ok(out.includes('Created 0 lists and added 2 columns.'));
    const choice = server.columnsOf('EIP Votes').find((c) => c.name === 'choice');
    assert.deepEqual(choice, { name: 'choice', type: 'choice', indexed: true, enforceUniqueValues: false });
    assert.deepEqual(server.itemsOf('EIP Votes'), before);
    // The two columns went in one $batch.
    assert.equal(
      server.log.filter((e) => e.batched && e.method === 'POST' && e.path.endsWith('/columns')).length,
      2,
    );
  });

  it("gives an existing choice column the schema's new choices, keeping its own and the items' values", async () => {
    const server = await servers.start();
    await provisionCli(server);
    const client = clientFor(server);
    const lists = (await client.api(`/sites/${server.siteId}/lists`).get()) as {
      value: { id: string; displayName: string }[];
    };
    const remindersId = lists.value.find((l) => l.displayName === 'EIP Reminders')!.id;
    // A site provisioned before transition reminders: the kind column has every kind but "transitions", and one the
    // LA added by hand.
    const before = REMINDER_KINDS.filter((k) => k !== 'transitions');
    await client
      .api(`/sites/${server.siteId}/lists/${remindersId}/columns/kind`)
      .patch({ choice: { choices: [...before, 'hand-added'], allowTextEntry: true } });
    const store = await openStore(server);
    await store.reminders.create({
      id: 'review-due:case-1:2026-12-01:adele',
      kind: 'review-due',
      caseId: 'case-1',
      to: 'adele',
      due: '2026-12-01',
      status: 'sent',
      claimedAt: '2026-12-01T08:00:00.000Z',
    });
    const items = server.itemsOf('EIP Reminders');
    server.clearLog();

    const { code, out } = await provisionCli(server);
    assert.equal(code, 0, out.join('\n'));
    assert.ok(
      out.includes('  + add choice "transitions" to column "kind" of "EIP Reminders"'),
      out.join('\n'),
    );
    assert.ok(out.includes('added choice "transitions" to column "kind" of "EIP Reminders"'));
    assert.ok(out.includes('Created 0 lists and added 0 columns; 1 choice column given new choices.'));
    const column = (await client.api(`/sites/${server.siteId}/lists/${remindersId}/columns/kind`).get()) as {
      choice: { choices: string[]; allowTextEntry: boolean };
    };
    assert.deepEqual(column.choice.choices, [...before, 'hand-added', 'transitions']);
    assert.equal(column.choice.allowTextEntry, true);
    assert.deepEqual(server.itemsOf('EIP Reminders'), items, 'no item changed');
    // Through Graph: one PATCH of the column's definition (by its id), in a $batch.
    const patches = server.log.filter((e) => e.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.match(patches[0]!.path, new RegExp(`/lists/${remindersId}/columns/[0-9a-f-]{36}$`));
    assert.equal(patches[0]!.batched, true);
    // Run again: nothing left to add.
    const again = await provisionCli(server);
    assert.ok(again.out.includes('The site already has every list and column.'), again.out.join('\n'));
  });

  it('reports a drifted column and changes neither it nor its data', async () => {
    const server = await servers.start();
    await provisionCli(server);
    const store = await openStore(server);
    await store.cases.create(sampleCase('case-1'));
    const client = clientFor(server);
    const lists = (await client.api(`/sites/${server.siteId}/lists`).get()) as {
      value: { id: string; displayName: string }[];
    };
    const casesId = lists.value.find((l) => l.displayName === 'EIP Cases')!.id;
    // Someone made "round" a text column by hand, and dropped the index on "schoolId".
    server.dropColumn('EIP Cases', 'round');
    await client
      .api(`/sites/${server.siteId}/lists/${casesId}/columns`)
      .post({ name: 'round', text: {}, indexed: false });
    await client.api(`/sites/${server.siteId}/lists/${casesId}/columns/schoolId`).patch({ indexed: false });
    const columnsBefore = server.columnsOf('EIP Cases');
    const itemsBefore = server.itemsOf('EIP Cases');
    server.clearLog();

    const { code, out } = await provisionCli(server);
    assert.equal(code, 0, out.join('\n'));
    assert.ok(
      out.includes('  ! column "round" of "EIP Cases" is text, not number (reported only, not changed)'),
      out.join('\n'),
    );
    assert.ok(
      out.includes('  ! column "schoolId" of "EIP Cases" is not indexed (reported only, not changed)'),
    );
    assert.ok(out.some((l) => l.startsWith('2 columns differ from the schema')));
    assert.deepEqual(writes(server), []);
    assert.deepEqual(server.columnsOf('EIP Cases'), columnsBefore);
    assert.deepEqual(server.itemsOf('EIP Cases'), itemsBefore);
  });

  it('prints the plan on --dry-run and changes nothing', async () => {
    const server = await servers.start();
    const { code, out } = await provisionCli(server, '--dry-run', '--seed-directory', DIRECTORY);
    assert.equal(code, 0);
    assert.deepEqual(server.listNames(), []);
    assert.deepEqual(writes(server), []);
    assert.ok(
      server.log.filter((e) => e.batched).every((e) => e.method === 'GET'),
      'the only $batch reads the site',
    );
    assert.equal(out.filter((l) => l.startsWith('  + create list ')).length, LISTS.length);
    assert.ok(
      out.some((l) =>
        l.startsWith(
          '  + create list "EIP Cases": eipId (text, indexed, unique), data (note), idempotencyKey (text, indexed, unique), ref (text, indexed)',
        ),
      ),
      out.join('\n'),
    );
    assert.ok(
      out.some((l) => /Would seed "EIP Schools" with 4 schools and "EIP People" with \d+ people/.test(l)),
    );
    assert.equal(out[out.length - 1], 'Dry run: nothing was changed.');
  });

  it('seeds schools and people from a directory file, which the bot then reads back, and a second run changes nothing', async () => {
    const server = await servers.start();
    const first = await provisionCli(server, '--seed-directory', DIRECTORY);
    assert.equal(first.code, 0, first.out.join('\n'));
    const file = parseDirectory(JSON.parse(fs.readFileSync(DIRECTORY, 'utf8')));
    assert.ok(
      first.out.includes(`EIP Schools: ${file.schools.length} added, 0 updated, 0 unchanged`),
      first.out.join('\n'),
    );
    assert.ok(first.out.includes(`EIP People: ${file.people.length} added, 0 updated, 0 unchanged`));
    const heads = server.itemsOf('EIP People').filter((p) => p.roles === 'head;panel');
    assert.ok(heads.length > 0, 'roles as "head;panel"');

    const store = await openStore(server);
    const { directory, problems } = await readSharePointDirectory(clientFor(server), server.siteId, store);
    assert.deepEqual(problems, []);
    assert.deepEqual(directory.schools, file.schools);
    assert.deepEqual(directory.people, file.people);
    assert.deepEqual(directory.panel, file.panel);

    server.clearLog();
    const again = await provisionCli(server, '--seed-directory', DIRECTORY);
    assert.equal(again.code, 0);
    assert.ok(
      again.out.includes(`EIP People: 0 added, 0 updated, ${file.people.length} unchanged`),
      again.out.join('\n'),
    );
    assert.ok(
      again.out.includes('directory setting: unchanged (panel, terms, providers, budgets, reminders)'),
    );
    assert.deepEqual(writes(server), []);
  });

  it('refuses with one line naming the variable that is missing', async () => {
    const server = await servers.start();
    const { GRAPH_CLIENT_SECRET: _secret, ...env } = envFor(server);
    await assert.rejects(
      runProvision({ argv: [], env, out: () => undefined }),
      (e: unknown) => e instanceof ConfigError && /^GRAPH_CLIENT_SECRET is not set/.test(e.message),
    );
    await assert.rejects(
      runProvision({ argv: ['--force'], env: envFor(server), out: () => undefined }),
      /--force is not understood/,
    );
  });
});
