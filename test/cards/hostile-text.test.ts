// Every card builder, fed hostile text in every field (test/fixtures/hostile-text.ts): the card is valid JSON, nothing
// a person typed lands anywhere Teams reads markdown unescaped, nothing turns into a live link, a template expression
// or a date, and a reader sees exactly what was typed. A builder added to src/cards fails here until it is covered.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as cards from '../../src/cards';
import type { Card, CardAction, Field } from '../../src/cards';
import type { Report, ReportFigures } from '../../src/domain/report-types';
import { HOSTILE, HOSTILE_TEXT } from '../fixtures/hostile-text';
import { assertNothingLive, nodes, read, seen, shownText, values } from './read';

const { action } = cards;

/** Hands out someone's words: each a hostile string with its own tag, so each can be found on the card. */
class Words {
  private n = 0;
  /** Everything handed out, shown or not. */
  readonly all: string[] = [];
  /** What the card must show. */
  readonly shown: string[] = [];
  constructor(private readonly text: string) {}
  private next(): string {
    const s = `${this.text}\u27e6${++this.n}\u27e7`;
    this.all.push(s);
    return s;
  }
  /** Words the card shows. */
  say(): string {
    const s = this.next();
    this.shown.push(s);
    return s;
  }
  /** Words the card carries but need not show: an input's id, a button's data, a refused number. */
  carry(): string {
    return this.next();
  }
}

type Builder = (w: Words) => Card[];

const buttons = (w: Words, n = 2): CardAction[] =>
  Array.from({ length: n }, (_, i) =>
    action(w.say(), i ? 'help' : 'openCase', { caseId: w.carry() }, i ? 'destructive' : 'positive'),
  );

const facts = (w: Words) => [
  { title: w.say(), value: w.say() },
  { title: w.say(), value: w.say() },
];

/** Every field kind, each with someone's words in every place a form can show them. */
const fields = (w: Words): Field[] => [
  { kind: 'heading', label: w.say() },
  { kind: 'note', label: w.say() },
  {
    kind: 'text',
    id: w.carry(),
    label: w.say(),
    required: true,
    multiline: true,
    maxLength: 2000,
    placeholder: w.say(),
    value: w.say(),
  },
  { kind: 'date', id: w.carry(), label: w.say(), value: w.say() },
  // A number field shows a refused entry blank, so that entry need not be shown.
  { kind: 'number', id: w.carry(), label: w.say(), min: 0, max: 10, placeholder: w.say(), value: w.carry() },
  ...(['compact', 'expanded', 'filtered'] as const).map((style): Field => ({
    kind: 'choice',
    id: w.carry(),
    label: w.say(),
    choices: [
      { title: w.say(), value: w.say() },
      { title: w.say(), value: w.say() },
    ],
    multiSelect: style === 'expanded',
    expanded: style === 'expanded',
    filtered: style === 'filtered',
    placeholder: w.say(),
    value: w.say(),
  })),
];

/** Report figures whose provider names are someone's words (the provider records hold what was typed). */
const reportFigures = (w: Words): ReportFigures => {
  const c = { value: 4, shown: '4' };
  const m = { pence: 45000 };
  return {
    requests: c,
    byNeed: [{ need: 'semh', count: c }],
    individual: c,
    wholeClass: { value: 1, shown: '<3' },
    wholeClassShare: 0.2,
    daysToDecision: { decided: 4, median: 10, p90: 20 },
    decisions: [{ outcome: 'approved', count: c }],
    allocation: m,
    committed: m,
    spent: m,
    byIntervention: [{ type: 'counselling', committed: m, spent: m }],
    byProvider: [{ provider: w.say(), committed: m, spent: m }],
    outcomes: { recorded: 2, progress: [{ level: 'good', count: c }], meanScoreChange: 1, withScores: 2 },
    reviews: { onTime: 1, late: 1, overdue: 0 },
    closed: [{ reason: 'ehc-assessment', count: c }],
  };
};

/** An LA-wide report and a school's own, with school names, provider names and the period label from records. */
const reports = (w: Words): Report[] => {
  const la: Report = {
    filter: { year: '2026-27' },
    period: { label: w.say(), from: '2026-04-01', to: '2027-03-31' },
    la: reportFigures(w),
    bySchool: [
      { schoolId: w.carry(), school: w.say(), requests: { value: 9, shown: '9' } },
      { schoolId: w.carry(), school: w.say(), requests: { value: 1, shown: '<3' } },
    ],
    generatedAt: '2026-11-30T10:00:00Z',
  };
  const own: Report = {
    ...la,
    period: { label: w.say(), from: '2026-09-01', to: '2026-12-31' },
    la: reportFigures(w),
    school: { schoolId: w.carry(), name: w.say(), figures: reportFigures(w) },
    bySchool: [],
  };
  return [la, own];
};

/** Each builder exported by src/cards, with every string it takes filled with someone's words. */
const BUILDERS = {
  helpCard: (w) => [
    cards.helpCard({
      name: w.say(),
      rolesLine: w.say(),
      actingLine: w.say(),
      tips: [w.say(), w.say()],
      actions: buttons(w),
    }),
  ],
  noticeCard: (w) => [
    cards.noticeCard({
      title: w.say(),
      text: w.say(),
      quote: w.say(),
      after: w.say(),
      tone: 'attention',
      facts: facts(w),
      problems: [{ field: w.say(), message: w.say() }],
      actions: buttons(w),
    }),
  ],
  formCard: (w) => [
    cards.formCard({
      title: w.say(),
      subtitle: w.say(),
      fields: fields(w),
      problems: [{ field: w.say(), message: w.say() }],
      actions: buttons(w),
    }),
  ],
  caseCard: (w) => [
    cards.caseCard({
      ref: w.say(),
      subject: w.say(),
      statusLine: w.say(),
      banner: { text: w.say(), tone: 'warning' },
      facts: facts(w),
      sections: [{ heading: w.say(), text: w.say() }],
      actions: buttons(w),
    }),
  ],
  casesCard: (w) => [
    cards.casesCard({
      title: w.say(),
      summary: w.say(),
      rows: [true, false].map((mine) => ({
        caseId: w.carry(),
        ref: w.say(),
        status: w.say(),
        label: w.say(),
        waiting: w.say(),
        mine,
      })),
      actions: buttons(w),
    }),
  ],
  filesCard: (w) => [
    cards.filesCard({
      title: w.say(),
      subtitle: w.say(),
      text: w.say(),
      rows: [
        { name: w.say(), line: w.say(), open: { fileId: w.carry(), caseId: w.carry() } },
        { name: w.say(), line: w.say() },
      ],
      actions: buttons(w),
    }),
  ],
  panelCard: (w) =>
    [true, false].map((open) =>
      cards.panelCard({
        caseId: w.carry(),
        round: 2,
        ref: w.say(),
        subject: w.say(),
        facts: facts(w),
        sections: [{ heading: w.say(), text: w.say() }],
        tallyLine: w.say(),
        votedLine: w.say(),
        outcome: { text: w.say(), tone: 'good' },
        personal: { text: w.say(), tone: 'accent' },
        open,
        live: true,
        // Closed to voting, the card shows only Refresh: its buttons are not shown.
        actions: open ? buttons(w) : [action(w.carry(), 'vote', { caseId: w.carry() })],
        userIds: [w.carry()],
      }),
    ),
  providersCard: (w) => [
    cards.providersCard({
      title: w.say(),
      summary: w.say(),
      banner: { text: w.say(), tone: 'good' },
      rows: [true, false].map((active) => ({
        name: w.say(),
        contact: w.say(),
        services: w.say(),
        rate: w.say(),
        active,
        actions: buttons(w),
      })),
      actions: buttons(w),
    }),
  ],
  historyCard: (w) => [
    cards.historyCard({
      ref: w.say(),
      subject: w.say(),
      statusLine: w.say(),
      note: w.say(),
      rows: [
        { when: w.say(), who: w.say(), what: w.say(), change: w.say(), refused: false },
        { when: w.say(), who: w.say(), what: w.say(), change: w.carry(), refused: true },
      ],
      reads: [{ who: w.say(), times: 2, last: w.say() }],
      actions: buttons(w),
    }),
  ],
  agendaCard: (w) => [
    cards.agendaCard({
      title: w.say(),
      subtitle: w.say(),
      sections: [
        { heading: w.say(), empty: w.carry(), rows: [{ lead: w.say(), text: w.say() }] },
        { heading: w.say(), empty: w.say(), rows: [] },
        // A line of the panel's agenda opens its proposal's panel card.
        {
          heading: w.say(),
          empty: w.carry(),
          rows: [{ lead: w.say(), text: w.say(), open: buttons(w, 1)[0]! }],
        },
      ],
      actions: buttons(w),
    }),
  ],
  ledgerCard: (w) => [
    cards.ledgerCard({
      title: w.say(),
      subtitle: w.say(),
      banner: { text: w.say(), tone: 'warning' },
      figures: facts(w),
      sections: [
        { heading: w.say(), rows: facts(w), empty: w.carry(), attention: true },
        { heading: w.say(), rows: [], empty: w.say() },
      ],
      actions: buttons(w),
    }),
  ],
  reportCard: (w) =>
    reports(w).flatMap((report) => {
      const card = cards.reportCard({ report, actions: buttons(w) });
      // And as a client without chart support draws it: the fallback tables.
      return [card, cards.withoutCharts(card)];
    }),
  reportFilterCard: (w) => [
    cards.reportFilterCard({
      years: [w.say(), w.say()],
      terms: [w.say()],
      schools: [{ id: w.carry(), name: w.say() }],
      phases: [{ id: w.carry(), name: w.say() }],
      values: { year: w.carry(), term: w.carry(), schoolId: w.carry(), phase: w.carry() },
      problems: [{ field: w.say(), message: w.say() }],
    }),
  ],
} satisfies Record<string, Builder>;

/** Exports of src/cards that are not card builders. Anything else exported must be in BUILDERS. */
const NOT_BUILDERS = ['action', 'actionsData', 'isVerb', 'render', 'secondary', 'tidyRow', 'withoutCharts'];

/** The checks on one card; what was said is checked across all the cards a builder made from the same words. */
function assertLiteral(card: Card, w: Words, name: string): void {
  // Valid JSON that reads back the same.
  const json = JSON.stringify(card);
  assert.deepEqual(JSON.parse(json), card, `${name}: survives a JSON round trip`);

  // Nothing read as markdown, nothing live.
  assertNothingLive(card, name);
  const places = shownText(card);

  // Values and button data go back exactly as typed: no joiner, no escape.
  for (const v of values(card).filter((s) => s.includes('\u27e6')))
    assert.ok(w.all.includes(v), `${name}: the value ${JSON.stringify(v)} was changed`);

  // The template is fully expanded, and nobody's ${…} was evaluated (it is still there, as typed, above).
  const rest = [...places.map(seen), ...values(card)].map((s) =>
    w.all.reduce((t, said) => t.split(read(said)).join(''), read(s)),
  );
  assert.ok(!rest.some((s) => s.includes('${')), `${name}: a template left unexpanded`);
}

/** A reader sees exactly what was typed, each piece somewhere on the cards made from it. */
function assertAllShown(built: Card[], w: Words, name: string): void {
  const readable = built.flatMap((card) => [...shownText(card).map(seen), ...values(card)]);
  for (const said of w.shown)
    assert.ok(
      readable.some((r) => read(r).includes(read(said))),
      `${name}: ${JSON.stringify(said)} is not on the card as typed`,
    );
}

/** Builds every card of a builder from hostile words, and checks them all. */
function check(name: string, build: Builder, w: Words): void {
  const built = build(w);
  for (const card of built) assertLiteral(card, w, name);
  assertAllShown(built, w, name);
}

describe('hostile text on every card', () => {
  it('covers every card builder src/cards exports, and nothing else is exported unnoticed', () => {
    const exported = Object.entries(cards)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    assert.deepEqual(exported, [...Object.keys(BUILDERS), ...NOT_BUILDERS].sort());
  });

  it('has a builder for every template, and no template uses an element Teams reads as markdown', () => {
    const dir = path.join(__dirname, '..', '..', 'cards');
    const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.deepEqual(
      templates.map((f) => `${path.basename(f, '.json')}Card`).sort(),
      Object.keys(BUILDERS).sort(),
    );
    for (const f of templates) {
      const types = nodes(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))).map((n) => n.type);
      assert.ok(!types.includes('TextBlock') && !types.includes('FactSet'), `${f} uses TextBlock or FactSet`);
    }
  });

  for (const [kind, text] of Object.entries(HOSTILE_TEXT)) {
    for (const [name, build] of Object.entries(BUILDERS) as [string, Builder][]) {
      it(`${name} shows ${kind} literally in every field`, () => check(name, build, new Words(text)));
    }
  }

  it('shows all of it at once, in one field', () => {
    for (const [name, build] of Object.entries(BUILDERS) as [string, Builder][])
      check(name, build, new Words(HOSTILE.join(' ')));
  });

  it('turns the phishing link into plain text a reader sees exactly as typed', () => {
    const card = cards.panelCard({
      caseId: 'case-1',
      round: 1,
      ref: 'EIP-2026-0001',
      subject: `Whole class ${HOSTILE_TEXT.markdownLink}, Year 4`,
      facts: [],
      sections: [],
      tallyLine: '',
      votedLine: '',
      open: false,
      live: false,
      actions: [],
      userIds: [],
    });
    const run = nodes(card).find((n) => n.type === 'TextRun' && String(n.text).startsWith('Whole class'))!;
    assert.equal(
      run.text,
      'Whole class [Re-verify your vote here](https:\u2060//evil.\u2060example/login) **URGENT**, Year 4',
    );
    assert.equal(read(run.text), `Whole class ${HOSTILE_TEXT.markdownLink}, Year 4`);
  });
});

describe('ordinary text on a card', () => {
  it('is left exactly as it is: amounts, times, dates, references, abbreviations and sentences copy as shown', () => {
    const ordinary = [
      '£12,000.00 of £357,000.00 available in 2026-27',
      'Observation at 10:30 on Wed 2 Dec 2026',
      'EIP-2026-0042 · Submitted',
      'e.g. a calm corner, i.e. somewhere quiet',
      'Fewer incidents. Uses calm-down strategies: daily.',
      'Decision rule: 3 votes, simple majority',
      'Tom & Jerry; 1 < 2 > 0',
    ];
    const card = cards.noticeCard({ title: 'Check', facts: ordinary.map((o) => ({ title: o, value: o })) });
    assert.deepEqual(
      nodes(card)
        .filter((n) => n.type === 'TextRun')
        .map((n) => n.text),
      ['Check', ...ordinary.flatMap((o) => [o, o])],
    );
  });

  it('is made literal once: a card rendered again from its own text shows the same', () => {
    const once = cards.noticeCard({ title: HOSTILE.join(' ') });
    const twice = cards.noticeCard({ title: String(nodes(once).find((n) => n.type === 'TextRun')!.text) });
    assert.deepEqual(twice, once);
  });
});
