// One case walked from request to approval, through the real adapter, handlers and SQLite store.
import assert from 'node:assert/strict';
import {
  P,
  PANEL_CHAT,
  button,
  buttonsOf,
  personalChat,
  startHarness,
  textOf,
  type Harness,
} from '../support/harness';

const PUPIL = 'Sam Okonkwo-Price';

const request = {
  kind: 'individual',
  pupilName: PUPIL,
  yearGroup: 'Year 4',
  needs: 'semh,communication',
  tried: 'Sam has had a daily check-in with a TA and a calm corner since September.',
  asked: 'Counselling and advice on classroom strategies.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
};

describe('a case from request to panel decision', () => {
  let h: Harness;
  const now = new Date('2026-11-27T10:00:00Z');
  before(async () => {
    h = await startHarness({ now: () => now });
  });
  after(async () => h.stop());

  it('walks one case to approved with three panel members, one refused for conflict of interest', async () => {
    // Everyone opens a 1:1 chat with the bot first, as they would on install.
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await h.say(p, 'help');
    const [panelHere] = await h.say(P.adele, 'panel here', 'panel');
    assert.match(textOf(panelHere), /now the EIP panel's chat/);

    // 1. Request
    const [menu] = await h.say(P.megan, 'help');
    const form = await h.press(P.megan, 'newRequest', button(menu, 'Raise a request for a pupil').data);
    assert.match(textOf(form), /Parental consent/);
    let mark = h.connector.mark();
    const confirmation = await h.press(P.megan, 'submitRequest', request);
    assert.match(
      textOf(confirmation),
      /Request submitted\. Your reference is EIP-2026-0001\. The co-ordinator is being told\./,
    );
    const [toCoordinator] = h.connector.cardsIn(personalChat(P.adele), mark);
    assert.ok(toCoordinator, 'the co-ordinator is told at once');
    assert.match(textOf(toCoordinator), /New request EIP-2026-0001/);
    const caseId = String(button(toCoordinator, 'Open case').data.caseId);

    // 2. Triage: return with a question, the school answers, then accept.
    const opened = await h.press(P.adele, 'openCase', { caseId });
    assert.match(textOf(opened), new RegExp(PUPIL), 'the co-ordinator sees the name');
    await h.press(P.adele, 'showForm', button(opened, 'Return with a question').data);
    mark = h.connector.mark();
    const returned = await h.press(P.adele, 'returnCase', {
      caseId,
      question: 'How often are the outbursts?',
    });
    assert.match(textOf(returned), /Returned with a question/);
    const [toSenco] = h.connector.cardsIn(personalChat(P.megan), mark);
    assert.match(textOf(toSenco), /How often are the outbursts\?/);
    await h.press(P.megan, 'resubmit', { caseId, answer: 'Two or three times a week, mostly after lunch.' });
    const accepted = await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-02' });
    assert.match(textOf(accepted), /Observation planned for Wed 2 Dec 2026/);

    // 3. Assessment
    const assessed = await h.press(P.adele, 'assess', {
      caseId,
      observedOn: '2026-11-27',
      findings: 'Dysregulated during transitions; settles with adult support.',
      needsIdentified: 'Emotional regulation; language for feelings.',
    });
    assert.match(textOf(assessed), /Assessment saved/);

    // 4. Proposal
    mark = h.connector.mark();
    const proposed = await h.press(P.adele, 'propose', {
      caseId,
      service1: 'counselling@other',
      otherProvider1: 'Kestrel Counselling',
      sessions1: '10',
      unitCost1: '45.50',
      service2: 'educational-psychology@county-ep-service',
      sessions2: '1',
      unitCost2: '4.80', // ignored: a directory provider's rate is the directory's
      rationale: `${PUPIL.split(' ')[0]} needs help to regulate before escalation.`,
      outcomes: 'Fewer incidents; uses calm-down strategies independently.',
      reviewDate: '2027-03-26',
    });
    assert.match(textOf(proposed), /Sent to the panel's chat/);
    const panelPosts = h.connector.sent.slice(mark).filter((s) => s.conversationId === PANEL_CHAT);
    assert.equal(panelPosts.length, 1, 'the proposal is posted once in the panel chat');
    const panelCard = panelPosts[0]!.activity.attachments![0]!.content;
    const panelText = JSON.stringify(panelCard);
    assert.ok(
      !panelText.includes('Sam') && !panelText.includes('Okonkwo'),
      'no part of the pupil name reaches the panel',
    );
    assert.match(textOf(panelCard), /£1,005\.00/, 'total = 10 × £45.50 + 1 day × £550 (the directory rate)');
    assert.match(
      textOf(panelCard),
      /Counselling: Kestrel Counselling \(another provider, not in the directory\)/,
    );
    assert.match(
      textOf(panelCard),
      /Educational psychology: County Educational Psychology Service, 1 × £550\.00 a day = £550\.00/,
    );
    assert.match(textOf(panelCard), /Individual pupil, Year 4, primary school/);

    // 5. Panel: conflicted member refused; two others approve.
    const round = button(panelCard, 'Approve').data.round;
    const conflicted = await h.press(P.patti, 'vote', { caseId, round, choice: 'approve' }, 'panel');
    assert.match(textOf(conflicted), /You can't vote on this case: your school raised it/);
    const first = await h.press(
      P.alex,
      'vote',
      { caseId, round, choice: 'approve', comment: 'Good plan.' },
      'panel',
    );
    assert.match(textOf(first), /your vote to approve is recorded/);
    assert.match(
      textOf(first),
      /1 approve, 0 decline, 0 request changes\. 1 of the 2 votes needed has been cast\./,
    );
    const again = await h.press(
      P.alex,
      'vote',
      { caseId, round, choice: 'decline', comment: 'Changed my mind' },
      'panel',
    );
    assert.match(textOf(again), /already voted/);
    mark = h.connector.mark();
    const second = await h.press(P.lynne, 'vote', { caseId, round, choice: 'approve' }, 'panel');
    assert.match(textOf(second), /Decided: Approved/);
    assert.deepEqual(
      buttonsOf(second).filter((b) => b.verb === 'vote'),
      [],
      'no further vote is taken',
    );

    // Every copy of the card shows the decision.
    const updates = h.connector.sent
      .slice(mark)
      .filter((s) => s.conversationId === PANEL_CHAT && s.kind === 'update');
    assert.equal(updates.at(-1)?.activityId, panelPosts[0]!.activityId, 'the posted card itself is updated');
    const shared = updates.at(-1)!.activity.attachments![0]!.content;
    assert.match(textOf(shared), /Decided: Approved/);
    assert.deepEqual(
      buttonsOf(shared).filter((b) => b.verb === 'vote'),
      [],
    );

    // 6. The SENCo and the co-ordinator hear at once in their 1:1 chats.
    assert.match(textOf(h.connector.cardsIn(personalChat(P.megan), mark)), /EIP-2026-0001: Approved/);
    assert.match(textOf(h.connector.cardsIn(personalChat(P.adele), mark)), /EIP-2026-0001: Approved/);

    // What was stored.
    const stored = await h.bot.store.cases.get(caseId);
    assert.equal(stored?.value.status, 'approved');
    const votes = await h.bot.store.votes.find({ caseId });
    assert.deepEqual(
      votes.map((v) => v.value.choice),
      ['approve', 'approve'],
    );
    const decision = await h.bot.store.decisions.get(`${caseId}:r1`);
    assert.deepEqual(decision?.value.tally, { approve: 2, decline: 0, changes: 0 });
    const consent = await h.bot.store.consents.get(caseId);
    assert.equal(consent?.value.givenBy, 'Jo Price (mother)');
    const trail = (await h.bot.store.audit.list(caseId)).map((a) => a.action);
    for (const a of ['submit', 'return', 'resubmit', 'accept', 'assess', 'propose', 'vote', 'decide'])
      assert.ok(trail.includes(a), `audit has ${a}`);
    const auditText = JSON.stringify(await h.bot.store.audit.list());
    assert.ok(!auditText.includes('Okonkwo'), 'the audit trail never names the pupil');

    // 7. Work tray: the SENCo sees the case and its status.
    const [tray] = await h.say(P.megan, 'my cases');
    assert.match(textOf(tray), /EIP-2026-0001 · Approved/);

    // Logs never contain the pupil's name.
    assert.ok(h.logs.length > 10);
    assert.ok(!h.logs.join('').includes('Okonkwo'), 'no pupil name in the logs');
  });
});
