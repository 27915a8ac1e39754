// Local mode plays everyone in one emulator chat, so directory people not yet reachable are reached there. Only
// someone in the directory can make their chat that address: a stranger's chat never receives anyone's messages.
import assert from 'node:assert/strict';
import { forgetReference, rememberPerson } from '../../src/app/messenger';
import { resolveActor } from '../../src/app/identity';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { appDeps, RecordingNotifier } from '../support/records';
import { P } from '../support/harness';

describe('local-mode delivery', () => {
  const incoming = (aadObjectId: string) => ({
    aadObjectId,
    teamsUserId: `29:${aadObjectId}`,
    conversationType: 'personal' as const,
    reference: { conversation: { id: `chat-of-${aadObjectId}` } },
  });

  it("does not make a stranger's chat the address of anyone in the directory", async () => {
    const store = new SqliteStore(':memory:');
    const deps = { ...appDeps(store, new RecordingNotifier()), local: true };
    await rememberPerson(deps, incoming(P.stranger.aadObjectId), undefined);
    const people = await store.conversations.find({ kind: 'person' });
    assert.deepEqual(
      people.map((c) => c.value.id),
      [P.stranger.aadObjectId],
      'only the stranger themself is remembered',
    );
    await store.close();
  });

  it('makes a directory person’s emulator chat the address of everyone not yet reachable', async () => {
    const store = new SqliteStore(':memory:');
    const deps = { ...appDeps(store, new RecordingNotifier()), local: true };
    const actor = await resolveActor(deps, P.megan.aadObjectId);
    await rememberPerson(deps, incoming(P.megan.aadObjectId), actor);
    const people = await store.conversations.find({ kind: 'person' });
    assert.ok(people.length > 1);
    assert.ok(
      people.every(
        (c) => (c.value.reference.conversation as { id: string }).id === `chat-of-${P.megan.aadObjectId}`,
      ),
    );
    await store.close();
  });

  it('does not read a reference again while it is unchanged and lately known, and reads it after Teams refused it', async () => {
    const store = new SqliteStore(':memory:');
    let reads = 0;
    const get = store.conversations.get.bind(store.conversations);
    store.conversations.get = (id) => {
      reads += 1;
      return get(id);
    };
    const deps = appDeps(store, new RecordingNotifier());
    const actor = await resolveActor(deps, P.megan.aadObjectId);
    await rememberPerson(deps, incoming(P.megan.aadObjectId), actor);
    await rememberPerson(deps, incoming(P.megan.aadObjectId), actor);
    await rememberPerson(deps, incoming(P.megan.aadObjectId), actor);
    assert.equal(reads, 1, 'one read for three activities');
    // Teams refused her chat (the outbox marks it inactive and forgets it): her next activity reads and reactivates it.
    const stored = (await get(P.megan.aadObjectId))!;
    await store.conversations.replace({ ...stored.value, inactive: true }, stored.eTag);
    forgetReference(deps, P.megan.aadObjectId);
    await rememberPerson(deps, incoming(P.megan.aadObjectId), actor);
    assert.equal(reads, 2);
    assert.equal((await get(P.megan.aadObjectId))?.value.inactive, undefined);
    await store.close();
  });
});
