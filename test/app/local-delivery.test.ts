// Local mode plays everyone in one emulator chat, so directory people not yet reachable are reached there. Only
// someone in the directory can make their chat that address: a stranger's chat never receives anyone's messages.
import assert from 'node:assert/strict';
import { rememberPerson } from '../../src/app/messenger';
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
});
