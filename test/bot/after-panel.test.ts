// After the panel says yes: budget at the panel, commissioning, spend, reviews and closure, through the real bot.
import assert from 'node:assert/strict';
import {
  P,
  acceptAndAssess,
  button,
  buttonsOf,
  personalChat,
  raiseRequest,
  startHarness,
  textOf,
  type Harness,
} from '../support/harness';

let now = new Date('2026-11-27T10:00:00Z');
const at = (iso: string) => {
  now = new Date(iso);
};

const classRequest = {
  kind: 'class',
  className: '4B',
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation.',
  asked: 'Whole-class support.',
};

/** A proposal of 10 counselling sessions at the directory's £45.00: £450.00. */
const proposal = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  service1: 'counselling@oakwood-counselling',
  sessions1: '10',
  rationale: 'Regulation before escalation.',
  outcomes: 'Fewer incidents at lunchtime\nUses calm-down strategies independently',
  reviewDate: '2027-03-19',
  ...over,
});

/** Raises, triages, assesses and proposes a class case; answers its id. */
async function proposed(h: Harness, over: Record<string, unknown> = {}): Promise<string> {
  const caseId = await raiseRequest(h, classRequest);
  await acceptAndAssess(h, caseId);
  const card = await h.press(P.adele, 'propose', proposal(caseId, over));
  assert.match(textOf(card), /Sent to the panel/, textOf(card));
  return caseId;
}

async function approved(h: Harness, over: Record<string, unknown> = {}): Promise<string> {
  const caseId = await proposed(h, over);
  await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
  await h.press(
    P.lynne,
    'vote',
    { caseId, round: 1, choice: 'approve', comment: 'Good plan: *do* it' },
    'panel',
  );
  assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');
  return caseId;
}

const commissionData = (caseId: string, over: Record<string, unknown> = {}) => ({
  caseId,
  provider1: 'oakwood-counselling',
  start1: '2026-12-01',
  end1: '2027-03-19',
  cost1: '450.00',
  ...over,
});

async function commissioned(h: Harness): Promise<string> {
  const caseId = await approved(h);
  const card = await h.press(P.adele, 'commission', commissionData(caseId));
  assert.match(textOf(card), /Commissioned/, textOf(card));
  return caseId;
}

const budgetOf = async (h: Harness, year = '2026-27') => (await h.bot.store.budgets.get(year))!.value;
const committed = (b: { commitments: Record<string, number> }) =>
  Object.values(b.commitments).reduce((t, p) => t + p, 0);

describe('after the panel says yes', () => {
  let h: Harness;
  beforeEach(async () => {
    at('2026-11-27T10:00:00Z');
    h = await startHarness({ now: () => now });
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne, P.isaiah]) await h.say(p, 'hello');
    await h.say(P.adele, 'panel here', 'panel');
  });
  afterEach(async () => h.stop());

  describe('budget at the panel', () => {
    it('shows the budget available on the panel card when it is shown', async () => {
      await proposed(h);
      const panel = h.connector.cardsIn('panel-group-chat').at(-1);
      assert.match(textOf(panel), /Budget now\n£357,000\.00 available in 2026-27/);
    });

    it('holds the approved total against the year, and says what happens next with the comments unattributed to the school', async () => {
      const mark = h.connector.mark();
      const caseId = await approved(h);
      assert.equal((await budgetOf(h)).commitments[caseId], 45_000);
      const [school] = h.connector
        .cardsIn(personalChat(P.megan), mark)
        .filter((c) => /Approved/.test(textOf(c)));
      assert.ok(school, 'the SENCo is told');
      assert.match(textOf(school), /Good plan: \*do\* it/, "the panel's comment, literally");
      assert.doesNotMatch(textOf(school), /Lynne|Alex/, 'no member named to the school');
      assert.match(textOf(school), /What happens next: the EIP co-ordinator puts the support in place/);
      const [coordinator] = h.connector
        .cardsIn(personalChat(P.adele), mark)
        .filter((c) => /Approved/.test(textOf(c)) && /Next:/.test(textOf(c)));
      assert.match(textOf(coordinator), /Lynne Robbins: Good plan/);
      assert.equal(button(coordinator, 'Commission packages').data.form, 'commission');
    });

    it('turns an approval that is more than is available into changes requested, saying by how much', async () => {
      await h.press(P.isaiah, 'saveBudget', { year: '2026-27', allocation: '100' });
      const caseId = await proposed(h);
      await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      const mark = h.connector.mark();
      const card = await h.press(P.lynne, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(card), /£350\.00 over the budget available/);
      const c = (await h.bot.store.cases.get(caseId))!.value;
      assert.equal(c.status, 'changes_requested');
      assert.equal((await h.bot.store.decisions.get(`${caseId}:r1`))?.value.overBudgetPence, 35_000);
      assert.deepEqual((await budgetOf(h)).commitments, {}, 'nothing held');
      const told = h.connector.cardsIn(personalChat(P.adele), mark).map(textOf).join('\n');
      assert.match(told, /£350\.00 more than the budget still available/);
    });

    it('lets only one of two approvals racing for the last £1,000 take it, and never goes below zero', async () => {
      await h.press(P.isaiah, 'saveBudget', { year: '2026-27', allocation: '1000' });
      const first = await proposed(h, {
        sessions1: '1',
        service1: 'other@other',
        otherProvider1: 'A',
        unitCost1: '800',
      });
      const second = await proposed(h, {
        sessions1: '1',
        service1: 'other@other',
        otherProvider1: 'B',
        unitCost1: '800',
      });
      await h.press(P.alex, 'vote', { caseId: first, round: 1, choice: 'approve' }, 'panel');
      await h.press(P.alex, 'vote', { caseId: second, round: 1, choice: 'approve' }, 'panel');
      await Promise.all([
        h.press(P.lynne, 'vote', { caseId: first, round: 1, choice: 'approve' }, 'panel'),
        h.press(P.lynne, 'vote', { caseId: second, round: 1, choice: 'approve' }, 'panel'),
      ]);
      const statuses = await Promise.all(
        [first, second].map(async (id) => (await h.bot.store.cases.get(id))!.value.status),
      );
      assert.deepEqual([...statuses].sort(), ['approved', 'changes_requested']);
      const b = await budgetOf(h);
      assert.equal(committed(b), 80_000);
      assert.ok(committed(b) <= b.allocationPence);
      const loser = statuses[0] === 'approved' ? second : first;
      assert.equal((await h.bot.store.decisions.get(`${loser}:r1`))?.value.overBudgetPence, 60_000);
    });

    it('releases what an approved case held when the school withdraws it', async () => {
      const caseId = await approved(h);
      await h.press(P.megan, 'withdraw', { caseId });
      assert.deepEqual((await budgetOf(h)).commitments, {});
    });
  });

  describe('commissioning', () => {
    it('offers the approved case to the co-ordinator as waiting on them', async () => {
      const caseId = await approved(h);
      const [tray] = await h.say(P.adele, 'my cases');
      assert.match(textOf(tray), /1 waiting on you/);
      const card = await h.press(P.adele, 'openCase', { caseId });
      assert.equal(button(card, 'Commission packages').data.form, 'commission');
    });

    it('starts the form from what the panel approved, with the providers who offer the service', async () => {
      const caseId = await approved(h);
      const form = await h.press(P.adele, 'showForm', { caseId, form: 'commission' });
      const text = JSON.stringify(form);
      assert.match(text, /"id":"provider1".*"value":"oakwood-counselling"/);
      assert.match(text, /Oakwood Counselling Service \(£45\.00 a session\)/);
      assert.doesNotMatch(text, /Speech Matters/, 'a provider who does not offer counselling is not offered');
      assert.match(text, /"id":"cost1"[^}]*"value":450/);
    });

    it('commissions: the packages and reviews are stored, the committed total moves and the school is told what starts when', async () => {
      const caseId = await approved(h);
      const mark = h.connector.mark();
      const card = await h.press(
        P.adele,
        'commission',
        commissionData(caseId, { cost1: '500', overReason: 'The rate rose in *January*.' }),
      );
      assert.match(textOf(card), /Commissioned: £500\.00 committed against 2026-27/);
      assert.match(textOf(card), /£50\.00 more than the panel approved; your reason is recorded/);
      assert.match(textOf(card), /the panel approved £450\.00: The rate rose in \*January\*\./);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'commissioned');
      const pkg = (await h.bot.store.packages.get(`${caseId}:p1`))!.value;
      assert.equal(pkg.providerId, 'oakwood-counselling');
      assert.equal(pkg.agreedPence, 50_000);
      assert.equal(pkg.approvedPence, 45_000);
      assert.equal(pkg.aboveApprovalReason, 'The rate rose in *January*.');
      const [ledger] = await h.say(P.adele, 'budget');
      assert.match(
        textOf(ledger),
        /Agreed for more than the panel approved\nEIP-2026-0001 · whole class, Year 4\n£50\.00 more/,
      );
      assert.equal((await budgetOf(h)).commitments[caseId], 50_000);
      const reviews = (await h.bot.store.reviews.find({ caseId })).map((r) => [r.value.kind, r.value.due]);
      assert.deepEqual(reviews, [
        ['interim', '2027-01-12'],
        ['final', '2027-03-19'],
      ]);
      const [told] = h.connector.cardsIn(personalChat(P.megan), mark);
      assert.match(
        textOf(told),
        /Counselling with Oakwood Counselling Service: Tue 1 Dec 2026 to Fri 19 Mar 2027/,
      );
      assert.ok((await h.bot.store.audit.list(caseId)).some((a) => a.action === 'commission'));
    });

    it('refuses to commission twice', async () => {
      const caseId = await commissioned(h);
      const again = await h.press(P.adele, 'commission', commissionData(caseId, { cost1: '300' }));
      assert.match(textOf(again), /can no longer be commissioned/);
      assert.equal((await h.bot.store.packages.get(`${caseId}:p1`))?.value.agreedPence, 45_000);
    });

    for (const [what, over, message] of [
      [
        'a provider who does not offer the service',
        { provider1: 'speech-matters' },
        /does not offer counselling/,
      ],
      ['a negative cost', { cost1: '-450' }, /cannot be negative/],
      ['a fractional penny', { cost1: '450.001' }, /two decimal places/],
      ['an absurd cost', { cost1: '99999999' }, /at most/],
      ['an end before the start', { end1: '2026-11-30' }, /end date must be after the start/],
      [
        'more than the panel approved without a reason',
        { cost1: '450.01' },
        /Package 1 is agreed at £0\.01 more than the panel approved\. Say why/,
      ],
      [
        'a start after the review date',
        { start1: '2027-03-20', end1: '2027-04-20' },
        /before the panel's review date/,
      ],
    ] as const) {
      it(`refuses ${what} with a clear message and changes nothing`, async () => {
        const caseId = await approved(h);
        const card = await h.press(P.adele, 'commission', commissionData(caseId, over));
        assert.match(textOf(card), message);
        assert.match(textOf(card), /Commission the packages/, 'the form comes back');
        assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');
        assert.deepEqual(await h.bot.store.packages.find({ caseId }), []);
        assert.equal((await budgetOf(h)).commitments[caseId], 45_000);
      });
    }

    it('refuses agreed costs the budget cannot cover, and changes nothing', async () => {
      const caseId = await approved(h);
      await h.press(P.isaiah, 'saveBudget', { year: '2026-27', allocation: '500' });
      const card = await h.press(
        P.adele,
        'commission',
        commissionData(caseId, { cost1: '600', overReason: 'Price rise.' }),
      );
      assert.match(textOf(card), /£100\.00 more than the 2026-27 budget can cover/);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');
      assert.equal((await budgetOf(h)).commitments[caseId], 45_000);
    });

    it('refuses commissioning to anyone but the co-ordinator', async () => {
      const caseId = await approved(h);
      const card = await h.press(P.megan, 'commission', commissionData(caseId));
      assert.match(textOf(card), /Only the EIP co-ordinator/);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');
    });
  });

  describe('spend', () => {
    const spendData = (caseId: string, over: Record<string, unknown> = {}) => ({
      caseId,
      spendId: '6f1f3c1e-8e0e-4b8e-9d8e-7f6a5b4c3d2e',
      packageId: `${caseId}:p1`,
      invoiceRef: 'INV-*1*',
      amount: '180',
      sessionsDelivered: '4',
      deliveredOn: '2026-12-15',
      ...over,
    });

    beforeEach(() => at('2026-12-20T10:00:00Z'));

    it('records spend: spent moves, and pressing Save twice records it once', async () => {
      at('2026-11-27T10:00:00Z');
      const caseId = await commissioned(h);
      at('2026-12-20T10:00:00Z');
      const card = await h.press(P.adele, 'spend', spendData(caseId));
      assert.match(
        textOf(card),
        /£180\.00 recorded against the counselling package: £180\.00 of £450\.00 spent/,
      );
      const again = await h.press(P.adele, 'spend', spendData(caseId));
      assert.match(textOf(again), /recorded already/);
      const spends = await h.bot.store.spends.find({ caseId });
      assert.equal(spends.length, 1);
      assert.equal(spends[0]!.value.invoiceRef, 'INV-*1*');
      assert.match(textOf(card), /Spent\n£180\.00/);
    });

    it('needs a reason to go past the agreed cost, then flags it in the ledger and commits it', async () => {
      at('2026-11-27T10:00:00Z');
      const caseId = await commissioned(h);
      at('2026-12-20T10:00:00Z');
      const refused = await h.press(P.adele, 'spend', spendData(caseId, { amount: '500' }));
      assert.match(textOf(refused), /takes the package £50\.00 over its agreed £450\.00\. Say why/);
      assert.deepEqual(await h.bot.store.spends.find({ caseId }), []);
      const card = await h.press(
        P.adele,
        'spend',
        spendData(caseId, { amount: '500', overReason: 'Two extra sessions agreed.' }),
      );
      assert.match(textOf(card), /£50\.00 over the agreed cost, flagged in the ledger/);
      assert.equal((await budgetOf(h)).commitments[caseId], 50_000);
      const [ledger] = await h.say(P.adele, 'budget');
      assert.match(textOf(ledger), /Spent beyond the agreed cost[\s\S]*£50\.00 over/);
    });

    for (const [what, over, message] of [
      ['a negative amount', { amount: '-5' }, /cannot be negative/],
      ['a fractional penny', { amount: '1.005' }, /two decimal places/],
      ['an absurd amount', { amount: '5000000' }, /at most £100,000\.00/],
      [
        'spend dated after the package ends',
        { deliveredOn: '2027-03-20' },
        /cannot be in the future|must fall within it/,
      ],
      ['spend before the package starts', { deliveredOn: '2026-11-30' }, /must fall within it/],
      ['another case’s package', { packageId: 'someone-else:p1' }, /Choose one of this case’s packages/],
    ] as const) {
      it(`refuses ${what} and records nothing`, async () => {
        at('2026-11-27T10:00:00Z');
        const caseId = await commissioned(h);
        at('2027-03-25T10:00:00Z');
        const card = await h.press(P.adele, 'spend', spendData(caseId, over));
        assert.match(textOf(card), message);
        assert.deepEqual(await h.bot.store.spends.find({ caseId }), []);
      });
    }

    it('refuses spend on a closed case', async () => {
      at('2026-11-27T10:00:00Z');
      const caseId = await commissioned(h);
      await h.press(P.adele, 'close', { caseId, reason: 'needs-met', note: 'Done.' });
      const card = await h.press(P.adele, 'spend', spendData(caseId));
      assert.match(textOf(card), /it is now closed/);
      assert.deepEqual(await h.bot.store.spends.find({ caseId }), []);
    });
  });

  describe('outcome reviews and closure', () => {
    it('moves review dates, but never before the support starts', async () => {
      const caseId = await commissioned(h);
      const refused = await h.press(P.adele, 'moveReviews', {
        caseId,
        interim: '2026-11-30',
        final: '2027-03-19',
      });
      assert.match(textOf(refused), /cannot be before the support starts/);
      assert.equal((await h.bot.store.reviews.get(`${caseId}:interim`))?.value.due, '2027-01-12');
      const mark = h.connector.mark();
      const card = await h.press(P.adele, 'moveReviews', {
        caseId,
        interim: '2027-01-19',
        final: '2027-03-19',
      });
      assert.match(textOf(card), /Review dates saved\. Interim review: Tue 19 Jan 2027/);
      assert.equal((await h.bot.store.reviews.get(`${caseId}:interim`))?.value.due, '2027-01-19');
      assert.match(textOf(h.connector.cardsIn(personalChat(P.megan), mark)[0]), /review dates moved/);
    });

    it('records the interim review against each expected outcome and copies the school', async () => {
      const caseId = await commissioned(h);
      at('2027-01-12T10:00:00Z');
      const open = await h.press(P.adele, 'openCase', { caseId });
      assert.match(textOf(open), /waiting on you: interim review due Tue 12 Jan 2027/);
      const form = await h.press(P.adele, 'showForm', button(open, 'Record interim review').data);
      assert.match(textOf(form), /1\. Fewer incidents at lunchtime/);
      assert.match(textOf(form), /2\. Uses calm-down strategies independently/);
      const refused = await h.press(P.adele, 'recordOutcome', {
        caseId,
        review: 'interim',
        progress1: 'good',
        baseline: '20',
        notes: 'Agreed.',
      });
      assert.match(textOf(refused), /Outcome 2: progress: Choose how far this outcome was met/);
      const noMeasure = await h.press(P.adele, 'recordOutcome', {
        caseId,
        review: 'interim',
        progress1: 'good',
        progress2: 'good',
        baseline: '20',
        notes: 'Agreed.',
      });
      assert.match(textOf(noMeasure), /Name the measure the scores come from/);
      assert.equal((await h.bot.store.reviews.get(`${caseId}:interim`))?.value.status, 'open');
      const mark = h.connector.mark();
      const card = await h.press(P.adele, 'recordOutcome', {
        caseId,
        review: 'interim',
        progress1: 'good',
        progress2: 'some',
        measure: 'SDQ total difficulties',
        baseline: '22',
        end: '17',
        notes: 'Agreed with _Megan_.',
      });
      assert.match(textOf(card), /Review saved/);
      const r = (await h.bot.store.reviews.get(`${caseId}:interim`))!.value;
      assert.equal(r.status, 'done');
      assert.deepEqual(
        r.outcome?.progress.map((p) => p.level),
        ['good', 'some'],
      );
      assert.equal(r.outcome?.baseline, 22);
      assert.match(
        textOf(h.connector.cardsIn(personalChat(P.megan), mark)[0]),
        /Fewer incidents at lunchtime: Good progress/,
      );
      const again = await h.press(P.adele, 'recordOutcome', {
        caseId,
        review: 'interim',
        progress1: 'good',
        progress2: 'good',
        notes: 'x',
      });
      assert.match(textOf(again), /recorded already/);
    });

    it('closes with a reason, gives back what was not spent, and reopens once', async () => {
      const caseId = await commissioned(h);
      at('2026-12-20T10:00:00Z');
      await h.press(P.adele, 'spend', {
        caseId,
        spendId: '0c3c59c4-7a63-4a53-9a23-1c7b6e1b2a10',
        packageId: `${caseId}:p1`,
        invoiceRef: 'INV-1',
        amount: '100',
        sessionsDelivered: '2',
        deliveredOn: '2026-12-15',
      });
      const refused = await h.press(P.adele, 'close', { caseId, reason: 'finished', note: 'x' });
      assert.match(textOf(refused), /Choose why the case is closing/);
      const closed = await h.press(P.adele, 'close', { caseId, reason: 'needs-met', note: 'All **met**.' });
      assert.match(textOf(closed), /Case closed: needs met/);
      assert.equal((await budgetOf(h)).commitments[caseId], 10_000, 'only what was spent stays committed');
      const c = (await h.bot.store.cases.get(caseId))!.value;
      assert.equal(c.closureReason, 'needs-met');
      assert.equal(c.closedFrom, 'commissioned');
      const card = await h.press(P.megan, 'openCase', { caseId });
      assert.match(textOf(card), /Committed\n£100\.00 \(2026-27; the rest went back when the case closed\)/);
      assert.match(textOf(card), /Final review\nNot held: the case closed first\./);
      assert.match(textOf(card), /Closed: Needs met\nAll \*\*met\*\*\./);
      const reopened = await h.press(P.adele, 'reopen', { caseId, reason: 'The school asks for the rest.' });
      assert.match(textOf(reopened), /Case reopened/);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'commissioned');
      assert.equal((await budgetOf(h)).commitments[caseId], 45_000);
      await h.press(P.adele, 'close', { caseId, reason: 'school-provision', note: 'Carrying on.' });
      const twice = await h.press(P.adele, 'reopen', { caseId, reason: 'Again.' });
      assert.match(textOf(twice), /reopened once already/);
      assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'closed');
      assert.ok(!buttonsOf(twice).some((b) => b.title === 'Reopen case'));
    });

    it('refuses a stale card pressed after the case moved on', async () => {
      const caseId = await commissioned(h);
      await h.press(P.adele, 'close', { caseId, reason: 'needs-met', note: 'Done.' });
      const card = await h.press(P.adele, 'moveReviews', {
        caseId,
        interim: '2027-01-19',
        final: '2027-03-19',
      });
      assert.match(textOf(card), /has moved on: it is now closed/);
      assert.equal((await h.bot.store.reviews.get(`${caseId}:interim`))?.value.due, '2027-01-12');
    });
  });

  describe('the ledger', () => {
    it('shows allocation, committed, spent, available, the largest commitments and spend by type', async () => {
      const caseId = await commissioned(h);
      at('2026-12-20T10:00:00Z');
      await h.press(P.adele, 'spend', {
        caseId,
        spendId: '1c3c59c4-7a63-4a53-9a23-1c7b6e1b2a10',
        packageId: `${caseId}:p1`,
        invoiceRef: 'INV-1',
        amount: '90',
        sessionsDelivered: '2',
        deliveredOn: '2026-12-15',
      });
      const [card] = await h.say(P.isaiah, 'budget');
      const text = textOf(card);
      assert.match(text, /Budget 2026-27/);
      assert.match(
        text,
        /Allocation\n£357,000\.00\nCommitted\n£450\.00\nSpent\n£90\.00\nAvailable\n£356,550\.00/,
      );
      assert.match(text, /EIP-2026-0001 · whole class, Year 4\n£450\.00/);
      assert.match(text, /Counselling\n£90\.00/);
      assert.doesNotMatch(text, /4B/, "no school's own words");
      assert.ok(buttonsOf(card).some((b) => b.title === 'Set allocation'));
    });

    it('lets an admin set an allocation, but not below what is committed', async () => {
      await approved(h);
      const refused = await h.press(P.isaiah, 'saveBudget', { year: '2026-27', allocation: '100' });
      assert.match(textOf(refused), /£450\.00 is already committed in 2026-27/);
      assert.equal((await budgetOf(h)).allocationPence, 35_700_000);
      const card = await h.press(P.isaiah, 'saveBudget', { year: '2027-28', allocation: '400,000' });
      assert.match(textOf(card), /The 2027-28 allocation is now £400,000\.00/);
      assert.equal((await budgetOf(h, '2027-28')).allocationPence, 40_000_000);
      assert.ok((await h.bot.store.audit.list()).some((a) => a.action === 'set-allocation'));
    });

    for (const allocation of ['-5', '0', '1.001', '9999999999']) {
      it(`refuses an allocation of ${allocation} and changes nothing`, async () => {
        const card = await h.press(P.isaiah, 'saveBudget', { year: '2026-27', allocation });
        assert.match(textOf(card), /Some answers need another look/);
        assert.equal((await budgetOf(h)).allocationPence, 35_700_000);
      });
    }

    it('is not open to a SENCo or the panel, and the co-ordinator cannot set it', async () => {
      assert.match(
        textOf((await h.say(P.megan, 'budget'))[0]),
        /Only the EIP co-ordinator and the LA’s admins/,
      );
      assert.match(textOf(await h.press(P.alex, 'budget')), /Only the EIP co-ordinator/);
      const card = await h.press(P.adele, 'saveBudget', { year: '2026-27', allocation: '1' });
      assert.match(textOf(card), /Only an LA admin/);
      assert.equal((await budgetOf(h)).allocationPence, 35_700_000);
    });
  });
});
