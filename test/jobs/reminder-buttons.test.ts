// A reminder's button goes straight to the action, through the real bot.
import assert from 'node:assert/strict';
import { P, button, personalChat, startHarness, textOf, type Harness } from '../support/harness';
import { caseRecord, proposalRecord } from '../support/records';

describe("a reminder's button", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { EIP_JOBS_TOKEN: 't' }, now: () => new Date('2026-12-02T10:00:00Z') });
  });
  after(async () => h.stop());

  it("opens the proposal in the panel member's own view, with the date the panel should decide by", async () => {
    await h.say(P.lynne, 'hello');
    const c = caseRecord({ id: 'c1', status: 'proposed', round: 1 });
    await h.bot.store.cases.create(c);
    await h.bot.store.proposals.create(proposalRecord(c, '2026-12-04'));
    const mark = h.connector.mark();
    const res = await fetch(`${h.bot.url}/api/reminders/run`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
    });
    assert.equal(res.status, 200);
    const toLynne = h.connector
      .cardsIn(personalChat(P.lynne), mark)
      .find((card) => /For Lynne Robbins/.test(textOf(card)));
    assert.ok(toLynne, 'Lynne is reminded in her 1:1 chat');
    const proposal = await h.press(P.lynne, 'panelView', button(toLynne, 'Open the proposal').data);
    assert.match(textOf(proposal), /Lynne Robbins, you haven't voted yet/);
    assert.match(textOf(proposal), /Decide by\nFri 4 Dec 2026/);
    assert.equal(textOf(proposal).includes('Sam'), false);
  });
});
