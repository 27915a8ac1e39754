// The reminder sweep, given an explicit clock: nothing before a due point, one card to each person at it, nothing
// more that day, and the next card at the next point. Every card's button goes straight to the action.
import assert from 'node:assert/strict';
import { londonNoon, runReminderSweep } from '../../src/jobs/reminder-sweep';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { AppDeps } from '../../src/app/ports';
import type { Card } from '../../src/cards';
import { P, buttonsOf, textOf } from '../support/harness';
import {
  PUPIL,
  RecordingNotifier,
  appDeps,
  caseRecord,
  proposalRecord,
  reachable,
  reviewRecord,
  voteRecord,
} from '../support/records';

describe('the reminder sweep', () => {
  let store: SqliteStore;
  let notifier: RecordingNotifier;
  let deps: AppDeps;

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    notifier = new RecordingNotifier();
    deps = appDeps(store, notifier);
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await reachable(store, p.aadObjectId);
  });
  afterEach(async () => store.close());

  /** Sweeps as of noon on a day; answers the cards it sent, by who got them. */
  async function sweepOn(day: string): Promise<{ to: string; card: Card }[]> {
    const mark = notifier.sent.length;
    await runReminderSweep(deps, { now: londonNoon(day) });
    return notifier.sent.slice(mark).map((s) => ({ to: s.chat.replace('chat-', ''), card: s.card }));
  }
  const who = (sent: { to: string }[]) =>
    sent.map((s) => [P.megan, P.adele, P.alex, P.patti, P.lynne].find((p) => p.aadObjectId === s.to)?.name);
  /** Cards other than the monthly agenda, which falls on the 10th of every month. */
  const about = (sent: { to: string; card: Card }[]) =>
    sent.filter((s) => !/Providers' meeting agenda/.test(textOf(s.card)));

  it('reminds of an outcome review three days before, on the day, then weekly while it is overdue', async () => {
    await store.cases.create(caseRecord({ id: 'c1', status: 'commissioned', round: 1 }));
    await store.reviews.create(reviewRecord('c1', 'interim', '2027-01-15'));

    assert.deepEqual(await sweepOn('2027-01-11').then(about), [], 'four days before: nothing');

    const first = about(await sweepOn('2027-01-12'));
    assert.deepEqual(who(first), ['Adele Vance', 'Megan Bowen']);
    const [toAdele, toMegan] = first.map((s) => s.card);
    assert.match(textOf(toAdele), /The interim outcome review of EIP-2026-0001 is due on Fri 15 Jan 2027/);
    assert.match(textOf(toAdele), /Individual pupil, Year 4/);
    assert.deepEqual(buttonsOf(toAdele), [
      {
        title: 'Record outcomes',
        verb: 'showForm',
        data: { caseId: 'c1', form: 'recordOutcome', review: 'interim' },
      },
    ]);
    assert.match(textOf(toMegan), /A copy for the school/);
    assert.deepEqual(buttonsOf(toMegan), [{ title: 'Open case', verb: 'openCase', data: { caseId: 'c1' } }]);
    for (const s of first) assert.equal(JSON.stringify(s.card).includes('Sam'), false, 'no pupil name');

    assert.deepEqual(await sweepOn('2027-01-12').then(about), [], 'the same day again: nothing');
    assert.deepEqual(await sweepOn('2027-01-14').then(about), [], 'between points: nothing');

    const onTheDay = about(await sweepOn('2027-01-15'));
    assert.deepEqual(who(onTheDay), ['Adele Vance', 'Megan Bowen']);
    assert.match(textOf(onTheDay[0]!.card), /is due today/);

    assert.deepEqual(await sweepOn('2027-01-21').then(about), [], 'six days overdue: nothing yet');
    const weekLate = about(await sweepOn('2027-01-22'));
    assert.deepEqual(who(weekLate), ['Adele Vance', 'Megan Bowen']);
    assert.match(textOf(weekLate[0]!.card), /is overdue: it was due on Fri 15 Jan 2027/);

    const review = (await store.reviews.get('c1:interim'))!;
    await store.reviews.replace({ ...review.value, status: 'done' }, review.eTag);
    assert.deepEqual(await sweepOn('2027-01-29').then(about), [], 'once the review is recorded: nothing');
  });

  it('reminds panel members who have not voted, then tells the co-ordinator the deadline passed', async () => {
    // Oakfield raised it: Patti cannot vote; Alex has voted; Lynne has not. Decide by Fri 4 Dec 2026.
    const c = caseRecord({ id: 'c2', status: 'proposed', round: 1 });
    await store.cases.create(c);
    await store.proposals.create(proposalRecord(c, '2026-12-04'));
    await store.votes.create(voteRecord(c, P.alex.aadObjectId));

    assert.deepEqual(await sweepOn('2026-12-01'), [], 'three school days before: nothing');

    const reminded = await sweepOn('2026-12-02');
    assert.deepEqual(who(reminded), ['Lynne Robbins']);
    const card = reminded[0]!.card;
    assert.match(textOf(card), /Your vote is needed on EIP-2026-0002/);
    assert.match(textOf(card), /decide by Fri 4 Dec 2026/);
    assert.equal(
      /Year 4|pupil|Oakfield|Sam/i.test(textOf(card)),
      false,
      'nothing of the case but its reference',
    );
    assert.deepEqual(buttonsOf(card), [
      { title: 'Open the proposal', verb: 'panelView', data: { caseId: 'c2', round: 1 } },
    ]);

    assert.deepEqual(await sweepOn('2026-12-02'), [], 'the same day again: nothing');
    assert.deepEqual(await sweepOn('2026-12-04'), [], 'the deadline day: nothing more');

    const passed = await sweepOn('2026-12-07');
    assert.deepEqual(who(passed), ['Adele Vance']);
    assert.match(textOf(passed[0]!.card), /The panel's deadline for EIP-2026-0002 has passed/);
    assert.match(textOf(passed[0]!.card), /1 of the 2 votes needed has been cast/);
    assert.deepEqual(buttonsOf(passed[0]!.card), [
      { title: 'Open case', verb: 'openCase', data: { caseId: 'c2' } },
    ]);
    assert.deepEqual(await sweepOn('2026-12-08'), [], 'told once');

    // A revised proposal is a new round, with its own deadline and reminders.
    const revised = (await store.cases.get('c2'))!;
    await store.cases.replace({ ...revised.value, round: 2 }, revised.eTag);
    await store.proposals.create(proposalRecord({ ...c, round: 2 }, '2026-12-18'));
    assert.deepEqual(await sweepOn('2026-12-15').then(about), []);
    assert.deepEqual(who(about(await sweepOn('2026-12-16'))), ['Alex Wilber', 'Lynne Robbins']);
  });

  it('tells the co-ordinator of a request waiting more than five school days for triage, once per submission', async () => {
    await store.cases.create(caseRecord({ id: 'c3' })); // submitted Mon 2 Nov 2026

    assert.deepEqual(await sweepOn('2026-11-09'), [], 'five school days: not yet');
    const flagged = about(await sweepOn('2026-11-10'));
    assert.deepEqual(who(flagged), ['Adele Vance']);
    assert.match(textOf(flagged[0]!.card), /EIP-2026-0003 has waited 6 school days for triage/);
    assert.match(textOf(flagged[0]!.card), /Submitted on Mon 2 Nov 2026/);
    assert.deepEqual(buttonsOf(flagged[0]!.card), [
      { title: 'Open case', verb: 'openCase', data: { caseId: 'c3' } },
    ]);
    assert.equal(JSON.stringify(flagged[0]!.card).includes(PUPIL), false);
    assert.deepEqual(await sweepOn('2026-11-10'), [], 'the same day again: nothing');
    assert.deepEqual(await sweepOn('2026-11-24'), [], 'told once for this submission');

    // Returned with a question and resubmitted on Fri 20 Nov: the clock starts again.
    const c = (await store.cases.get('c3'))!;
    await store.cases.replace({ ...c.value, submittedAt: '2026-11-20T15:00:00.000Z' }, c.eTag);
    assert.deepEqual(await sweepOn('2026-11-27'), []);
    assert.deepEqual(who(await sweepOn('2026-11-30')), ['Adele Vance']);
  });

  it("sends the co-ordinator the providers' meeting agenda on the meeting day each month", async () => {
    assert.deepEqual(await sweepOn('2027-01-08'), [], 'before the 10th: nothing');
    // Sun 10 Jan 2027: the scheduled sweeps run on weekdays, so the agenda goes on Monday the 11th.
    const agenda = await sweepOn('2027-01-11');
    assert.deepEqual(who(agenda), ['Adele Vance']);
    assert.match(textOf(agenda[0]!.card), /Providers' meeting agenda/);
    assert.deepEqual(await sweepOn('2027-01-11'), [], 'the same day again: nothing');
    assert.deepEqual(await sweepOn('2027-02-09'), [], 'next month, before the day: nothing');
    assert.deepEqual(who(await sweepOn('2027-02-10')), ['Adele Vance']);
    const stored = await store.reminders.find({ kind: 'providers-meeting' });
    assert.deepEqual(
      stored.map((r) => `${r.value.id} ${r.value.status}`),
      [
        `providers-meeting:2027-01:${P.adele.aadObjectId.toLowerCase()} sent`,
        `providers-meeting:2027-02:${P.adele.aadObjectId.toLowerCase()} sent`,
      ],
    );
  });

  it('sweeps "as of a day" at noon in London, either side of the clock change', () => {
    assert.equal(londonNoon('2026-10-24').toISOString(), '2026-10-24T11:00:00.000Z', 'BST');
    assert.equal(londonNoon('2026-10-26').toISOString(), '2026-10-26T12:00:00.000Z', 'GMT');
  });

  it('reports who would be reminded of what in a dry run, without sending or recording anything', async () => {
    await store.cases.create(caseRecord({ id: 'c3' }));
    const report = await runReminderSweep(deps, { now: londonNoon('2026-11-10'), dryRun: true });
    assert.deepEqual(report.reminders, [
      {
        key: `triage-waiting:c3:2026-11-02:${P.adele.aadObjectId.toLowerCase()}`,
        kind: 'triage-waiting',
        ref: 'EIP-2026-0003',
        about: 'Individual pupil, Year 4',
        to: P.adele.aadObjectId.toLowerCase(),
        toName: 'Adele Vance',
        due: '2026-11-10',
        outcome: 'would-send',
      },
      {
        key: `providers-meeting:2026-11:${P.adele.aadObjectId.toLowerCase()}`,
        kind: 'providers-meeting',
        to: P.adele.aadObjectId.toLowerCase(),
        toName: 'Adele Vance',
        due: '2026-11-10',
        outcome: 'would-send',
      },
    ]);
    assert.equal(JSON.stringify(report).includes(PUPIL), false);
    assert.equal(notifier.sent.length, 0);
    assert.equal((await store.reminders.find()).length, 0);
  });

  it('records a reminder to someone with no chat as unreachable, lists them on the next agenda, and delivers it once they open one', async () => {
    const lynne = P.lynne.aadObjectId.toLowerCase();
    await store.conversations.remove(lynne, (await store.conversations.get(lynne))!.eTag);
    const c = caseRecord({ id: 'c2', status: 'proposed', round: 1 });
    await store.cases.create(c);
    await store.proposals.create(proposalRecord(c, '2026-12-11'));
    await store.votes.create(voteRecord(c, P.alex.aadObjectId));

    const report = await runReminderSweep(deps, { now: londonNoon('2026-12-09') });
    assert.deepEqual(
      report.reminders.map((r) => `${r.toName} ${r.kind} ${r.outcome}`),
      ['Lynne Robbins vote-pending unreachable'],
    );
    assert.equal(notifier.sent.length, 0);
    assert.equal((await store.reminders.get(`vote-pending:c2:r1:${lynne}`))?.value.status, 'unreachable');

    const [agenda] = await sweepOn('2026-12-10');
    assert.match(
      textOf(agenda!.card),
      /Lynne Robbins \(head teacher, panel member, Hillcrest Academy\): has not opened a chat with EIP bot, so gets no reminders; 1 reminder not delivered since the last agenda/,
    );

    await reachable(store, P.lynne.aadObjectId, '2026-12-10T13:00:00.000Z');
    const delivered = await sweepOn('2026-12-10');
    assert.deepEqual(who(delivered), ['Lynne Robbins']);
    assert.match(textOf(delivered[0]!.card), /Your vote is needed on EIP-2026-0002/);
    assert.equal((await store.reminders.get(`vote-pending:c2:r1:${lynne}`))?.value.status, 'sent');
    assert.deepEqual(await sweepOn('2026-12-10'), [], 'and not again');
  });
});
