// The High Needs budget: financial years run April to March, money is held in pence. Committed is what approved
// and commissioned cases hold against the allocation; available is allocation less committed.
import { EipError } from './errors';
import { formatPence } from './money';
import type { BudgetRecord, InterventionType, PackageRecord, SpendRecord } from './types';

/** The financial year a date falls in: 2026-04-01 to 2027-03-31 is "2026-27". */
export function financialYearOf(day: string): string {
  const y = Number(day.slice(0, 4));
  const start = Number(day.slice(5, 7)) >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The financial year before or after this one. */
export function shiftYear(year: string, by: number): string {
  const start = Number(year.slice(0, 4)) + by;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** "April 2026 to March 2027". */
export const yearSpan = (year: string) => {
  const start = Number(year.slice(0, 4));
  return `April ${start} to March ${start + 1}`;
};

export const committedOf = (b: Pick<BudgetRecord, 'commitments'> | undefined): number =>
  b ? Object.values(b.commitments).reduce((sum, p) => sum + p, 0) : 0;

export const availableOf = (b: BudgetRecord | undefined): number =>
  b ? b.allocationPence - committedOf(b) : 0;

export type Hold =
  { ok: true; next: BudgetRecord } | { ok: false; shortPence: number; availablePence: number };

/**
 * Holds `pence` against the allocation for a case, replacing what the case held before. Refused when it would take
 * the committed total past the allocation, unless `force` (money already spent cannot be refused).
 */
export function hold(
  b: BudgetRecord,
  caseId: string,
  pence: number,
  at: { by: string; at: string },
  force = false,
): Hold {
  const before = b.commitments[caseId] ?? 0;
  const available = availableOf(b) + before;
  if (!force && pence > before && pence > available)
    return { ok: false, shortPence: pence - available, availablePence: available };
  return {
    ok: true,
    next: { ...b, commitments: { ...b.commitments, [caseId]: pence }, updatedBy: at.by, updatedAt: at.at },
  };
}

/** Lets go of what a case held (withdrawn after approval, or a decision that did not stand). */
export function release(b: BudgetRecord, caseId: string, at: { by: string; at: string }): BudgetRecord {
  const { [caseId]: _gone, ...rest } = b.commitments;
  return { ...b, commitments: rest, updatedBy: at.by, updatedAt: at.at };
}

/** A new allocation may not be less than what is committed already. */
export function withAllocation(
  b: BudgetRecord | undefined,
  year: string,
  allocationPence: number,
  at: { by: string; at: string },
): BudgetRecord {
  const committed = committedOf(b);
  if (allocationPence < committed) {
    throw new EipError('invalid_input', undefined, [
      {
        field: 'Allocation',
        message: `${formatPence(committed)} is already committed in ${year}, so the allocation cannot be less than that.`,
      },
    ]);
  }
  return {
    id: year,
    allocationPence,
    commitments: b?.commitments ?? {},
    updatedBy: at.by,
    updatedAt: at.at,
  };
}

export interface Ledger {
  year: string;
  allocationPence: number;
  committedPence: number;
  spentPence: number;
  availablePence: number;
  /** The largest commitments, by case, largest first. */
  largest: { caseId: string; pence: number }[];
  /** Spend by intervention type, largest first. */
  byType: { type: InterventionType; spentPence: number }[];
  /** Packages whose spend has gone past the agreed cost. */
  overspent: { packageId: string; caseId: string; overPence: number }[];
  /** Packages agreed with the provider for more than the panel approved. */
  aboveApproval: { packageId: string; caseId: string; overPence: number }[];
}

/** The ledger of one financial year, from its budget record and the packages and spend charged to it. */
export function ledger(
  year: string,
  b: BudgetRecord | undefined,
  packages: readonly PackageRecord[],
  spends: readonly SpendRecord[],
  top = 5,
): Ledger {
  const committedPence = committedOf(b);
  const allocationPence = b?.allocationPence ?? 0;
  const spentPence = spends.reduce((sum, s) => sum + s.amountPence, 0);
  const byTypeMap = new Map<InterventionType, number>();
  const byPackage = new Map<string, number>();
  for (const s of spends) {
    byTypeMap.set(s.type, (byTypeMap.get(s.type) ?? 0) + s.amountPence);
    byPackage.set(s.packageId, (byPackage.get(s.packageId) ?? 0) + s.amountPence);
  }
  const overspent = packages
    .map((p) => ({
      packageId: p.id,
      caseId: p.caseId,
      overPence: (byPackage.get(p.id) ?? 0) - p.agreedPence,
    }))
    .filter((o) => o.overPence > 0)
    .sort((a, b2) => b2.overPence - a.overPence);
  return {
    year,
    allocationPence,
    committedPence,
    spentPence,
    availablePence: allocationPence - committedPence,
    largest: Object.entries(b?.commitments ?? {})
      .map(([caseId, pence]) => ({ caseId, pence }))
      .sort((a, b2) => b2.pence - a.pence || a.caseId.localeCompare(b2.caseId))
      .slice(0, top),
    byType: [...byTypeMap.entries()]
      .map(([type, spent]) => ({ type, spentPence: spent }))
      .sort((a, b2) => b2.spentPence - a.spentPence),
    overspent,
    aboveApproval: packages
      .map((p) => ({ packageId: p.id, caseId: p.caseId, overPence: p.agreedPence - p.approvedPence }))
      .filter((o) => o.overPence > 0)
      .sort((a, b2) => b2.overPence - a.overPence),
  };
}
