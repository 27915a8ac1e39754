// The impact report as cards: the filter card that asks what to report on, and the report card that answers it
// (issue 10). Figures come from buildReport (src/domain/report.ts) already suppressed: a Count shows its `shown` text,
// so a per-school cell of 1 or 2 reads "<3". Where Teams draws Adaptive Card charts the report has a donut of spend
// by intervention type and bars of requests by school; each chart carries the standard per-element `fallback`, a
// short table that reads well on a phone, which is what any client without Chart.* support shows instead.
import reportTemplate from '../../cards/report.json';
import filterTemplate from '../../cards/reportFilter.json';
import type { FieldProblem } from '../domain/errors';
import { formatPence } from '../domain/money';
import { shownCount, type Count, type Money, type Report, type ReportFigures } from '../domain/report-types';
import {
  CLOSURE_LABELS,
  INTERVENTION_LABELS,
  NEED_AREA_LABELS,
  PROGRESS_LABELS,
  type DecisionOutcome,
} from '../domain/types';
import { unlinked } from './literal';
import { actionsData, render, type Card } from './render';
import { action, type CardAction } from './verbs';
import { spoken } from './speak';

/** The filter card's choice for "no narrowing": the whole year, all schools, all phases. */
export const REPORT_ALL = 'all';

export interface ReportFilterCardData {
  /** Financial years to offer ("2026-27"), newest first. */
  years: readonly string[];
  /** Term names from the directory ("Autumn 2026"); "Whole year" is always offered first. */
  terms: readonly string[];
  /** Schools to choose from: admin and co-ordinator only. A school's own user gets no school picker. */
  schools?: readonly { id: string; name: string }[];
  /** Phases to choose from: LA-wide reports only. */
  phases?: readonly { id: string; name: string }[];
  /** What was chosen last time, so a refused filter comes back filled in. */
  values?: { year?: string; term?: string; schoolId?: string; phase?: string };
  problems?: FieldProblem[];
}

/** Asks what to report on. Its inputs are `year`, `term`, `schoolId` and `phase`; REPORT_ALL means no narrowing. */
export function reportFilterCard(d: ReportFilterCardData): Card {
  const v = d.values ?? {};
  const picker = (id: string, label: string, value: string, choices: { title: string; value: string }[]) => ({
    id,
    label,
    value,
    choices,
    errorMessage: `Choose a ${label.toLowerCase()}.`,
  });
  const pickers = [
    picker(
      'year',
      'Financial year',
      v.year ?? d.years[0] ?? '',
      d.years.map((y) => ({ title: y, value: y })),
    ),
    picker('term', 'Term', v.term ?? REPORT_ALL, [
      { title: 'Whole year', value: REPORT_ALL },
      ...d.terms.map((t) => ({ title: t, value: t })),
    ]),
    ...(d.schools
      ? [
          picker('schoolId', 'School', v.schoolId ?? REPORT_ALL, [
            { title: 'All schools', value: REPORT_ALL },
            ...d.schools.map((s) => ({ title: s.name, value: s.id })),
          ]),
        ]
      : []),
    ...(d.phases
      ? [
          picker('phase', 'Phase', v.phase ?? REPORT_ALL, [
            { title: 'All phases', value: REPORT_ALL },
            ...d.phases.map((p) => ({ title: p.name, value: p.id })),
          ]),
        ]
      : []),
  ];
  return render(filterTemplate, {
    speak: spoken('Impact report: choose what to report on'),
    title: 'Impact report',
    subtitle: d.schools
      ? 'Choose the period, and a school or all of them.'
      : "Choose the period. The report shows your school's figures beside the LA-wide totals.",
    problems: d.problems ?? [],
    pickers,
    actions: actionsData([action('Show report', 'report', {}, 'positive'), action('Cancel', 'help')]),
  });
}

export interface ReportCardData {
  report: Report;
  /** False to leave the charts out altogether (the tables alone); charts are drawn by default. */
  charts?: boolean;
  actions: CardAction[];
}

/** One row of a table: a label and one or two values (the school's and the LA's, or committed and spent). */
interface Row {
  label: string;
  a: string;
  b: string;
  three: boolean;
  weight: 'Default' | 'Bolder';
}

interface Section {
  heading: string;
  rows: Row[];
  note: string;
  chart: '' | 'donut' | 'bar';
  chartTitle: string;
  xAxisTitle: string;
  yAxisTitle: string;
  slices: { legend: string; value: number }[];
  bars: { x: string; y: number }[];
}

/** "early-years" → "Early years phase". */
const phaseName = (p: string) => `${p.charAt(0).toUpperCase()}${p.slice(1).replace(/-/g, ' ')} phase`;

const DECISION_LABELS: Record<DecisionOutcome, string> = {
  approved: 'Approved',
  declined: 'Declined',
  changes_requested: 'Changes requested',
};

const pounds = (m: Money | undefined) => (m ? formatPence(m.pence) : '—');
const days = (n: number | undefined) => (n === undefined ? '—' : `${n} ${n === 1 ? 'day' : 'days'}`);
/** A count shown as "<3" rather than as itself. */
const suppressed = (c: Count) => c.shown.startsWith('<');
const signed = (n: number) => `${n > 0 ? '+' : ''}${n.toFixed(1)}`;

/** The whole-class share, unless a suppressed count would let it give a small number away. */
function share(f: ReportFigures): string {
  if (f.wholeClassShare === undefined) return 'No requests';
  if (suppressed(f.individual) || suppressed(f.wholeClass) || suppressed(f.requests))
    return 'Not shown (small numbers)';
  return `${Math.round(f.wholeClassShare * 100)}% whole-class`;
}

function meanChange(f: ReportFigures): string {
  return f.outcomes.meanScoreChange === undefined
    ? 'No scores'
    : `${signed(f.outcomes.meanScoreChange)} (${shownCount(f, f.outcomes.withScores)} with scores)`;
}

/** Rows for each key in `keys` order, reading the value for the school (if any) and the LA. */
function keyed<K, T>(
  keys: readonly K[],
  label: (k: K) => string,
  la: readonly T[],
  school: readonly T[] | undefined,
  key: (t: T) => K,
  value: (t: T | undefined) => string,
  build: (label: string, a: string, b?: string) => Row,
): Row[] {
  const find = (list: readonly T[], k: K) => list.find((t) => key(t) === k);
  return keys.map((k) =>
    school
      ? build(label(k), value(find(school, k)), value(find(la, k)))
      : build(label(k), value(find(la, k))),
  );
}

/** Keys in the order the LA's list gives them, then any only the school has. */
const keysOf = <T, K>(la: readonly T[], school: readonly T[] | undefined, key: (t: T) => K): K[] => [
  ...new Set([...la.map(key), ...(school ?? []).map(key)]),
];

/** The report: headline figures, then one short section per question the board asks. */
export function reportCard(d: ReportCardData): Card {
  const r = d.report;
  const charts = d.charts ?? true;
  const la = r.la;
  const s = r.school?.figures;
  const two = s !== undefined;
  const row = (label: string, a: string, b = ''): Row => ({
    label,
    a,
    b,
    three: two || b !== '',
    weight: 'Default',
  });
  const head = (a: string, b: string): Row => ({ label: '', a, b, three: true, weight: 'Bolder' });
  /** A row of one figure: the school's beside the LA's, or the LA's alone. */
  const fig = (label: string, pick: (f: ReportFigures) => string): Row =>
    s ? row(label, pick(s), pick(la)) : row(label, pick(la));
  const scopeHead = s ? [head(r.school!.name, 'All schools')] : [];
  const count = (c: Count | undefined) => c?.shown ?? '0';
  const section = (heading: string, rows: Row[], more: Partial<Section> = {}): Section => ({
    heading,
    rows,
    note: '',
    chart: '',
    chartTitle: '',
    xAxisTitle: '',
    yAxisTitle: '',
    slices: [],
    bars: [],
    ...more,
  });

  const needKeys = keysOf(la.byNeed, s?.byNeed, (n) => n.need);
  const requests = section('Requests', [
    ...scopeHead,
    fig('Requests', (f) => f.requests.shown),
    fig('Individual', (f) => f.individual.shown),
    fig('Whole-class', (f) => f.wholeClass.shown),
    fig('Share', share),
    ...keyed(
      needKeys,
      (k) => NEED_AREA_LABELS[k],
      la.byNeed,
      s?.byNeed,
      (n) => n.need,
      (n) => count(n?.count),
      row,
    ),
  ]);

  // Requests by school: LA-wide only (buildReport leaves it empty for a school's own report). A suppressed cell is
  // drawn as an empty bar labelled "<3", never as its true height.
  const bySchool = r.school
    ? undefined
    : section(
        'By school',
        r.bySchool.map((b) => row(b.school, b.requests.shown)),
        r.bySchool.length
          ? {
              chart: charts ? 'bar' : '',
              chartTitle: 'Requests by school',
              xAxisTitle: 'School',
              yAxisTitle: 'Requests',
              bars: r.bySchool.map((b) => ({
                x: unlinked(suppressed(b.requests) ? `${b.school} (${b.requests.shown})` : b.school),
                y: suppressed(b.requests) ? 0 : b.requests.value,
              })),
            }
          : { note: 'No requests in this period.' },
      );

  const timing = section(
    'Time to decision',
    [
      ...scopeHead,
      fig('Decided', (f) => shownCount(f, f.daysToDecision.decided)),
      fig('Median', (f) => days(f.daysToDecision.median)),
      fig('90th percentile', (f) => days(f.daysToDecision.p90)),
    ],
    {
      note:
        (s ?? la).daysToDecision.median === undefined
          ? 'Too few decisions to show.'
          : 'Days from request to decision.',
    },
  );

  const decisionKeys = keysOf(la.decisions, s?.decisions, (x) => x.outcome);
  const decisions = section(
    'Decisions',
    decisionKeys.length === 0
      ? []
      : [
          ...scopeHead,
          ...keyed(
            decisionKeys,
            (k) => DECISION_LABELS[k],
            la.decisions,
            s?.decisions,
            (x) => x.outcome,
            (x) => count(x?.count),
            row,
          ),
        ],
    { note: decisionKeys.length ? '' : 'No decisions in this period.' },
  );

  const allocation = la.allocation ? pounds(la.allocation) : 'Not set';
  const money = section('Money', [
    ...scopeHead,
    // The allocation is the LA's: a school has none of its own.
    s ? row('Allocation', '—', allocation) : row('Allocation', allocation),
    fig('Committed', (f) => pounds(f.committed)),
    fig('Spent', (f) => pounds(f.spent)),
  ]);

  // By intervention type: the LA-wide report shows committed and spent; a school's shows its spend beside the LA's.
  const focus = s ?? la;
  const typeKeys = keysOf(la.byIntervention, s?.byIntervention, (x) => x.type);
  const find = <T extends { type: unknown }>(list: readonly T[], k: unknown) =>
    list.find((x) => x.type === k);
  const typeRows = s
    ? [
        head(r.school!.name, 'All schools'),
        ...typeKeys.map((k) =>
          row(
            INTERVENTION_LABELS[k],
            pounds(find(s.byIntervention, k)?.spent),
            pounds(find(la.byIntervention, k)?.spent),
          ),
        ),
      ]
    : [
        head('Committed', 'Spent'),
        ...la.byIntervention.map((x) =>
          row(INTERVENTION_LABELS[x.type], pounds(x.committed), pounds(x.spent)),
        ),
      ];
  const slices = focus.byIntervention
    .filter((x) => x.spent.pence > 0)
    .map((x) => ({ legend: INTERVENTION_LABELS[x.type], value: x.spent.pence / 100 }));
  const byType = section(
    s ? 'Spent by intervention type' : 'By intervention type',
    typeKeys.length ? typeRows : [],
    {
      chart: charts && slices.length ? 'donut' : '',
      // Chart text is not a TextRun, so the school's name is made unlinkable here.
      chartTitle: unlinked(
        s ? `Spent by ${r.school!.name}, by intervention type` : 'Spent by intervention type',
      ),
      slices,
      note: typeKeys.length ? '' : 'Nothing committed in this period.',
    },
  );

  const providerNames = keysOf(la.byProvider, s?.byProvider, (p) => p.provider);
  const findP = (list: readonly ReportFigures['byProvider'][number][], k: string) =>
    list.find((p) => p.provider === k);
  const byProvider = section(
    s ? 'Spent by provider' : 'By provider',
    providerNames.length === 0
      ? []
      : s
        ? [
            head(r.school!.name, 'All schools'),
            ...providerNames.map((p) =>
              row(p, pounds(findP(s.byProvider, p)?.spent), pounds(findP(la.byProvider, p)?.spent)),
            ),
          ]
        : [
            head('Committed', 'Spent'),
            ...la.byProvider.map((p) => row(p.provider, pounds(p.committed), pounds(p.spent))),
          ],
    { note: providerNames.length ? '' : 'Nothing commissioned in this period.' },
  );

  const outcomes = section('Outcomes', [
    ...scopeHead,
    fig('Reviews recorded', (f) => shownCount(f, f.outcomes.recorded)),
    ...keyed(
      keysOf(la.outcomes.progress, s?.outcomes.progress, (p) => p.level),
      (k) => PROGRESS_LABELS[k],
      la.outcomes.progress,
      s?.outcomes.progress,
      (p) => p.level,
      (p) => count(p?.count),
      row,
    ),
    fig('Mean score change', meanChange),
  ]);

  const reviews = section('Reviews', [
    ...scopeHead,
    fig('On time', (f) => shownCount(f, f.reviews.onTime)),
    fig('Late', (f) => shownCount(f, f.reviews.late)),
    fig('Overdue', (f) => shownCount(f, f.reviews.overdue)),
  ]);

  const closedKeys = keysOf(la.closed, s?.closed, (c) => c.reason);
  const closed = section(
    'Closed',
    closedKeys.length
      ? [
          ...scopeHead,
          ...keyed(
            closedKeys,
            (k) => CLOSURE_LABELS[k],
            la.closed,
            s?.closed,
            (c) => c.reason,
            (c) => count(c?.count),
            row,
          ),
        ]
      : [],
    { note: closedKeys.length ? '' : 'No cases closed in this period.' },
  );

  const scope = [
    r.school ? `${r.school.name}, beside the LA-wide totals` : 'All schools',
    r.filter.phase && !r.school ? phaseName(r.filter.phase) : '',
  ]
    .filter(Boolean)
    .join(' · ');

  const sections = [
    requests,
    bySchool,
    timing,
    decisions,
    money,
    byType,
    byProvider,
    outcomes,
    reviews,
    closed,
  ].filter((x): x is Section => x !== undefined);
  return render(reportTemplate, {
    speak: spoken(`Impact report, ${r.period.label}`),
    title: 'Impact report',
    period: r.period.label,
    scope,
    sections,
    actions: actionsData(d.actions),
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The card as a client without chart support draws it: every element whose type starts with `Chart.` replaced by its
 * `fallback` (dropped when it has none, or when the fallback is "drop"), as the Adaptive Cards fallback rules say.
 */
export function withoutCharts(card: Card): Card {
  const resolve = (node: Json): Json | undefined => {
    if (Array.isArray(node)) return node.map(resolve).filter((n): n is Json => n !== undefined);
    if (node === null || typeof node !== 'object') return node;
    if (typeof node.type === 'string' && node.type.startsWith('Chart.')) {
      const fb = node.fallback;
      return fb && typeof fb === 'object' && !Array.isArray(fb) ? resolve(fb) : undefined;
    }
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) {
      const r = resolve(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  return resolve(card as unknown as Json) as unknown as Card;
}
