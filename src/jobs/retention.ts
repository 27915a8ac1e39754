// The retention job: lists closed cases whose retention period has ended (the pupil's date of birth plus the
// configured years; the latest date of birth their year group allows, where none is held) and, unless it is a dry
// run, deletes each with every record that belongs to it. Each deletion is audited by reference, dates and counts,
// never by content; the audit trail itself is never deleted.
import { londonDate, showDate, type CaseRecord } from '../domain';
import type { Actor } from '../app/identity';
import type { AppDeps } from '../app/ports';
import { keepUntil } from '../app/privacy/pupil';
import { privacyOf } from '../app/privacy/settings';
import { filesOf } from '../app/files/services';
import { audit } from '../app/records';
import { pseudonym } from '../app/views';
import { CASE_COLLECTIONS, isStoreError, type Collection } from '../store/store';

/** Every collection whose records belong to one case (defined with the store's collections). */
export { CASE_COLLECTIONS };

export interface RetentionItem {
  caseId: string;
  ref: string;
  /** "Individual pupil, Year 4": never a name. */
  about: string;
  closedOn?: string;
  keptUntil: string;
  /** The case and the records that belong to it. */
  records: number;
  deleted: boolean;
}

export interface RetentionReport {
  today: string;
  dryRun: boolean;
  yearsAfterDob: number;
  due: RetentionItem[];
  /** Closed cases still within their retention period. */
  closedKept: number;
}

export interface RetentionOptions {
  dryRun: boolean;
  /** Who runs it, for the audit trail: a person, or the command line. */
  by: Actor | string;
  now?: Date;
}

type CaseOwned = Collection<{ id: string; caseId?: string }>;
const owned = (deps: AppDeps) => CASE_COLLECTIONS.map((name) => deps.store[name] as unknown as CaseOwned);

/** Removes a record unless someone removed it first. */
async function removeRecord(collection: CaseOwned, id: string, eTag: string): Promise<void> {
  try {
    await collection.remove(id, eTag);
  } catch (e) {
    if (!isStoreError(e, 'missing')) throw e;
  }
}

/**
 * Deletes one case's records, then the case, so a run that stops half-way leaves the case to be found and finished
 * next time. The case is read again first: one reopened since the list was made is left alone.
 */
async function deleteCase(deps: AppDeps, c: CaseRecord): Promise<boolean> {
  const fresh = await deps.store.cases.get(c.id);
  if (!fresh || fresh.value.status !== 'closed') return false;
  // The documents' bytes go first, then their records with the rest: a stop in between leaves records to find again.
  // Both stores delete for good: the local file is removed, the SharePoint item permanently deleted (not recycled).
  const documents = filesOf(deps).documents;
  for (const f of await deps.store.files.find({ caseId: c.id })) await documents.remove(f.value.location);
  for (const collection of owned(deps))
    for (const r of await collection.find({ caseId: c.id }))
      await removeRecord(collection, r.value.id, r.eTag);
  try {
    await deps.store.cases.remove(c.id, fresh.eTag);
  } catch (e) {
    if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) return false;
    throw e;
  }
  return true;
}

export async function runRetention(deps: AppDeps, options: RetentionOptions): Promise<RetentionReport> {
  const today = londonDate(options.now ?? deps.now());
  const years = privacyOf(deps).retentionYearsAfterDob;
  const closed = (await deps.store.cases.find({ status: 'closed' })).map((s) => s.value);
  const due = closed.filter((c) => keepUntil(c, years) < today).sort((a, b) => a.ref.localeCompare(b.ref));
  const items: RetentionItem[] = [];
  for (const c of due) {
    const counts = await Promise.all(owned(deps).map((col) => col.find({ caseId: c.id })));
    const records = 1 + counts.reduce((n, rows) => n + rows.length, 0);
    const documents = counts[CASE_COLLECTIONS.indexOf('files')]?.length ?? 0;
    const keptUntil = keepUntil(c, years);
    const closedOn = c.closedAt ? londonDate(new Date(c.closedAt)) : undefined;
    const deleted = !options.dryRun && (await deleteCase(deps, c));
    if (deleted) {
      await audit(
        deps,
        options.by,
        'retention-delete',
        c.id,
        `${c.ref} deleted with its ${records - 1} records: closed${closedOn ? ` ${closedOn}` : ''}, kept until ${keptUntil} (${years} years after the latest date of birth its year group allows); ${documents} document${documents === 1 ? '' : 's'} deleted from storage for good (no recycle-bin copy is kept)`,
        { before: 'closed', after: 'deleted' },
      );
      deps.log.info({ ref: c.ref, records }, 'case deleted after its retention period');
    }
    items.push({
      caseId: c.id,
      ref: c.ref,
      about: pseudonym(c),
      ...(closedOn ? { closedOn } : {}),
      keptUntil,
      records,
      deleted,
    });
  }
  return {
    today,
    dryRun: options.dryRun,
    yearsAfterDob: years,
    due: items,
    closedKept: closed.length - due.length,
  };
}

/** The report as lines a person reads: by case reference, never a pupil's name. */
export function formatRetention(r: RetentionReport): string {
  const head = `Retention as of ${showDate(r.today)}: closed cases are kept until the pupil's date of birth + ${r.yearsAfterDob} years${r.dryRun ? ' (dry run: nothing was deleted)' : ''}`;
  const kept = `${r.closedKept} closed case${r.closedKept === 1 ? ' is' : 's are'} still within the period.`;
  if (r.due.length === 0) return `${head}\nNo closed case is past its retention period. ${kept}\n`;
  const verb = (i: RetentionItem) => (r.dryRun ? 'would delete' : i.deleted ? 'deleted' : 'LEFT (changed)');
  const lines = r.due.map(
    (i) =>
      `  ${verb(i).padEnd(14)} ${i.ref} (${i.about}), closed ${i.closedOn ?? 'on an unknown date'}, kept until ${i.keptUntil}, ${i.records} record${i.records === 1 ? '' : 's'}`,
  );
  return `${head}\n${lines.join('\n')}\n${kept}\n`;
}
