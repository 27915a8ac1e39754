// Which reminders are due on a day, to whom, under which key: derived from the records alone.
import assert from 'node:assert/strict';
import { SchoolCalendar, type ProviderRecord, type ReminderRecord } from '../../src/domain';
import { planAgenda, planReminders, reviewPoint, type ReminderPlanInput } from '../../src/domain/reminders';
import { P } from '../support/harness';
import {
  caseRecord,
  fixtureDirectory,
  packageRecord,
  proposalRecord,
  reviewRecord,
  voteRecord,
} from '../support/records';

const directory = fixtureDirectory();
const calendar = new SchoolCalendar(directory.terms);
const ADELE = P.adele.aadObjectId.toLowerCase();
const MEGAN = P.megan.aadObjectId.toLowerCase();
const ALEX = P.alex.aadObjectId.toLowerCase();
const LYNNE = P.lynne.aadObjectId.toLowerCase();

function plan(today: string, records: Partial<ReminderPlanInput> = {}) {
  return planReminders({
    today,
    calendar,
    rules: directory.reminders,
    people: directory.people,
    cases: [],
    proposals: [],
    votes: [],
    decisions: [],
    reviews: [],
    ...records,
  });
}

const keys = (today: string, records: Partial<ReminderPlanInput>) =>
  plan(today, records)
    .filter((r) => r.kind !== 'providers-meeting')
    .map((r) => r.key);

describe('reminder planning', () => {
  describe('outcome reviews', () => {
    const c = caseRecord({ id: 'c1', status: 'commissioned', round: 1 });
    const records = { cases: [c], reviews: [reviewRecord('c1', 'interim', '2027-01-15')] };

    it('falls due three days before, on the day, then every seven days while overdue', () => {
      assert.equal(reviewPoint('2027-01-15', '2027-01-11'), undefined);
      assert.equal(reviewPoint('2027-01-15', '2027-01-12'), '2027-01-12');
      assert.equal(reviewPoint('2027-01-15', '2027-01-14'), '2027-01-12');
      assert.equal(reviewPoint('2027-01-15', '2027-01-15'), '2027-01-15');
      assert.equal(reviewPoint('2027-01-15', '2027-01-21'), '2027-01-15');
      assert.equal(reviewPoint('2027-01-15', '2027-01-22'), '2027-01-22');
      assert.equal(reviewPoint('2027-01-15', '2027-03-01'), '2027-02-26');
    });

    it('goes to the co-ordinator, with a copy to whoever raised the case, keyed by the due point', () => {
      assert.deepEqual(keys('2027-01-11', records), []);
      assert.deepEqual(keys('2027-01-12', records), [
        `review-due:c1:interim:2027-01-12:${ADELE}`,
        `review-due:c1:interim:2027-01-12:${MEGAN}`,
      ]);
      const [toCoordinator, copy] = plan('2027-01-12', records);
      assert.equal(toCoordinator?.kind === 'review-due' && toCoordinator.copy, false);
      assert.equal(copy?.kind === 'review-due' && copy.copy, true);
      assert.deepEqual(keys('2027-01-16', records), [
        `review-due:c1:interim:2027-01-15:${ADELE}`,
        `review-due:c1:interim:2027-01-15:${MEGAN}`,
      ]);
    });

    it('stops once the review is done, or the case is closed', () => {
      assert.deepEqual(
        keys('2027-01-22', { ...records, reviews: [reviewRecord('c1', 'interim', '2027-01-15', 'done')] }),
        [],
      );
      assert.deepEqual(keys('2027-01-22', { ...records, cases: [{ ...c, status: 'closed' }] }), []);
    });
  });

  describe('panel votes', () => {
    // An Oakfield case: Patti's school raised it, so Alex and Lynne vote. Decide by Fri 4 Dec 2026.
    const c = caseRecord({ id: 'c2', status: 'proposed', round: 1 });
    const records = {
      cases: [c],
      proposals: [proposalRecord(c, '2026-12-04')],
      votes: [voteRecord(c, P.alex.aadObjectId)],
    };

    it('reminds members who have not voted two school days before the deadline', () => {
      assert.deepEqual(keys('2026-12-01', records), []);
      assert.deepEqual(keys('2026-12-02', records), [`vote-pending:c2:r1:${LYNNE}`]);
      assert.deepEqual(keys('2026-12-02', { ...records, votes: [] }), [
        `vote-pending:c2:r1:${ALEX}`,
        `vote-pending:c2:r1:${LYNNE}`,
      ]);
    });

    it('does not remind members of a card that never reached the panel chat', () => {
      const { panelMessageId: _posted, ...notPosted } = records.proposals[0]!;
      assert.deepEqual(keys('2026-12-02', { ...records, proposals: [notPosted] }), []);
    });

    it('counts the two school days back across a weekend and a bank holiday', () => {
      // Decide by Tue 5 Jan 2027: two school days before it, across the Christmas holiday, is Thu 17 Dec 2026.
      const p = proposalRecord(c, '2027-01-05');
      assert.deepEqual(keys('2026-12-16', { ...records, proposals: [p] }), []);
      assert.deepEqual(plan('2026-12-17', { ...records, proposals: [p] })[0]?.due, '2026-12-17');
    });

    it('tells the co-ordinator the day after the deadline passes without a decision', () => {
      assert.deepEqual(keys('2026-12-04', records), [`vote-pending:c2:r1:${LYNNE}`]);
      assert.deepEqual(keys('2026-12-05', records), [
        `vote-pending:c2:r1:${LYNNE}`,
        `deadline-passed:c2:r1:${ADELE}`,
      ]);
    });

    it('says nothing once the panel has decided', () => {
      const decided = {
        ...records,
        decisions: [
          {
            id: 'c2:r1',
            caseId: 'c2',
            round: 1,
            outcome: 'approved' as const,
            tally: { approve: 2, decline: 0, changes: 0 },
            voters: [ALEX, LYNNE],
            decidedAt: '2026-12-03T10:00:00.000Z',
          },
        ],
      };
      assert.deepEqual(keys('2026-12-07', decided), []);
    });
  });

  describe('triage', () => {
    // Submitted Mon 2 Nov 2026; five school days have passed on Mon 9 Nov, more than five on Tue 10 Nov.
    const c = caseRecord({ id: 'c3' });

    it('flags a request waiting more than five school days to the co-ordinator', () => {
      assert.deepEqual(keys('2026-11-09', { cases: [c] }), []);
      assert.deepEqual(keys('2026-11-10', { cases: [c] }), [`triage-waiting:c3:2026-11-02:${ADELE}`]);
      assert.deepEqual(keys('2026-11-10', { cases: [{ ...c, status: 'accepted' }] }), []);
    });

    it('starts the clock again when the school resubmits, and counts from the raising date without one', () => {
      const resubmitted = { ...c, submittedAt: '2026-11-20T16:00:00.000Z' };
      assert.deepEqual(keys('2026-11-27', { cases: [resubmitted] }), []);
      assert.deepEqual(keys('2026-11-30', { cases: [resubmitted] }), [
        `triage-waiting:c3:2026-11-20:${ADELE}`,
      ]);
      const { submittedAt: _, ...old } = c;
      assert.deepEqual(keys('2026-11-10', { cases: [old] }), [`triage-waiting:c3:2026-11-02:${ADELE}`]);
    });

    it('counts from the London date: a request in at 23:30 on a BST evening counts from the next day', () => {
      const late = { ...c, submittedAt: '2026-10-01T22:30:00.000Z' }; // 23:30 on Thu 1 Oct in London
      assert.deepEqual(keys('2026-10-09', { cases: [late] }), [`triage-waiting:c3:2026-10-01:${ADELE}`]);
      const afterMidnight = { ...c, submittedAt: '2026-10-01T23:30:00.000Z' }; // 00:30 on Fri 2 Oct
      assert.deepEqual(keys('2026-10-09', { cases: [afterMidnight] }), []);
      assert.deepEqual(keys('2026-10-12', { cases: [afterMidnight] }), [
        `triage-waiting:c3:2026-10-02:${ADELE}`,
      ]);
    });
  });

  describe("the providers' meeting", () => {
    it('sends the agenda to the co-ordinator from the meeting day of the month, never for last month', () => {
      const meeting = (today: string) =>
        plan(today)
          .filter((r) => r.kind === 'providers-meeting')
          .map((r) => `${r.key} ${r.due}`);
      assert.deepEqual(meeting('2027-01-09'), []);
      assert.deepEqual(meeting('2027-01-10'), [`providers-meeting:2027-01:${ADELE} 2027-01-10`]);
      assert.deepEqual(meeting('2027-01-31'), [`providers-meeting:2027-01:${ADELE} 2027-01-10`]);
      assert.deepEqual(meeting('2027-02-09'), []);
    });
  });
});

describe('the agenda, planned', () => {
  const provider = (id: string, services: ProviderRecord['services'], active = true): ProviderRecord => ({
    id,
    name: id,
    services,
    ratePence: 1000,
    rateUnit: 'session',
    contact: '',
    active,
    updatedBy: 'directory',
    updatedAt: '2026-09-01T00:00:00.000Z',
  });
  const newer = caseRecord({ id: 'c5', raisedAt: '2026-11-20T09:00:00.000Z', status: 'assessed' });
  const older = caseRecord({ id: 'c4', raisedAt: '2026-11-03T09:00:00.000Z', status: 'returned' });
  const proposed = caseRecord({
    id: 'c6',
    status: 'proposed',
    round: 1,
    raisedAt: '2026-11-10T09:00:00.000Z',
  });
  const running = caseRecord({ id: 'c7', status: 'commissioned', round: 1 });
  const gone = caseRecord({ id: 'c8', status: 'closed', round: 1 });
  const unreachableReminder = (to: string, claimedAt: string): ReminderRecord => ({
    id: `vote-pending:c6:r1:${to}:${claimedAt}`,
    kind: 'vote-pending',
    caseId: 'c6',
    to,
    due: '2026-12-02',
    status: 'unreachable',
    claimedAt,
  });

  const agenda = planAgenda({
    today: '2027-01-11',
    cases: [newer, older, proposed, running, gone],
    proposals: [
      proposalRecord(proposed, '2026-12-04', [
        { type: 'play-therapy', provider: 'Jo Bloggs Play Therapy', sessions: 6, unitCostPence: 5000 },
      ]),
    ],
    packages: [
      packageRecord('c7', 1, { name: 'Speech Matters CIC', id: 'speech-matters' }, 70000),
      packageRecord('c7', 2, { name: 'Oakwood Counselling Service', id: 'oakwood-counselling' }, 45000),
      packageRecord('c7', 3, { name: 'Speech Matters CIC', id: 'speech-matters' }, 35000),
      packageRecord('c8', 1, { name: 'Speech Matters CIC', id: 'speech-matters' }, 99900),
    ],
    reviews: [
      reviewRecord('c7', 'interim', '2027-01-08'),
      reviewRecord('c7', 'final', '2027-03-19'),
      reviewRecord('c8', 'interim', '2026-12-01'),
    ],
    providers: [
      provider('a', ['counselling', 'play-therapy', 'educational-psychology']),
      provider('b', ['specialist-teaching', 'whole-class-support', 'speech-and-language']),
      provider('c', ['mentoring'], false),
    ],
    reminders: [
      unreachableReminder(ALEX, '2026-12-02T12:00:00.000Z'),
      unreachableReminder(ALEX, '2027-01-05T12:00:00.000Z'),
    ],
    people: directory.people,
    reachable: new Set([ADELE, MEGAN, ALEX]),
    since: '2026-12-10T12:00:00.000Z',
  });

  it('lists cases not yet commissioned, oldest first, leaving out closed and commissioned ones', () => {
    assert.deepEqual(
      agenda.waiting.map((c) => c.id),
      ['c4', 'c6', 'c5'],
    );
  });

  it('totals active packages by provider, counting only commissioned cases', () => {
    assert.deepEqual(agenda.packages, [
      { provider: 'Oakwood Counselling Service', count: 1, agreedPence: 45000 },
      { provider: 'Speech Matters CIC', count: 2, agreedPence: 105000 },
    ]);
  });

  it('lists open reviews past their due date', () => {
    assert.deepEqual(
      agenda.overdue.map((o) => `${o.case.id} ${o.review} ${o.due}`),
      ['c7 interim 2027-01-08'],
    );
  });

  it('names needs no active provider covers, and proposals using a provider outside the directory', () => {
    assert.deepEqual(agenda.uncovered, ['mentoring']);
    assert.deepEqual(
      agenda.offDirectory.map((o) => `${o.case.id} ${o.type} ${o.provider}`),
      ['c6 play-therapy Jo Bloggs Play Therapy'],
    );
  });

  it('names people with no chat who need reminders, and undelivered reminders since the last agenda', () => {
    assert.deepEqual(agenda.unreachable, [
      { person: ALEX, noChat: false, missed: 1 },
      { person: P.patti.aadObjectId.toLowerCase(), noChat: true, missed: 0 },
      { person: LYNNE, noChat: true, missed: 0 },
    ]);
  });
});
