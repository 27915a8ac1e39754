import type { ProviderRecord } from '../../domain';
import type { AppDeps } from '../ports';

/**
 * Every provider in the directory, active or not: proposals offer only the active ones, and a card that names an
 * inactive one is refused saying so.
 */
export async function providerDirectory(deps: AppDeps): Promise<ProviderRecord[]> {
  return (await deps.store.providers.find()).map((s) => s.value);
}
