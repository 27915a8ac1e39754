// STAND-IN, REPLACED ON MERGE: the real buildReport, reportPeriod and extractRows are written in another branch.
// This keeps only their interface, with just enough figures (requests counted per school) for the application side
// (src/app/reports) and its tests to compile and run. Nothing here is the real computation.
import type { Directory } from './directory';
import type {
  BudgetRecord,
  CaseRecord,
  DecisionRecord,
  PackageRecord,
  Phase,
  ProposalRecord,
  ReviewRecord,
  SpendRecord,
} from './types';
import type { ExtractRow, Report, ReportFigures, ReportFilter } from './report-types';

export interface ReportInput {
  cases: CaseRecord[];
  proposals: ProposalRecord[];
  decisions: DecisionRecord[];
  packages: PackageRecord[];
  spends: SpendRecord[];
  reviews: ReviewRecord[];
  budgets: BudgetRecord[];
  schools: { id: string; name: string; phase: Phase }[];
  terms: Directory['terms'];
  providers: { id: string; name: string }[];
  now: Date;
}

/** Stand-in: the financial year's span, or the named term's. */
export function reportPeriod(
  filter: ReportFilter,
  terms: Directory['terms'],
): { label: string; from: string; to: string } {
  const start = Number(filter.year.slice(0, 4));
  const term = filter.term ? terms.find((t) => t.name === filter.term) : undefined;
  if (term) return { label: `${term.name} (${filter.year})`, from: term.start, to: term.end };
  return { label: filter.year, from: `${start}-04-01`, to: `${start + 1}-03-31` };
}

const count = (n: number) => ({ value: n, shown: String(n) });

function figures(cases: CaseRecord[]): ReportFigures {
  return {
    requests: count(cases.length),
    byNeed: [],
    individual: count(cases.filter((c) => c.request.kind === 'individual').length),
    wholeClass: count(cases.filter((c) => c.request.kind !== 'individual').length),
    daysToDecision: { decided: 0 },
    decisions: [],
    committed: { pence: 0 },
    spent: { pence: 0 },
    byIntervention: [],
    byProvider: [],
    outcomes: { recorded: 0, progress: [], withScores: 0 },
    reviews: { onTime: 0, late: 0, overdue: 0 },
    closed: [],
  };
}

/** Stand-in: requests in the period, LA-wide and for the filter's school. */
export function buildReport(input: ReportInput, filter: ReportFilter): Report {
  const period = reportPeriod(filter, input.terms);
  const inPeriod = input.cases.filter(
    (c) => c.raisedAt.slice(0, 10) >= period.from && c.raisedAt.slice(0, 10) <= period.to,
  );
  const school = filter.schoolId ? input.schools.find((s) => s.id === filter.schoolId) : undefined;
  return {
    filter,
    period,
    la: figures(inPeriod),
    ...(school
      ? {
          school: {
            schoolId: school.id,
            name: school.name,
            figures: figures(inPeriod.filter((c) => c.schoolId === school.id)),
          },
        }
      : {}),
    bySchool: school
      ? []
      : input.schools.map((s) => ({
          schoolId: s.id,
          school: s.name,
          requests: count(inPeriod.filter((c) => c.schoolId === s.id).length),
        })),
    generatedAt: input.now.toISOString(),
  };
}

/** Stand-in: one row per case in scope, no names. */
export function extractRows(input: ReportInput, filter: ReportFilter): ExtractRow[] {
  const period = reportPeriod(filter, input.terms);
  return input.cases
    .filter((c) => c.raisedAt.slice(0, 10) >= period.from && c.raisedAt.slice(0, 10) <= period.to)
    .filter((c) => !filter.schoolId || c.schoolId === filter.schoolId)
    .map((c) => ({
      ref: c.ref,
      school: input.schools.find((s) => s.id === c.schoolId)?.name ?? c.schoolId,
      phase: input.schools.find((s) => s.id === c.schoolId)?.phase ?? '',
      yearGroup: c.request.yearGroup,
      kind: c.request.kind === 'individual' ? 'individual' : 'class',
      needs: '',
      status: c.status,
      raised: c.raisedAt.slice(0, 10),
      decided: '',
      outcome: '',
      approvedPounds: '',
      committedPounds: '',
      spentPounds: '',
      closedReason: '',
      progress: '',
    }));
}
