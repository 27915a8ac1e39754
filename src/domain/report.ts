// Impact reports: the figures the programme board and Schools Forum read, computed from the store's records for a
// financial year (or one term of it), all schools or one, and optionally one phase. Pure: the caller reads the
// records and the directory and passes them in.
//
// Definitions (each figure's period is the filter's first to last day, as London calendar dates):
// - a request is in the period by when it was raised; a decision by when the panel decided;
// - committed is what the year's budget holds for the cases in scope (the approved total, then the agreed package
//   costs, or the spend if higher: see budget.ts), for the whole year even when a term is chosen, since commitments
//   are not dated; spent is spend charged to the year and, with a term, delivered in it;
// - by intervention type and by provider, committed is the agreed cost of the year's commissioned packages, so it
//   leaves out cases approved but not yet commissioned;
// - outcomes are reviews whose outcome was recorded in the period; reviews on time or late are those due in it;
// - closures are cases closed in the period (and not since reopened), by reason.
//
// Nothing here identifies a pupil. In a school's own figures (and each school's row LA-wide) a count of 1 or 2 shows
// "<3"; the LA's totals are shown as they are unless the filter leaves a single school, when they are the school's.
import { financialYearOf } from './budget';
import { londonDate, daysBetween } from './dates';
import type { Term } from './directory';
import { EipError } from './errors';
import { sumPence } from './money';
import type {
  Count,
  ExtractRow,
  Money,
  Report,
  ReportFigures,
  ReportFilter,
  SchoolRow,
} from './report-types';
import { SUPPRESS_BELOW } from './report-types';
import {
  CLOSURE_REASONS,
  INTERVENTION_TYPES,
  NEED_AREAS,
  NEED_AREA_LABELS,
  PROGRESS_LABELS,
  PROGRESS_LEVELS,
  type BudgetRecord,
  type CaseRecord,
  type DecisionOutcome,
  type DecisionRecord,
  type InterventionType,
  type PackageRecord,
  type Phase,
  type ProposalRecord,
  type ReviewRecord,
  type SpendRecord,
} from './types';

/** Everything a report is computed from: the store's records and the directory's schools, terms and providers. */
export interface ReportInput {
  cases: CaseRecord[];
  proposals: ProposalRecord[];
  decisions: DecisionRecord[];
  packages: PackageRecord[];
  spends: SpendRecord[];
  reviews: ReviewRecord[];
  budgets: BudgetRecord[];
  schools: { id: string; name: string; phase: Phase }[];
  terms: readonly Term[];
  providers: { id: string; name: string }[];
  now: Date;
}

const DECISION_OUTCOMES: readonly DecisionOutcome[] = ['approved', 'declined', 'changes_requested'];

const YEAR = /^(\d{4})-(\d{2})$/;

/** The days a report covers: the financial year (1 April to 31 March), or one of its terms. */
export function reportPeriod(
  filter: Pick<ReportFilter, 'year' | 'term'>,
  terms: readonly Term[],
): { label: string; from: string; to: string } {
  const m = YEAR.exec(filter.year.trim());
  const start = m ? Number(m[1]) : NaN;
  if (!m || (start + 1) % 100 !== Number(m[2])) {
    throw new EipError('invalid_input', undefined, [
      { field: 'Financial year', message: 'must be a financial year written like 2026-27.' },
    ]);
  }
  const year = `${m[1]}-${m[2]}`;
  const yearFrom = `${start}-04-01`;
  const yearTo = `${start + 1}-03-31`;
  const name = filter.term?.trim();
  if (!name) return { label: year, from: yearFrom, to: yearTo };
  const term = terms.find((t) => t.name.toLowerCase() === name.toLowerCase());
  if (!term) {
    throw new EipError('invalid_input', undefined, [
      { field: 'Term', message: `"${name}" is not one of the terms in the directory.` },
    ]);
  }
  if (financialYearOf(term.start) !== year || financialYearOf(term.end) !== year) {
    throw new EipError('invalid_input', undefined, [
      { field: 'Term', message: `${term.name} is not in the financial year ${year}.` },
    ]);
  }
  return { label: `${term.name} (${year})`, from: term.start, to: term.end };
}

/** A count as it may be shown: 1 or 2 shows "<3" when `suppress` (a per-school cell); 0 and 3 or more as they are. */
const countOf = (value: number, suppress: boolean): Count => ({
  value,
  shown: suppress && value > 0 && value < SUPPRESS_BELOW ? `<${SUPPRESS_BELOW}` : String(value),
});

const money = (pence: number): Money => ({ pence });

/**
 * The nearest-rank percentile of a list of numbers: the smallest value with at least p% of the list at or below it
 * (the ceil(p/100 × n)-th smallest). The median is the 50th percentile by the same rule, so it is always one of the
 * values, never an average of two.
 */
function nearestRank(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Records grouped by the case they belong to. */
function byCase<T extends { caseId: string }>(records: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const record of records) {
    const list = map.get(record.caseId);
    if (list) list.push(record);
    else map.set(record.caseId, [record]);
  }
  return map;
}

/** The records of one report, indexed once, with the period. */
class Records {
  readonly caseById: Map<string, CaseRecord>;
  readonly packageById: Map<string, PackageRecord>;
  readonly providerName: Map<string, string>;
  readonly budget: BudgetRecord | undefined;
  readonly whole: boolean;
  /** Each case's decisions, proposals, packages, spend and reviews, so a row need not scan every record. */
  readonly decisionsOf: Map<string, DecisionRecord[]>;
  readonly proposalsOf: Map<string, ProposalRecord[]>;
  readonly packagesOf: Map<string, PackageRecord[]>;
  readonly spendsOf: Map<string, SpendRecord[]>;
  readonly reviewsOf: Map<string, ReviewRecord[]>;

  constructor(
    readonly input: ReportInput,
    readonly year: string,
    readonly from: string,
    readonly to: string,
    term: boolean,
  ) {
    this.caseById = new Map(input.cases.map((c) => [c.id, c]));
    this.packageById = new Map(input.packages.map((p) => [p.id, p]));
    this.providerName = new Map(input.providers.map((p) => [p.id, p.name]));
    this.budget = input.budgets.find((b) => b.id === year);
    this.whole = !term;
    this.decisionsOf = byCase(input.decisions);
    this.proposalsOf = byCase(input.proposals);
    this.packagesOf = byCase(input.packages);
    this.spendsOf = byCase(input.spends);
    this.reviewsOf = byCase(input.reviews);
  }

  inPeriod(day: string): boolean {
    return day >= this.from && day <= this.to;
  }

  at(instant: string): string {
    return londonDate(new Date(instant));
  }

  /** A package's provider as the directory names it now, else as it was typed. */
  provider(p: PackageRecord): string {
    return (p.providerId && this.providerName.get(p.providerId)) || p.providerName;
  }

  /** A case's decision that answered it: the latest approval or decline, optionally only among those in the period. */
  answer(caseId: string, inPeriod: boolean): DecisionRecord | undefined {
    return (this.decisionsOf.get(caseId) ?? [])
      .filter((d) => d.outcome !== 'changes_requested' && (!inPeriod || this.inPeriod(this.at(d.decidedAt))))
      .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt))
      .at(-1);
  }
}

/** Figures for the cases `inScope` picks out. `la` adds the allocation; `suppress` hides counts of 1 and 2. */
function figures(
  r: Records,
  inScope: (caseId: string) => boolean,
  opts: { la: boolean; suppress: boolean },
): ReportFigures {
  const { input } = r;
  const count = (n: number) => countOf(n, opts.suppress);

  const requests = input.cases.filter((c) => inScope(c.id) && r.inPeriod(r.at(c.raisedAt)));
  const wholeClass = requests.filter((c) => c.request.kind === 'class').length;

  // Days from the request to the panel's answer, over cases answered (approved or declined) in the period.
  const days = input.cases
    .filter((c) => inScope(c.id))
    .flatMap((c) => {
      const d = r.answer(c.id, true);
      return d ? [daysBetween(r.at(c.raisedAt), r.at(d.decidedAt))] : [];
    });
  // A school's median of one or two cases would be one child's timeline: left out below the threshold.
  const showDays = !opts.suppress || days.length >= SUPPRESS_BELOW;

  const decisions = input.decisions.filter((d) => inScope(d.caseId) && r.inPeriod(r.at(d.decidedAt)));

  const packages = input.packages.filter((p) => inScope(p.caseId) && p.budgetYear === r.year);
  const spends = input.spends.filter(
    (s) => inScope(s.caseId) && s.budgetYear === r.year && (r.whole || r.inPeriod(s.deliveredOn)),
  );
  const committed = Object.entries(r.budget?.commitments ?? {})
    .filter(([caseId]) => inScope(caseId))
    .reduce((sum, [, pence]) => sum + pence, 0);

  const byIntervention = INTERVENTION_TYPES.map((type: InterventionType) => ({
    type,
    committed: money(
      sumPence(
        packages.filter((p) => p.type === type),
        (p) => p.agreedPence,
      ),
    ),
    spent: money(
      sumPence(
        spends.filter((s) => s.type === type),
        (s) => s.amountPence,
      ),
    ),
  })).filter((row) => row.committed.pence > 0 || row.spent.pence > 0);

  const providers = new Map<string, { committed: number; spent: number }>();
  const providerRow = (name: string) => {
    const row = providers.get(name) ?? { committed: 0, spent: 0 };
    providers.set(name, row);
    return row;
  };
  for (const p of packages) providerRow(r.provider(p)).committed += p.agreedPence;
  for (const s of spends) {
    const p = r.packageById.get(s.packageId);
    providerRow(p ? r.provider(p) : 'Unknown provider').spent += s.amountPence;
  }
  const byProvider = [...providers.entries()]
    .map(([provider, row]) => ({ provider, committed: money(row.committed), spent: money(row.spent) }))
    .sort(
      (a, b) =>
        b.committed.pence - a.committed.pence ||
        b.spent.pence - a.spent.pence ||
        a.provider.localeCompare(b.provider),
    );

  const recorded = input.reviews.filter(
    (v) => inScope(v.caseId) && v.outcome && r.inPeriod(r.at(v.outcome.recordedAt)),
  );
  const levels = recorded.flatMap((v) => v.outcome!.progress.map((p) => p.level));
  const changes = recorded.flatMap((v) => {
    const { baseline, end } = v.outcome!;
    return typeof baseline === 'number' && typeof end === 'number' ? [end - baseline] : [];
  });
  // Likewise one or two children's score changes are not shown as a school's mean.
  const showChange = changes.length > 0 && (!opts.suppress || changes.length >= SUPPRESS_BELOW);

  // Reviews due in the period: done by the due date, done after it, or still not done with the due date passed.
  const today = londonDate(input.now);
  const due = input.reviews.filter((v) => inScope(v.caseId) && r.inPeriod(v.due));
  const doneOn = (v: ReviewRecord) =>
    v.outcome ? r.at(v.outcome.recordedAt) : v.status === 'done' ? r.at(v.updatedAt) : undefined;
  const reviews = { onTime: 0, late: 0, overdue: 0 };
  for (const v of due) {
    const done = doneOn(v);
    if (done !== undefined) reviews[done <= v.due ? 'onTime' : 'late'] += 1;
    else if (v.due < today) reviews.overdue += 1;
  }

  const closed = input.cases.filter(
    (c) => inScope(c.id) && c.status === 'closed' && c.closedAt !== undefined && r.inPeriod(r.at(c.closedAt)),
  );

  return {
    ...(opts.suppress ? { suppressed: true } : {}),
    requests: count(requests.length),
    byNeed: NEED_AREAS.map((need) => ({
      need,
      count: count(requests.filter((c) => c.request.needs.includes(need)).length),
    })),
    individual: count(requests.length - wholeClass),
    wholeClass: count(wholeClass),
    ...(requests.length > 0 ? { wholeClassShare: wholeClass / requests.length } : {}),
    daysToDecision: {
      decided: days.length,
      ...(showDays && days.length > 0 ? { median: nearestRank(days, 50)!, p90: nearestRank(days, 90)! } : {}),
    },
    decisions: DECISION_OUTCOMES.map((outcome) => ({
      outcome,
      count: count(decisions.filter((d) => d.outcome === outcome).length),
    })),
    ...(opts.la ? { allocation: money(r.budget?.allocationPence ?? 0) } : {}),
    committed: money(committed),
    spent: money(sumPence(spends, (s) => s.amountPence)),
    byIntervention,
    byProvider,
    outcomes: {
      recorded: recorded.length,
      progress: PROGRESS_LEVELS.map((level) => ({
        level,
        count: count(levels.filter((l) => l === level).length),
      })),
      ...(showChange ? { meanScoreChange: changes.reduce((a, b) => a + b, 0) / changes.length } : {}),
      withScores: changes.length,
    },
    reviews,
    closed: CLOSURE_REASONS.map((reason) => ({
      reason,
      count: count(closed.filter((c) => c.closureReason === reason).length),
    })),
  };
}

/** The schools a filter covers (all, or those of its phase), and the cases it covers LA-wide. */
function scope(input: ReportInput, filter: ReportFilter) {
  const schools = input.schools.filter((s) => !filter.phase || s.phase === filter.phase);
  const schoolIds = new Set(schools.map((s) => s.id));
  const caseSchool = new Map(input.cases.map((c) => [c.id, c.schoolId]));
  // Without a phase every case counts LA-wide (even a school since taken out of the directory).
  const inLa = (caseId: string) => !filter.phase || schoolIds.has(caseSchool.get(caseId) ?? '');
  const inSchool = (schoolId: string) => (caseId: string) => caseSchool.get(caseId) === schoolId;
  let school: ReportInput['schools'][number] | undefined;
  if (filter.schoolId !== undefined) {
    school = input.schools.find((s) => s.id === filter.schoolId);
    if (!school) {
      throw new EipError('invalid_input', undefined, [
        { field: 'School', message: 'is not a school in the directory.' },
      ]);
    }
  }
  return { schools, inLa, inSchool, school };
}

/** The report for a filter: LA-wide figures, a school's own beside them when one is chosen, and requests by school. */
export function buildReport(input: ReportInput, filter: ReportFilter): Report {
  const period = reportPeriod(filter, input.terms);
  const r = new Records(input, filter.year.trim(), period.from, period.to, Boolean(filter.term?.trim()));
  const { schools, inLa, inSchool, school } = scope(input, filter);

  // LA totals are a single school's when the filter leaves only one: then they are suppressed like one.
  const la = figures(r, inLa, { la: true, suppress: schools.length <= 1 });
  const bySchool: SchoolRow[] = school
    ? []
    : schools
        .map((s) => {
          const mine = inSchool(s.id);
          const n = input.cases.filter((c) => mine(c.id) && r.inPeriod(r.at(c.raisedAt))).length;
          return { schoolId: s.id, school: s.name, requests: countOf(n, true) };
        })
        .sort((a, b) => b.requests.value - a.requests.value || a.school.localeCompare(b.school));

  return {
    filter,
    period,
    la,
    ...(school
      ? {
          school: {
            schoolId: school.id,
            name: school.name,
            figures: figures(r, inSchool(school.id), { la: false, suppress: true }),
          },
        }
      : {}),
    bySchool,
    generatedAt: input.now.toISOString(),
  };
}

/** Pence as pounds with two decimals and no symbol or separators, as a spreadsheet reads it: "540.00". */
const pounds = (pence: number) =>
  `${Math.trunc(pence / 100)}.${String(Math.abs(pence % 100)).padStart(2, '0')}`;

/**
 * One pseudonymised row per case raised in the period (the school's own, for a school's report): the case reference,
 * never a name, a class name or anyone's words; ISO dates and money in pounds.
 */
export function extractRows(input: ReportInput, filter: ReportFilter): ExtractRow[] {
  const period = reportPeriod(filter, input.terms);
  const r = new Records(input, filter.year.trim(), period.from, period.to, Boolean(filter.term?.trim()));
  const { inLa, inSchool, school } = scope(input, filter);
  const inScope = school ? inSchool(school.id) : inLa;
  const schoolById = new Map(input.schools.map((s) => [s.id, s]));

  return input.cases
    .filter((c) => inScope(c.id) && r.inPeriod(r.at(c.raisedAt)))
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.ref.localeCompare(b.ref))
    .map((c) => {
      const s = schoolById.get(c.schoolId);
      const decision = [...(r.decisionsOf.get(c.id) ?? [])]
        .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt))
        .at(-1);
      const approved =
        decision?.outcome === 'approved'
          ? r.proposalsOf.get(c.id)?.find((p) => p.round === decision.round)
          : undefined;
      const commitment = c.budgetYear
        ? input.budgets.find((b) => b.id === c.budgetYear)?.commitments[c.id]
        : undefined;
      const spends = r.spendsOf.get(c.id) ?? [];
      const commissioned = r.packagesOf.has(c.id);
      // The latest review with an outcome: its progress ratings, never the outcome's words.
      const review = (r.reviewsOf.get(c.id) ?? [])
        .filter((v) => v.outcome)
        .sort((a, b) => a.outcome!.recordedAt.localeCompare(b.outcome!.recordedAt))
        .at(-1);
      return {
        ref: c.ref,
        school: s?.name ?? c.schoolId,
        phase: s?.phase ?? '',
        yearGroup: c.request.yearGroup,
        kind: c.request.kind,
        needs: c.request.needs.map((n) => NEED_AREA_LABELS[n]).join('; '),
        status: c.status,
        raised: r.at(c.raisedAt),
        decided: decision ? r.at(decision.decidedAt) : '',
        outcome: decision?.outcome ?? '',
        approvedPounds: approved ? pounds(approved.totalPence) : '',
        committedPounds: commitment !== undefined ? pounds(commitment) : '',
        spentPounds:
          commissioned || spends.length > 0 ? pounds(sumPence(spends, (sp) => sp.amountPence)) : '',
        closedReason: c.status === 'closed' ? (c.closureReason ?? '') : '',
        progress: review ? review.outcome!.progress.map((p) => PROGRESS_LABELS[p.level]).join('; ') : '',
      };
    });
}
