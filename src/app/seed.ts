// Seeds the store from the directory file: providers and budget allocations the store does not hold yet. What an
// admin has since changed from cards is never overwritten.
import { isStoreError } from '../store/store';
import type { AppDeps } from './ports';

export async function seedFromDirectory(deps: AppDeps): Promise<{ providers: number; budgets: number }> {
  const at = deps.now().toISOString();
  let providers = 0;
  let budgets = 0;
  const created = async (write: () => Promise<unknown>) => {
    try {
      await write();
      return 1;
    } catch (e) {
      // Another instance seeded it a moment ago.
      if (isStoreError(e, 'exists')) return 0;
      throw e;
    }
  };
  for (const p of deps.directory.seeds.providers) {
    if (await deps.store.providers.get(p.id)) continue;
    providers += await created(() =>
      deps.store.providers.create({ ...p, active: true, updatedBy: 'directory', updatedAt: at }),
    );
  }
  for (const b of deps.directory.seeds.budgets) {
    if (await deps.store.budgets.get(b.year)) continue;
    budgets += await created(() =>
      deps.store.budgets.create({
        id: b.year,
        allocationPence: b.allocationPence,
        commitments: {},
        updatedBy: 'directory',
        updatedAt: at,
      }),
    );
  }
  if (providers || budgets) deps.log.info({ providers, budgets }, 'seeded from the directory');
  return { providers, budgets };
}
