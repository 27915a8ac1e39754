// Impact report figures on a small hand-built data set: twelve cases over three schools, with every expected number
// worked out by hand below (not by the code under test), small-number suppression, filters, and the extract.
import assert from 'node:assert/strict';
import {
  EipError,
  buildReport,
  extractRows,
  reportPeriod,
  type BudgetRecord,
  type CaseRecord,
  type DecisionOutcome,
  type DecisionRecord,
  type FieldProblem,
  type InterventionType,
  type PackageRecord,
  type ProgressLevel,
  type ReportInput,
  type ReviewRecord,
  type SpendRecord,
  type Term,
  type YearGroup,
} from '../../src/domain';
import { caseRecord, packageRecord, proposalRecord, reviewRecord } from '../support/records';

const OAK = { id: 'oakfield-primary', name: 'Oakfield Primary', phase: 'primary' as const };
const ELM = { id: 'elm-primary', name: 'Elm Primary', phase: 'primary' as const };
const HILL = { id: 'hillside-high', name: 'Hillside High', phase: 'secondary' as const };

const TERMS: Term[] = [
  { name: 'Autumn 2026', start: '2026-09-01', end: '2026-12-18' },
  { name: 'Spring 2027', start: '2027-01-04', end: '2027-03-26' },
  { name: 'Summer 2027', start: '2027-04-12', end: '2027-07-21' },
];

// Every pupil and class name seeded, and words typed about them: none may appear in a report or an extract.
const NAMES = [
  'Zebedee Quuxley',
  'Marigold Fenwick-Ashby',
  'Ottoline Brackenbury',
  'Perpetua Vandersloot',
  'Thaddeus Wrexham',
  'Cosima Llewellyn-Darke',
  'Barnaby Strudwick',
  'Ignatius Pettigrew',
  'Willow Class',
  'Rowan Class',
  'Form 9Q',
];
const WORDS = 'Settles with a trusted adult at lunch';

const at = (day: string, time = '09:00:00') => `${day}T${time}.000Z`;

let seq = 0;
function kase(
  n: number,
  school: { id: string },
  raisedAt: string,
  kind: 'individual' | 'class',
  needs: CaseRecord['request']['needs'],
  over: Partial<CaseRecord> = {},
  yearGroup: YearGroup = 'Year 4',
): CaseRecord {
  const name = NAMES[seq++]!;
  return caseRecord({
    id: `case-${String(n).padStart(2, '0')}`,
    schoolId: school.id,
    raisedAt,
    submittedAt: raisedAt,
    request: {
      kind,
      ...(kind === 'individual' ? { pupilName: name } : { className: name }),
      yearGroup,
      needs,
      tried: `${name}: ${WORDS}.`,
      asked: `Help for ${name}.`,
    },
    round: 1,
    ...over,
  });
}

// Raised (London date)      school kind  needs
const c1 = kase(1, OAK, at('2026-09-10'), 'individual', ['semh'], {
  status: 'commissioned',
  // Closed and reopened: not a closure any more.
  closureReason: 'needs-met',
  closedAt: at('2027-01-05'),
  reopenedAt: at('2027-01-10'),
  budgetYear: '2026-27',
});
const c2 = kase(2, OAK, at('2026-10-01'), 'class', ['communication', 'cognition'], {
  status: 'commissioned',
  budgetYear: '2026-27',
});
const c3 = kase(3, OAK, at('2026-11-05'), 'individual', ['semh', 'communication'], {
  status: 'closed',
  closureReason: 'school-provision',
  closedAt: at('2026-11-20'),
  closureNote: `${NAMES[2]} is doing well.`,
});
const c4 = kase(4, OAK, at('2027-01-10'), 'individual', ['cognition'], {
  status: 'commissioned',
  round: 2,
  budgetYear: '2026-27',
});
const c5 = kase(5, OAK, at('2027-02-01'), 'individual', ['semh']);
const e1 = kase(6, ELM, at('2026-12-01'), 'class', ['semh'], {
  status: 'commissioned',
  budgetYear: '2026-27',
});
// 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST): the first day of 2026-27.
const e2 = kase(7, ELM, '2026-03-31T23:30:00.000Z', 'individual', ['sensory-physical'], {
  status: 'closed',
  closureReason: 'ehc-assessment',
  closedAt: at('2026-07-01'),
});
const h1 = kase(
  8,
  HILL,
  at('2026-09-15'),
  'individual',
  ['semh'],
  {
    status: 'closed',
    closureReason: 'ehc-assessment',
    closedAt: at('2027-02-10'),
    budgetYear: '2026-27',
  },
  'Year 8',
);
const h2 = kase(9, HILL, at('2026-10-05'), 'individual', ['semh', 'cognition'], {
  status: 'commissioned',
  budgetYear: '2026-27',
});
const h3 = kase(10, HILL, at('2026-11-10'), 'class', ['communication'], { status: 'declined' });
// Raised in 2025-26, decided and closed in 2026-27.
const h4 = kase(11, HILL, at('2026-03-20'), 'individual', ['semh'], {
  status: 'closed',
  closureReason: 'needs-met',
  closedAt: at('2026-07-15'),
  budgetYear: '2026-27',
});
const h5 = kase(12, HILL, at('2027-03-01'), 'individual', ['cognition'], {
  status: 'approved',
  budgetYear: '2026-27',
});
const CASES = [c1, c2, c3, c4, c5, e1, e2, h1, h2, h3, h4, h5];

const decision = (c: CaseRecord, outcome: DecisionOutcome, day: string, round = c.round): DecisionRecord => ({
  id: `${c.id}:r${round}`,
  caseId: c.id,
  round,
  outcome,
  tally: { approve: 3, decline: 0, changes: 0 },
  voters: ['a', 'b', 'c'],
  decidedAt: at(day, '15:00:00'),
});

// Days from request to answer: c1 14, c2 20, c3 7, c4 24 (10 Jan → 3 Feb), e1 10, h1 30, h2 46 (5 Oct → 20 Nov),
// h3 3, h4 21 (20 Mar → 10 Apr), h5 10.
const DECISIONS: DecisionRecord[] = [
  decision(c1, 'approved', '2026-09-24'),
  decision(c2, 'approved', '2026-10-21'),
  decision(c3, 'declined', '2026-11-12'),
  decision(c4, 'changes_requested', '2027-01-20', 1),
  decision(c4, 'approved', '2027-02-03', 2),
  decision(e1, 'approved', '2026-12-11'),
  decision(h1, 'approved', '2026-10-15'),
  decision(h2, 'approved', '2026-11-20'),
  decision(h3, 'declined', '2026-11-13'),
  decision(h4, 'approved', '2026-04-10'),
  decision(h5, 'approved', '2027-03-11'),
];

const one = (type: InterventionType, sessions: number, unitCostPence: number) => [
  { type, provider: 'P', sessions, unitCostPence },
];
const PROPOSALS = [
  proposalRecord(c1, '2026-09-30'), // 10 × £45 = £450
  proposalRecord({ ...c4, round: 1 }, '2027-01-25', one('specialist-teaching', 8, 5000)), // £400, sent back
  proposalRecord(c4, '2027-02-05', one('specialist-teaching', 6, 5000)), // £300, approved
  proposalRecord(h5, '2027-03-15', one('specialist-teaching', 7, 5000)), // £350
];

const OAKWOOD = { name: 'Oakwood Counselling Service', id: 'oakwood-counselling' };
const BRIGHT = { name: 'Bright Start Training' };
// The directory now calls this provider "Learning Ladder Tutors": the report uses the directory's name.
const LADDER = { name: 'Learning Ladder', id: 'learning-ladder' };
const MENTOR = { name: 'Mentor Matters' };
const PACKAGES: PackageRecord[] = [
  packageRecord(c1.id, 1, OAKWOOD, 45000, 'counselling'),
  packageRecord(c2.id, 1, BRIGHT, 60000, 'whole-class-support'),
  packageRecord(c4.id, 1, LADDER, 30000, 'specialist-teaching'),
  packageRecord(e1.id, 1, BRIGHT, 40000, 'whole-class-support'),
  packageRecord(h1.id, 1, OAKWOOD, 50000, 'counselling'),
  packageRecord(h2.id, 1, MENTOR, 25000, 'mentoring'),
  packageRecord(h4.id, 1, OAKWOOD, 20000, 'counselling'),
];

let spendSeq = 0;
const spend = (pkg: PackageRecord, amountPence: number, deliveredOn: string): SpendRecord => ({
  id: `spend-${++spendSeq}`,
  caseId: pkg.caseId,
  packageId: pkg.id,
  budgetYear: '2026-27',
  type: pkg.type,
  invoiceRef: `INV-${spendSeq}`,
  amountPence,
  sessionsDelivered: 1,
  deliveredOn,
  recordedBy: 'isaiah',
  recordedAt: at(deliveredOn),
});
const SPENDS: SpendRecord[] = [
  spend(PACKAGES[0]!, 20000, '2026-11-15'), // c1 counselling
  spend(PACKAGES[1]!, 60000, '2027-01-15'), // c2 whole-class
  spend(PACKAGES[3]!, 10000, '2026-12-15'), // e1 whole-class
  spend(PACKAGES[4]!, 25000, '2026-10-30'), // h1 counselling
  spend(PACKAGES[4]!, 25000, '2027-02-05'), // h1 counselling
  spend(PACKAGES[6]!, 20000, '2026-05-20'), // h4 counselling
];

// Commitments: £450 + £600 + £300 + £400 + £500 + £250 + £200 + £350 (h5: approved, not yet commissioned) = £3,050.
const BUDGET: BudgetRecord = {
  id: '2026-27',
  allocationPence: 1_000_000,
  commitments: {
    [c1.id]: 45000,
    [c2.id]: 60000,
    [c4.id]: 30000,
    [e1.id]: 40000,
    [h1.id]: 50000,
    [h2.id]: 25000,
    [h4.id]: 20000,
    [h5.id]: 35000,
  },
  updatedBy: 'isaiah',
  updatedAt: at('2027-03-11'),
};

function reviewed(
  caseId: string,
  kind: 'interim' | 'final',
  due: string,
  recorded: string,
  levels: ProgressLevel[],
  scores: { baseline?: number; end?: number } = {},
): ReviewRecord {
  return {
    ...reviewRecord(caseId, kind, due, 'done'),
    outcome: {
      progress: levels.map((level, i) => ({ outcome: `${NAMES[0]} target ${i + 1}`, level })),
      ...(scores.baseline !== undefined ? { measure: 'SDQ', baseline: scores.baseline } : {}),
      ...(scores.end !== undefined ? { end: scores.end } : {}),
      notes: `${WORDS}.`,
      recordedBy: 'adele',
      recordedAt: at(recorded, '16:00:00'),
    },
  };
}
// Due in 2026-27: on time c1 (18 Nov ≤ 20 Nov), h1 interim (same day), h1 final (same day), h4 (29 ≤ 30 Sep);
// late c2 (3 Feb > 31 Jan); open past due on 20 Mar 2027: c4 (10 Feb), h2 (5 Jan); e1 (25 Mar) is not yet due.
const REVIEWS: ReviewRecord[] = [
  reviewed(c1.id, 'interim', '2026-11-20', '2026-11-18', ['good', 'some'], { baseline: 20, end: 14 }),
  reviewed(c2.id, 'final', '2027-01-31', '2027-02-03', ['fully-met'], { baseline: 10 }),
  reviewRecord(c4.id, 'interim', '2027-02-10'),
  reviewRecord(e1.id, 'interim', '2027-03-25'),
  reviewed(h1.id, 'interim', '2026-12-01', '2026-12-01', ['some', 'not-started'], { baseline: 30, end: 22 }),
  reviewed(h1.id, 'final', '2027-02-01', '2027-02-01', ['good'], { baseline: 30, end: 18 }),
  reviewRecord(h2.id, 'interim', '2027-01-05'),
  reviewed(h4.id, 'final', '2026-09-30', '2026-09-29', ['fully-met', 'good'], { baseline: 12, end: 15 }),
];

const input = (): ReportInput => ({
  cases: CASES,
  proposals: PROPOSALS,
  decisions: DECISIONS,
  packages: PACKAGES,
  spends: SPENDS,
  reviews: REVIEWS,
  budgets: [BUDGET],
  schools: [OAK, ELM, HILL],
  terms: TERMS,
  providers: [
    { id: 'oakwood-counselling', name: 'Oakwood Counselling Service' },
    { id: 'learning-ladder', name: 'Learning Ladder Tutors' },
  ],
  now: new Date('2027-03-20T12:00:00Z'),
});

const YEAR = { year: '2026-27' };
/** A list of counts as { key: shown }. */
const shown = <K extends string>(rows: { count: { shown: string } }[], key: (r: never) => K) =>
  Object.fromEntries(rows.map((r) => [key(r as never), r.count.shown]));
const byNeed = (f: { byNeed: { need: string; count: { shown: string } }[] }) =>
  shown(f.byNeed, (r: { need: string }) => r.need);
const decisions = (f: { decisions: { outcome: string; count: { shown: string } }[] }) =>
  shown(f.decisions, (r: { outcome: string }) => r.outcome);
const closed = (f: { closed: { reason: string; count: { shown: string } }[] }) =>
  shown(f.closed, (r: { reason: string }) => r.reason);
const progress = (f: { outcomes: { progress: { level: string; count: { shown: string } }[] } }) =>
  shown(f.outcomes.progress, (r: { level: string }) => r.level);

function problemsOf(fn: () => unknown): FieldProblem[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof EipError, `expected an EipError, got ${String(e)}`);
    assert.equal(e.code, 'invalid_input');
    return e.problems;
  }
  assert.fail('expected the filter to be refused');
}

describe('impact report', () => {
  describe('LA-wide for the financial year 2026-27', () => {
    const report = buildReport(input(), YEAR);
    const la = report.la;

    it('covers 1 April to 31 March', () => {
      assert.deepEqual(report.period, { label: '2026-27', from: '2026-04-01', to: '2027-03-31' });
      assert.equal(report.generatedAt, '2027-03-20T12:00:00.000Z');
    });

    it('counts requests raised in the year, by school and by needs area', () => {
      // All but h4 (raised March 2026): 12 − 1 = 11; e2 counts, raised on 1 April by London's clock.
      assert.deepEqual(la.requests, { value: 11, shown: '11' });
      // semh: c1 c3 c5 e1 h1 h2 = 6; communication: c2 c3 h3 = 3; cognition: c2 c4 h2 h5 = 4; sensory: e2 = 1.
      // LA totals over three schools are not suppressed, so the 1 shows as 1.
      assert.deepEqual(byNeed(la), {
        semh: '6',
        communication: '3',
        cognition: '4',
        'sensory-physical': '1',
      });
      // Oakfield c1–c5 = 5, Hillside h1 h2 h3 h5 = 4, Elm e1 e2 = 2 (a school's row: "<3"); most first.
      assert.deepEqual(
        report.bySchool.map((s) => [s.schoolId, s.school, s.requests.value, s.requests.shown]),
        [
          [OAK.id, 'Oakfield Primary', 5, '5'],
          [HILL.id, 'Hillside High', 4, '4'],
          [ELM.id, 'Elm Primary', 2, '<3'],
        ],
      );
    });

    it('splits individual and whole-class requests', () => {
      // Class: c2 e1 h3 = 3; individual 11 − 3 = 8; share 3/11.
      assert.deepEqual(la.individual, { value: 8, shown: '8' });
      assert.deepEqual(la.wholeClass, { value: 3, shown: '3' });
      assert.equal(la.wholeClassShare, 3 / 11);
    });

    it('gives the median and 90th percentile days from request to decision, nearest rank', () => {
      // Answered in the year (h4 too, decided 10 Apr 2026): 3 7 10 10 14 20 21 24 30 46 (n = 10).
      // Median: rank ceil(0.5 × 10) = 5 → 14. P90: rank ceil(0.9 × 10) = 9 → 30.
      assert.deepEqual(la.daysToDecision, { decided: 10, median: 14, p90: 30 });
    });

    it('counts the panel decisions made in the year', () => {
      // Approved c1 c2 c4 e1 h1 h2 h4 h5 = 8; declined c3 h3 = 2; changes requested c4 (round 1) = 1.
      assert.deepEqual(decisions(la), { approved: '8', declined: '2', changes_requested: '1' });
    });

    it('sets committed and spent against the allocation, by intervention type and by provider', () => {
      assert.deepEqual(la.allocation, { pence: 1_000_000 });
      assert.deepEqual(la.committed, { pence: 305000 }); // the budget's commitments, £3,050 (see BUDGET)
      // £200 + £600 + £100 + £250 + £250 + £200 = £1,600
      assert.deepEqual(la.spent, { pence: 160000 });
      assert.deepEqual(
        la.byIntervention.map((r) => [r.type, r.committed.pence, r.spent.pence]),
        [
          ['counselling', 115000, 90000], // packages c1 450 + h1 500 + h4 200; spent 200 + 250 + 250 + 200
          ['specialist-teaching', 30000, 0], // c4
          ['mentoring', 25000, 0], // h2
          ['whole-class-support', 100000, 70000], // c2 600 + e1 400; spent 600 + 100
        ],
      );
      assert.deepEqual(
        la.byProvider.map((r) => [r.provider, r.committed.pence, r.spent.pence]),
        [
          ['Oakwood Counselling Service', 115000, 90000],
          ['Bright Start Training', 100000, 70000],
          ['Learning Ladder Tutors', 30000, 0],
          ['Mentor Matters', 25000, 0],
        ],
      );
    });

    it('summarises the outcomes recorded: progress ratings and score changes', () => {
      // Recorded: c1, c2, h1 interim, h1 final, h4 = 5. Ratings: not-started 1 (h1i); some 2 (c1, h1i);
      // good 3 (c1, h1f, h4); fully-met 2 (c2, h4). Scores: c1 14−20 = −6, h1i 22−30 = −8, h1f 18−30 = −12,
      // h4 15−12 = +3 (c2 has no end score): 4 with scores, mean −23/4 = −5.75.
      assert.equal(la.outcomes.recorded, 5);
      assert.deepEqual(progress(la), { 'not-started': '1', some: '2', good: '3', 'fully-met': '2' });
      assert.equal(la.outcomes.withScores, 4);
      assert.equal(la.outcomes.meanScoreChange, -5.75);
    });

    it('counts reviews done on time, late, and still open past their due date', () => {
      assert.deepEqual(la.reviews, { onTime: 4, late: 1, overdue: 2 });
    });

    it('counts closures by reason, including referrals for an EHC needs assessment', () => {
      // needs-met h4; school-provision c3; ehc-assessment e2 h1; c1 was closed but reopened, so not counted.
      assert.deepEqual(closed(la), {
        'needs-met': '1',
        'school-provision': '1',
        'ehc-assessment': '2',
        'moved-school': '0',
        withdrawn: '0',
      });
      assert.equal(report.school, undefined);
    });
  });

  describe("a school's own report", () => {
    const report = buildReport(input(), { ...YEAR, schoolId: OAK.id });
    const mine = report.school!;

    it('shows its figures beside the LA totals, and no other school', () => {
      assert.equal(mine.schoolId, OAK.id);
      assert.equal(mine.name, 'Oakfield Primary');
      assert.deepEqual(report.la.requests, { value: 11, shown: '11' });
      assert.deepEqual(report.bySchool, []);
      const json = JSON.stringify(report);
      assert.ok(!json.includes('Elm Primary') && !json.includes('Hillside High'), json);
    });

    it('suppresses its counts of 1 and 2 as "<3", and shows 0 and 3 as they are', () => {
      const f = mine.figures;
      assert.deepEqual(f.requests, { value: 5, shown: '5' });
      // semh c1 c3 c5 = 3; communication c2 c3 = 2; cognition c2 c4 = 2; sensory 0.
      assert.deepEqual(byNeed(f), {
        semh: '3',
        communication: '<3',
        cognition: '<3',
        'sensory-physical': '0',
      });
      assert.deepEqual(f.individual, { value: 4, shown: '4' });
      assert.deepEqual(f.wholeClass, { value: 1, shown: '<3' });
      assert.equal(f.wholeClassShare, 1 / 5);
      // approved c1 c2 c4 = 3; declined c3 = 1; changes c4 = 1.
      assert.deepEqual(decisions(f), { approved: '3', declined: '<3', changes_requested: '<3' });
      // c3 only.
      assert.deepEqual(closed(f), {
        'needs-met': '0',
        'school-provision': '<3',
        'ehc-assessment': '0',
        'moved-school': '0',
        withdrawn: '0',
      });
      // c1 good some; c2 fully-met.
      assert.deepEqual(progress(f), { 'not-started': '0', some: '<3', good: '<3', 'fully-met': '<3' });
      assert.equal(f.outcomes.recorded, 2);
    });

    it("shows durations and money, but no one child's score change", () => {
      const f = mine.figures;
      // c3 7, c1 14, c2 20, c4 24 (n = 4): median rank 2 → 14; p90 rank ceil(3.6) = 4 → 24.
      assert.deepEqual(f.daysToDecision, { decided: 4, median: 14, p90: 24 });
      assert.equal(f.allocation, undefined);
      assert.deepEqual(f.committed, { pence: 135000 }); // c1 450 + c2 600 + c4 300
      assert.deepEqual(f.spent, { pence: 80000 }); // c1 200 + c2 600
      assert.deepEqual(
        f.byProvider.map((r) => [r.provider, r.committed.pence, r.spent.pence]),
        [
          ['Bright Start Training', 60000, 60000],
          ['Oakwood Counselling Service', 45000, 20000],
          ['Learning Ladder Tutors', 30000, 0],
        ],
      );
      assert.deepEqual(f.reviews, { onTime: 1, late: 1, overdue: 1 }); // c1, c2, c4
      // Only c1 has both scores: one child's change is not shown.
      assert.equal(f.outcomes.withScores, 1);
      assert.equal(f.outcomes.meanScoreChange, undefined);
    });

    it('leaves out the median and 90th percentile when fewer than 3 of its cases were decided', () => {
      const elm = buildReport(input(), { ...YEAR, schoolId: ELM.id }).school!.figures;
      assert.deepEqual(elm.daysToDecision, { decided: 1 }); // e1 only
      assert.deepEqual(elm.requests, { value: 2, shown: '<3' });
    });

    it("marks one school's figures as suppressed, so its plain numbers also show 1 or 2 as <3", () => {
      assert.equal(report.school!.figures.suppressed, true);
      assert.equal(report.la.suppressed, undefined);
    });

    it('refuses a school not in the directory', () => {
      const problems = problemsOf(() => buildReport(input(), { ...YEAR, schoolId: 'nowhere' }));
      assert.deepEqual(
        problems.map((p) => p.field),
        ['School'],
      );
    });
  });

  describe('phase filter', () => {
    it('suppresses the LA totals too when the phase leaves a single school', () => {
      const report = buildReport(input(), { ...YEAR, phase: 'secondary' });
      // Hillside only: h1 h2 h3 h5 = 4; semh h1 h2 = 2; communication h3 = 1; cognition h2 h5 = 2.
      assert.deepEqual(report.la.requests, { value: 4, shown: '4' });
      assert.deepEqual(byNeed(report.la), {
        semh: '<3',
        communication: '<3',
        cognition: '<3',
        'sensory-physical': '0',
      });
      // ehc-assessment h1, needs-met h4.
      assert.equal(closed(report.la)['ehc-assessment'], '<3');
      assert.equal(closed(report.la)['needs-met'], '<3');
      // h3 3, h5 10, h4 21, h1 30, h2 46: median rank 3 → 21; p90 rank ceil(4.5) = 5 → 46.
      assert.deepEqual(report.la.daysToDecision, { decided: 5, median: 21, p90: 46 });
      // h1 500 + h2 250 + h4 200 + h5 350.
      assert.deepEqual(report.la.committed, { pence: 130000 });
      assert.deepEqual(
        report.bySchool.map((s) => s.schoolId),
        [HILL.id],
      );
    });

    it('does not suppress LA totals over two or more schools', () => {
      const report = buildReport(input(), { ...YEAR, phase: 'primary' });
      // Oakfield 5 + Elm 2 = 7; sensory-physical e2 = 1, shown as 1.
      assert.deepEqual(report.la.requests, { value: 7, shown: '7' });
      assert.equal(byNeed(report.la)['sensory-physical'], '1');
    });
  });

  describe('term filter', () => {
    const report = buildReport(input(), { ...YEAR, term: 'Autumn 2026' });

    it('narrows requests, decisions, spend, reviews and closures to the term', () => {
      assert.deepEqual(report.period, {
        label: 'Autumn 2026 (2026-27)',
        from: '2026-09-01',
        to: '2026-12-18',
      });
      const la = report.la;
      // c1 c2 c3 e1 h1 h2 h3 = 7; class c2 e1 h3 = 3.
      assert.deepEqual(la.requests, { value: 7, shown: '7' });
      assert.deepEqual(la.wholeClass, { value: 3, shown: '3' });
      // approved c1 c2 e1 h1 h2 = 5; declined c3 h3 = 2.
      assert.deepEqual(decisions(la), { approved: '5', declined: '2', changes_requested: '0' });
      // 3 7 10 14 20 30 46 (n = 7): median rank 4 → 14; p90 rank ceil(6.3) = 7 → 46.
      assert.deepEqual(la.daysToDecision, { decided: 7, median: 14, p90: 46 });
      // Commitments are the year's; spend delivered in the term: c1 200 + e1 100 + h1 250.
      assert.deepEqual(la.committed, { pence: 305000 });
      assert.deepEqual(la.spent, { pence: 55000 });
      // Due in the term: h4 (30 Sep), c1 (20 Nov), h1 interim (1 Dec), all done on time.
      assert.deepEqual(la.reviews, { onTime: 3, late: 0, overdue: 0 });
      assert.equal(closed(la)['school-provision'], '1'); // c3
      assert.equal(closed(la)['ehc-assessment'], '0');
      // Oakfield c1 c2 c3 = 3, Hillside h1 h2 h3 = 3, Elm e1 = 1.
      assert.deepEqual(
        report.bySchool.map((s) => [s.school, s.requests.shown]),
        [
          ['Hillside High', '3'],
          ['Oakfield Primary', '3'],
          ['Elm Primary', '<3'],
        ],
      );
    });

    it('refuses an unknown term, a term of another year, and a year that is not one', () => {
      const unknown = problemsOf(() => reportPeriod({ year: '2026-27', term: 'Summer 2030' }, TERMS));
      assert.deepEqual(unknown, [
        { field: 'Term', message: '"Summer 2030" is not one of the terms in the directory.' },
      ]);
      const other = problemsOf(() => buildReport(input(), { year: '2026-27', term: 'Summer 2027' }));
      assert.deepEqual(other, [
        { field: 'Term', message: 'Summer 2027 is not in the financial year 2026-27.' },
      ]);
      const year = problemsOf(() => reportPeriod({ year: '2026-28' }, TERMS));
      assert.deepEqual(
        year.map((p) => p.field),
        ['Financial year'],
      );
    });
  });

  describe('extract', () => {
    const rows = extractRows(input(), YEAR);

    it('has one row per case raised in the period, oldest first', () => {
      // e2 (1 Apr) c1 h1 c2 h2 c3 h3 e1 c4 c5 h5; h4 was raised in 2025-26.
      assert.deepEqual(
        rows.map((r) => r.ref),
        [7, 1, 8, 2, 9, 3, 10, 6, 4, 5, 12].map((n) => `EIP-2026-${String(n).padStart(4, '0')}`),
      );
    });

    it('gives ISO dates, pounds with two decimals, and ratings, for a commissioned case', () => {
      assert.deepEqual(
        rows.find((r) => r.ref === c1.ref),
        {
          ref: 'EIP-2026-0001',
          school: 'Oakfield Primary',
          phase: 'primary',
          yearGroup: 'Year 4',
          kind: 'individual',
          needs: 'Social, emotional and mental health',
          status: 'commissioned',
          raised: '2026-09-10',
          decided: '2026-09-24',
          outcome: 'approved',
          approvedPounds: '450.00',
          committedPounds: '450.00',
          spentPounds: '200.00',
          closedReason: '',
          progress: 'Good progress; Some progress',
        },
      );
      // c4: the approved round's proposal (£300), not the one sent back (£400).
      assert.equal(rows.find((r) => r.ref === c4.ref)!.approvedPounds, '300.00');
      // h5: approved and committed, not yet commissioned.
      const h5row = rows.find((r) => r.ref === h5.ref)!;
      assert.deepEqual(
        [h5row.approvedPounds, h5row.committedPounds, h5row.spentPounds, h5row.yearGroup],
        ['350.00', '350.00', '', 'Year 4'],
      );
      const e2row = rows.find((r) => r.ref === e2.ref)!;
      assert.deepEqual(
        [e2row.raised, e2row.decided, e2row.outcome, e2row.closedReason, e2row.needs],
        ['2026-04-01', '', '', 'ehc-assessment', 'Sensory and/or physical'],
      );
    });

    it("keeps to a school's own cases for a school's report", () => {
      const mine = extractRows(input(), { ...YEAR, schoolId: ELM.id });
      assert.deepEqual(
        mine.map((r) => r.ref),
        [e2.ref, e1.ref],
      );
    });

    it("holds no pupil or class name and nobody's words, nor does any report", () => {
      const all = JSON.stringify([
        rows,
        extractRows(input(), { ...YEAR, schoolId: OAK.id }),
        buildReport(input(), YEAR),
        buildReport(input(), { ...YEAR, schoolId: OAK.id }),
        buildReport(input(), { ...YEAR, term: 'Spring 2027', phase: 'secondary' }),
      ]);
      for (const name of NAMES) {
        assert.ok(!all.includes(name), `${name} appears`);
        for (const part of name.split(/[ -]/).filter((p) => p.length >= 6)) {
          assert.ok(!all.includes(part), `${part} appears`);
        }
      }
      assert.ok(!all.includes(WORDS));
      assert.ok(!all.includes('target'));
    });
  });
});
