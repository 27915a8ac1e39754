// Panel cycles and substitutes as pure rules: cut-offs counted in school days, which meeting a proposal goes to,
// what an admin may set, who holds which vote, and who is reminded.
import assert from 'node:assert/strict';
import {
  assertQuorumReachable,
  checkMeeting,
  checkSubstitution,
  cutOffFor,
  datesFromRule,
  meetingFor,
  parseDirectory,
  seatsFor,
  type MeetingRecord,
  type SubstitutionRecord,
} from '../../src/domain';
import { planReminders } from '../../src/domain/reminders';
import { caseRecord, fixtureDirectory, proposalRecord, voteRecord } from '../support/records';
import { P } from '../support/harness';

const fixture = fixtureDirectory();
const calendar = fixture.calendar;

/** The fixture with two more heads: Grace on the panel, at Riverside, and Owen not on it, at Brookside. */
export const GRACE = { aadObjectId: '00000000-0000-0000-0000-0000000000041', name: 'Grace Adeyemi' };
export const OWEN = { aadObjectId: '00000000-0000-0000-0000-0000000000042', name: 'Owen Pritchard' };
const directory = parseDirectory({
  schools: fixture.schools,
  people: [
    ...fixture.people,
    { ...GRACE, email: 'gracea@example.com', roles: ['head', 'panel'], schoolId: 'riverside-school' },
    { ...OWEN, email: 'owenp@example.com', roles: ['head'], schoolId: 'brookside-primary' },
    { ...P.stranger, email: 'sam@example.com', roles: ['head'], schoolId: 'hillcrest-academy' },
  ],
  panel: { quorum: 3 },
  terms: fixture.terms,
});
const grace = GRACE.aadObjectId;
const owen = OWEN.aadObjectId;

const meeting = (date: string, cutOff: string): MeetingRecord => ({
  id: date,
  date,
  cutOff,
  status: 'scheduled',
  setBy: P.isaiah.aadObjectId,
  setAt: '2026-11-01T09:00:00.000Z',
});

const away = (over: Partial<SubstitutionRecord> = {}): SubstitutionRecord => ({
  id: 's1',
  member: grace,
  substitute: owen,
  from: '2026-11-30',
  to: '2026-12-11',
  setBy: grace,
  setAt: '2026-11-27T09:00:00.000Z',
  ...over,
});

describe('panel cycles', () => {
  describe('the cut-off, in school days before the meeting', () => {
    it('skips a half term: five school days before Wed 9 Jun 2027 is Wed 26 May, before the May half term', () => {
      assert.equal(cutOffFor('2027-06-09', calendar, 5), '2027-05-26');
    });

    it('skips a bank holiday: five school days before Wed 5 May 2027 is Tue 27 Apr, over the early May bank holiday', () => {
      assert.equal(cutOffFor('2027-05-05', calendar, 5), '2027-04-27');
    });

    it('skips the February half term and a weekend together', () => {
      // Tue 23 Feb 2027: Mon 22 Feb, then half term (15-19 Feb) and a weekend, then Fri 12, Thu 11, Wed 10, Tue 9 Feb.
      assert.equal(cutOffFor('2027-02-23', calendar, 5), '2027-02-09');
    });
  });

  describe('the meeting a proposal goes to', () => {
    const meetings = [meeting('2026-12-09', '2026-12-02'), meeting('2027-01-13', '2027-01-06')];

    it('is the first meeting whose cut-off is still ahead', () => {
      assert.equal(meetingFor(meetings, '2026-12-01')?.date, '2026-12-09');
    });

    it('rolls to the next meeting from the cut-off day itself', () => {
      assert.equal(meetingFor(meetings, '2026-12-02')?.date, '2027-01-13');
      assert.equal(meetingFor(meetings, '2026-12-08')?.date, '2027-01-13');
    });

    it('is none once the last cut-off has passed', () => {
      assert.equal(meetingFor(meetings, '2027-01-06'), undefined);
    });
  });

  describe('what an admin may set', () => {
    const ctx = {
      today: '2026-11-27',
      calendar,
      cutOffSchoolDays: 5,
      existing: [meeting('2027-01-13', '2027-01-06')],
    };

    it('sets a school day with its cut-off worked out', () => {
      assert.deepEqual(checkMeeting({ date: '2026-12-09' }, ctx), {
        meeting: { id: '2026-12-09', date: '2026-12-09', cutOff: '2026-12-02' },
        problems: [],
      });
    });

    it('refuses a meeting date in the past', () => {
      assert.match(
        checkMeeting({ date: '2026-11-26' }, ctx).problems[0]!.message,
        /Thu 26 Nov 2026 is in the past/,
      );
    });

    it('refuses a cut-off that falls after the meeting, or on its day', () => {
      assert.match(
        checkMeeting({ date: '2026-12-09', cutOff: '2026-12-10' }, ctx).problems[0]!.message,
        /must come before the meeting/,
      );
      assert.equal(checkMeeting({ date: '2026-12-09', cutOff: '2026-12-09' }, ctx).problems.length, 1);
    });

    it('refuses a date whose cut-off for papers has already passed', () => {
      assert.match(
        checkMeeting({ date: '2026-12-02' }, ctx).problems[0]!.message,
        /The cut-off for papers would be Wed 25 Nov 2026 \(5 school days before\), which has passed/,
      );
      assert.match(
        checkMeeting({ date: '2026-12-09', cutOff: '2026-11-26' }, ctx).problems[0]!.message,
        /The cut-off \(Thu 26 Nov 2026\) is in the past/,
      );
      assert.equal(checkMeeting({ date: '2026-12-04' }, ctx).problems.length, 0, 'cut-off today is allowed');
    });

    it('refuses a cut-off on or before the meeting before it, and a meeting inside the next one’s window', () => {
      assert.match(
        checkMeeting({ date: '2027-01-20' }, ctx).problems[0]!.message,
        /The cut-off for papers \(Wed 13 Jan 2027\) must come after the meeting before it, on Wed 13 Jan 2027/,
      );
      assert.match(
        checkMeeting({ date: '2027-01-08' }, ctx).problems[0]!.message,
        /The next meeting, on Wed 13 Jan 2027, has its cut-off on Wed 6 Jan 2027/,
      );
      assert.equal(checkMeeting({ date: '2027-01-27' }, ctx).problems.length, 0);
    });

    it('refuses a date already set', () => {
      assert.match(checkMeeting({ date: '2027-01-13' }, ctx).problems[0]!.message, /already set/);
    });

    it('warns of a day that is not a school day, and allows it once confirmed', () => {
      const asked = checkMeeting({ date: '2026-12-23' }, ctx);
      assert.equal(asked.meeting, undefined);
      assert.match(asked.warning ?? '', /Wed 23 Dec 2026 is not a school day/);
      const confirmed = checkMeeting({ date: '2026-12-23', confirmed: true }, ctx);
      assert.equal(confirmed.meeting?.nonSchoolDay, true);
    });
  });

  describe('a rule', () => {
    const rules = { today: '2026-11-27', calendar, cutOffSchoolDays: 5, lastTermEnd: '2027-07-21' };

    it('"every third Wednesday in term" starts at the first meeting whose cut-off is ahead, and names the one left out', () => {
      const made = datesFromRule('every third Wednesday in term until 2027-02-12', rules);
      // Wed 2 Dec's cut-off (25 Nov) has passed; from 9 Dec every third term week: 16 Dec and the week of 4 Jan
      // count, the two Christmas weeks do not, so 13 Jan; then 3 Feb.
      assert.deepEqual(made, {
        dates: ['2026-12-09', '2027-01-13', '2027-02-03'],
        notes: ['Wed 2 Dec 2026 left out: its cut-off for papers, Wed 25 Nov 2026, has passed.'],
      });
    });

    it('counts term weeks, so the Easter holiday does not make a six-week gap', () => {
      const made = datesFromRule('every third Wednesday in term from 2027-03-10 until 2027-05-05', rules);
      // 17 and 24 Mar count, the two Easter weeks do not, the week of 12 Apr does: 14 Apr, not 21 Apr.
      assert.deepEqual(made, { dates: ['2027-03-10', '2027-04-14', '2027-05-05'], notes: [] });
    });

    it('"third Wednesday of each month" moves a date in half term to the next school Wednesday, and says so', () => {
      const made = datesFromRule('third Wednesday of each month until 2027-03-31', rules);
      assert.deepEqual(made, {
        dates: ['2026-12-16', '2027-01-20', '2027-02-24', '2027-03-17'],
        notes: ['Wed 17 Feb 2027 is not a school day: moved to Wed 24 Feb 2027.'],
      });
    });

    it('names a month left without a meeting', () => {
      const made = datesFromRule('last Wednesday of each month until 2027-01-31', rules);
      assert.deepEqual(made, {
        dates: ['2027-01-27'],
        notes: ['Wed 30 Dec 2026 left out: it is not a school day, and no later one that month is.'],
      });
    });

    it('stops at the end of the last term in the directory, saying so', () => {
      const made = datesFromRule('every third Wednesday in term from 2027-06-01 until 2027-09-30', rules);
      assert.deepEqual(made, {
        dates: ['2027-06-09', '2027-06-30', '2027-07-21'],
        notes: [
          'The rule stops at the end of the last term in the directory, Wed 21 Jul 2027; add later terms to the directory to set meetings after it.',
        ],
      });
      assert.match(
        (datesFromRule('every Wednesday from 2027-08-01', rules) as { problem: string }).problem,
        /The last term in the directory ends on Wed 21 Jul 2027/,
      );
    });

    it('says how to write a rule it cannot read', () => {
      assert.match(
        (datesFromRule('whenever suits', rules) as { problem: string }).problem,
        /every third Wednesday in term/,
      );
    });
  });
});

describe('substitutes', () => {
  const ctx = (existing: SubstitutionRecord[] = []) => ({ directory, existing, today: '2026-11-27' });
  const ask = { member: grace, substitute: owen, from: '2026-11-30', to: '2026-12-11' };
  const message = (problems: { message: string }[]) => problems.map((p) => p.message).join(' ');

  it('allows another head, one not on the panel, for a period ahead', () => {
    assert.deepEqual(checkSubstitution(ask, ctx()), []);
  });

  it('refuses a panel member as substitute: they already have a vote, and would vote twice', () => {
    assert.equal(
      message(checkSubstitution({ ...ask, substitute: P.lynne.aadObjectId }, ctx())),
      'Lynne Robbins is on the panel and already has a vote; name a head who is not on the panel, so no one votes twice.',
    );
  });

  it('refuses a substitute who is not in the directory', () => {
    assert.match(
      message(checkSubstitution({ ...ask, substitute: 'nobody-we-know' }, ctx())),
      /not in the EIP directory/,
    );
  });

  it('refuses a substitute who is not a head', () => {
    assert.match(
      message(checkSubstitution({ ...ask, substitute: P.megan.aadObjectId }, ctx())),
      /Megan Bowen is not a head teacher in the EIP directory/,
    );
  });

  it('refuses an end date before the start', () => {
    assert.match(message(checkSubstitution({ ...ask, to: '2026-11-29' }, ctx())), /before the first/);
  });

  it('refuses a start in the past', () => {
    assert.match(
      message(checkSubstitution({ ...ask, from: '2026-11-26' }, ctx())),
      /Thu 26 Nov 2026 is in the past/,
    );
  });

  it('refuses overlapping substitutions', () => {
    const existing = [away({ from: '2026-12-07', to: '2026-12-18', substitute: P.stranger.aadObjectId })];
    assert.match(message(checkSubstitution(ask, ctx(existing))), /already away .* overlap/);
  });

  it('refuses a substitute naming a substitute', () => {
    const existing = [away()];
    assert.match(
      message(
        checkSubstitution(
          { member: owen, substitute: P.stranger.aadObjectId, from: '2026-12-01', to: '2026-12-02' },
          ctx(existing),
        ),
      ),
      /Owen Pritchard is standing in for Grace Adeyemi .* a substitute cannot name a substitute/,
    );
  });

  it('refuses a head who already stands in for another member then: one seat each', () => {
    const existing = [away()];
    assert.match(
      message(
        checkSubstitution(
          { member: P.alex.aadObjectId, substitute: owen, from: '2026-12-07', to: '2026-12-08' },
          ctx(existing),
        ),
      ),
      /Owen Pritchard is already standing in for Grace Adeyemi .* no one votes twice/,
    );
  });

  describe('the seats on a case', () => {
    const seat = (schoolId: string, day: string, subs = [away()]) =>
      seatsFor(directory.people, subs, schoolId, day).map((s) => [s.member.name, s.voter?.name ?? null]);

    it('gives an absent member’s seat to the substitute while the substitution runs, and back after', () => {
      assert.deepEqual(seat('oakfield-primary', '2026-12-01'), [
        ['Alex Wilber', 'Alex Wilber'],
        ['Lynne Robbins', 'Lynne Robbins'],
        ['Grace Adeyemi', 'Owen Pritchard'],
      ]);
      assert.deepEqual(seat('oakfield-primary', '2026-12-14')[2], ['Grace Adeyemi', 'Grace Adeyemi']);
    });

    it('gives the seat back to the absent member if the substitute has since joined the panel: no one votes twice', () => {
      const joined = directory.people.map((p) =>
        p.aadObjectId === owen ? { ...p, roles: [...p.roles, 'panel' as const] } : p,
      );
      const seats = seatsFor(joined, [away()], 'oakfield-primary', '2026-12-01');
      assert.deepEqual(
        seats.filter((s) => s.voter?.aadObjectId === owen).map((s) => s.member.name),
        ['Owen Pritchard'],
      );
      const hers = seats.find((s) => s.member.aadObjectId === grace)!;
      assert.deepEqual([hers.voter?.name, hers.substituted], ['Grace Adeyemi', false]);
    });

    it('gives the seat back to the absent member on a case the substitute’s school raised, or if he has left the directory', () => {
      assert.deepEqual(
        seat('brookside-primary', '2026-12-01').find(([m]) => m === 'Grace Adeyemi'),
        ['Grace Adeyemi', 'Grace Adeyemi'],
      );
      const gone = directory.people.filter((p) => p.aadObjectId !== owen);
      const seats = seatsFor(gone, [away()], 'oakfield-primary', '2026-12-01');
      assert.equal(seats.find((s) => s.member.aadObjectId === grace)?.voter?.name, 'Grace Adeyemi');
    });

    it('counts seats for the quorum: a substitute who cannot vote on a case takes no seat away', () => {
      // Quorum 3 on a Brookside case: Alex, Lynne and Grace (Owen, her substitute, is Brookside's head).
      assert.doesNotThrow(() =>
        assertQuorumReachable(directory.people, 'brookside-primary', { quorum: 3 }, [away()], '2026-12-01'),
      );
      assert.throws(
        () =>
          assertQuorumReachable(directory.people, 'brookside-primary', { quorum: 4 }, [away()], '2026-12-01'),
        /Only 3 panel members may vote on this case/,
      );
    });

    it('checks the conflict on the absent member’s school: there is no seat of hers on a case Riverside raised', () => {
      assert.equal(
        seat('riverside-school', '2026-12-01').find(([m]) => m === 'Grace Adeyemi'),
        undefined,
      );
    });
  });

  describe('vote reminders', () => {
    const c = caseRecord({ id: 'c7', status: 'proposed', round: 1 });
    const plan = (today: string, subs: SubstitutionRecord[]) =>
      planReminders({
        today,
        calendar,
        rules: directory.reminders,
        people: directory.people,
        cases: [c],
        proposals: [proposalRecord(c, '2026-12-09')],
        votes: [voteRecord(c, P.alex.aadObjectId), voteRecord(c, P.lynne.aadObjectId)],
        decisions: [],
        reviews: [],
        substitutions: subs,
      })
        .filter((r) => r.kind === 'vote-pending')
        .map((r) => r.key);

    it('go to the substitute, not to the absent member', () => {
      assert.deepEqual(plan('2026-12-07', [away()]), [`vote-pending:c7:r1:${owen}:for:${grace}`]);
    });

    it('go to the member again once the substitution has ended', () => {
      assert.deepEqual(plan('2026-12-07', [away({ endedAt: '2026-12-04T09:00:00.000Z' })]), [
        `vote-pending:c7:r1:${grace}`,
      ]);
    });
  });
});
