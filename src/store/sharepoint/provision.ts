// Provisioning: compares a site with the schema (schema.ts), plans what is missing, and applies the plan. It only
// ever adds: a list or column that differs from the schema is reported as drift and left as it is, data and all. A
// choice column the schema has more choices for (a kind the domain added later) gains them, keeping its own.
// Also seeds the schools and people lists (and the directory's other sections, as a setting) from a directory file.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Directory } from '../../domain/directory';
import type { Person, School } from '../../domain/types';
import { DIRECTORY_SETTING } from './directory-source';
import {
  batch,
  columnDefinition,
  columnDrift,
  findColumn,
  getAll,
  readSite,
  statusOf,
  withQuery,
  type BatchOptions,
  type BatchRequest,
  type BatchResponse,
  type GraphList,
  type SiteState,
} from './graph';
import { describeColumn, keyValue, LISTS, listSpec, type ColumnSpec, type ListSpec } from './schema';
import type { SharePointStore } from './sharepoint-store';

export type ProvisionStep =
  | { kind: 'create-list'; list: ListSpec }
  | { kind: 'add-column'; list: ListSpec; listId: string; column: ColumnSpec }
  | {
      kind: 'add-choices';
      list: ListSpec;
      listId: string;
      column: ColumnSpec;
      columnId: string;
      /** The column's choices as they are, then the schema's missing ones: what the column is given. */
      choices: string[];
      missing: string[];
    };

export interface Drift {
  list: string;
  column: string;
  problems: string[];
}

export interface ProvisionPlan {
  siteId: string;
  steps: ProvisionStep[];
  drift: Drift[];
  /** Lists already as the schema has them. */
  complete: string[];
}

/** What must be added to the site, and how it drifts from the schema. Pure. */
export function planProvision(site: SiteState, lists: readonly ListSpec[] = LISTS): ProvisionPlan {
  const plan: ProvisionPlan = { siteId: site.siteId, steps: [], drift: [], complete: [] };
  for (const spec of lists) {
    const list = site.lists.find((l) => l.displayName === spec.displayName);
    if (!list) {
      plan.steps.push({ kind: 'create-list', list: spec });
      continue;
    }
    let complete = true;
    for (const column of spec.columns) {
      const found = findColumn(list, column.name);
      if (!found) {
        plan.steps.push({ kind: 'add-column', list: spec, listId: list.id, column });
        complete = false;
        continue;
      }
      const problems = columnDrift(column, found);
      if (problems.length) {
        plan.drift.push({ list: spec.displayName, column: column.name, problems });
        complete = false;
        continue;
      }
      const has = found.choice?.choices ?? [];
      const missing = column.type === 'choice' ? (column.choices ?? []).filter((c) => !has.includes(c)) : [];
      if (missing.length && found.id) {
        const choices = [...has, ...missing];
        plan.steps.push({
          kind: 'add-choices',
          list: spec,
          listId: list.id,
          column,
          columnId: found.id,
          choices,
          missing,
        });
        complete = false;
      }
    }
    if (complete) plan.complete.push(spec.displayName);
  }
  return plan;
}

const choicesText = (choices: readonly string[]) =>
  `choice${choices.length === 1 ? '' : 's'} ${choices.map((c) => `"${c}"`).join(', ')}`;

const columnsText = (spec: ListSpec) =>
  spec.columns.map((c) => `${c.name} (${describeColumn(c)})`).join(', ');

/** The plan as lines a person reads. */
export function describePlan(plan: ProvisionPlan): string[] {
  const lines = [`SharePoint site ${plan.siteId}:`];
  for (const step of plan.steps) {
    if (step.kind === 'create-list')
      lines.push(`  + create list "${step.list.displayName}": ${columnsText(step.list)}`);
    else if (step.kind === 'add-choices')
      lines.push(
        `  + add ${choicesText(step.missing)} to column "${step.column.name}" of "${step.list.displayName}"`,
      );
    else
      lines.push(
        `  + add column "${step.column.name}" (${describeColumn(step.column)}) to "${step.list.displayName}"`,
      );
  }
  for (const d of plan.drift)
    lines.push(
      `  ! column "${d.column}" of "${d.list}" ${d.problems.join(', ')} (reported only, not changed)`,
    );
  for (const name of plan.complete) lines.push(`  = list "${name}" is up to date`);
  if (plan.steps.length === 0) lines.push('  Nothing to add.');
  return lines;
}

export type Progress = (line: string) => void;

export interface ApplyResult {
  listsCreated: number;
  columnsAdded: number;
  /** Choice columns given the schema's new choices. */
  choicesAdded: number;
  /** Steps that failed, in words; the next run plans them again. */
  failures: string[];
  /** Drift found in lists another run created meanwhile (the plan holds the rest). */
  drift: Drift[];
}

const errorText = (r: BatchResponse): string => {
  const message = (r.body as { error?: { message?: string } } | undefined)?.error?.message;
  return `HTTP ${r.status}${message ? `: ${message}` : ''}`;
};

const failureText = (e: unknown): string => {
  const status = statusOf(e);
  const message = e instanceof Error ? e.message : String(e);
  return status ? `HTTP ${status}: ${message}` : message;
};

/**
 * Applies a plan, saying what it does as it goes. Each list is created with its columns in one request, one list
 * after another (SharePoint changes a site's schema one list at a time best); columns missing from existing lists
 * are added in JSON $batch requests of up to 20.
 */
export async function applyPlan(
  client: Client,
  plan: ProvisionPlan,
  progress: Progress,
  options?: BatchOptions,
): Promise<ApplyResult> {
  const result: ApplyResult = { listsCreated: 0, columnsAdded: 0, choicesAdded: 0, failures: [], drift: [] };
  const creates = plan.steps.filter((s) => s.kind === 'create-list');
  const adds = plan.steps.filter((s) => s.kind === 'add-column');
  const choices = plan.steps.filter((s) => s.kind === 'add-choices');
  const site = `/sites/${plan.siteId}`;
  const conflicted: ListSpec[] = [];
  for (const [i, step] of creates.entries()) {
    const name = step.list.displayName;
    try {
      await client.api(`${site}/lists`).post({
        displayName: name,
        description: step.list.description,
        list: { template: 'genericList' },
        columns: step.list.columns.map(columnDefinition),
      });
      result.listsCreated += 1;
      progress(
        `[${i + 1}/${creates.length}] created list "${name}" with ${step.list.columns.length} columns`,
      );
    } catch (e) {
      if (statusOf(e) !== 409) {
        result.failures.push(`list "${name}": ${failureText(e)}`);
        progress(`[${i + 1}/${creates.length}] could not create list "${name}": ${failureText(e)}`);
        continue;
      }
      // There already: made by this request's own first attempt (its answer lost) or by another run.
      conflicted.push(step.list);
      progress(`[${i + 1}/${creates.length}] list "${name}" is there already; checking its columns`);
    }
  }
  if (conflicted.length) {
    const again = planProvision(await readSite(client, plan.siteId, options), conflicted);
    for (const step of again.steps) {
      if (step.kind === 'add-column') adds.push(step);
      else if (step.kind === 'add-choices') choices.push(step);
      else result.failures.push(`list "${step.list.displayName}": could not be created`);
    }
    result.drift.push(...again.drift);
    for (const d of again.drift)
      progress(
        `  ! column "${d.column}" of "${d.list}" ${d.problems.join(', ')} (reported only, not changed)`,
      );
    result.listsCreated += conflicted.length;
  }
  if (adds.length) {
    progress(`adding ${adds.length} missing column${adds.length === 1 ? '' : 's'}`);
    const requests: BatchRequest[] = adds.map((s) => ({
      method: 'POST',
      url: `${site}/lists/${s.listId}/columns`,
      body: columnDefinition(s.column),
    }));
    const responses = await batch(client, requests, options);
    adds.forEach((s, i) => {
      const r = responses[i]!;
      const what = `column "${s.column.name}" of "${s.list.displayName}"`;
      if (r.status < 300 || r.status === 409) {
        // 409: added already, by an earlier attempt whose answer was lost or by another run.
        result.columnsAdded += 1;
        progress(`added ${what}`);
      } else {
        result.failures.push(`${what}: ${errorText(r)}`);
        progress(`could not add ${what}: ${errorText(r)}`);
      }
    });
  }
  if (choices.length) {
    // The column's whole definition of choices: its own first, as they are, then the schema's new ones. Sent again
    // after a lost answer it is the same, so a retry changes nothing more.
    const requests: BatchRequest[] = choices.map((s) => ({
      method: 'PATCH',
      url: `${site}/lists/${s.listId}/columns/${s.columnId}`,
      body: { choice: { ...(columnDefinition(s.column).choice as object), choices: s.choices } },
    }));
    const responses = await batch(client, requests, options);
    choices.forEach((s, i) => {
      const r = responses[i]!;
      const what = `${choicesText(s.missing)} to column "${s.column.name}" of "${s.list.displayName}"`;
      if (r.status < 300) {
        result.choicesAdded += 1;
        progress(`added ${what}`);
      } else {
        result.failures.push(`${what}: ${errorText(r)}`);
        progress(`could not add ${what}: ${errorText(r)}`);
      }
    });
  }
  return result;
}

export interface SeedReport {
  added: number;
  updated: number;
  unchanged: number;
  failed: string[];
  /** Rows on the site the file does not have: left as they are. */
  notInFile: number;
}

interface Row {
  key: string;
  fields: Record<string, unknown>;
}

interface Item {
  id: string;
  eTag?: string;
  '@odata.etag'?: string;
  fields?: Record<string, unknown>;
}

const schoolRow = (s: School): Row => ({
  key: keyValue(s.id),
  fields: { Title: s.name, schoolId: keyValue(s.id), phase: s.phase },
});

const personRow = (p: Person): Row => ({
  key: keyValue(p.aadObjectId.toLowerCase()),
  fields: {
    Title: p.name,
    aadObjectId: keyValue(p.aadObjectId.toLowerCase()),
    email: p.email,
    roles: p.roles.join(';'),
    schoolId: p.schoolId ?? null,
  },
});

const sameFields = (row: Row, fields: Record<string, unknown> | undefined) =>
  Object.entries(row.fields).every(([k, v]) => (fields?.[k] ?? null) === v);

async function rowIsNow(client: Client, fieldsUrl: string, row: Row): Promise<boolean> {
  const fields = (await client.api(fieldsUrl).get()) as Record<string, unknown>;
  return sameFields(row, fields);
}

/** Adds the file's rows that a list lacks and updates those that differ (If-Match), in $batch requests. */
async function seedList(
  client: Client,
  site: SiteState,
  listKey: 'schools' | 'people',
  keyColumn: string,
  rows: Row[],
  progress: Progress,
  options?: BatchOptions,
): Promise<SeedReport> {
  const spec = listSpec(listKey);
  const list: GraphList | undefined = site.lists.find((l) => l.displayName === spec.displayName);
  if (!list) throw new Error(`the list "${spec.displayName}" is missing: run npm run provision first`);
  const path = `/sites/${site.siteId}/lists/${list.id}`;
  const items = await getAll<Item>(client, withQuery(`${path}/items`, { $expand: 'fields' }));
  const byKey = new Map(items.map((i) => [String(i.fields?.[keyColumn] ?? '').toLowerCase(), i]));
  const report: SeedReport = { added: 0, updated: 0, unchanged: 0, failed: [], notInFile: 0 };
  const requests: { row: Row; request: BatchRequest; kind: 'add' | 'update' }[] = [];
  for (const row of rows) {
    const item = byKey.get(row.key.toLowerCase());
    byKey.delete(row.key.toLowerCase());
    if (!item) {
      requests.push({
        row,
        kind: 'add',
        request: { method: 'POST', url: `${path}/items`, body: { fields: row.fields } },
      });
      continue;
    }
    if (sameFields(row, item.fields)) {
      report.unchanged += 1;
      continue;
    }
    const eTag = item['@odata.etag'] ?? item.eTag;
    if (!eTag) {
      report.failed.push(`${spec.displayName} ${String(row.fields.Title)}: Graph gave the item no eTag`);
      continue;
    }
    requests.push({
      row,
      kind: 'update',
      request: {
        method: 'PATCH',
        url: `${path}/items/${item.id}/fields`,
        body: row.fields,
        headers: { 'If-Match': eTag },
      },
    });
  }
  report.notInFile = byKey.size;
  if (requests.length)
    progress(`${spec.displayName}: writing ${requests.length} row${requests.length === 1 ? '' : 's'}`);
  const responses = await batch(
    client,
    requests.map((r) => r.request),
    options,
  );
  for (const [i, r] of requests.entries()) {
    const res = responses[i]!;
    // 409 on an add: the row is there already; 412 on an update: it changed, perhaps by an earlier attempt of this
    // very batch whose answer was lost, so look whether it now says what the file says.
    const done =
      res.status < 300 ||
      (r.kind === 'add' && res.status === 409) ||
      (r.kind === 'update' && res.status === 412 && (await rowIsNow(client, r.request.url, r.row)));
    if (!done) report.failed.push(`${spec.displayName} ${String(r.row.fields.Title)}: ${errorText(res)}`);
    else if (r.kind === 'add') report.added += 1;
    else report.updated += 1;
  }
  progress(
    `${spec.displayName}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged` +
      (report.notInFile ? `, ${report.notInFile} on the site but not in the file (left as they are)` : '') +
      (report.failed.length ? `, ${report.failed.length} failed` : ''),
  );
  return report;
}

/** The directory file's sections other than schools and people, as the SharePoint directory reads them. */
export const directorySettings = (raw: Record<string, unknown>): Record<string, unknown> => {
  const { schools: _s, people: _p, ...rest } = raw;
  return rest;
};

/**
 * Fills the schools and people lists from a directory (already checked by parseDirectory), and stores the file's
 * other sections (panel, terms, providers, budgets, reminders) as the "directory" setting.
 */
export async function seedDirectory(
  client: Client,
  site: SiteState,
  directory: Directory,
  raw: Record<string, unknown>,
  store: SharePointStore,
  progress: Progress,
  options?: BatchOptions,
): Promise<{ schools: SeedReport; people: SeedReport }> {
  const schools = await seedList(
    client,
    site,
    'schools',
    'schoolId',
    directory.schools.map(schoolRow),
    progress,
    options,
  );
  const people = await seedList(
    client,
    site,
    'people',
    'aadObjectId',
    directory.people.map(personRow),
    progress,
    options,
  );
  const value = JSON.stringify(directorySettings(raw));
  const current = await store.settings.get(DIRECTORY_SETTING);
  if (!current) await store.settings.create({ id: DIRECTORY_SETTING, value });
  else if (current.value.value !== value)
    await store.settings.replace({ id: DIRECTORY_SETTING, value }, current.eTag);
  progress(
    `directory setting: ${!current ? 'added' : current.value.value !== value ? 'updated' : 'unchanged'} (panel, terms, providers, budgets, reminders)`,
  );
  return { schools, people };
}
