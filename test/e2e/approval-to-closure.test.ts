// One case from the panel's approval to closure: commissioning, spend, a review falling due and its reminder, the
// outcome recorded, and closure, through the real bot, with what each person was sent and what was stored.
import assert from 'node:assert/strict';
import {
  P,
  acceptAndAssess,
  button,
  personalChat,
  raiseRequest,
  startHarness,
  textOf,
  type Harness,
} from '../support/harness';

const PUPIL = 'Sam Okonkwo-Price';
const TOKEN = 'e2e-token';

describe('a case from approval to closure', () => {
  let h: Harness;
  let now = new Date('2026-11-27T10:00:00Z');
  before(async () => {
    h = await startHarness({ now: () => now, env: { EIP_JOBS_TOKEN: TOKEN } });
  });
  after(async () => h.stop());

  const sweep = async (day: string) => {
    const res = await fetch(`${h.bot.url}/api/reminders/run?now=${day}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { reminders: { kind: string; outcome: string; toName: string }[] };
  };

  it('commissions, records spend, reminds of the review, records outcomes and closes', async () => {
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await h.say(p, 'help');
    await h.say(P.adele, 'panel here', 'panel');

    // Up to the panel: an individual case, proposed with a directory provider at its directory rate.
    const caseId = await raiseRequest(h, {
      kind: 'individual',
      pupilName: PUPIL,
      yearGroup: 'Year 4',
      needs: 'semh',
      tried: 'A calm corner.',
      asked: 'Counselling.',
      consentGivenBy: 'Jo Price (mother)',
      consentDate: '2026-11-20',
      consentMethod: 'in-writing',
    });
    await acceptAndAssess(h, caseId);
    await h.press(P.adele, 'propose', {
      caseId,
      service1: 'counselling@oakwood-counselling',
      sessions1: '12',
      rationale: 'Regulation before escalation.',
      outcomes: '- Fewer incidents at lunchtime\n- Names feelings to an adult',
      reviewDate: '2027-03-19',
    });
    const panelCard = h.connector.cardsIn('panel-group-chat').at(-1);
    assert.match(textOf(panelCard), /£357,000\.00 available in 2026-27/);

    // 1. The panel approves: the money is held, and the co-ordinator is told to commission.
    let mark = h.connector.mark();
    await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
    await h.press(
      P.lynne,
      'vote',
      { caseId, round: 1, choice: 'approve', comment: 'Review at half term.' },
      'panel',
    );
    const decided = h.connector.cardsIn(personalChat(P.adele), mark).find((c) => /Approved/.test(textOf(c)))!;
    assert.match(textOf(decided), /Next: commission the packages/);
    assert.equal((await h.bot.store.budgets.get('2026-27'))?.value.commitments[caseId], 54_000);

    // 2. Commission, from the notice's button.
    const form = await h.press(P.adele, 'showForm', button(decided, 'Commission packages').data);
    assert.match(textOf(form), /Approved: Oakwood Counselling Service, 12 × £45\.00 = £540\.00/);
    mark = h.connector.mark();
    const commissioned = await h.press(P.adele, 'commission', {
      caseId,
      provider1: 'oakwood-counselling',
      start1: '2026-12-01',
      end1: '2027-03-19',
      cost1: '540',
    });
    assert.match(textOf(commissioned), /Commissioned: £540\.00 committed against 2026-27/);
    const [starts] = h.connector.cardsIn(personalChat(P.megan), mark);
    assert.match(textOf(starts), /Oakwood Counselling Service: Tue 1 Dec 2026 to Fri 19 Mar 2027/);
    assert.match(textOf(starts), /interim Tue 12 Jan 2027, final Fri 19 Mar 2027/);

    // 3. Spend.
    now = new Date('2026-12-18T15:00:00Z');
    const spent = await h.press(P.adele, 'spend', {
      caseId,
      spendId: '2b7f4f0e-2f7d-4a1c-9b4e-2d5c3a1f0e9d',
      packageId: `${caseId}:p1`,
      invoiceRef: 'OCS-1029',
      amount: '225',
      sessionsDelivered: '5',
      deliveredOn: '2026-12-18',
    });
    assert.match(textOf(spent), /£225\.00 of £540\.00 spent/);

    // 4. The interim review falls due: three days before, the co-ordinator is reminded, with a copy to the school.
    now = new Date('2027-01-09T09:00:00Z');
    mark = h.connector.mark();
    assert.deepEqual(
      (await sweep('2027-01-08')).reminders.filter((r) => r.kind === 'review-due'),
      [],
      'nothing before the first due point',
    );
    const report = await sweep('2027-01-09');
    assert.deepEqual(
      report.reminders.filter((r) => r.kind === 'review-due').map((r) => `${r.outcome} ${r.toName}`),
      ['sent Adele Vance', 'sent Megan Bowen'],
    );
    const reminder = h.connector
      .cardsIn(personalChat(P.adele), mark)
      .find((c) => /outcome review/.test(textOf(c)))!;
    assert.match(textOf(reminder), /interim outcome review of EIP-2026-0001 is due on Tue 12 Jan 2027/);
    const copy = h.connector
      .cardsIn(personalChat(P.megan), mark)
      .find((c) => /outcome review/.test(textOf(c)));
    assert.ok(copy, 'the SENCo gets a copy');
    for (const card of [reminder, copy])
      assert.ok(
        !textOf(card).includes('Sam') && !textOf(card).includes('Okonkwo'),
        'no pupil name in a reminder',
      );
    mark = h.connector.mark();
    await sweep('2027-01-09');
    assert.equal(h.connector.mark(), mark, 'a second sweep the same day sends nothing');
    const [tray] = await h.say(P.adele, 'my cases');
    assert.match(textOf(tray), /interim review due Tue 12 Jan 2027/);

    // 5. The reminder's button goes straight to the outcome form.
    const outcomeForm = await h.press(P.adele, 'showForm', button(reminder, 'Record outcomes').data);
    assert.match(textOf(outcomeForm), /Record the interim review/);
    assert.match(textOf(outcomeForm), /1\. Fewer incidents at lunchtime/);
    await h.press(P.adele, 'recordOutcome', {
      caseId,
      review: 'interim',
      progress1: 'some',
      progress2: 'good',
      measure: 'SDQ total difficulties',
      baseline: '21',
      end: '17',
      notes: 'Agreed with Megan on 12 Jan.',
    });
    assert.equal((await h.bot.store.reviews.get(`${caseId}:interim`))?.value.status, 'done');

    // 6. The final review, then closure: what was not spent goes back to the budget.
    now = new Date('2027-03-19T10:00:00Z');
    const final = await h.press(P.adele, 'recordOutcome', {
      caseId,
      review: 'final',
      progress1: 'fully-met',
      progress2: 'good',
      notes: 'Needs met; the school carries on with check-ins.',
    });
    assert.match(textOf(final), /close the case with a reason/);
    const closed = await h.press(P.adele, 'close', {
      caseId,
      reason: 'needs-met',
      note: 'Outcomes met at the final review.',
    });
    assert.match(textOf(closed), /Case closed: needs met/);
    assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'closed');
    assert.equal((await h.bot.store.budgets.get('2026-27'))?.value.commitments[caseId], 22_500);
    const [ledger] = await h.say(P.adele, 'budget');
    assert.match(textOf(ledger), /Committed\n£225\.00\nSpent\n£225\.00/);

    // 7. No reminder once the review is done and the case is closed; the trail says who did what.
    mark = h.connector.mark();
    await sweep('2027-03-26');
    assert.equal(
      h.connector.cardsIn(personalChat(P.adele), mark).filter((c) => /outcome review/.test(textOf(c))).length,
      0,
    );
    const actions = (await h.bot.store.audit.list(caseId)).map((a) => a.action);
    for (const a of ['decide', 'commission', 'spend', 'outcome', 'close']) assert.ok(actions.includes(a), a);
    const logs = h.logs.join('\n');
    assert.ok(!logs.includes('Okonkwo'), 'no pupil name in the logs');
  });
});
