// A report as one CSV file that opens cleanly in Excel: the report's figures first, then (after a blank line)
// requests by school for an LA-wide report, then the pseudonymised row-per-case extract. UTF-8 with a byte order
// mark (so Excel reads it as UTF-8), CRLF line ends, ISO dates, money in pounds with two decimals.
//
// Quoting follows RFC 4180 (csv-stringify quotes a cell holding a comma, a quote or a line break, and doubles its
// quotes), and formula injection is neutralised as OWASP advises: a text cell that starts with =, +, -, @, a tab or
// a carriage return is prefixed with a single quote, so Excel shows it and never runs it. Numbers are written as
// numbers: a negative count or score change is not a formula.
import { stringify } from 'csv-stringify/sync';
import { CLOSURE_LABELS, INTERVENTION_LABELS, NEED_AREA_LABELS, PROGRESS_LABELS } from '../../domain';
import {
  shownCount,
  type Count,
  type ExtractRow,
  type Money,
  type Report,
  type ReportFigures,
} from '../../domain/report-types';
import type { DecisionOutcome } from '../../domain/types';

type Cell = string | number;

const DECISION_LABELS: Record<DecisionOutcome, string> = {
  approved: 'Approved',
  declined: 'Declined',
  changes_requested: 'Changes requested',
};

/** Pounds with two decimals and no currency sign or thousands separator, so Excel reads a number. */
export const poundsOf = (m: Money): string => (m.pence / 100).toFixed(2);
const shown = (c: Count): Cell => (/^\d+$/.test(c.shown) ? c.value : c.shown);
/** A plain number of one school's figures: "<3" for 1 or 2, like every count there. */
const small = (f: ReportFigures, n: number): Cell => {
  const text = shownCount(f, n);
  return text === String(n) ? n : text;
};
const optional = (n: number | undefined, dp = 1): Cell =>
  n === undefined ? '' : Math.round(n * 10 ** dp) / 10 ** dp;
const share = (s: number | undefined): Cell => (s === undefined ? '' : `${(s * 100).toFixed(1)}%`);

/** One figure's row: its name, its breakdown, then the LA-wide value and (for a school's report) the school's. */
type Figure = (f: ReportFigures) => Cell;

/** Rows for a breakdown (by need, by provider…): every key either scope has, in the order the LA-wide list gives. */
function breakdown<T>(
  name: string,
  list: (f: ReportFigures) => T[],
  key: (t: T) => string,
  label: (k: string) => string,
  value: (t: T) => Cell,
  scopes: ReportFigures[],
): Cell[][] {
  const keys = [...new Set(scopes.flatMap((f) => list(f).map(key)))];
  return keys.map((k) => [
    name,
    label(k),
    ...scopes.map((f) => {
      const found = list(f).find((t) => key(t) === k);
      return found === undefined ? '' : value(found);
    }),
  ]);
}

function figureRows(scopes: ReportFigures[]): Cell[][] {
  const one = (name: string, part: string, figure: Figure): Cell[] => [name, part, ...scopes.map(figure)];
  return [
    one('Requests', '', (f) => shown(f.requests)),
    ...breakdown(
      'Requests by need',
      (f) => f.byNeed,
      (t) => t.need,
      (k) => NEED_AREA_LABELS[k as keyof typeof NEED_AREA_LABELS] ?? k,
      (t) => shown(t.count),
      scopes,
    ),
    one('Individual requests', '', (f) => shown(f.individual)),
    one('Whole-class requests', '', (f) => shown(f.wholeClass)),
    one('Whole-class share', '', (f) => share(f.wholeClassShare)),
    one('Days from request to decision', 'Cases decided', (f) => small(f, f.daysToDecision.decided)),
    one('Days from request to decision', 'Median', (f) => optional(f.daysToDecision.median)),
    one('Days from request to decision', '90th percentile', (f) => optional(f.daysToDecision.p90)),
    ...breakdown(
      'Decisions',
      (f) => f.decisions,
      (t) => t.outcome,
      (k) => DECISION_LABELS[k as DecisionOutcome] ?? k,
      (t) => shown(t.count),
      scopes,
    ),
    one('Allocation (£)', '', (f) => (f.allocation ? poundsOf(f.allocation) : '')),
    one('Committed (£)', '', (f) => poundsOf(f.committed)),
    one('Spent (£)', '', (f) => poundsOf(f.spent)),
    ...breakdown(
      'Committed by intervention (£)',
      (f) => f.byIntervention,
      (t) => t.type,
      (k) => INTERVENTION_LABELS[k as keyof typeof INTERVENTION_LABELS] ?? k,
      (t) => poundsOf(t.committed),
      scopes,
    ),
    ...breakdown(
      'Spent by intervention (£)',
      (f) => f.byIntervention,
      (t) => t.type,
      (k) => INTERVENTION_LABELS[k as keyof typeof INTERVENTION_LABELS] ?? k,
      (t) => poundsOf(t.spent),
      scopes,
    ),
    ...breakdown(
      'Committed by provider (£)',
      (f) => f.byProvider,
      (t) => t.provider,
      (k) => k,
      (t) => poundsOf(t.committed),
      scopes,
    ),
    ...breakdown(
      'Spent by provider (£)',
      (f) => f.byProvider,
      (t) => t.provider,
      (k) => k,
      (t) => poundsOf(t.spent),
      scopes,
    ),
    one('Outcome reviews recorded', '', (f) => small(f, f.outcomes.recorded)),
    ...breakdown(
      'Progress',
      (f) => f.outcomes.progress,
      (t) => t.level,
      (k) => PROGRESS_LABELS[k as keyof typeof PROGRESS_LABELS] ?? k,
      (t) => shown(t.count),
      scopes,
    ),
    one('Reviews with baseline and end scores', '', (f) => small(f, f.outcomes.withScores)),
    one('Mean score change', '', (f) => optional(f.outcomes.meanScoreChange, 2)),
    one('Reviews due', 'Done on time', (f) => small(f, f.reviews.onTime)),
    one('Reviews due', 'Done late', (f) => small(f, f.reviews.late)),
    one('Reviews due', 'Overdue', (f) => small(f, f.reviews.overdue)),
    ...breakdown(
      'Cases closed',
      (f) => f.closed,
      (t) => t.reason,
      (k) => CLOSURE_LABELS[k as keyof typeof CLOSURE_LABELS] ?? k,
      (t) => shown(t.count),
      scopes,
    ),
  ];
}

/** The extract's columns, in order, with their headings. */
const EXTRACT_COLUMNS: [keyof ExtractRow, string][] = [
  ['ref', 'Case reference'],
  ['school', 'School'],
  ['phase', 'Phase'],
  ['yearGroup', 'Year group'],
  ['kind', 'Kind'],
  ['needs', 'Needs'],
  ['status', 'Status'],
  ['raised', 'Raised'],
  ['decided', 'Decided'],
  ['outcome', 'Decision'],
  ['approvedPounds', 'Approved (£)'],
  ['committedPounds', 'Committed (£)'],
  ['spentPounds', 'Spent (£)'],
  ['closedReason', 'Closed because'],
  ['progress', 'Progress'],
];

/** The report and its extract as the bytes of one CSV file. */
export function reportCsvBytes(report: Report, rows: readonly ExtractRow[]): Buffer {
  const scopes = report.school ? [report.la, report.school.figures] : [report.la];
  const records: Cell[][] = [
    ['EIP impact report', report.period.label],
    ['Period', `${report.period.from} to ${report.period.to}`],
    ['Generated', report.generatedAt],
    [],
    ['Figure', 'Breakdown', 'LA-wide', ...(report.school ? [report.school.name] : [])],
    ...figureRows(scopes),
  ];
  if (report.bySchool.length > 0)
    records.push([], ['School', 'Requests'], ...report.bySchool.map((r) => [r.school, shown(r.requests)]));
  records.push(
    [],
    EXTRACT_COLUMNS.map(([, heading]) => heading),
    ...rows.map((r) => EXTRACT_COLUMNS.map(([key]) => String(r[key] ?? ''))),
  );
  const text = stringify(records, {
    bom: true,
    record_delimiter: 'windows',
    // Without this a lone line feed in a cell would go unquoted (the default quotes only the record delimiter).
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  return Buffer.from(text, 'utf8');
}
