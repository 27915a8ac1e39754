// The impact report card, from a hand-built report: its charts and the tables a client without chart support shows
// instead, small numbers shown as "<3", a school's report beside the LA's and nothing of another school; and the filter
// card, which offers a school picker only to those who may choose a school.
import assert from 'node:assert/strict';
import { action, reportCard, reportFilterCard, withoutCharts, type Card } from '../../src/cards';
import type { Count, Report, ReportFigures } from '../../src/domain/report-types';
import { lineOf, lines, nodes, ofType, read, type Node } from './read';

const n = (value: number): Count => ({ value, shown: String(value) });
const small = (value: number): Count => ({ value, shown: '<3' });
const gbp = (pounds: number) => ({ pence: pounds * 100 });

const LA: ReportFigures = {
  requests: n(40),
  byNeed: [
    { need: 'semh', count: n(22) },
    { need: 'communication', count: n(18) },
  ],
  individual: n(30),
  wholeClass: n(10),
  wholeClassShare: 0.25,
  daysToDecision: { decided: 30, median: 12, p90: 27 },
  decisions: [
    { outcome: 'approved', count: n(24) },
    { outcome: 'declined', count: n(4) },
    { outcome: 'changes_requested', count: n(2) },
  ],
  allocation: gbp(357000),
  committed: gbp(42000),
  spent: gbp(18500),
  byIntervention: [
    { type: 'counselling', committed: gbp(20000), spent: gbp(12000) },
    { type: 'whole-class-support', committed: gbp(22000), spent: gbp(6500) },
  ],
  byProvider: [
    { provider: 'Calm Minds CIC', committed: gbp(20000), spent: gbp(12000) },
    { provider: 'Talk Together Ltd', committed: gbp(22000), spent: gbp(6500) },
  ],
  outcomes: {
    recorded: 12,
    progress: [
      { level: 'good', count: n(7) },
      { level: 'fully-met', count: n(5) },
    ],
    meanScoreChange: 2.5,
    withScores: 10,
  },
  reviews: { onTime: 9, late: 3, overdue: 1 },
  closed: [
    { reason: 'needs-met', count: n(6) },
    { reason: 'ehc-assessment', count: n(3) },
  ],
};

const laWide: Report = {
  filter: { year: '2026-27' },
  period: { label: '2026-27', from: '2026-04-01', to: '2027-03-31' },
  la: LA,
  bySchool: [
    { schoolId: 's1', school: 'Oakfield Primary', requests: n(25) },
    { schoolId: 's2', school: 'Riverside Academy', requests: n(13) },
    { schoolId: 's3', school: 'Tiny Hamlet C of E', requests: small(2) },
  ],
  generatedAt: '2026-11-30T10:00:00Z',
};

const OAKFIELD: ReportFigures = {
  ...LA,
  requests: n(25),
  byNeed: [
    { need: 'semh', count: n(15) },
    { need: 'communication', count: n(10) },
  ],
  individual: n(23),
  wholeClass: small(2),
  wholeClassShare: 0.08,
  daysToDecision: { decided: 2 },
  decisions: [{ outcome: 'approved', count: n(20) }],
  allocation: undefined,
  committed: gbp(9000),
  spent: gbp(4000),
  byIntervention: [{ type: 'counselling', committed: gbp(9000), spent: gbp(4000) }],
  byProvider: [{ provider: 'Calm Minds CIC', committed: gbp(9000), spent: gbp(4000) }],
  closed: [{ reason: 'ehc-assessment', count: small(1) }],
};

const ownSchool: Report = {
  ...laWide,
  filter: { year: '2026-27', term: 'Autumn 2026', schoolId: 's1' },
  period: { label: 'Autumn 2026 (2026-27)', from: '2026-09-01', to: '2026-12-31' },
  school: { schoolId: 's1', name: 'Oakfield Primary', figures: OAKFIELD },
  bySchool: [],
};

const actions = [action('Download CSV', 'reportCsv', {}), action('Change filter', 'reportForm')];

/** Each table row as its cells, as a reader sees them: "label|a" or "label|a|b". */
const tableRows = (card: unknown) =>
  ofType(card, 'ColumnSet').map((cs) =>
    (cs.columns as Node[]).map((c) => lineOf((c.items as Node[])[0]!)).join('|'),
  );

/** The section under a heading: the Container whose first block reads `heading`. */
function section(card: Card, heading: string): Node {
  const found = ofType(card.body, 'Container').find((c) => {
    const first = (c.items as Node[] | undefined)?.[0];
    return first?.type === 'RichTextBlock' && lineOf(first) === heading;
  });
  assert.ok(found, `no section "${heading}"`);
  return found;
}

describe('the report card', () => {
  it('draws a donut of spend by type and bars of requests by school, each falling back to its table', () => {
    const card = reportCard({ report: laWide, actions });
    assert.equal(/\$\{|\$data|\$when/.test(JSON.stringify(card)), false);
    assert.equal(card.version, '1.5');

    const [donut, ...moreDonuts] = ofType(card, 'Chart.Donut');
    assert.equal(moreDonuts.length, 0);
    assert.deepEqual(donut!.data, [
      { legend: 'Counselling', value: 12000 },
      { legend: 'Whole-class support or staff training', value: 6500 },
    ]);
    assert.deepEqual(tableRows(donut!.fallback), [
      '|Committed|Spent',
      'Counselling|£20,000.00|£12,000.00',
      'Whole-class support or staff training|£22,000.00|£6,500.00',
    ]);

    const [bars, ...moreBars] = ofType(card, 'Chart.VerticalBar');
    assert.equal(moreBars.length, 0);
    // The small school's bar is labelled "<3" and drawn empty: its height would give the true count away.
    assert.deepEqual(
      (bars!.data as Node[]).map((b) => [read(b.x), b.y]),
      [
        ['Oakfield Primary', 25],
        ['Riverside Academy', 13],
        ['Tiny Hamlet C of E (<3)', 0],
      ],
    );
    assert.deepEqual(tableRows(bars!.fallback), [
      'Oakfield Primary|25',
      'Riverside Academy|13',
      'Tiny Hamlet C of E|<3',
    ]);
    // With charts drawn, the tables are only fallbacks: nothing shown twice.
    assert.equal(tableRows(card.body).filter((r) => r === 'Oakfield Primary|25').length, 1);
  });

  it('without chart support, shows the same figures as tables and no chart at all', () => {
    const card = withoutCharts(reportCard({ report: laWide, actions }));
    assert.deepEqual(
      nodes(card).filter((x) => typeof x.type === 'string' && x.type.startsWith('Chart.')),
      [],
    );
    const rows = tableRows(card);
    for (const r of [
      'Counselling|£20,000.00|£12,000.00',
      'Whole-class support or staff training|£22,000.00|£6,500.00',
      'Oakfield Primary|25',
      'Riverside Academy|13',
      'Tiny Hamlet C of E|<3',
    ])
      assert.ok(rows.includes(r), `${r} missing from ${JSON.stringify(rows)}`);
    // And the same card asked for without charts draws exactly what the fallbacks give.
    assert.deepEqual(reportCard({ report: laWide, charts: false, actions }), card);
  });

  it('answers every question the board asks, in short rows that fit a phone', () => {
    const card = withoutCharts(reportCard({ report: laWide, actions }));
    const text = lines(card);
    assert.equal(text[0], 'Impact report');
    assert.ok(text.includes('2026-27'));
    assert.ok(text.includes('All schools'));
    const rows = tableRows(card);
    for (const r of [
      'Requests|40',
      'Individual|30',
      'Whole-class|10',
      'Share|25% whole-class',
      'Social, emotional and mental health|22',
      'Median|12 days',
      '90th percentile|27 days',
      'Approved|24',
      'Changes requested|2',
      'Allocation|£357,000.00',
      'Committed|£42,000.00',
      'Spent|£18,500.00',
      'Calm Minds CIC|£20,000.00|£12,000.00',
      'Good progress|7',
      'Mean score change|+2.5 (10 with scores)',
      'On time|9',
      'Late|3',
      'Overdue|1',
      'Referred for an EHC needs assessment|3',
    ])
      assert.ok(rows.includes(r), `${r} missing from ${JSON.stringify(rows)}`);
    for (const cs of ofType(card, 'ColumnSet')) assert.ok((cs.columns as Node[]).length <= 3);
    assert.deepEqual(
      ofType(card, 'Action.Execute').map((a) => a.verb),
      ['reportCsv', 'reportForm'],
    );
  });

  it('says so when a period has nothing to show, rather than an empty section', () => {
    const none: ReportFigures = {
      ...LA,
      requests: n(0),
      byNeed: [],
      individual: n(0),
      wholeClass: n(0),
      wholeClassShare: undefined,
      daysToDecision: { decided: 0 },
      decisions: [],
      allocation: undefined,
      committed: gbp(0),
      spent: gbp(0),
      byIntervention: [],
      byProvider: [],
      closed: [],
    };
    const card = reportCard({ report: { ...laWide, la: none, bySchool: [] }, actions });
    assert.equal(ofType(card, 'Chart.Donut').length + ofType(card, 'Chart.VerticalBar').length, 0);
    const text = lines(card);
    for (const note of [
      'No requests in this period.',
      'Too few decisions to show.',
      'No decisions in this period.',
      'Nothing committed in this period.',
      'Nothing commissioned in this period.',
      'No cases closed in this period.',
    ])
      assert.ok(text.includes(note), note);
    const rows = tableRows(card);
    assert.ok(rows.includes('Allocation|Not set'));
    assert.ok(rows.includes('Share|No requests'));
  });

  it('names the phase an LA-wide report is narrowed to', () => {
    const card = reportCard({
      report: { ...laWide, filter: { year: '2026-27', phase: 'early-years' } },
      actions,
    });
    assert.ok(lines(card).includes('All schools · Early years phase'));
  });

  it("shows a school's figures beside the LA's, and nothing of any other school", () => {
    const card = reportCard({ report: ownSchool, actions });
    const json = read(JSON.stringify(card));
    assert.ok(!json.includes('Riverside') && !json.includes('Tiny Hamlet'), 'another school is named');
    assert.equal(ofType(card, 'Chart.VerticalBar').length, 0, 'no bars of requests by school');
    assert.ok(lines(card).includes('Autumn 2026 (2026-27)'));
    assert.ok(lines(card).includes('Oakfield Primary, beside the LA-wide totals'));

    const rows = tableRows(withoutCharts(card));
    for (const r of [
      '|Oakfield Primary|All schools',
      'Requests|25|40',
      'Whole-class|<3|10',
      // A share would give the suppressed count away.
      'Share|Not shown (small numbers)|25% whole-class',
      'Allocation|—|£357,000.00',
      'Spent|£4,000.00|£18,500.00',
      'Counselling|£4,000.00|£12,000.00',
      'Referred for an EHC needs assessment|<3|3',
      'Median|—|12 days',
    ])
      assert.ok(rows.includes(r), `${r} missing from ${JSON.stringify(rows)}`);
    assert.ok(lines(section(card, 'Time to decision')).includes('Too few decisions to show.'));
    // The donut is of the school's own spend.
    assert.deepEqual(ofType(card, 'Chart.Donut')[0]!.data, [{ legend: 'Counselling', value: 4000 }]);
  });
});

describe("a school's plain numbers", () => {
  it('show 1 or 2 as "<3" like every other count of one school, beside the LA totals as they are', () => {
    const card = reportCard({
      report: {
        ...ownSchool,
        school: {
          ...ownSchool.school!,
          figures: {
            ...ownSchool.school!.figures,
            suppressed: true,
            reviews: { onTime: 1, late: 2, overdue: 3 },
          },
        },
        la: { ...ownSchool.la, reviews: { onTime: 1, late: 2, overdue: 0 } },
      },
      actions,
    });
    const rows = tableRows(section(card, 'Reviews'));
    assert.ok(rows.includes('On time|<3|1'), rows.join(' / '));
    assert.ok(rows.includes('Late|<3|2'), rows.join(' / '));
    assert.ok(rows.includes('Overdue|3|0'), rows.join(' / '));
  });
});

describe('the report filter card', () => {
  const base = { years: ['2026-27', '2025-26'], terms: ['Autumn 2026', 'Spring 2027'] };
  const pickers = (card: Card) =>
    Object.fromEntries(
      ofType(card, 'Input.ChoiceSet').map((c) => [c.id, (c.choices as Node[]).map((x) => read(x.title))]),
    );

  it('offers an admin or the co-ordinator every school and phase, or all of them', () => {
    const card = reportFilterCard({
      ...base,
      schools: [
        { id: 's1', name: 'Oakfield Primary' },
        { id: 's2', name: 'Riverside Academy' },
      ],
      phases: [{ id: 'primary', name: 'Primary' }],
    });
    assert.deepEqual(pickers(card), {
      year: ['2026-27', '2025-26'],
      term: ['Whole year', 'Autumn 2026', 'Spring 2027'],
      schoolId: ['All schools', 'Oakfield Primary', 'Riverside Academy'],
      phase: ['All phases', 'Primary'],
    });
    const [show, cancel] = ofType(card, 'Action.Execute');
    assert.equal(show!.verb, 'report');
    assert.equal(show!.associatedInputs, 'auto');
    assert.equal(cancel!.title, 'Cancel');
    assert.equal(cancel!.associatedInputs, 'none');
  });

  it('gives a school user no school or phase picker', () => {
    assert.deepEqual(Object.keys(pickers(reportFilterCard(base))), ['year', 'term']);
  });

  it('comes back filled in, with what needs another look', () => {
    const card = reportFilterCard({
      ...base,
      values: { year: '2025-26', term: 'Spring 2027' },
      problems: [{ field: 'Term', message: 'Spring 2027 is not in 2025-26.' }],
    });
    assert.deepEqual(
      ofType(card, 'Input.ChoiceSet').map((c) => c.value),
      ['2025-26', 'Spring 2027'],
    );
    assert.ok(lines(card).includes('Term: Spring 2027 is not in 2025-26.'));
  });
});
