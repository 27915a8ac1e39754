// Every card the bot sends: valid Adaptive Card JSON, fully expanded, with a fallback on every button, and people's
// own words shown literally.
import assert from 'node:assert/strict';
import {
  caseCard,
  casesCard,
  formCard,
  helpCard,
  noticeCard,
  panelCard,
  type Card,
  type PanelCardData,
} from '../../src/cards';
import { caseForm, requestForm, type EarlyForm } from '../../src/app/forms';
import type { FieldProblem, ProviderRecord } from '../../src/domain';
import {
  EipError,
  PROPOSAL_LABELS,
  REQUEST_LABELS,
  parseAcceptance,
  parseAnswer,
  parseAssessment,
  parseProposal,
  parseQuestion,
  parseRequest,
} from '../../src/domain';
import { lineOf, lines, read, type Node } from './read';
import { caseData, cases, form, help, notice, panel, sampleCase } from './catalogue';

/** Every object in the card, with whether it sits under `refresh` (whose action Teams invokes itself). */
function nodes(value: unknown, inRefresh = false, out: { node: Node; inRefresh: boolean }[] = []) {
  if (Array.isArray(value)) {
    for (const v of value) nodes(v, inRefresh, out);
  } else if (value !== null && typeof value === 'object') {
    out.push({ node: value as Node, inRefresh });
    for (const [k, v] of Object.entries(value)) nodes(v, inRefresh || k === 'refresh', out);
  }
  return out;
}

const ofType = (card: Card, type: string) => nodes(card).filter(({ node }) => node.type === type);

const textRuns = (card: Card) => ofType(card, 'TextRun').map(({ node }) => read(node.text));

/** The checks every card must pass, whatever its data. */
function assertWellFormed(card: Card): void {
  const json = JSON.stringify(card);
  assert.deepEqual(JSON.parse(json), card, 'survives a JSON round trip unchanged');
  assert.equal(card.type, 'AdaptiveCard');
  assert.equal(card.version, '1.5');
  assert.ok(Array.isArray(card.body));
  assert.equal(json.includes('${'), false, `no unexpanded template left in ${json}`);
  assert.equal(json.includes('$data'), false, 'no template iteration left');
  assert.equal(json.includes('$when'), false, 'no template condition left');
  for (const { node, inRefresh } of nodes(card)) {
    if (node.type !== 'Action.Execute' || inRefresh) continue;
    assert.equal(typeof node.verb, 'string', 'every button has a verb');
    const fallback = node.fallback as Node | undefined;
    assert.ok(fallback, `an Action.Submit fallback for "${String(node.title)}"`);
    assert.equal(fallback.type, 'Action.Submit');
    assert.equal(fallback.title, node.title);
    assert.deepEqual(fallback.data, { ...(node.data as Node), verb: node.verb });
  }
}

const NASTY = 'Try ${title}, see [link](http://x) and **bold** — or {{DATE(2026-12-02)}}';

interface Input {
  id: string;
  label: string;
  value: unknown;
  /** The heading the input sits under, as the person reads the form. */
  heading: string;
}

/** The form's inputs in order, each with the heading above it. */
function inputsOf(card: Card): Input[] {
  const out: Input[] = [];
  let heading = '';
  for (const { node } of nodes(card.body)) {
    if (node.type === 'RichTextBlock' && node.separator === true) heading = lineOf(node);
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) {
      out.push({ id: String(node.id), label: String(node.label), value: node.value, heading });
    }
  }
  return out;
}

const withoutHint = (label: string) => label.replace(/\s*\([^)]*\)$/, '');

/** The names a refusal may use for this input: its label (less any bracketed hint), or "heading: label". */
const namesOf = (i: Input) => [
  withoutHint(i.label),
  `${withoutHint(i.heading)}: ${withoutHint(i.label).toLowerCase()}`,
];

/** Asserts a refusal's problems each name an input of the form, so the person can find what to fix. */
function assertProblemsFindable(card: Card, problems: FieldProblem[]): void {
  assert.ok(problems.length > 0, 'the bad input was refused');
  const names = inputsOf(card).flatMap(namesOf);
  for (const p of problems)
    assert.ok(names.includes(p.field), `"${p.field}" is not on the form: ${names.join(' | ')}`);
}

function problemsOf(fn: () => unknown): FieldProblem[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof EipError);
    return e.problems;
  }
  return [];
}

describe('cards', () => {
  describe('every builder gives a valid, fully expanded card', () => {
    const built: [string, () => Card][] = [
      ['help', () => helpCard(help)],
      ['help without acting as someone else', () => helpCard({ ...help, actingLine: undefined })],
      ['notice', () => noticeCard(notice)],
      ['notice with only a title', () => noticeCard({ title: 'Done' })],
      ['form', () => formCard(form)],
      [
        'form with no problems and no subtitle',
        () => formCard({ ...form, problems: undefined, subtitle: undefined }),
      ],
      ['case', () => caseCard(caseData)],
      [
        'case without a banner, facts or buttons',
        () => caseCard({ ...caseData, banner: undefined, facts: [], actions: [] }),
      ],
      ['cases', () => casesCard(cases)],
      ['cases with none to show', () => casesCard({ ...cases, rows: [] })],
      ['panel', () => panelCard(panel)],
      [
        'panel once decided',
        () => panelCard({ ...panel, open: false, outcome: undefined, personal: undefined, votedLine: '' }),
      ],
    ];
    for (const [name, build] of built) {
      it(`builds the ${name} card`, () => assertWellFormed(build()));
    }

    it('shows the help card warning only when acting as someone else', () => {
      assert.match(JSON.stringify(helpCard(help)), /You are acting as Megan Bowen/);
      assert.doesNotMatch(JSON.stringify(helpCard({ ...help, actingLine: undefined })), /acting as/);
    });

    it('puts the case and round in the panel card refresh, for the listed members', () => {
      const card = panelCard(panel);
      const refresh = card.refresh as { action: Node; userIds: string[] };
      assert.equal(refresh.action.verb, 'panelView');
      assert.deepEqual(refresh.action.data, { caseId: 'case-1', round: 1 });
      assert.deepEqual(refresh.userIds, ['29:alex', '29:lynne']);
    });

    it('offers no voting buttons or comment box on a panel card closed to voting, only Refresh', () => {
      const card = panelCard({ ...panel, open: false });
      assert.deepEqual(
        (card.actions as Node[]).map((a) => [a.title, a.verb]),
        [['Refresh', 'panelView']],
      );
      assert.equal(ofType(card, 'Input.Text').length, 0);
      assert.equal(ofType(panelCard(panel), 'Input.Text').length, 1);
    });

    it('offers no buttons at all once the panel has decided', () => {
      assert.deepEqual(panelCard({ ...panel, open: false, live: false }).actions, []);
    });

    it('gives the row buttons on the cases card a fallback that opens the right case', () => {
      const opens = ofType(casesCard(cases), 'Action.Execute').map(({ node }) => node.fallback as Node);
      assert.deepEqual(
        opens.map((f) => f.data),
        [{ caseId: 'case-1', verb: 'openCase' }, { caseId: 'case-2', verb: 'openCase' }, { verb: 'help' }],
      );
    });
  });

  describe("people's own words", () => {
    const cardsWithUserText: [string, () => Card][] = [
      [
        'case subject and sections',
        () => caseCard({ ...caseData, subject: NASTY, sections: [{ heading: 'Tried', text: NASTY }] }),
      ],
      ['cases row label', () => casesCard({ ...cases, rows: [{ ...cases.rows[0]!, label: NASTY }] })],
      ['notice quote', () => noticeCard({ title: 'Returned', quote: NASTY })],
      ['panel sections', () => panelCard({ ...panel, sections: [{ heading: 'Rationale', text: NASTY }] })],
      ['form note', () => formCard({ ...form, fields: [{ kind: 'note', label: NASTY }] })],
    ];
    for (const [name, build] of cardsWithUserText) {
      it(`shows the ${name} literally, not as markdown or a template`, () => {
        const card = build();
        assert.ok(
          textRuns(card).includes(NASTY),
          `a TextRun with ${NASTY} in ${JSON.stringify(textRuns(card))}`,
        );
        assert.deepEqual(JSON.parse(JSON.stringify(card)), card);
      });
    }

    it('shows a problem message literally beside the field it names', () => {
      const card = formCard({ ...form, problems: [{ field: 'Comment', message: NASTY }] });
      assert.ok(lines(card).includes(`Comment: ${NASTY}`), JSON.stringify(lines(card)));
    });
  });

  describe('the panel card', () => {
    it("has no place for a pupil's name", () => {
      const noName: 'pupilName' extends keyof PanelCardData ? false : true = true;
      assert.equal(noName, true);
      const json = JSON.stringify(panelCard(panel));
      assert.doesNotMatch(json, /Sam|Price/);
      assert.doesNotMatch(json, /pupilName/);
    });
  });

  describe('a refused form', () => {
    it('comes back with what the person typed, and says what needs another look', () => {
      const card = formCard({
        ...form,
        problems: [{ field: "Pupil's name", message: 'Keep it to 100 characters or fewer.' }],
        fields: [
          {
            kind: 'text',
            id: 'pupilName',
            label: "Pupil's name",
            maxLength: 100,
            required: true,
            value: 'x'.repeat(120),
          },
          { kind: 'text', id: 'tried', label: 'Tried', multiline: true, maxLength: 2000, value: NASTY },
          { kind: 'date', id: 'consentDate', label: 'Date consent given', value: '2027-01-01' },
          {
            kind: 'choice',
            id: 'needs',
            label: 'Needs areas',
            choices: [{ title: 'SEMH', value: 'semh' }],
            value: 'semh',
          },
        ],
      });
      const values = Object.fromEntries(inputsOf(card).map((i) => [i.id, i.value]));
      assert.deepEqual(values, {
        pupilName: 'x'.repeat(120),
        tried: NASTY,
        consentDate: '2027-01-01',
        needs: 'semh',
      });
      assert.ok(lines(card).includes("Pupil's name: Keep it to 100 characters or fewer."));
    });

    it('keeps a field’s settings: required, multi-line, length limit and choices', () => {
      const card = formCard(form);
      const input = (id: string) => nodes(card.body).find(({ node }) => node.id === id)?.node;
      assert.equal(input('pupilName')?.isRequired, true);
      assert.equal(input('pupilName')?.maxLength, 100);
      assert.equal(input('pupilName')?.errorMessage, "Pupil's name is required.");
      assert.equal(input('tried')?.isMultiline, true);
      assert.equal(input('tried')?.isRequired, false);
      assert.equal(input('tried')?.placeholder, 'e.g. a calm corner');
      assert.equal(input('consentDate')?.type, 'Input.Date');
      assert.equal(input('needs')?.isMultiSelect, true);
      assert.equal(input('needs')?.style, 'expanded');
      assert.deepEqual(input('needs')?.choices, [
        { title: 'Social, emotional and mental health', value: 'semh' },
        { title: 'Communication and interaction', value: 'communication' },
      ]);
      assert.equal(input('yearGroup')?.style, 'compact');
    });
  });

  describe('the real forms', () => {
    const TODAY = '2026-11-27';

    it('builds the individual request form with the labels its refusals use', () => {
      const card = requestForm('individual');
      assertWellFormed(card);
      const labels = Object.fromEntries(inputsOf(card).map((i) => [i.id, i.label]));
      assert.equal(labels.pupilName, "Pupil's name");
      assert.equal(labels.consentDate, 'Date consent given');
      for (const i of inputsOf(card))
        assert.ok(namesOf(i).includes(REQUEST_LABELS[i.id]!), `${i.id}: "${i.label}"`);
      assertProblemsFindable(
        card,
        problemsOf(() => parseRequest({ kind: 'individual' }, TODAY)),
      );
    });

    it('builds the whole-class request form, with no pupil or consent fields', () => {
      const card = requestForm('class');
      assertWellFormed(card);
      const ids = inputsOf(card).map((i) => i.id);
      assert.equal(ids.includes('pupilName'), false);
      assert.equal(
        ids.some((id) => id.startsWith('consent')),
        false,
      );
      for (const i of inputsOf(card))
        assert.ok(namesOf(i).includes(REQUEST_LABELS[i.id]!), `${i.id}: "${i.label}"`);
      assertProblemsFindable(
        card,
        problemsOf(() => parseRequest({ kind: 'class', className: 'c'.repeat(101) }, TODAY)),
      );
    });

    it('refills a refused request form with what was typed and lists the problems', () => {
      const problems = [
        { field: 'Date consent given', message: 'The date consent was given cannot be in the future.' },
      ];
      const card = requestForm('individual', { pupilName: NASTY, consentDate: '2027-01-01' }, problems);
      const values = Object.fromEntries(inputsOf(card).map((i) => [i.id, i.value]));
      assert.equal(values.pupilName, NASTY);
      assert.equal(values.consentDate, '2027-01-01');
      assert.ok(textRuns(card).includes(problems[0]!.message));
    });

    const refusals: Record<EarlyForm, () => FieldProblem[]> = {
      returnCase: () => problemsOf(() => parseQuestion({})),
      resubmit: () => problemsOf(() => parseAnswer({})),
      accept: () => problemsOf(() => parseAcceptance({}, TODAY)),
      assess: () => problemsOf(() => parseAssessment({}, TODAY, '2026-11-20')),
      propose: () =>
        problemsOf(() =>
          parseProposal({ service2: 'mentoring@other', service3: 'counselling@other' }, TODAY, []),
        ),
      withdraw: () => [],
    };

    for (const f of Object.keys(refusals) as EarlyForm[]) {
      it(`builds the ${f} form for a case, with the labels its refusals use`, () => {
        const card = caseForm(f, sampleCase, 'Sam Price, Year 4');
        assertWellFormed(card);
        const problems = refusals[f]();
        if (f === 'withdraw') assert.equal(inputsOf(card).length, 0);
        else assertProblemsFindable(card, problems);
        const submits = ofType(card, 'Action.Execute').map(({ node }) => node);
        assert.ok(
          submits.some((a) => a.verb === f && (a.data as Node).caseId === 'case-1'),
          `a button that submits ${f} for the case`,
        );
      });
    }

    it('names each proposal row the way its refusals do', () => {
      const card = caseForm('propose', sampleCase, 'A Year 4 pupil');
      for (const i of inputsOf(card))
        assert.ok(namesOf(i).includes(PROPOSAL_LABELS[i.id]!), `${i.id}: "${i.label}"`);
    });

    it('stops a cost of £0 or less on the phone itself, saying the range, before it ever reaches the bot', () => {
      const cost = ofType(caseForm('propose', sampleCase, 'A Year 4 pupil'), 'Input.Number')
        .map(({ node }) => node)
        .find((n) => n.id === 'unitCost1')!;
      assert.equal(cost.min, 0.01);
      assert.match(String(cost.errorMessage), /enter a number from 0\.01 to 100000/);
    });

    it('offers each row only the services active providers offer, with their rates, and another provider', () => {
      const provider = (
        p: Partial<ProviderRecord> & Pick<ProviderRecord, 'id' | 'name'>,
      ): ProviderRecord => ({
        services: ['counselling'],
        ratePence: 4500,
        rateUnit: 'session',
        contact: '',
        active: true,
        updatedBy: 'directory',
        updatedAt: '2026-11-01T00:00:00.000Z',
        ...p,
      });
      const card = caseForm(
        'propose',
        sampleCase,
        'A Year 4 pupil',
        { service2: 'counselling@oakwood' },
        [],
        [],
        [
          provider({
            id: 'oakwood',
            name: 'Oakwood **Counselling** & Co',
            services: ['play-therapy', 'counselling'],
          }),
          provider({
            id: 'ep',
            name: 'County EP',
            services: ['educational-psychology'],
            ratePence: 55000,
            rateUnit: 'day',
          }),
          provider({ id: 'gone', name: 'Gone Ltd', services: ['counselling', 'mentoring'], active: false }),
        ],
      );
      assertWellFormed(card);
      const sets = ofType(card, 'Input.ChoiceSet').map(({ node }) => node);
      assert.deepEqual(
        sets.map((c) => c.id),
        ['service1', 'service2', 'service3'],
      );
      for (const set of sets) assert.equal(set.style, 'filtered', 'type-ahead on phones');
      const choices = sets[0]!.choices as { title: string; value: string }[];
      assert.deepEqual(
        choices.filter((c) => !c.value.endsWith('@other')),
        [
          {
            title: 'Counselling: Oakwood **Counselling** & Co (£45.00 a session)',
            value: 'counselling@oakwood',
          },
          { title: 'Educational psychology: County EP (£550.00 a day)', value: 'educational-psychology@ep' },
          {
            title: 'Play therapy: Oakwood **Counselling** & Co (£45.00 a session)',
            value: 'play-therapy@oakwood',
          },
        ],
      );
      assert.ok(
        choices.some(
          (c) => c.value === 'mentoring@other' && c.title === 'Mentoring: another provider (name it below)',
        ),
      );
      assert.equal(JSON.stringify(card).includes('Gone Ltd'), false, 'an inactive provider is not offered');
      assert.equal(sets[1]!.value, 'counselling@oakwood');
    });

    it('shows the resubmit form the co-ordinator’s question', () => {
      assert.ok(
        textRuns(caseForm('resubmit', sampleCase, 'Sam')).some((t) =>
          String(t).includes('How often are the outbursts?'),
        ),
      );
    });

    it('keeps a refused proposal’s values, numbers as numbers', () => {
      const card = caseForm('propose', sampleCase, 'A Year 4 pupil', {
        unitCost1: '45.5',
        sessions1: '0',
        unitCost2: 'abc',
        rationale: NASTY,
      });
      const values = Object.fromEntries(inputsOf(card).map((i) => [i.id, i.value]));
      assert.equal(values.unitCost1, 45.5);
      assert.equal(values.sessions1, 0);
      assert.equal(
        values.unitCost2,
        undefined,
        'what is not a number is shown blank; the problem list names it',
      );
      assert.equal(values.rationale, NASTY);
    });
  });
});
