// The budget: the ledger for the admin and the co-ordinator, and the allocation, which only an admin sets.
import { z } from 'zod';
import {
  EipError,
  INTERVENTION_LABELS,
  formatPence,
  hasRole,
  ledger,
  parseWith,
  pounds,
  shiftYear,
  withAllocation,
  yearSpan,
  type CaseRecord,
} from '../../domain';
import { action, formCard, ledgerCard, type Card, type Tone } from '../../cards';
import { isStoreError } from '../../store/store';
import { yearRef } from '../action-data';
import { valuesOf, type Values } from '../forms';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';
import { audit } from '../records';
import { orRefill, type Handler } from '../handlers/context';
import { yearNow } from './holds';

/** The most an allocation may be: far above any LA's programme, low enough to catch a slip of the keyboard. */
const MAX_ALLOCATION_PENCE = 100_000_000_00;

function assertMayView(actor: Actor): void {
  if (!hasRole(actor.person, 'admin', 'coordinator'))
    throw new EipError('forbidden', 'Only the EIP co-ordinator and the LA’s admins can see the budget.');
}

function assertMaySet(actor: Actor): void {
  if (!hasRole(actor.person, 'admin'))
    throw new EipError('forbidden', 'Only an LA admin can set the allocation.');
}

/** "EIP-2026-0007 · individual, Year 4": which case, without a pupil's name or a school's own words. */
const caseLabel = (c: CaseRecord | undefined, id: string) =>
  c
    ? `${c.ref} · ${c.request.kind === 'individual' ? 'individual' : 'whole class'}, ${c.request.yearGroup}`
    : id;

/** The ledger of a year: allocation, committed, spent and available, the largest commitments and spend by type. */
export async function ledgerView(
  deps: AppDeps,
  actor: Actor,
  year: string,
  banner?: { text: string; tone: Tone },
): Promise<Card> {
  const [budget, packages, spends] = await Promise.all([
    deps.store.budgets.get(year),
    deps.store.packages.find({ budgetYear: year }),
    deps.store.spends.find({ budgetYear: year }),
  ]);
  const l = ledger(
    year,
    budget?.value,
    packages.map((p) => p.value),
    spends.map((s) => s.value),
  );
  const ids = [...new Set([...l.largest, ...l.overspent, ...l.aboveApproval].map((x) => x.caseId))];
  const cases = new Map<string, CaseRecord>();
  for (const id of ids) {
    const c = await deps.store.cases.get(id);
    if (c) cases.set(id, c.value);
  }
  await audit(deps, actor, 'view-budget', undefined, `ledger ${year}`);
  return ledgerCard({
    title: `Budget ${year}`,
    subtitle: `${yearSpan(year)}. Committed is what approved and commissioned support holds; available is the allocation less that.`,
    ...(banner
      ? { banner }
      : budget
        ? {}
        : { banner: { text: `No allocation has been set for ${year} yet.`, tone: 'warning' as const } }),
    figures: [
      { title: 'Allocation', value: formatPence(l.allocationPence) },
      { title: 'Committed', value: formatPence(l.committedPence) },
      { title: 'Spent', value: formatPence(l.spentPence) },
      { title: 'Available', value: formatPence(l.availablePence) },
    ],
    sections: [
      {
        heading: 'Largest commitments',
        rows: l.largest.map((x) => ({
          title: caseLabel(cases.get(x.caseId), x.caseId),
          value: formatPence(x.pence),
        })),
        empty: 'Nothing is committed yet.',
      },
      {
        heading: 'Spend by intervention type',
        rows: l.byType.map((x) => ({ title: INTERVENTION_LABELS[x.type], value: formatPence(x.spentPence) })),
        empty: 'No spend recorded yet.',
      },
      {
        heading: 'Spent beyond the agreed cost',
        rows: l.overspent.map((x) => ({
          title: caseLabel(cases.get(x.caseId), x.caseId),
          value: `${formatPence(x.overPence)} over`,
        })),
        empty: 'No package has gone over its agreed cost.',
        attention: true,
      },
      {
        heading: 'Agreed for more than the panel approved',
        rows: l.aboveApproval.map((x) => ({
          title: caseLabel(cases.get(x.caseId), x.caseId),
          value: `${formatPence(x.overPence)} more`,
        })),
        empty: 'Every package was agreed within what the panel approved.',
        attention: true,
      },
    ],
    actions: [
      ...(hasRole(actor.person, 'admin') ? [action('Set allocation', 'budgetForm', { year })] : []),
      action(`See ${shiftYear(year, -1)}`, 'budget', { year: shiftYear(year, -1) }),
      action(`See ${shiftYear(year, 1)}`, 'budget', { year: shiftYear(year, 1) }),
      action('Help', 'help'),
    ],
  });
}

/** `budget`, or `budget 2025-26` for another financial year. */
export async function budgetCommand(deps: AppDeps, actor: Actor, arg: string): Promise<Card> {
  assertMayView(actor);
  if (arg && !/^\d{4}-\d{2}$/.test(arg))
    throw new EipError('not_found', `Type 'budget' for this year, or 'budget 2025-26' for another.`);
  return ledgerView(deps, actor, arg || yearNow(deps));
}

export const budget: Handler = async ({ deps, actor, req }) => {
  assertMayView(actor);
  return ledgerView(deps, actor, yearRef(req.data).year ?? yearNow(deps));
};

const ALLOCATION_LABELS = { year: 'Financial year', allocation: 'Allocation' };

function allocationForm(year: string, values: Values, problems: { field: string; message: string }[]): Card {
  return formCard({
    title: `Set the allocation for ${year}`,
    subtitle: `${yearSpan(year)}. It cannot be less than what is already committed.`,
    problems,
    fields: [
      {
        kind: 'number',
        id: 'allocation',
        label: `${ALLOCATION_LABELS.allocation} (£)`,
        min: 0.01,
        max: MAX_ALLOCATION_PENCE / 100,
        required: true,
        placeholder: 'e.g. 357000',
        value: values.allocation ?? '',
      },
    ],
    actions: [
      action('Save allocation', 'saveBudget', { year }, 'positive'),
      action('Back to budget', 'budget', { year }),
    ],
  });
}

const yearOf = (data: unknown, deps: AppDeps) => yearRef(data).year ?? yearNow(deps);

export const budgetForm: Handler = async ({ deps, actor, req }) => {
  assertMaySet(actor);
  const year = yearOf(req.data, deps);
  const current = await deps.store.budgets.get(year);
  return allocationForm(
    year,
    current ? { allocation: (current.value.allocationPence / 100).toFixed(2) } : {},
    [],
  );
};

/** Sets a year's allocation, keeping what is committed against it; a concurrent change is re-read, never overwritten. */
export const saveBudget: Handler = async ({ deps, actor, req }) => {
  assertMaySet(actor);
  const year = yearOf(req.data, deps);
  return orRefill(
    async () => {
      const { allocation } = parseWith(
        z.object({ allocation: pounds('the allocation', MAX_ALLOCATION_PENCE) }),
        req.data,
        ALLOCATION_LABELS,
      );
      const at = { by: actor.person.aadObjectId, at: deps.now().toISOString() };
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const current = await deps.store.budgets.get(year);
        const next = withAllocation(current?.value, year, allocation, at);
        try {
          if (current) await deps.store.budgets.replace(next, current.eTag);
          else await deps.store.budgets.create(next);
          await audit(
            deps,
            actor,
            'set-allocation',
            undefined,
            `${year} allocation ${current?.value.allocationPence ?? 0}p -> ${allocation}p`,
          );
          return ledgerView(deps, actor, year, {
            text: `The ${year} allocation is now ${formatPence(allocation)}.`,
            tone: 'good',
          });
        } catch (e) {
          if (!isStoreError(e, 'stale') && !isStoreError(e, 'exists')) throw e;
        }
      }
      throw new EipError('moved_on', 'The budget kept changing while this was saved. Please try again.');
    },
    (problems) => allocationForm(year, valuesOf(req.data), problems),
  );
};
