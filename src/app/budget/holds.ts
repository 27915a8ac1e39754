// What a case holds against a year's allocation, changed by compare-and-swap on the year's budget record: two
// approvals racing for the last of the money re-read and re-decide, so the committed total never passes the
// allocation.
import {
  EipError,
  availableOf,
  financialYearOf,
  hold,
  londonDate,
  release,
  type BudgetRecord,
  type CaseRecord,
} from '../../domain';
import { isStoreError, type Stored } from '../../store/store';
import type { AppDeps } from '../ports';

const ATTEMPTS = 20;

export type HoldResult =
  { ok: true; before: number | undefined } | { ok: false; shortPence: number; availablePence: number };

async function swap(
  deps: AppDeps,
  year: string,
  change: (b: BudgetRecord) => BudgetRecord | 'refuse' | 'same',
): Promise<{ done: boolean; read: BudgetRecord | undefined }> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const stored: Stored<BudgetRecord> | undefined = await deps.store.budgets.get(year);
    if (!stored) return { done: false, read: undefined };
    const next = change(stored.value);
    if (next === 'refuse') return { done: false, read: stored.value };
    if (next === 'same') return { done: true, read: stored.value };
    try {
      await deps.store.budgets.replace(next, stored.eTag);
      return { done: true, read: stored.value };
    } catch (e) {
      if (!isStoreError(e, 'stale')) throw e;
    }
  }
  throw new EipError('moved_on', 'The budget kept changing while this was saved. Please try again.');
}

/**
 * Holds `pence` for a case in a year (replacing what it held), unless that would take the year past its allocation.
 * `force` records money already spent, which cannot be refused. Answers what the case held before, to undo it.
 */
export async function holdBudget(
  deps: AppDeps,
  year: string,
  caseId: string,
  pence: number,
  by: string,
  force = false,
): Promise<HoldResult> {
  const at = { by, at: deps.now().toISOString() };
  let short: { shortPence: number; availablePence: number } | undefined;
  let before: number | undefined;
  const { done, read } = await swap(deps, year, (b) => {
    before = b.commitments[caseId];
    if (before === pence) return 'same';
    const r = hold(b, caseId, pence, at, force);
    if (!r.ok) {
      short = { shortPence: r.shortPence, availablePence: r.availablePence };
      return 'refuse';
    }
    return r.next;
  });
  if (done) return { ok: true, before };
  if (!read) return { ok: false, shortPence: pence, availablePence: 0 };
  return { ok: false, ...short! };
}

/** Puts back what a case held before (undefined: nothing), for an action that could not be saved. */
export async function restoreHold(
  deps: AppDeps,
  year: string,
  caseId: string,
  before: number | undefined,
  by: string,
): Promise<void> {
  if (before === undefined) await releaseBudget(deps, year, caseId, by);
  else await holdBudget(deps, year, caseId, before, by, true);
}

/**
 * How a step that moves a case undoes its change to the case's hold if the case cannot be saved: the hold goes back
 * to what it was, unless the case already stands where this step was taking it. Then another attempt at the same
 * step (a double click, a client's retry) saved it first, and the hold is that attempt's: putting back what this one
 * found would undo the step's money while the case stays moved on.
 */
export function undoHold(
  deps: AppDeps,
  next: CaseRecord,
  year: string,
  before: number | undefined,
  by: string,
): () => Promise<void> {
  return async () => {
    const now = await deps.store.cases.get(next.id);
    if (now?.value.status === next.status) return;
    await restoreHold(deps, year, next.id, before, by);
  };
}

export async function releaseBudget(
  deps: AppDeps,
  year: string,
  caseId: string,
  by: string,
): Promise<number> {
  let was = 0;
  await swap(deps, year, (b) => {
    was = b.commitments[caseId] ?? 0;
    return caseId in b.commitments ? release(b, caseId, { by, at: deps.now().toISOString() }) : 'same';
  });
  return was;
}

/** What is available in a year now, for cards that show it at the moment they are shown. */
export async function availableIn(
  deps: AppDeps,
  year: string,
): Promise<{ year: string; set: boolean; availablePence: number }> {
  const b = await deps.store.budgets.get(year);
  return { year, set: b !== undefined, availablePence: availableOf(b?.value) };
}

/** The financial year of today, in London. */
export const yearNow = (deps: AppDeps) => financialYearOf(londonDate(deps.now()));

/** What is available this financial year, as the panel card shows it. */
export const budgetNow = (deps: AppDeps) => availableIn(deps, yearNow(deps));
