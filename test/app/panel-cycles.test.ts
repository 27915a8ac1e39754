// Panel cycles and substitutes through the real router and a SQLite store: an admin sets meeting dates (bad input
// changes nothing), proposals go on a meeting's agenda or roll to the next, the agenda and the summary reach the
// panel chat once each, and a substitution runs in full: the substitute votes and the absent member cannot, the
// conflict is checked on both schools, reminders go to the substitute, and the vote is handed back when it ends.
import assert from 'node:assert/strict';
import { formatPence, parseDirectory, type CaseRecord } from '../../src/domain';
import { budgetNow } from '../../src/app/budget/holds';
import { voteId } from '../../src/app/records';
import { londonNoon, runReminderSweep } from '../../src/jobs/reminder-sweep';
import { PANEL_CHAT, buttonsOf, personalChat, textOf, type TestPerson } from '../support/harness';
import {
  CLASS_REQUEST,
  INDIVIDUAL_REQUEST,
  PEOPLE,
  PROPOSAL,
  PROPOSAL_PENCE,
  openWorld,
  raise,
  removeWorldFiles,
  snapshot,
  warningOf,
  worldDirectory,
  type World,
} from '../support/world';

export const GRACE: TestPerson = {
  aadObjectId: '00000000-0000-0000-0000-0000000000041',
  name: 'Grace Adeyemi',
};
export const OWEN: TestPerson = {
  aadObjectId: '00000000-0000-0000-0000-0000000000042',
  name: 'Owen Pritchard',
};
const { adele, isaiah, alex, lynne, megan, miriam } = PEOPLE;

/**
 * The world's directory with two more heads, quorum 3: Grace on the panel, at Riverside, and Owen, not on the panel,
 * at Brookside (a head who may stand in for a member).
 */
function panelDirectory() {
  const d = worldDirectory();
  return parseDirectory({
    schools: d.schools,
    people: [
      ...d.people,
      { ...GRACE, email: 'gracea@example.com', roles: ['head', 'panel'], schoolId: 'riverside-school' },
      { ...OWEN, email: 'owenp@example.com', roles: ['head'], schoolId: 'brookside-primary' },
    ],
    panel: { quorum: 3 },
    terms: d.terms,
    providers: d.seeds.providers,
    budgets: d.seeds.budgets,
    reminders: d.reminders,
  });
}

/** A fresh bot on Fri 27 Nov 2026 with Grace and Owen in the directory and in touch with the bot. */
async function panelWorld(): Promise<World> {
  const w = await openWorld();
  w.deps.directory = panelDirectory();
  for (const p of [GRACE, OWEN]) await w.say(p, 'help');
  return w;
}

const at = (w: World, iso: string) => {
  w.deps.now = () => new Date(iso);
};

/** Takes a new request to assessed, ready to propose. */
async function assessed(w: World, raiser: TestPerson, request: Record<string, unknown>): Promise<string> {
  const caseId = await raise(w, raiser, request);
  await w.press(adele, 'accept', { caseId, observationDate: '2026-11-27' });
  await w.press(adele, 'assess', { caseId, observedOn: '2026-11-27', findings: 'f', needsIdentified: 'n' });
  return caseId;
}

async function proposed(w: World, raiser: TestPerson, request: Record<string, unknown>) {
  const caseId = await assessed(w, raiser, request);
  const card = await w.press(adele, 'propose', { caseId, ...PROPOSAL });
  const c = (await w.store.cases.get(caseId))!.value;
  assert.equal(c.status, 'proposed', textOf(card));
  return { caseId, c, card };
}

const cardsIn = (w: World, chat: string, from = 0) =>
  w.connector.deliveries
    .slice(from)
    .filter((d) => d.chat === chat && d.kind === 'send')
    .map((d) => d.card);

const sweep = (w: World, day: string) => runReminderSweep(w.deps, { now: londonNoon(day) });

describe('panel cycles and substitutes', () => {
  after(removeWorldFiles);

  describe('an admin sets the meeting dates', () => {
    let w: World;
    beforeEach(async () => {
      w = await panelWorld();
    });
    afterEach(async () => w.close());

    it('sets a date with its cut-off five school days before, and audits it', async () => {
      const card = await w.say(isaiah, 'meetings 2026-12-09');
      assert.match(
        textOf(card),
        /Panel meeting set for Wed 9 Dec 2026, with the cut-off for papers on Wed 2 Dec 2026/,
      );
      const [m] = await w.store.meetings.find();
      assert.deepEqual(
        [m?.value.date, m?.value.cutOff, m?.value.status],
        ['2026-12-09', '2026-12-02', 'scheduled'],
      );
      assert.ok(
        (await w.store.audit.list()).some((a) => a.action === 'set-meeting' && /2026-12-09/.test(a.detail)),
      );
    });

    it('sets meetings from a rule: every third Wednesday in term, naming the date left out', async () => {
      const card = await w.say(isaiah, 'meetings every third Wednesday in term until 2027-02-12');
      assert.match(
        textOf(card),
        /3 meetings set, from Wed 9 Dec 2026 to Wed 3 Feb 2027\. Wed 2 Dec 2026 left out: its cut-off for papers, Wed 25 Nov 2026, has passed\./,
      );
      assert.deepEqual((await w.store.meetings.find()).map((m) => m.value.date).sort(), [
        '2026-12-09',
        '2027-01-13',
        '2027-02-03',
      ]);
      const cutOffs = (await w.store.meetings.find()).map((m) => m.value.cutOff);
      assert.ok(
        cutOffs.every((c) => c >= '2026-11-27'),
        'no meeting is set with its cut-off already past',
      );
    });

    it('says where a rule stops: at the end of the last term in the directory', async () => {
      const card = await w.say(
        isaiah,
        'meetings every third Wednesday in term from 2027-06-01 until 2027-09-30',
      );
      assert.match(textOf(card), /3 meetings set, from Wed 9 Jun 2027 to Wed 21 Jul 2027\./);
      assert.match(textOf(card), /stops at the end of the last term in the directory, Wed 21 Jul 2027/);
    });

    const refusals: [string, Record<string, string>, RegExp][] = [
      ['a meeting date in the past', { date: '2026-11-20' }, /Fri 20 Nov 2026 is in the past/],
      [
        'a cut-off that falls after the meeting',
        { date: '2026-12-09', cutOff: '2026-12-10' },
        /must come before the meeting/,
      ],
      [
        'a meeting whose cut-off for papers has already passed',
        { date: '2026-12-02' },
        /The cut-off for papers would be Wed 25 Nov 2026 \(5 school days before\), which has passed/,
      ],
      [
        'a rule whose cut-offs would overlap the meetings before them',
        { rule: 'every Wednesday in term until 2026-12-18' },
        /Wed 16 Dec 2026: The cut-off for papers \(Wed 9 Dec 2026\) must come after the meeting before it, on Wed 9 Dec 2026/,
      ],
      ['a date and a rule at once', { date: '2026-12-09', rule: 'every Wednesday' }, /not both/],
      ['a rule it cannot read', { rule: 'when the moon is full' }, /every third Wednesday in term/],
    ];
    for (const [what, data, says] of refusals) {
      it(`refuses ${what} with a clear card, and changes nothing`, async () => {
        const before = await snapshot(w.store);
        const card = await w.press(isaiah, 'saveMeeting', data);
        assert.match(textOf(card), says);
        assert.match(textOf(card), /Some answers need another look/);
        assert.deepEqual(await snapshot(w.store), before);
        const last = (await w.store.audit.list()).at(-1)!;
        assert.deepEqual([last.action, last.outcome], ['saveMeeting', 'refused'], 'the refusal is audited');
        assert.match(last.detail, /^invalid_input: /);
      });
    }

    it('warns of a meeting on a day that is not a school day, and sets it once confirmed', async () => {
      const before = await snapshot(w.store);
      const warned = await w.press(isaiah, 'saveMeeting', { date: '2026-12-23' });
      assert.match(textOf(warned), /Wed 23 Dec 2026 is not a school day/);
      assert.deepEqual(await snapshot(w.store), before, 'nothing is set before it is confirmed');
      const confirm = buttonsOf(warned).find((b) => b.title === 'Set it anyway')!;
      const card = await w.press(isaiah, confirm.verb, confirm.data);
      assert.match(textOf(card), /Panel meeting set for Wed 23 Dec 2026/);
      assert.equal((await w.store.meetings.get('2026-12-23'))?.value.nonSchoolDay, true);
    });

    it('refuses anyone but an admin, and changes nothing', async () => {
      const before = await snapshot(w.store);
      for (const p of [adele, alex]) {
        assert.match(textOf(await w.say(p, 'meetings 2026-12-09')), /Only an LA admin/);
        assert.match(textOf(await w.press(p, 'saveMeeting', { date: '2026-12-09' })), /Only an LA admin/);
      }
      assert.deepEqual(await snapshot(w.store), before);
    });
  });

  describe('after the last meeting set', () => {
    let w: World;
    before(async () => {
      w = await panelWorld();
      await w.say(isaiah, 'meetings 2026-12-09');
    });
    after(async () => w.close());

    it('refuses a proposal until the admin sets the next meeting, keeping cycles on, and changes nothing', async () => {
      const caseId = await assessed(w, megan, INDIVIDUAL_REQUEST);
      at(w, '2026-12-10T10:00:00Z');
      await w.say(adele, 'help'); // her chat is remembered on the day, before the snapshot
      const before = await snapshot(w.store);
      const card = await w.press(adele, 'propose', { caseId, ...PROPOSAL });
      assert.match(
        textOf(card),
        /No panel meeting is set after Wed 9 Dec 2026 \(its cut-off for papers was Wed 2 Dec 2026\)\. Ask the admin to set the panel's next meeting date/,
      );
      assert.deepEqual(await snapshot(w.store), before);
      await w.say(isaiah, 'meetings 2027-01-13');
      const sent = await w.press(adele, 'propose', { caseId, ...PROPOSAL });
      assert.match(textOf(sent), /It is on the agenda for the panel meeting on Wed 13 Jan 2027/);
    });
  });

  describe('an admin cancels or moves a meeting', () => {
    let w: World;
    let c: CaseRecord;
    before(async () => {
      w = await panelWorld();
      await w.say(isaiah, 'meetings 2026-12-09');
      await w.say(isaiah, 'meetings 2027-01-13');
      c = (await proposed(w, megan, INDIVIDUAL_REQUEST)).c;
    });
    after(async () => w.close());

    it('offers each meeting still to come on the form, to cancel or move', async () => {
      const form = await w.say(isaiah, 'meetings');
      assert.deepEqual(
        buttonsOf(form).map((b) => [b.title, b.verb]),
        [
          ['Set meetings', 'saveMeeting'],
          ['Move meeting', 'moveMeeting'],
          ['Cancel meeting', 'cancelMeeting'],
          ['Help', 'help'],
        ],
      );
      assert.match(JSON.stringify(form), /"value":"2026-12-09"[\s\S]*"value":"2027-01-13"/);
    });

    it('refuses anyone but an admin, and a meeting not set, changing nothing', async () => {
      const before = await snapshot(w.store);
      for (const p of [adele, alex]) {
        assert.match(
          textOf(await w.press(p, 'cancelMeeting', { meetingId: '2026-12-09' })),
          /Only an LA admin/,
        );
        assert.match(
          textOf(await w.press(p, 'moveMeeting', { meetingId: '2026-12-09', moveTo: '2026-12-10' })),
          /Only an LA admin/,
        );
      }
      const none = await w.press(isaiah, 'cancelMeeting', { meetingId: '2026-12-10' });
      assert.match(textOf(none), /That meeting is no longer set/);
      const past = await w.press(isaiah, 'moveMeeting', { meetingId: '2026-12-09', moveTo: '2026-12-02' });
      assert.match(textOf(past), /cut-off for papers would be Wed 25 Nov 2026/);
      assert.deepEqual(await snapshot(w.store), before);
      const last = (await w.store.audit.list()).at(-1)!;
      assert.deepEqual([last.action, last.outcome], ['moveMeeting', 'refused']);
    });

    it('cancels a meeting: its proposals go to the next, the panel chat is told once, and it is audited', async () => {
      const mark = w.connector.deliveries.length;
      const card = await w.press(isaiah, 'cancelMeeting', { meetingId: '2026-12-09' });
      assert.match(
        textOf(card),
        new RegExp(
          `The meeting on Wed 9 Dec 2026 is cancelled, and the panel chat told\\. Proposals waiting for it now go to the meeting on Wed 13 Jan 2027\\. Moved: ${c.ref}\\.`,
        ),
      );
      assert.match(textOf(card), /Set: Wed 13 Jan 2027/);
      const p = (await w.store.proposals.get(`${c.id}:r1`))!.value;
      assert.deepEqual(
        [p.meetingId, p.deadline, p.firstDeadline],
        ['2027-01-13', '2027-01-13', '2026-12-09'],
      );
      const panelCard = await w.press(alex, 'panelView', { caseId: c.id, round: 1 }, 'panel');
      assert.match(textOf(panelCard), /Panel meeting\nWed 13 Jan 2027 \(decide by then\)/);
      assert.match(textOf(await w.say(alex, 'my cases')), /panel meeting Wed 13 Jan 2027/);
      await sweep(w, '2026-12-02');
      await sweep(w, '2026-12-03');
      const told = cardsIn(w, PANEL_CHAT, mark).map(textOf);
      assert.equal(told.length, 1, told.join('\n'));
      assert.match(told[0]!, /Panel meeting cancelled\nThe panel meeting on Wed 9 Dec 2026 is cancelled/);
      assert.doesNotMatch(told[0]!, /Sam|Okonkwo/);
      const actions = (await w.store.audit.list()).map((a) => a.action);
      assert.ok(actions.includes('cancel-meeting'));
    });

    it('moves a meeting: the proposals follow it to the new date, and the panel chat is told', async () => {
      const mark = w.connector.deliveries.length;
      at(w, '2026-12-03T10:00:00Z');
      const card = await w.press(isaiah, 'moveMeeting', { meetingId: '2027-01-13', moveTo: '2027-01-20' });
      assert.match(
        textOf(card),
        new RegExp(
          `The meeting on Wed 13 Jan 2027 has moved to Wed 20 Jan 2027 \\(cut-off Wed 13 Jan 2027\\), and the panel chat told\\. Moved with it: ${c.ref}\\.`,
        ),
      );
      const p = (await w.store.proposals.get(`${c.id}:r1`))!.value;
      assert.deepEqual([p.meetingId, p.deadline], ['2027-01-20', '2027-01-20']);
      assert.equal((await w.store.meetings.get('2027-01-20'))?.value.status, 'scheduled');
      assert.match(
        textOf(cardsIn(w, PANEL_CHAT, mark)[0]),
        /The panel meeting on Wed 13 Jan 2027 has moved to Wed 20 Jan 2027/,
      );
      assert.ok((await w.store.audit.list()).some((a) => a.action === 'move-meeting'));
    });
  });

  describe('a cycle: agenda on cut-off day, a late proposal rolling over, and the summary', () => {
    let w: World;
    let onTime: CaseRecord;
    let late: CaseRecord;
    let lateCard: unknown;
    before(async () => {
      w = await panelWorld();
      await w.say(isaiah, 'meetings 2026-12-09');
      await w.say(isaiah, 'meetings 2027-01-13');
      onTime = (await proposed(w, megan, INDIVIDUAL_REQUEST)).c;
      const lateId = await assessed(w, megan, CLASS_REQUEST);
      at(w, '2026-12-02T10:00:00Z');
      lateCard = await w.press(adele, 'propose', { caseId: lateId, ...PROPOSAL });
      late = (await w.store.cases.get(lateId))!.value;
    });
    after(async () => w.close());

    it('puts a proposal sent before the cut-off on that meeting, deciding by its date', async () => {
      const p = (await w.store.proposals.get(`${onTime.id}:r1`))!.value;
      assert.deepEqual([p.meetingId, p.deadline], ['2026-12-09', '2026-12-09']);
    });

    it('rolls a proposal sent on the cut-off day to the next meeting, and tells the co-ordinator which', async () => {
      assert.match(
        textOf(lateCard),
        /It came after the cut-off for the meeting on Wed 9 Dec 2026 \(Wed 2 Dec 2026\), so it waits for the next meeting, on Wed 13 Jan 2027\./,
      );
      const p = (await w.store.proposals.get(`${late.id}:r1`))!.value;
      assert.deepEqual([p.meetingId, p.deadline], ['2027-01-13', '2027-01-13']);
      const proposals = (await w.store.audit.list()).filter((a) => a.action === 'propose');
      assert.match(
        proposals.find((a) => a.caseId === onTime.id)!.detail,
        /; on the agenda for the meeting on 2026-12-09$/,
      );
      assert.match(
        proposals.find((a) => a.caseId === late.id)!.detail,
        /; after the cut-off for the meeting on 2026-12-09, so rolled to the meeting on 2027-01-13$/,
      );
      const panelCard = await w.press(alex, 'panelView', { caseId: late.id, round: 1 }, 'panel');
      assert.match(textOf(panelCard), /Panel meeting\nWed 13 Jan 2027 \(decide by then\)/);
    });

    it('posts the agenda to the panel chat on cut-off day, once, with costs and the budget if all were approved', async () => {
      const mark = w.connector.deliveries.length;
      await sweep(w, '2026-12-01');
      assert.equal(cardsIn(w, PANEL_CHAT, mark).length, 0, 'nothing before cut-off day');
      await sweep(w, '2026-12-02');
      const [agenda, ...more] = cardsIn(w, PANEL_CHAT, mark);
      assert.equal(more.length, 0);
      const text = textOf(agenda);
      assert.match(text, /Panel agenda: meeting on Wed 9 Dec 2026/);
      assert.match(text, new RegExp(`${onTime.ref}: Individual pupil, Year 4, primary school\\. £540\\.00`));
      assert.doesNotMatch(text, new RegExp(late.ref), 'the late proposal waits for the next meeting');
      assert.doesNotMatch(text, /Sam|Okonkwo/, 'no pupil is named');
      const available = (await budgetNow(w.deps)).availablePence;
      assert.match(
        text,
        new RegExp(`Available now: ${formatPence(available).replace(/[£.]/g, '\\$&')} available`),
      );
      assert.match(
        text,
        new RegExp(
          `If everything on this agenda is approved: ${formatPence(available - PROPOSAL_PENCE).replace(/[£.]/g, '\\$&')} available`,
        ),
      );
      assert.deepEqual(
        buttonsOf(agenda).map((b) => [b.title, b.verb, b.data.caseId]),
        [[`Open ${onTime.ref}`, 'panelView', onTime.id]],
      );
      assert.equal((await w.store.meetings.get('2026-12-09'))?.value.status, 'agenda-sent');
      await sweep(w, '2026-12-02');
      await sweep(w, '2026-12-03');
      assert.equal(cardsIn(w, PANEL_CHAT, mark).length, 1, 'the agenda goes once');
    });

    it('opens the proposal’s panel card from its line', async () => {
      const [agenda] = cardsIn(w, PANEL_CHAT).filter((c) => /Panel agenda/.test(textOf(c)));
      const line = buttonsOf(agenda).find((b) => b.verb === 'panelView')!;
      const card = await w.press(alex, line.verb, line.data, 'panel');
      assert.match(textOf(card), new RegExp(`For the panel: ${onTime.ref}`));
    });

    it('posts a summary after the meeting, once: what was decided and what is still open', async () => {
      const mark = w.connector.deliveries.length;
      await sweep(w, '2026-12-09');
      assert.equal(cardsIn(w, PANEL_CHAT, mark).length, 0, 'not before the meeting is over');
      await sweep(w, '2026-12-10');
      await sweep(w, '2026-12-11');
      const [summary, ...more] = cardsIn(w, PANEL_CHAT, mark);
      assert.equal(more.length, 0);
      const text = textOf(summary);
      assert.match(text, /Panel meeting on Wed 9 Dec 2026: summary/);
      assert.match(text, /Decided \(0\)/);
      assert.match(
        text,
        new RegExp(
          `Still open \\(1\\)\\n${onTime.ref}: .*0 of the 3 votes needed cast; carried over to the meeting on Wed 13 Jan 2027`,
        ),
      );
    });

    it('carries the open proposal over on the next agenda, with both in the budget figure', async () => {
      const mark = w.connector.deliveries.length;
      await sweep(w, '2027-01-06');
      const [agenda] = cardsIn(w, PANEL_CHAT, mark);
      const text = textOf(agenda);
      assert.match(text, new RegExp(`Proposals for this meeting \\(1\\)\\n${late.ref}: Whole class 4B`));
      assert.match(
        text,
        new RegExp(
          `Carried over from the last meeting \\(1\\)\\n${onTime.ref}: .*\\(first on the agenda for Wed 9 Dec 2026\\)`,
        ),
      );
      assert.match(text, /\(£1,080\.00 for 2 proposals\)/);
    });

    it('moves an open proposal’s deadline to the next meeting: its card, the work tray and the reminders follow', async () => {
      const p = (await w.store.proposals.get(`${onTime.id}:r1`))!.value;
      assert.deepEqual([p.meetingId, p.deadline], ['2026-12-09', '2027-01-13'], 'first on the 9 Dec agenda');
      const card = await w.press(alex, 'panelView', { caseId: onTime.id, round: 1 }, 'panel');
      assert.match(textOf(card), /Panel meeting\nWed 13 Jan 2027 \(decide by then\)/);
      const tray = await w.say(alex, 'my cases');
      assert.match(
        textOf(tray),
        new RegExp(`${onTime.ref} · .*\\n.*\\n[^\\n]*panel meeting Wed 13 Jan 2027`),
      );

      const about = (chat: string, mark: number) =>
        cardsIn(w, chat, mark).filter((c) => textOf(c).includes(onTime.ref));
      let mark = w.connector.deliveries.length;
      await sweep(w, '2027-01-08');
      assert.equal(about(personalChat(alex), mark).length, 0, 'not before the reminder day');
      await sweep(w, '2027-01-11');
      await sweep(w, '2027-01-12');
      const [reminder, ...again] = about(personalChat(alex), mark);
      assert.equal(again.length, 0, 'reminded once');
      assert.match(textOf(reminder), /Wed 13 Jan 2027/);

      mark = w.connector.deliveries.length;
      await sweep(w, '2027-01-14');
      await sweep(w, '2027-01-15');
      const overdue = about(personalChat(adele), mark);
      assert.equal(overdue.length, 1, 'the co-ordinator is told once that the new date passed');
    });
  });

  describe('carry-over is robust: every sweep moves a proposal whose meeting has passed', () => {
    let w: World;
    beforeEach(async () => {
      w = await panelWorld();
    });
    afterEach(async () => w.close());

    const carried = async () => (await w.store.audit.list()).filter((a) => a.action === 'panel-carry-over');
    const about = (caseRef: string, chat: string, mark: number) =>
      cardsIn(w, chat, mark).filter((c) => textOf(c).includes(caseRef));

    it('moves a proposal left open with no next meeting once one is set, audited once, reminded for the new date', async () => {
      await w.say(isaiah, 'meetings 2026-12-09');
      const { c } = await proposed(w, megan, INDIVIDUAL_REQUEST);
      await sweep(w, '2026-12-02');
      await sweep(w, '2026-12-10');
      assert.equal((await w.store.proposals.get(`${c.id}:r1`))!.value.deadline, '2026-12-09');
      at(w, '2026-12-10T10:00:00Z');
      await w.say(isaiah, 'meetings 2027-01-13');
      await sweep(w, '2026-12-11');
      await sweep(w, '2026-12-14');
      const p = (await w.store.proposals.get(`${c.id}:r1`))!.value;
      assert.deepEqual(
        [p.meetingId, p.deadline, p.firstDeadline],
        ['2026-12-09', '2027-01-13', '2026-12-09'],
      );
      const moves = await carried();
      assert.equal(moves.length, 1, 'moved and audited once, however many sweeps');
      assert.equal(moves[0]!.caseId, c.id);
      assert.match(moves[0]!.detail, /now decided by 2027-01-13/);
      const mark = w.connector.deliveries.length;
      await sweep(w, '2027-01-11');
      const [reminder, ...again] = about(c.ref, personalChat(alex), mark);
      assert.equal(again.length, 0);
      assert.match(textOf(reminder), /Wed 13 Jan 2027/);
    });

    it('gives a proposal sent before meetings were set its meeting’s date when it goes on the agenda', async () => {
      const { c } = await proposed(w, megan, INDIVIDUAL_REQUEST);
      assert.equal((await w.store.proposals.get(`${c.id}:r1`))!.value.deadline, '2026-12-04');
      await w.say(isaiah, 'meetings 2026-12-09');
      const mark = w.connector.deliveries.length;
      await sweep(w, '2026-12-02');
      const p = (await w.store.proposals.get(`${c.id}:r1`))!.value;
      assert.deepEqual(
        [p.meetingId, p.deadline, p.firstDeadline],
        ['2026-12-09', '2026-12-09', '2026-12-04'],
      );
      assert.equal((await carried()).length, 1);
      await sweep(w, '2026-12-03');
      await sweep(w, '2026-12-07');
      await sweep(w, '2026-12-08');
      const reminders = about(c.ref, personalChat(alex), mark).map(textOf);
      assert.equal(reminders.length, 1, reminders.join('\n'));
      assert.match(reminders[0]!, /Wed 9 Dec 2026/);
      assert.equal(
        about(c.ref, personalChat(adele), mark).length,
        0,
        'no overdue notice for the school-day deadline it no longer has',
      );
      assert.equal((await carried()).length, 1, 'audited once');
    });
  });

  describe('the agenda’s budget', () => {
    let w: World;
    before(async () => {
      w = await panelWorld();
    });
    after(async () => w.close());

    it('uses the meeting’s financial year, and reads a shortfall as over budget', async () => {
      await w.say(isaiah, 'meetings 2027-04-21');
      const { c } = await proposed(w, megan, INDIVIDUAL_REQUEST);
      const year = (await w.store.budgets.get('2027-28'))!;
      await w.store.budgets.replace({ ...year.value, allocationPence: 10_000 }, year.eTag);
      const mark = w.connector.deliveries.length;
      await sweep(w, '2027-04-14');
      const [agenda] = cardsIn(w, PANEL_CHAT, mark);
      const text = textOf(agenda);
      assert.match(text, new RegExp(`Panel agenda: meeting on Wed 21 Apr 2027[\\s\\S]*${c.ref}`));
      assert.match(text, /Available now: £100\.00 available in 2027-28/);
      assert.match(
        text,
        /If everything on this agenda is approved: £440\.00 over budget \(£540\.00 for 1 proposal\)/,
      );
      assert.doesNotMatch(text, /-£/);
    });
  });

  describe('a substitution in full', () => {
    let w: World;
    let first: CaseRecord;
    let second: CaseRecord;
    let brookside: CaseRecord;
    let riverside: CaseRecord;
    before(async () => {
      w = await panelWorld();
      first = (await proposed(w, megan, INDIVIDUAL_REQUEST)).c;
      second = (await proposed(w, megan, CLASS_REQUEST)).c;
      brookside = (await proposed(w, miriam, CLASS_REQUEST)).c;
      riverside = (await proposed(w, GRACE, CLASS_REQUEST)).c;
    });
    after(async () => w.close());

    it('refuses a panel member as substitute with a clear card: nothing stored, the refusal audited', async () => {
      const before = await snapshot(w.store);
      const mark = w.connector.deliveries.length;
      const card = await w.press(GRACE, 'saveAway', {
        substitute: lynne.aadObjectId,
        from: '2026-11-30',
        to: '2026-12-03',
      });
      assert.match(
        textOf(card),
        /Lynne Robbins is on the panel and already has a vote; name a head who is not on the panel, so no one votes twice\./,
      );
      assert.deepEqual(await snapshot(w.store), before);
      assert.equal(w.connector.deliveries.length, mark, 'nobody is told');
      const last = (await w.store.audit.list()).at(-1)!;
      assert.deepEqual(
        [last.action, last.outcome, last.detail],
        ['saveAway', 'refused', 'invalid_input: Substitute'],
      );
    });

    it('offers only heads not on the panel as substitutes', async () => {
      const form = JSON.stringify(await w.say(GRACE, 'away'));
      assert.ok(form.includes(OWEN.aadObjectId) && form.includes(miriam.aadObjectId));
      for (const p of [alex, lynne, PEOPLE.patti, megan]) assert.ok(!form.includes(p.aadObjectId), p.name);
    });

    it('lets Grace name Owen from the I’m away card; Owen is told and it is audited', async () => {
      const form = await w.say(GRACE, "I'm away");
      assert.match(textOf(form), /I'm away: name a substitute/);
      const mark = w.connector.deliveries.length;
      const card = await w.press(GRACE, 'saveAway', {
        member: PEOPLE.lynne.aadObjectId, // card data cannot make it someone else's absence
        substitute: OWEN.aadObjectId,
        from: '2026-11-30',
        to: '2026-12-03',
      });
      assert.match(textOf(card), /Owen Pritchard votes for you from Mon 30 Nov 2026 to Thu 3 Dec 2026/);
      const [s, ...more] = await w.store.substitutions.find();
      assert.equal(more.length, 0);
      assert.deepEqual(
        [s?.value.member, s?.value.substitute],
        [GRACE.aadObjectId.toLowerCase(), OWEN.aadObjectId.toLowerCase()],
      );
      const told = cardsIn(w, personalChat(OWEN), mark)[0];
      assert.match(textOf(told), /You are Grace Adeyemi's substitute[\s\S]*Type 'my cases'/);
      assert.ok(buttonsOf(told).some((b) => b.verb === 'myCases'));
      assert.ok((await w.store.audit.list()).some((a) => a.action === 'name-substitute'));
    });

    it('gives Owen no view or vote before the substitution starts', async () => {
      const before = await snapshot(w.store);
      const view = await w.press(OWEN, 'panelView', { caseId: first.id, round: 1 }, 'panel');
      assert.match(textOf(view), /Only the panel, the co-ordinator and the school can see this case/);
      assert.doesNotMatch(textOf(view), new RegExp(first.ref));
      const vote = await w.press(OWEN, 'vote', { caseId: first.id, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(vote), /Only members of the EIP panel can vote/);
      assert.deepEqual(await snapshot(w.store), before);
    });

    it('refuses the absent member’s vote while the substitution runs, and records nothing', async () => {
      at(w, '2026-11-30T10:00:00Z');
      const before = await snapshot(w.store);
      const card = await w.press(GRACE, 'vote', { caseId: first.id, round: 1, choice: 'approve' }, 'panel');
      assert.match(
        warningOf(card) ?? '',
        /You can't vote while you're away: Owen Pritchard votes in your place until Thu 3 Dec 2026/,
      );
      assert.deepEqual(await snapshot(w.store), before);
    });

    it('lets the substitute vote once, in the member’s place, from the panel chat’s card', async () => {
      const view = await w.press(OWEN, 'panelView', { caseId: first.id, round: 1 }, 'panel');
      assert.match(textOf(view), /you hold Grace Adeyemi's vote while they are away/);
      assert.doesNotMatch(textOf(view), /Sam Okonkwo-Price/, 'the panel view only, never the pupil');
      const forGrace = buttonsOf(view).find((b) => b.title === 'Approve')!;
      assert.equal(forGrace.data.for, GRACE.aadObjectId);
      const card = await w.press(OWEN, 'vote', forGrace.data, 'panel');
      assert.match(textOf(card), /your vote to approve for Grace Adeyemi is recorded/);
      assert.match(textOf(card), /Voted: Owen Pritchard, for Grace Adeyemi/);
      const v = (await w.store.votes.get(voteId(first.id, 1, GRACE.aadObjectId)))!.value;
      assert.deepEqual([v.voter, v.castBy], [GRACE.aadObjectId, OWEN.aadObjectId]);
      // No second vote: Owen has no seat of his own, and Grace's is cast.
      const before = await snapshot(w.store);
      const again = await w.press(OWEN, 'vote', { caseId: first.id, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(again), /Grace Adeyemi's vote on this proposal has already been cast/);
      assert.deepEqual(await snapshot(w.store), before);
      assert.equal((await w.store.votes.find({ caseId: first.id })).length, 1);
    });

    it('checks the conflict on the substitute’s school and on the absent member’s', async () => {
      const before = await snapshot(w.store);
      const forGrace = { round: 1, choice: 'approve', for: GRACE.aadObjectId };
      const own = await w.press(OWEN, 'vote', { ...forGrace, caseId: brookside.id }, 'panel');
      assert.match(textOf(own), /your school raised it/);
      const hers = await w.press(OWEN, 'vote', { ...forGrace, caseId: riverside.id }, 'panel');
      assert.match(textOf(hers), /You can't vote for Grace Adeyemi on this case: their school raised it/);
      const view = await w.press(OWEN, 'panelView', { caseId: riverside.id, round: 1 }, 'panel');
      assert.match(textOf(view), /Only the panel, the co-ordinator and the school can see this case/);
      assert.deepEqual(await snapshot(w.store), before);
    });

    it('keeps Grace’s seat on the case Owen’s school raised: she votes there herself, not refused as away', async () => {
      const view = await w.press(GRACE, 'panelView', { caseId: brookside.id, round: 1 }, 'panel');
      assert.doesNotMatch(textOf(view), /Owen Pritchard votes in your place/);
      assert.ok(buttonsOf(view).some((b) => b.verb === 'vote'));
      const tray = textOf(await w.say(GRACE, 'my cases'));
      assert.match(
        tray,
        new RegExp(`${brookside.ref} · [^\\n]*\\n[^\\n]*\\nWaiting on your vote in the panel's chat`),
      );
      assert.equal(tray.match(/Waiting on your vote/g)?.length, 1, 'Owen holds her vote on the others');
      const refused = await w.press(
        GRACE,
        'vote',
        { caseId: second.id, round: 1, choice: 'approve' },
        'panel',
      );
      assert.match(warningOf(refused) ?? '', /Owen Pritchard votes in your place/);
    });

    it('lists the votes Owen holds in his work tray; each opens the panel card, never the named case', async () => {
      const tray = await w.say(OWEN, 'my cases');
      assert.match(
        textOf(tray),
        new RegExp(
          `${second.ref}[\\s\\S]*Waiting on your vote for Grace Adeyemi, as substitute: open it to vote · decide by Fri 4 Dec 2026`,
        ),
      );
      assert.doesNotMatch(
        textOf(tray),
        new RegExp(riverside.ref),
        'no seat of Grace’s on her own school’s case',
      );
      const open = buttonsOf(tray).find((b) => b.data.caseId === second.id)!;
      assert.deepEqual([open.verb, open.data], ['panelView', { caseId: second.id, round: 1 }]);
      const card = await w.press(OWEN, open.verb, open.data);
      assert.match(textOf(card), /you hold Grace Adeyemi's vote while they are away/);
      const named = await w.press(OWEN, 'openCase', { caseId: second.id });
      assert.match(textOf(named), /belongs to another school/);
      const graces = textOf(await w.say(GRACE, 'my cases'));
      assert.match(graces, /You're away: Owen Pritchard votes for you/);
    });

    it('reminds the substitute, not the absent member, in his 1:1 chat', async () => {
      const mark = w.connector.deliveries.length;
      await sweep(w, '2026-12-02');
      const owens = cardsIn(w, personalChat(OWEN), mark).map(textOf);
      assert.ok(
        owens.some((t) => new RegExp(`Grace Adeyemi's vote is needed on ${second.ref}`).test(t)),
        owens.join('\n'),
      );
      assert.ok(!owens.some((t) => /Your vote is needed/.test(t)), 'Owen has no vote of his own');
      // Owen cannot vote on his own school's case, so that seat stays Grace's, and she is reminded of it alone.
      const graces = cardsIn(w, personalChat(GRACE), mark).map(textOf);
      assert.equal(graces.length, 1, graces.join('\n'));
      assert.match(graces[0]!, new RegExp(`Your vote is needed on ${brookside.ref}`));
      assert.ok(
        !owens.some((t) => t.includes(brookside.ref)),
        'Owen is not reminded of his own school’s case',
      );
    });

    it('hands the vote back when the substitution ends: Grace is told, it is audited, and Owen loses access', async () => {
      const mark = w.connector.deliveries.length;
      at(w, '2026-12-04T10:00:00Z');
      await sweep(w, '2026-12-04');
      const told = cardsIn(w, personalChat(GRACE), mark).map(textOf).join('\n');
      assert.match(told, /Your panel vote is back with you/);
      assert.match(told, new RegExp(`waiting on your vote: ${second.ref}, ${brookside.ref}\\.`));
      assert.doesNotMatch(told, new RegExp(first.ref), 'the vote Owen cast for her stands');
      const audit = (await w.store.audit.list()).filter((a) => a.action === 'substitute-handback');
      assert.equal(audit.length, 1);
      await sweep(w, '2026-12-04');
      assert.equal(
        (await w.store.audit.list()).filter((a) => a.action === 'substitute-handback').length,
        1,
        'once',
      );
      await w.say(OWEN, 'help'); // his chat is remembered on the day, before the snapshot
      const before = await snapshot(w.store);
      const refused = await w.press(
        OWEN,
        'vote',
        { caseId: second.id, round: 1, choice: 'decline', for: GRACE.aadObjectId },
        'panel',
      );
      assert.match(textOf(refused), /Only members of the EIP panel can vote/);
      const view = await w.press(OWEN, 'panelView', { caseId: second.id, round: 1 });
      assert.match(textOf(view), /Only the panel, the co-ordinator and the school can see this case/);
      assert.doesNotMatch(textOf(await w.say(OWEN, 'my cases')), new RegExp(second.ref));
      assert.deepEqual(await snapshot(w.store), before);
      const card = await w.press(GRACE, 'vote', { caseId: second.id, round: 1, choice: 'approve' }, 'panel');
      assert.match(textOf(card), /your vote to approve is recorded/);
      const v = (await w.store.votes.get(voteId(second.id, 1, GRACE.aadObjectId)))!.value;
      assert.equal(v.castBy, undefined);
    });
  });

  describe('overlapping substitutions saved at the same moment', () => {
    let w: World;
    before(async () => {
      w = await panelWorld();
    });
    after(async () => w.close());

    it('keeps the one written first, takes the later one away again, and tells its sender', async () => {
      // Another instance writes Grace's absence (Miriam standing in) just after this request's check passed.
      const subs = w.store.substitutions;
      const create = subs.create.bind(subs);
      subs.create = async (record) => {
        subs.create = create;
        await create({
          ...record,
          id: 'written-first',
          substitute: miriam.aadObjectId.toLowerCase(),
          setBy: isaiah.aadObjectId.toLowerCase(),
        });
        return create(record);
      };
      const mark = w.connector.deliveries.length;
      const card = await w.press(GRACE, 'saveAway', {
        substitute: OWEN.aadObjectId,
        from: '2026-11-30',
        to: '2026-12-03',
      });
      assert.match(
        textOf(card),
        /Another absence was saved at the same moment, so yours was not kept: Grace Adeyemi is already away from Mon 30 Nov 2026 to Thu 3 Dec 2026; the dates overlap\./,
      );
      assert.deepEqual(
        (await w.store.substitutions.find()).map((s) => s.value.id),
        ['written-first'],
      );
      assert.equal(
        cardsIn(w, personalChat(OWEN), mark).length,
        0,
        'Owen is not told of a substitution not kept',
      );
      const actions = (await w.store.audit.list()).map((a) => [a.action, a.outcome]);
      assert.ok(!actions.some(([a]) => a === 'name-substitute'));
      assert.deepEqual(actions.at(-1), ['saveAway', 'refused']);
    });
  });

  describe('ending an absence early', () => {
    let w: World;
    before(async () => {
      w = await panelWorld();
      await proposed(w, megan, INDIVIDUAL_REQUEST);
      await w.press(isaiah, 'saveAway', {
        member: GRACE.aadObjectId,
        substitute: OWEN.aadObjectId,
        from: '2026-11-27',
        to: '2026-12-18',
      });
    });
    after(async () => w.close());

    it('is refused to anyone but the member or an admin', async () => {
      const [s] = await w.store.substitutions.find();
      const before = await snapshot(w.store);
      for (const p of [OWEN, lynne, adele]) {
        const card = await w.press(p, 'endAway', { substitutionId: s!.value.id });
        assert.match(
          textOf(card),
          p === adele
            ? /Only panel members, or an admin/
            : p === OWEN
              ? /standing in for Grace Adeyemi[\s\S]*A substitute cannot name a substitute/
              : /Only the member who is away, or an admin/,
        );
      }
      assert.deepEqual(await snapshot(w.store), before);
    });

    it('hands the open votes back at once when the member ends it', async () => {
      const [s] = await w.store.substitutions.find();
      const mark = w.connector.deliveries.length;
      const form = await w.say(GRACE, 'away');
      const end = buttonsOf(form).find((b) => b.verb === 'endAway')!;
      assert.equal(end.data.substitutionId, s!.value.id);
      const card = await w.press(GRACE, end.verb, end.data);
      assert.match(
        textOf(card),
        /Ended\. The votes still open \(EIP-2026-0001\) are back with Grace Adeyemi/,
      );
      assert.match(textOf(cardsIn(w, personalChat(GRACE), mark)[0]), /Your panel vote is back with you/);
      const actions = (await w.store.audit.list()).map((a) => a.action);
      assert.ok(actions.includes('end-substitute') && actions.includes('substitute-handback'));
    });
  });
});
