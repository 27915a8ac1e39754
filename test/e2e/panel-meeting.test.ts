// One panel cycle end to end, through the real adapter, handlers, outbox and SQLite store: an admin sets two meeting
// dates, a head on the panel names a substitute (a head not on it; naming a panel member is refused), two proposals go on the first meeting's agenda and a third, sent on cut-off day,
// rolls to the next; the agenda reaches the panel chat on cut-off day, the substitute is reminded in their 1:1 chat,
// finds the proposals in their work tray and votes for the absent head (once per proposal), the panel decides, and the summary reaches the chat after the meeting. No pupil is named in the panel chat.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

const GRACE = { aadObjectId: '00000000-0000-0000-0000-0000000000041', name: 'Grace Adeyemi' };
const OWEN = { aadObjectId: '00000000-0000-0000-0000-0000000000042', name: 'Owen Pritchard' };
const PUPIL = 'Sam Okonkwo-Price';

const INDIVIDUAL = {
  kind: 'individual',
  pupilName: PUPIL,
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'A calm corner and a daily check-in.',
  asked: 'Counselling.',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
};
const CLASS = (className: string) => ({
  kind: 'class',
  className,
  yearGroup: 'Year 4',
  needs: 'semh',
  tried: 'Zones of regulation.',
  asked: 'Whole-class support.',
});
const PROPOSAL = {
  service1: 'counselling@oakwood-counselling',
  sessions1: '12',
  rationale: 'Regulation before escalation.',
  outcomes: 'Fewer incidents at lunchtime.',
  reviewDate: '2027-03-19',
};

describe('a panel meeting from cut-off to summary', () => {
  let h: Harness;
  let dir: string;
  let now = new Date('2026-11-30T10:00:00Z'); // Mon 30 Nov 2026
  before(async () => {
    const fixture = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'directory.json'), 'utf8'),
    ) as { people: unknown[]; panel: unknown };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-panel-e2e-'));
    const file = path.join(dir, 'directory.json');
    fixture.people.push(
      { ...GRACE, email: 'gracea@example.com', roles: ['head', 'panel'], schoolId: 'riverside-school' },
      // Owen is a head, not on the panel: he may stand in for a member.
      { ...OWEN, email: 'owenp@example.com', roles: ['head'], schoolId: 'brookside-primary' },
    );
    fixture.panel = { quorum: 3 };
    fs.writeFileSync(file, JSON.stringify(fixture));
    h = await startHarness({ directory: file, now: () => now, env: { EIP_JOBS_TOKEN: 'sweep' } });
  });
  after(async () => {
    await h.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sweep = async (day: string) => {
    const res = await fetch(`${h.bot.url}/api/reminders/run?now=${day}`, {
      method: 'POST',
      headers: { authorization: 'Bearer sweep' },
    });
    assert.equal(res.status, 200);
    await h.bot.outbox.idle();
  };

  /** Raises a request as Megan and takes it to assessed; answers its id. */
  async function assessed(request: Record<string, unknown>): Promise<string> {
    const card = await h.press(P.megan, 'submitRequest', request);
    const caseId = String(button(card, 'Withdraw request').data.caseId);
    await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-01' });
    await h.press(P.adele, 'assess', {
      caseId,
      observedOn: '2026-11-30',
      findings: 'f',
      needsIdentified: 'n',
    });
    return caseId;
  }

  it('runs the cycle: agenda, a late proposal rolling over, a substitute voting, decisions and the summary', async () => {
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne, P.isaiah, GRACE, OWEN])
      await h.say(p, 'help');
    await h.say(P.adele, 'panel here', 'panel');

    // The admin sets two meetings; the cut-off is five school days before each.
    const [set] = await h.say(P.isaiah, 'meetings 2026-12-09');
    assert.match(
      textOf(set),
      /Panel meeting set for Wed 9 Dec 2026, with the cut-off for papers on Wed 2 Dec 2026/,
    );
    await h.say(P.isaiah, 'meetings 2027-01-13');

    // Grace is away for a fortnight. Lynne is on the panel, so cannot hold Grace's vote too; Grace names Owen.
    const [form] = await h.say(GRACE, "I'm away");
    assert.match(textOf(form), /name a substitute/);
    let mark = h.connector.mark();
    const twice = await h.press(GRACE, 'saveAway', {
      substitute: P.lynne.aadObjectId,
      from: '2026-11-30',
      to: '2026-12-11',
    });
    assert.match(
      textOf(twice),
      /Lynne Robbins is on the panel and already has a vote; name a head who is not on the panel, so no one votes twice\./,
    );
    assert.equal(h.connector.mark(), mark, 'nobody is told of a refusal');
    const named = await h.press(GRACE, 'saveAway', {
      substitute: OWEN.aadObjectId,
      from: '2026-11-30',
      to: '2026-12-11',
    });
    assert.match(textOf(named), /Owen Pritchard votes for you from Mon 30 Nov 2026 to Fri 11 Dec 2026/);
    assert.match(
      textOf(h.connector.cardsIn(personalChat(OWEN), mark)[0]),
      /You are Grace Adeyemi's substitute/,
    );

    // Two proposals before the cut-off.
    const one = await assessed(INDIVIDUAL);
    const two = await assessed(CLASS('4B'));
    const three = await assessed(CLASS('4C'));
    for (const caseId of [one, two]) {
      const sent = await h.press(P.adele, 'propose', { caseId, ...PROPOSAL });
      assert.match(textOf(sent), /It is on the agenda for the panel meeting on Wed 9 Dec 2026/);
    }

    // A third on cut-off day waits for the next meeting, and the co-ordinator is told which.
    now = new Date('2026-12-02T09:00:00Z');
    const lateCard = await h.press(P.adele, 'propose', { caseId: three, ...PROPOSAL });
    assert.match(textOf(lateCard), /so it waits for the next meeting, on Wed 13 Jan 2027/);

    // The agenda reaches the panel chat on cut-off day, once.
    mark = h.connector.mark();
    await sweep('2026-12-02');
    await sweep('2026-12-02');
    const agendas = h.connector.cardsIn(PANEL_CHAT, mark).filter((c) => /Panel agenda/.test(textOf(c)));
    assert.equal(agendas.length, 1);
    const agenda = textOf(agendas[0]);
    assert.match(
      agenda,
      /Proposals for this meeting \(2\)\nEIP-2026-0001: Individual pupil, Year 4, primary school\. £540\.00\nOpen EIP-2026-0001\nEIP-2026-0002: Whole class 4B/,
    );
    assert.doesNotMatch(agenda, /EIP-2026-0003/);
    assert.match(
      agenda,
      /If everything on this agenda is approved: £355,920\.00 available \(£1,080\.00 for 2 proposals\)/,
    );

    // The vote reminders go to Owen's 1:1 chat for Grace's seat, not to Grace.
    now = new Date('2026-12-07T10:00:00Z');
    mark = h.connector.mark();
    await sweep('2026-12-07');
    const reminded = h.connector.cardsIn(personalChat(OWEN), mark).map(textOf).join('\n');
    assert.match(reminded, /Grace Adeyemi's vote is needed on EIP-2026-0001/);
    assert.match(reminded, /Grace Adeyemi's vote is needed on EIP-2026-0002/);
    assert.doesNotMatch(reminded, /Your vote is needed/);
    assert.equal(h.connector.cardsIn(personalChat(GRACE), mark).length, 0, 'Grace is not reminded');

    // The panel votes; Grace cannot, Owen votes for her from the panel chat's card.
    now = new Date('2026-12-08T10:00:00Z');
    const open = button(agendas[0], 'Open EIP-2026-0001').data;
    const grace = await h.press(GRACE, 'vote', { ...open, choice: 'approve' }, 'panel');
    assert.match(
      textOf(grace),
      /You can't vote while you're away: Owen Pritchard votes in your place until Fri 11 Dec 2026/,
    );
    await h.press(P.alex, 'vote', { ...open, choice: 'approve' }, 'panel');
    const owensView = await h.press(OWEN, 'panelView', open, 'panel');
    assert.match(textOf(owensView), /you hold Grace Adeyemi's vote/);
    assert.ok(!textOf(owensView).includes(PUPIL), 'the panel view only');
    const held = await h.press(OWEN, 'vote', button(owensView, 'Approve').data, 'panel');
    assert.match(textOf(held), /your vote to approve for Grace Adeyemi is recorded/);
    const again = await h.press(OWEN, 'vote', { ...open, choice: 'approve' }, 'panel');
    assert.match(textOf(again), /Grace Adeyemi's vote on this proposal has already been cast/);
    mark = h.connector.mark();
    const decided = await h.press(P.lynne, 'vote', { ...open, choice: 'approve' }, 'panel');
    assert.match(textOf(decided), /Decided: Approved/);
    assert.match(textOf(decided), /Voted: Alex Wilber; Owen Pritchard, for Grace Adeyemi; Lynne Robbins/);
    assert.match(textOf(h.connector.cardsIn(personalChat(P.megan), mark)[0]), /EIP-2026-0001: Approved/);

    // Owen's work tray in his 1:1 chat lists the vote he holds, with the meeting; the line opens the panel card.
    const [tray] = await h.say(OWEN, 'my cases');
    assert.match(
      textOf(tray),
      /EIP-2026-0002[\s\S]*Waiting on your vote for Grace Adeyemi, as substitute: open it to vote · panel meeting Wed 9 Dec 2026/,
    );
    const line = buttonsOf(tray).find((b) => b.data.caseId === two)!;
    assert.equal(line.verb, 'panelView');
    const fromTray = await h.press(OWEN, line.verb, line.data);
    assert.match(textOf(fromTray), /you hold Grace Adeyemi's vote/);
    const twoRef = { caseId: two, round: 1 };
    await h.press(
      P.alex,
      'vote',
      { ...twoRef, choice: 'decline', comment: 'Not the right support.' },
      'panel',
    );
    await h.press(P.lynne, 'vote', { ...twoRef, choice: 'decline', comment: 'Agree.' }, 'panel');
    const owens = await h.press(OWEN, 'vote', button(fromTray, 'Approve').data);
    assert.match(textOf(owens), /your vote to approve for Grace Adeyemi is recorded/);
    assert.match(textOf(owens), /Decided: Declined/);
    const declined = await h.press(P.patti, 'vote', { ...twoRef, choice: 'approve' }, 'panel');
    assert.match(textOf(declined), /your school raised it/);
    // The summary reaches the chat after the meeting, once.
    mark = h.connector.mark();
    await sweep('2026-12-09');
    await sweep('2026-12-10');
    await sweep('2026-12-10');
    const summaries = h.connector.cardsIn(PANEL_CHAT, mark).filter((c) => /summary/.test(textOf(c)));
    assert.equal(summaries.length, 1);
    const summary = textOf(summaries[0]);
    assert.match(summary, /Panel meeting on Wed 9 Dec 2026: summary/);
    assert.match(
      summary,
      /Decided \(2\)\nEIP-2026-0001: Approved \(3 approve, 0 decline, 0 request changes\)/,
    );
    assert.match(summary, /EIP-2026-0002: Declined \(1 approve, 2 decline, 0 request changes\)/);

    // The substitution over, Owen has no seat: no panel card, no vote.
    now = new Date('2026-12-14T10:00:00Z');
    await sweep('2026-12-14');
    const after = await h.press(OWEN, 'panelView', twoRef);
    assert.match(textOf(after), /Only the panel, the co-ordinator and the school can see this case/);
    assert.match(summary, /Still open \(0\)\nNothing is left open/);

    // Nothing posted to the panel chat names the pupil.
    const all = JSON.stringify(h.connector.cardsIn(PANEL_CHAT, 0));
    assert.ok(
      !all.includes('Sam') && !all.includes('Okonkwo'),
      'no part of the pupil name reaches the panel',
    );
  });
});
