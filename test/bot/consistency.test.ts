// What happens when a message cannot be delivered, or two things happen to a case at once: nothing half-done.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import {
  P,
  PANEL_CHAT,
  acceptAndAssess,
  button,
  buttonsOf,
  personalChat,
  raiseRequest,
  startHarness,
  textOf,
  type Harness,
} from '../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');

describe('consistency', () => {
  let h: Harness;
  let caseId: string;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
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
  afterEach(async () => {
    sinon.restore();
    await h.stop();
  });

  const proposal = () => ({
    caseId,
    service1: 'whole-class-support@inclusion-support-team',
    sessions1: 6,
    rationale: 'r',
    outcomes: 'o',
    reviewDate: '2027-01-29',
  });

  it('keeps the case with the panel when the panel chat refuses the card, and offers to post it again', async () => {
    h.connector.failing.add(PANEL_CHAT);
    const card = await h.press(P.adele, 'propose', proposal());
    // The card goes to the panel chat as the co-ordinator is answered; Teams refuses it a moment later.
    assert.match(textOf(card), /Sent to the panel's chat/);
    const opened = await h.press(P.adele, 'openCase', { caseId });
    assert.ok(button(opened, 'Post to the panel again'));
    const stored = await h.bot.store.cases.get(caseId);
    assert.equal(stored?.value.status, 'proposed');
    assert.equal(stored?.value.round, 1);
    // Teams said the bot is gone from that chat (403): the co-ordinator hears of it, and it is not tried again.
    assert.ok(
      h.connector.cardsIn(personalChat(P.adele)).some((c) => /cannot reach the panel chat/.test(textOf(c))),
    );
    h.connector.failing.delete(PANEL_CHAT);
    const before = h.connector.mark();
    const refused = await h.press(P.adele, 'repostPanel', { caseId });
    assert.match(textOf(refused), /still cannot be reached/);
    assert.equal(h.connector.cardsIn(PANEL_CHAT, before).length, 0);
    // Someone types "panel here" in the chat once the bot is back: the chat is reachable again.
    await h.say(P.adele, 'panel here', 'panel');
    const mark = h.connector.mark();
    const again = await h.press(P.adele, 'repostPanel', { caseId });
    assert.match(textOf(again), /Posted to the panel's chat/);
    assert.ok(!buttonsOf(again).some((b) => b.title === 'Post to the panel again'));
    assert.equal(h.connector.cardsIn(PANEL_CHAT, mark).length, 1);
    // Pressing it again posts nothing more.
    const twice = await h.press(P.adele, 'repostPanel', { caseId });
    assert.match(textOf(twice), /already in the panel chat/);
    assert.equal(h.connector.cardsIn(PANEL_CHAT, mark).length, 1);
  });

  it('keeps a saved step when the person to tell cannot be reached', async () => {
    h.connector.failing.add(personalChat(P.megan));
    const card = await h.press(P.adele, 'propose', proposal());
    assert.match(textOf(card), /Sent to the panel's chat\. The school is being told/);
    // Teams refused the school's chat (403): the message is not retried, and the co-ordinator hears why.
    assert.equal((await h.bot.store.outbox.find({ state: 'failed' })).length, 1);
    assert.ok(
      h.connector.cardsIn(personalChat(P.adele)).some((c) => /cannot reach Megan Bowen/.test(textOf(c))),
    );
    // The school's chat is not tried again until Megan talks to the bot.
    const again = await h.press(P.adele, 'openCase', { caseId });
    assert.match(textOf(again), /With the panel/);
    assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'proposed');
  });

  it('finishes a decision that was recorded but never applied, and refuses the vote it did not count', async () => {
    await h.press(P.adele, 'propose', proposal());
    // As if the process stopped between writing Alex's decision and moving the case.
    await h.bot.store.votes.create({
      id: `${caseId}:r1:alex`,
      caseId,
      round: 1,
      voter: P.alex.aadObjectId,
      choice: 'approve',
      comment: '',
      castAt: NOW.toISOString(),
    });
    await h.bot.store.decisions.create({
      id: `${caseId}:r1`,
      caseId,
      round: 1,
      outcome: 'approved',
      tally: { approve: 2, decline: 0, changes: 0 },
      voters: [P.alex.aadObjectId, 'someone-else'],
      decidedAt: NOW.toISOString(),
    });
    const mark = h.connector.mark();
    const card = await h.press(
      P.lynne,
      'vote',
      { caseId, round: 1, choice: 'decline', comment: 'No.' },
      'panel',
    );
    assert.match(textOf(card), /decided on EIP-2026-0001 a moment before your vote/);
    assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'approved');
    assert.equal(
      (await h.bot.store.votes.find({ caseId, round: 1 })).length,
      1,
      'the uncounted vote is not kept',
    );
    assert.match(textOf(h.connector.cardsIn(personalChat(P.megan), mark)), /EIP-2026-0001: Approved/);
  });

  it('records no decision and tells nobody when the school withdraws while the deciding vote is cast', async () => {
    await h.press(P.adele, 'propose', proposal());
    await h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
    const votes = h.bot.store.votes;
    const create = votes.create.bind(votes);
    sinon.stub(votes, 'create').callsFake(async (v) => {
      const written = await create(v);
      const c = (await h.bot.store.cases.get(caseId))!;
      await h.bot.store.cases.replace({ ...c.value, status: 'closed', closureReason: 'withdrawn' }, c.eTag);
      return written;
    });
    const mark = h.connector.mark();
    const card = await h.press(P.lynne, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
    assert.match(textOf(card), /left the panel a moment before your vote/);
    assert.equal((await h.bot.store.decisions.find({ caseId })).length, 0);
    assert.equal((await h.bot.store.cases.get(caseId))?.value.status, 'closed');
    assert.doesNotMatch(textOf(h.connector.cardsIn(personalChat(P.megan), mark)), /Approved/);
  });
});
