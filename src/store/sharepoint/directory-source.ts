// The directory kept in SharePoint (EIP_DIRECTORY=sharepoint): schools and people as rows of two provisioned lists
// that an LA admin edits by hand, and the rest of the directory file (panel, terms, providers, budgets, reminder
// rules) as one JSON setting. A row at fault is reported by list and row; the rows that are fine keep working.
import type { Client } from '@microsoft/microsoft-graph-client';
import { parseDirectoryRows, type Directory } from '../../domain/directory';
import type { Store } from '../store';
import { getAll, withQuery } from './graph';
import { listSpec } from './schema';

/** The setting holding the directory's other sections, as JSON. */
export const DIRECTORY_SETTING = 'directory';

interface ListRef {
  id: string;
  displayName: string;
}

interface Item {
  fields?: Record<string, unknown>;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** A key column's value as the store wrote it (capitals escaped, see keyValue), or as an admin typed it. */
const key = (v: unknown): string | undefined =>
  text(v)?.replace(/\^(.)/g, (_m, ch: string) => (ch === '^' ? '^' : ch.toUpperCase()));

/** A people row's roles: "head;panel" or "head, panel". */
const roles = (v: unknown): string[] =>
  (text(v) ?? '')
    .split(/[;,]/)
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);

export async function readSharePointDirectory(
  client: Client,
  siteId: string,
  store: Store,
): Promise<{ directory: Directory; problems: string[] }> {
  const site = `/sites/${siteId}`;
  const lists = await getAll<ListRef>(client, withQuery(`${site}/lists`, { $select: 'id,displayName' }));
  const rowsOf = async (key: 'schools' | 'people') => {
    const spec = listSpec(key);
    const list = lists.find((l) => l.displayName === spec.displayName);
    if (!list) throw new Error(`the list "${spec.displayName}" is missing: run npm run provision`);
    const items = await getAll<Item>(
      client,
      withQuery(`${site}/lists/${list.id}/items`, { $expand: 'fields' }),
    );
    return items.map((i) => i.fields ?? {});
  };
  const [schoolRows, peopleRows, setting] = await Promise.all([
    rowsOf('schools'),
    rowsOf('people'),
    store.settings.get(DIRECTORY_SETTING),
  ]);
  const schools = schoolRows.map((f) => ({
    id: key(f.schoolId),
    name: text(f.Title),
    phase: text(f.phase),
  }));
  const people = peopleRows.map((f) => ({
    aadObjectId: key(f.aadObjectId),
    name: text(f.Title),
    email: text(f.email),
    roles: roles(f.roles),
    ...(text(f.schoolId) ? { schoolId: text(f.schoolId) } : {}),
  }));
  let settings: Record<string, unknown> = {};
  if (setting) {
    try {
      settings = JSON.parse(setting.value.value) as Record<string, unknown>;
    } catch (e) {
      throw new Error(
        `the "${DIRECTORY_SETTING}" setting is not JSON (${e instanceof Error ? e.message : String(e)})`,
        { cause: e },
      );
    }
  }
  return parseDirectoryRows({ schools, people, settings });
}
