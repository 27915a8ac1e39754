// The ledger's arithmetic: financial years, holding money for a case, and what the ledger card adds up.
import assert from 'node:assert/strict';
import {
  EipError,
  availableOf,
  committedOf,
  financialYearOf,
  hold,
  ledger,
  release,
  shiftYear,
  withAllocation,
  type BudgetRecord,
  type PackageRecord,
  type SpendRecord,
} from '../../src/domain';

const AT = { by: 'isaiah', at: '2026-11-27T10:00:00.000Z' };
const budget = (allocationPence: number, commitments: Record<string, number> = {}): BudgetRecord => ({
  id: '2026-27',
  allocationPence,
  commitments,
  updatedBy: 'isaiah',
  updatedAt: AT.at,
});

const pkg = (
  id: string,
  caseId: string,
  agreedPence: number,
  type: PackageRecord['type'],
): PackageRecord => ({
  id,
  caseId,
  budgetYear: '2026-27',
  type,
  providerName: 'P',
  sessions: 10,
  approvedPence: agreedPence,
  agreedPence,
  startDate: '2026-12-01',
  endDate: '2027-03-01',
  commissionedBy: 'adele',
  commissionedAt: AT.at,
});

const spend = (
  packageId: string,
  caseId: string,
  amountPence: number,
  type: SpendRecord['type'],
): SpendRecord => ({
  id: `${packageId}-${amountPence}`,
  caseId,
  packageId,
  budgetYear: '2026-27',
  type,
  invoiceRef: 'INV',
  amountPence,
  sessionsDelivered: 1,
  deliveredOn: '2026-12-15',
  recordedBy: 'adele',
  recordedAt: AT.at,
});

describe('budget', () => {
  describe('financial years', () => {
    for (const [day, year] of [
      ['2026-04-01', '2026-27'],
      ['2027-03-31', '2026-27'],
      ['2026-03-31', '2025-26'],
      ['2099-12-31', '2099-00'],
      ['2000-01-15', '1999-00'],
    ] as const) {
      it(`puts ${day} in ${year}`, () => assert.equal(financialYearOf(day), year));
    }

    it('steps a year back and forward', () => {
      assert.equal(shiftYear('2026-27', -1), '2025-26');
      assert.equal(shiftYear('2026-27', 1), '2027-28');
      assert.equal(shiftYear('2099-00', 1), '2100-01');
    });
  });

  describe('holding money for a case', () => {
    it('holds what fits, and available is the allocation less everything committed', () => {
      const r = hold(budget(100_000, { a: 20_000 }), 'b', 80_000, AT);
      assert.ok(r.ok);
      assert.equal(committedOf(r.next), 100_000);
      assert.equal(availableOf(r.next), 0);
    });

    it('refuses what does not fit, saying how far short it is', () => {
      const r = hold(budget(100_000, { a: 20_000 }), 'b', 80_001, AT);
      assert.deepEqual(r, { ok: false, shortPence: 1, availablePence: 80_000 });
    });

    it('lets the last £1,000 go to one of two £800 approvals, never both', () => {
      const first = hold(budget(100_000), 'a', 80_000, AT);
      assert.ok(first.ok);
      const second = hold(first.next, 'b', 80_000, AT);
      assert.deepEqual(second, { ok: false, shortPence: 60_000, availablePence: 20_000 });
    });

    it("counts a case's own holding when it changes what it holds", () => {
      const r = hold(budget(100_000, { a: 90_000 }), 'a', 100_000, AT);
      assert.ok(r.ok);
      assert.equal(r.next.commitments.a, 100_000);
    });

    it('always lets a case hold less than before, even when the year is over-committed', () => {
      const r = hold(budget(50_000, { a: 90_000 }), 'a', 60_000, AT);
      assert.ok(r.ok);
    });

    it('records money already spent even past the allocation, when forced', () => {
      const r = hold(budget(10_000, { a: 10_000 }), 'a', 12_000, AT, true);
      assert.ok(r.ok);
      assert.equal(availableOf(r.next), -2_000);
    });

    it('releases what a case held', () => {
      const next = release(budget(100_000, { a: 20_000, b: 30_000 }), 'a', AT);
      assert.deepEqual(next.commitments, { b: 30_000 });
    });

    it('counts nothing available in a year with no allocation', () => {
      assert.equal(availableOf(undefined), 0);
    });
  });

  describe('the allocation', () => {
    it('keeps what is committed when the allocation changes', () => {
      const next = withAllocation(budget(100_000, { a: 20_000 }), '2026-27', 150_000, AT);
      assert.equal(next.allocationPence, 150_000);
      assert.deepEqual(next.commitments, { a: 20_000 });
    });

    it('starts a new year with nothing committed', () => {
      assert.deepEqual(withAllocation(undefined, '2027-28', 10_000, AT).commitments, {});
    });

    it('refuses an allocation below what is committed', () => {
      assert.throws(
        () => withAllocation(budget(100_000, { a: 60_000 }), '2026-27', 50_000, AT),
        (e: unknown) =>
          e instanceof EipError &&
          e.code === 'invalid_input' &&
          /£600\.00 is already committed in 2026-27/.test(e.problems[0]!.message),
      );
    });
  });

  describe('the ledger', () => {
    const b = budget(1_000_000, { c1: 300_000, c2: 150_000, c3: 50_000, c4: 10_000, c5: 5_000, c6: 1_000 });
    const packages = [pkg('c1:p1', 'c1', 200_000, 'counselling'), pkg('c1:p2', 'c1', 100_000, 'mentoring')];
    const spends = [
      spend('c1:p1', 'c1', 120_000, 'counselling'),
      spend('c1:p1', 'c1', 90_000, 'counselling'),
      spend('c1:p2', 'c1', 40_000, 'mentoring'),
    ];
    const l = ledger('2026-27', b, packages, spends);

    it('adds up allocation, committed, spent and available in pence', () => {
      assert.equal(l.allocationPence, 1_000_000);
      assert.equal(l.committedPence, 516_000);
      assert.equal(l.spentPence, 250_000);
      assert.equal(l.availablePence, 484_000);
    });

    it('lists the five largest commitments, largest first', () => {
      assert.deepEqual(
        l.largest.map((x) => x.caseId),
        ['c1', 'c2', 'c3', 'c4', 'c5'],
      );
    });

    it('adds up spend by intervention type, largest first', () => {
      assert.deepEqual(l.byType, [
        { type: 'counselling', spentPence: 210_000 },
        { type: 'mentoring', spentPence: 40_000 },
      ]);
    });

    it('flags a package whose spend has gone past its agreed cost', () => {
      assert.deepEqual(l.overspent, [{ packageId: 'c1:p1', caseId: 'c1', overPence: 10_000 }]);
    });

    it('lists packages agreed for more than the panel approved', () => {
      const above = { ...pkg('c2:p1', 'c2', 50_000, 'mentoring'), approvedPence: 45_000 };
      assert.deepEqual(ledger('2026-27', b, [...packages, above], []).aboveApproval, [
        { packageId: 'c2:p1', caseId: 'c2', overPence: 5_000 },
      ]);
      assert.deepEqual(l.aboveApproval, []);
    });

    it('shows an unset year as all zeros', () => {
      const empty = ledger('2030-31', undefined, [], []);
      assert.deepEqual(
        [empty.allocationPence, empty.committedPence, empty.spentPence, empty.availablePence],
        [0, 0, 0, 0],
      );
    });
  });
});
