// Who is acting: always from the directory by Entra object id, never from card data. In local mode a person may
// act as another directory person, so one Playground user can walk the whole workflow.
import { EipError, type Person } from '../domain';
import type { AppDeps } from './ports';

export interface Actor {
  person: Person;
  /** The Entra object id of whoever is really at the keyboard. */
  realId: string;
  actingAs: boolean;
}

const actingKey = (realId: string) => `acting-as:${realId.toLowerCase()}`;

export async function resolveActor(deps: AppDeps, aadObjectId: string | undefined): Promise<Actor> {
  if (!aadObjectId) throw new EipError('not_in_directory');
  if (deps.local) {
    const acting = await deps.store.settings.get(actingKey(aadObjectId));
    const other = acting && deps.directory.person(acting.value.value);
    if (other) return { person: other, realId: aadObjectId, actingAs: true };
  }
  const person = deps.directory.person(aadObjectId);
  if (!person) throw new EipError('not_in_directory');
  return { person, realId: aadObjectId, actingAs: false };
}

/** Starts acting as someone (or stops, with undefined). Refused outside local mode. */
export async function setActingAs(deps: AppDeps, realId: string, target: Person | undefined): Promise<void> {
  if (!deps.local)
    throw new EipError(
      'not_local',
      '`act as` only works in local mode; in production everyone is themselves.',
    );
  const key = actingKey(realId);
  const existing = await deps.store.settings.get(key);
  if (target === undefined || target.aadObjectId.toLowerCase() === realId.toLowerCase()) {
    if (existing) await deps.store.settings.remove(key, existing.eTag);
    return;
  }
  const value = { id: key, value: target.aadObjectId };
  if (existing) await deps.store.settings.replace(value, existing.eTag);
  else await deps.store.settings.create(value);
}
