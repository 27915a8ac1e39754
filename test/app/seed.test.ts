// The directory file seeds providers and allocations into a store that has none; what an admin changed stays.
import assert from 'node:assert/strict';
import { seedFromDirectory } from '../../src/app/seed';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { RecordingNotifier, appDeps } from '../support/records';

describe('seeding from the directory file', () => {
  it("adds the directory's providers and allocations once, and never overwrites an admin's change", async () => {
    const store = new SqliteStore(':memory:');
    const deps = appDeps(store, new RecordingNotifier());
    assert.deepEqual(await seedFromDirectory(deps), { providers: 5, budgets: 2 });
    const b = (await store.budgets.get('2026-27'))!;
    await store.budgets.replace({ ...b.value, allocationPence: 1_000 }, b.eTag);
    const p = (await store.providers.get('speech-matters'))!;
    await store.providers.replace({ ...p.value, active: false }, p.eTag);
    assert.deepEqual(await seedFromDirectory(deps), { providers: 0, budgets: 0 });
    assert.equal((await store.budgets.get('2026-27'))?.value.allocationPence, 1_000);
    assert.equal((await store.providers.get('speech-matters'))?.value.active, false);
    await store.close();
  });
});
