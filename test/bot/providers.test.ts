// The provider directory through the real bot: an admin keeps it from cards, the co-ordinator reads it, and a
// proposal chooses its providers, and their rates, from it.
import assert from 'node:assert/strict';
import {
  P,
  PANEL_CHAT,
  acceptAndAssess,
  button,
  buttonsOf,
  raiseRequest,
  startHarness,
  textOf,
  type Harness,
  type TestPerson,
} from '../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');

type Node = Record<string, unknown>;

/** Every input on a card, by id: its value and, for a choice set, its choices. */
function inputsOf(card: unknown): Map<string, Node> {
  const out = new Map<string, Node>();
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Node;
      if (typeof o.type === 'string' && o.type.startsWith('Input.')) out.set(String(o.id), o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const choicesOf = (card: unknown, id: string) =>
  (inputsOf(card).get(id)?.choices ?? []) as { title: string; value: string }[];

const acme = {
  name: 'Acme Wellbeing Ltd',
  services: 'mentoring,counselling',
  rate: '40',
  rateUnit: 'session',
  contact: 'hello@acme.example',
};

describe('the provider directory', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
  });
  afterEach(async () => h.stop());

  const stored = async (id: string) => (await h.bot.store.providers.get(id))?.value;
  const all = async () => (await h.bot.store.providers.find()).map((s) => s.value);
  const providerAudit = async () =>
    (await h.bot.store.audit.list()).filter((a) => a.action.startsWith('provider-'));

  /** Presses Save on the form an admin opened, as Teams would: the button's data with the inputs typed. */
  async function saveFrom(form: unknown, inputs: Record<string, unknown>, who: TestPerson = P.isaiah) {
    const save = buttonsOf(form).find((b) => b.verb === 'saveProvider');
    assert.ok(save, `a save button on ${textOf(form)}`);
    return h.press(who, 'saveProvider', { ...save.data, ...inputs });
  }

  describe('for an admin', () => {
    it('lists the seeded providers, each with services, rate, contact and buttons, and Add provider', async () => {
      const card = await h.press(P.isaiah, 'providers');
      const text = textOf(card);
      assert.match(text, /5 active providers/);
      assert.match(
        text,
        /Oakwood Counselling Service\nServices\nCounselling, Play therapy\nRate\n£45\.00 a session/,
      );
      assert.match(text, /County Educational Psychology Service[\s\S]*£550\.00 a day/);
      assert.match(text, /Contact: 07700 900123/);
      assert.deepEqual(button(card, 'Add provider').data, {});
      assert.equal(buttonsOf(card).filter((b) => b.title === 'Edit').length, 5);
      assert.equal(buttonsOf(card).filter((b) => b.title === 'Deactivate').length, 5);
    });

    it('adds a provider from the form, storing it and auditing it', async () => {
      const form = await h.press(P.isaiah, 'providerForm', {});
      assert.match(textOf(form), /Add a provider/);
      assert.equal(inputsOf(form).get('rateUnit')?.value, 'session', 'per session unless changed');
      const card = await saveFrom(form, acme);
      assert.match(textOf(card), /Acme Wellbeing Ltd added to the directory\./);
      assert.match(textOf(card), /6 active providers/);
      const saved = await stored('acme-wellbeing-ltd');
      assert.deepEqual(
        { ...saved, updatedAt: undefined },
        {
          id: 'acme-wellbeing-ltd',
          name: 'Acme Wellbeing Ltd',
          services: ['counselling', 'mentoring'],
          ratePence: 4000,
          rateUnit: 'session',
          contact: 'hello@acme.example',
          active: true,
          updatedBy: P.isaiah.aadObjectId,
          updatedAt: undefined,
        },
      );
      const [entry] = await providerAudit();
      assert.equal(entry?.action, 'provider-add');
      assert.equal(entry?.actor, P.isaiah.aadObjectId);
      assert.equal(entry?.detail, 'acme-wellbeing-ltd added (counselling, mentoring; 4000p a session)');
    });

    it('adds one provider when Save is pressed twice, even at the same moment', async () => {
      const form = await h.press(P.isaiah, 'providerForm', {});
      const [first, second] = await Promise.all([saveFrom(form, acme), saveFrom(form, acme)]);
      const third = await saveFrom(form, acme);
      for (const card of [first, second, third])
        assert.match(textOf(card), /Acme Wellbeing Ltd (added to|is in) the directory/);
      assert.equal((await all()).filter((p) => p.name === 'Acme Wellbeing Ltd').length, 1);
      assert.equal((await providerAudit()).length, 1);
    });

    it('refuses a second provider with the name of one already in the directory', async () => {
      const form = await h.press(P.isaiah, 'providerForm', {});
      const card = await saveFrom(form, { ...acme, name: 'oakwood counselling service' });
      assert.match(
        textOf(card),
        /Name: Oakwood Counselling Service is already in the directory\. Edit that entry instead\./,
      );
      assert.equal((await all()).length, 5);
      assert.equal((await providerAudit()).length, 0);
    });

    it('gives a new provider whose name makes a taken id an id of its own', async () => {
      await h.bot.store.providers.create({
        id: 'acme',
        name: 'ACME (closed)',
        services: ['mentoring'],
        ratePence: 100,
        rateUnit: 'session',
        contact: '',
        active: false,
        updatedBy: 'directory',
        updatedAt: NOW.toISOString(),
      });
      await saveFrom(await h.press(P.isaiah, 'providerForm', {}), { ...acme, name: 'Acme' });
      assert.equal((await stored('acme-2'))?.name, 'Acme');
      assert.equal((await stored('acme'))?.name, 'ACME (closed)');
    });

    it('edits a provider from a form that starts from its details, and audits what changed', async () => {
      const list = await h.press(P.isaiah, 'providers');
      const edit = buttonsOf(list).find(
        (b) => b.title === 'Edit' && b.data.providerId === 'oakwood-counselling',
      )!;
      const form = await h.press(P.isaiah, 'providerForm', edit.data);
      const inputs = inputsOf(form);
      assert.equal(inputs.get('name')?.value, 'Oakwood Counselling Service');
      assert.equal(inputs.get('services')?.value, 'counselling,play-therapy');
      assert.equal(inputs.get('rate')?.value, 45);
      assert.equal(inputs.get('contact')?.value, 'referrals@oakwood-counselling.example, 01604 000101');
      const card = await saveFrom(form, {
        name: 'Oakwood Counselling Service',
        services: 'counselling',
        rate: '50.00',
        rateUnit: 'session',
        contact: 'referrals@oakwood-counselling.example, 01604 000101',
      });
      assert.match(textOf(card), /Oakwood Counselling Service: changes saved \(£50\.00 a session\)/);
      const saved = await stored('oakwood-counselling');
      assert.deepEqual(saved?.services, ['counselling']);
      assert.equal(saved?.ratePence, 5000);
      assert.equal(saved?.updatedBy, P.isaiah.aadObjectId);
      const [entry] = await providerAudit();
      assert.equal(entry?.action, 'provider-edit');
      assert.equal(
        entry?.detail,
        'oakwood-counselling edited: services counselling, play-therapy → counselling; rate 4500p a session → 5000p a session',
      );
    });

    it('refuses an edit made on a form opened before someone else changed the provider, saving nothing', async () => {
      const mine = await h.press(P.isaiah, 'providerForm', { providerId: 'speech-matters' });
      const theirs = await h.press(P.isaiah, 'providerForm', { providerId: 'speech-matters' });
      await saveFrom(theirs, {
        name: 'Speech Matters CIC',
        services: 'speech-and-language',
        rate: '75',
        rateUnit: 'session',
        contact: 'new@speechmatters.example',
      });
      const card = await saveFrom(mine, {
        name: 'Speech Matters',
        services: 'speech-and-language',
        rate: '65',
        rateUnit: 'session',
        contact: 'old@speechmatters.example',
      });
      assert.match(
        textOf(card),
        /Speech Matters CIC was changed by someone else after you opened the form, so your changes were not saved/,
      );
      const saved = await stored('speech-matters');
      assert.equal(saved?.ratePence, 7500);
      assert.equal(saved?.contact, 'new@speechmatters.example');
      assert.equal((await providerAudit()).length, 1);
    });

    it('refuses an edit from a card whose version was made up', async () => {
      const card = await h.press(P.isaiah, 'saveProvider', {
        providerId: 'speech-matters',
        eTag: 'W/"forged"',
        ...acme,
      });
      assert.match(textOf(card), /was changed by someone else/);
      assert.equal((await stored('speech-matters'))?.name, 'Speech Matters CIC');
    });

    it('deactivates and reactivates a provider, marking it inactive meanwhile', async () => {
      const list = await h.press(P.isaiah, 'providers');
      const off = buttonsOf(list).find(
        (b) => b.title === 'Deactivate' && b.data.providerId === 'step-up-mentoring',
      )!;
      const after = await h.press(P.isaiah, 'setProviderActive', off.data);
      assert.match(textOf(after), /Step Up Mentoring deactivated: new proposals can no longer choose it/);
      assert.match(textOf(after), /4 active providers, 1 inactive/);
      assert.match(textOf(after), /Step Up Mentoring · Inactive/);
      assert.equal((await stored('step-up-mentoring'))?.active, false);
      const again = await h.press(P.isaiah, 'setProviderActive', off.data);
      assert.match(textOf(again), /Step Up Mentoring is already inactive/);
      const on = buttonsOf(after).find((b) => b.title === 'Reactivate')!;
      assert.deepEqual(on.data, { providerId: 'step-up-mentoring', active: 'true' });
      const back = await h.press(P.isaiah, 'setProviderActive', on.data);
      assert.match(textOf(back), /Step Up Mentoring reactivated/);
      assert.equal((await stored('step-up-mentoring'))?.active, true);
      assert.deepEqual(
        (await providerAudit()).map((a) => [a.action, a.detail]),
        [
          ['provider-deactivate', 'step-up-mentoring deactivated'],
          ['provider-reactivate', 'step-up-mentoring reactivated'],
        ],
      );
    });
  });

  describe('bad input', () => {
    const refusals: [string, Record<string, unknown>, RegExp][] = [
      ['a negative rate', { rate: '-40' }, /Rate: The rate cannot be negative\./],
      ['a zero rate', { rate: '0' }, /Rate: The rate must be more than £0\./],
      ['a rate in fractions of a penny', { rate: '40.005' }, /Rate: .*no more than two decimal places/],
      ['an absurd rate', { rate: '250000' }, /Rate: The rate can be at most £100,000\.00\./],
      ['no services', { services: '' }, /Services offered: Choose at least one service\./],
      ['a blank name', { name: '   ' }, /Name: This is required\./],
      ['an over-long name', { name: 'n'.repeat(101) }, /Name: Keep it to 100 characters or fewer\./],
      [
        'over-long contact details',
        { contact: 'c'.repeat(201) },
        /Contact details: Keep it to 200 characters or fewer\./,
      ],
    ];
    for (const [what, change, why] of refusals) {
      it(`refuses ${what}, showing the form again as typed, and stores nothing`, async () => {
        const form = await h.press(P.isaiah, 'providerForm', {});
        const card = await saveFrom(form, { ...acme, ...change });
        assert.match(textOf(card), /Some answers need another look/);
        assert.match(textOf(card), why);
        const inputs = inputsOf(card);
        assert.equal(inputs.get('contact')?.value, change.contact ?? acme.contact);
        assert.equal(inputs.get('name')?.value, change.name ?? acme.name);
        assert.equal(inputs.get('services')?.value, change.services ?? acme.services);
        assert.ok(button(card, 'Add provider'));
        assert.equal((await all()).length, 5);
        assert.equal((await providerAudit()).length, 0);
      });
    }

    it('keeps a refused edit on the version it was opened on', async () => {
      const form = await h.press(P.isaiah, 'providerForm', { providerId: 'speech-matters' });
      const refused = await saveFrom(form, { ...acme, rate: '-1' });
      assert.deepEqual(button(refused, 'Save changes').data, button(form, 'Save changes').data);
      assert.equal((await stored('speech-matters'))?.ratePence, 7000);
    });
  });

  describe('for everyone else', () => {
    it('shows the co-ordinator the list read-only, and refuses her changes', async () => {
      const card = await h.press(P.adele, 'providers');
      assert.match(textOf(card), /Oakwood Counselling Service/);
      assert.match(textOf(card), /Only an LA administrator can change the directory/);
      assert.deepEqual(
        buttonsOf(card).map((b) => b.title),
        ['Help'],
      );
      for (const [verb, data] of [
        ['providerForm', {}],
        ['saveProvider', acme],
        ['setProviderActive', { providerId: 'speech-matters', active: 'false' }],
      ] as const) {
        const refused = await h.press(P.adele, verb, data);
        assert.match(textOf(refused), /Only an LA administrator can change the provider directory/);
      }
      assert.equal((await all()).length, 5);
      assert.equal((await stored('speech-matters'))?.active, true);
    });

    for (const [who, person] of [
      ['a SENCo', P.megan],
      ['a panel member', P.alex],
    ] as const) {
      it(`refuses ${who} the list and every change, and changes nothing`, async () => {
        const before = await all();
        const list = await h.press(person, 'providers');
        assert.match(
          textOf(list),
          /Only the EIP co-ordinator and LA administrators can see the provider directory/,
        );
        assert.ok(!/Oakwood/.test(textOf(list)));
        for (const [verb, data] of [
          ['providerForm', { providerId: 'speech-matters' }],
          ['saveProvider', acme],
          ['saveProvider', { providerId: 'speech-matters', eTag: 'x', ...acme }],
          ['setProviderActive', { providerId: 'speech-matters', active: 'false' }],
        ] as const) {
          const refused = await h.press(person, verb, data);
          assert.match(textOf(refused), /Only an LA administrator can change the provider directory/);
        }
        assert.deepEqual(await all(), before);
        assert.equal((await providerAudit()).length, 0);
      });
    }
  });

  describe('in a proposal', () => {
    let caseId: string;
    beforeEach(async () => {
      for (const p of [P.megan, P.adele, P.alex, P.lynne]) await h.say(p, 'hello');
      await h.say(P.adele, 'panel here', 'panel');
      caseId = await raiseRequest(h, {
        kind: 'class',
        yearGroup: 'Year 5',
        needs: 'semh',
        tried: 'Calm corner.',
        asked: 'Whole-class support.',
      });
      await acceptAndAssess(h, caseId);
    });

    const proposal = (rows: Record<string, unknown>) => ({
      caseId,
      ...rows,
      rationale: 'r',
      outcomes: 'o',
      reviewDate: '2027-01-29',
    });
    const proposals = async () => (await h.bot.store.proposals.find()).map((s) => s.value);
    const panelCards = () => h.connector.cardsIn(PANEL_CHAT).filter((c) => /For the panel/.test(textOf(c)));

    it("offers only active providers, for the services they offer, at the directory's rate", async () => {
      await h.press(P.isaiah, 'setProviderActive', { providerId: 'step-up-mentoring', active: 'false' });
      const form = await h.press(P.adele, 'showForm', { caseId, form: 'propose' });
      const choices = choicesOf(form, 'service1');
      const directory = choices.filter((c) => !c.value.endsWith('@other'));
      assert.deepEqual(directory, [
        {
          title: 'Counselling: Oakwood Counselling Service (£45.00 a session)',
          value: 'counselling@oakwood-counselling',
        },
        {
          title: 'Educational psychology: County Educational Psychology Service (£550.00 a day)',
          value: 'educational-psychology@county-ep-service',
        },
        {
          title: 'Specialist teaching or tutoring: Inclusion Support Team (£60.00 a session)',
          value: 'specialist-teaching@inclusion-support-team',
        },
        {
          title: 'Play therapy: Oakwood Counselling Service (£45.00 a session)',
          value: 'play-therapy@oakwood-counselling',
        },
        {
          title: 'Speech and language: Speech Matters CIC (£70.00 a session)',
          value: 'speech-and-language@speech-matters',
        },
        {
          title: 'Whole-class support or staff training: Inclusion Support Team (£60.00 a session)',
          value: 'whole-class-support@inclusion-support-team',
        },
      ]);
      assert.ok(
        choices.some((c) => c.value === 'mentoring@other'),
        'mentoring from another provider',
      );
      assert.ok(inputsOf(form).has('otherProvider1'));
      assert.ok(!inputsOf(form).has('provider1') && !inputsOf(form).has('type1'));
    });

    it("stores a directory provider's id and its rate from the directory, whatever cost the card sends", async () => {
      await saveFrom(await h.press(P.isaiah, 'providerForm', { providerId: 'oakwood-counselling' }), {
        name: 'Oakwood Counselling Service',
        services: 'counselling,play-therapy',
        rate: '47.50',
        rateUnit: 'session',
        contact: 'x@oakwood.example',
      });
      const card = await h.press(
        P.adele,
        'propose',
        proposal({
          service1: 'counselling@oakwood-counselling',
          sessions1: '10',
          unitCost1: '0.01',
          otherProvider1: 'Cheap Co',
        }),
      );
      assert.match(textOf(card), /Sent to the panel's chat/);
      const [p] = await proposals();
      assert.deepEqual(p?.interventions, [
        {
          type: 'counselling',
          provider: 'Oakwood Counselling Service',
          providerId: 'oakwood-counselling',
          sessions: 10,
          unitCostPence: 4750,
        },
      ]);
      assert.equal(p?.totalPence, 47500);
      const panel = textOf(panelCards().at(-1));
      assert.match(panel, /Counselling: Oakwood Counselling Service, 10 × £47\.50 = £475\.00/);
      assert.ok(!/another provider|Cheap Co/.test(panel));
    });

    it('refuses a provider for a service it does not offer, or one deactivated since the form was sent', async () => {
      const wrong = await h.press(
        P.adele,
        'propose',
        proposal({ service1: 'mentoring@speech-matters', sessions1: '4' }),
      );
      assert.match(
        textOf(wrong),
        /Intervention 1: service and provider: Speech Matters CIC does not offer mentoring\. Choose a provider that does\./,
      );
      assert.equal(inputsOf(wrong).get('sessions1')?.value, 4, 'the form comes back as typed');
      await h.press(P.isaiah, 'setProviderActive', { providerId: 'speech-matters', active: 'false' });
      const inactive = await h.press(
        P.adele,
        'propose',
        proposal({ service1: 'speech-and-language@speech-matters', sessions1: '4' }),
      );
      assert.match(textOf(inactive), /Speech Matters CIC is no longer active in the provider directory/);
      assert.equal((await proposals()).length, 0);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'assessed');
    });

    it('needs a name and a cost for another provider, and flags it on the panel card', async () => {
      const refused = await h.press(
        P.adele,
        'propose',
        proposal({ service1: 'counselling@other', sessions1: '10' }),
      );
      assert.match(
        textOf(refused),
        /Intervention 1: another provider's name: Name the provider, as it is not in the directory\./,
      );
      assert.match(
        textOf(refused),
        /Intervention 1: cost per session or day: Enter the cost per session or day in pounds\./,
      );
      assert.equal((await proposals()).length, 0);
      const card = await h.press(
        P.adele,
        'propose',
        proposal({
          service1: 'counselling@other',
          otherProvider1: 'Kestrel Counselling',
          sessions1: '10',
          unitCost1: '45',
        }),
      );
      assert.match(textOf(card), /Sent to the panel's chat/);
      const [p] = await proposals();
      assert.deepEqual(p?.interventions, [
        { type: 'counselling', provider: 'Kestrel Counselling', sessions: 10, unitCostPence: 4500 },
      ]);
      assert.match(
        textOf(panelCards().at(-1)),
        /Counselling: Kestrel Counselling \(another provider, not in the directory\), 10 × £45\.00 = £450\.00/,
      );
    });

    it('starts a revision from the proposal the panel saw, each row on its service and provider', async () => {
      await h.press(
        P.adele,
        'propose',
        proposal({
          service1: 'whole-class-support@inclusion-support-team',
          sessions1: '6',
          service2: 'counselling@other',
          otherProvider2: 'Kestrel Counselling',
          sessions2: '10',
          unitCost2: '45.50',
        }),
      );
      for (const p of [P.alex, P.lynne])
        await h.press(
          p,
          'vote',
          { caseId, round: 1, choice: 'changes', comment: 'Fewer sessions.' },
          'panel',
        );
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'changes_requested');
      const form = await h.press(P.adele, 'showForm', { caseId, form: 'propose' });
      const inputs = inputsOf(form);
      assert.equal(inputs.get('service1')?.value, 'whole-class-support@inclusion-support-team');
      assert.ok(choicesOf(form, 'service1').some((c) => c.value === inputs.get('service1')?.value));
      assert.equal(inputs.get('sessions1')?.value, 6);
      assert.equal(inputs.get('otherProvider1')?.value, '');
      assert.equal(
        inputs.get('unitCost1')?.value,
        undefined,
        "a directory provider's cost is the directory's",
      );
      assert.equal(inputs.get('service2')?.value, 'counselling@other');
      assert.equal(inputs.get('otherProvider2')?.value, 'Kestrel Counselling');
      assert.equal(inputs.get('unitCost2')?.value, 45.5);
    });
  });
});
