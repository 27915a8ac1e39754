// A case's History button: the co-ordinator and admins see its chronology from the audit trail, oldest first, with
// who did what and how the status changed; anyone else is refused, and the refusal is in the history too.
import assert from 'node:assert/strict';
import { londonTime } from '../../../src/app/privacy/chronology';
import {
  P,
  button,
  buttonsOf,
  raiseRequest,
  startHarness,
  textOf,
  type Harness,
} from '../../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');
const PUPIL = 'Sam Okonkwo-Price';

/** The lines of the "What happened" list: each step's when · who, then what. */
function steps(card: unknown): string[] {
  const text = textOf(card);
  const from = text.indexOf('What happened');
  const to = text.indexOf('Who has opened it');
  return text
    .slice(from + 'What happened'.length, to)
    .split('\n')
    .filter(Boolean);
}

describe("a case's history", () => {
  let h: Harness;
  let caseId: string;
  before(async () => {
    h = await startHarness({ now: () => NOW });
    for (const p of [P.megan, P.adele, P.isaiah]) await h.say(p, 'hello');
    caseId = await raiseRequest(h, {
      kind: 'individual',
      pupilName: PUPIL,
      yearGroup: 'Year 4',
      needs: 'semh',
      tried: 'Sam has a calm corner.',
      asked: 'Counselling.',
      consentGivenBy: 'Jo Price (mother)',
      consentDate: '2026-11-20',
      consentMethod: 'in-writing',
    });
    await h.press(P.adele, 'returnCase', { caseId, question: 'How often?' });
    await h.press(P.megan, 'resubmit', { caseId, answer: 'Twice a week.' });
    await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-02' });
  });
  after(async () => h.stop());

  it('shows the co-ordinator every step in order: when, who, what, and the status before and after', async () => {
    const opened = await h.press(P.adele, 'openCase', { caseId });
    const card = await h.press(P.adele, 'history', button(opened, 'History').data);
    const text = textOf(card);
    assert.match(text, /History of EIP-2026-0001/);
    assert.match(text, new RegExp(`${PUPIL}, Year 4`), 'the co-ordinator may see whose case it is');
    assert.deepEqual(steps(card), [
      'Fri 27 Nov 2026, 10:00 · Megan Bowen',
      'Request submitted',
      'Fri 27 Nov 2026, 10:00 · Adele Vance',
      'Returned to the school with a question: Submitted → Returned with a question',
      'Fri 27 Nov 2026, 10:00 · Megan Bowen',
      'School answered and resubmitted: Returned with a question → Submitted',
      'Fri 27 Nov 2026, 10:00 · Adele Vance',
      'Accepted, observation planned: Submitted → Accepted',
    ]);
    // Opening the case is summarised, not listed.
    assert.match(text, /Who has opened it\n(.*\n)*Adele Vance: \d+ times?, last Fri 27 Nov 2026, 10:00/);
    assert.deepEqual(
      buttonsOf(card).map((b) => b.title),
      ['Open case', 'My cases'],
    );
    // Nothing in the chronology comes from anyone's words.
    assert.doesNotMatch(text.slice(text.indexOf('What happened')), /Sam|Okonkwo|How often|Twice a week/);
  });

  it('shows an admin the history without the pupil', async () => {
    const opened = await h.press(P.isaiah, 'openCase', { caseId });
    const card = await h.press(P.isaiah, 'history', button(opened, 'History').data);
    assert.match(textOf(card), /Individual pupil, Year 4/);
    assert.doesNotMatch(textOf(card), /Sam|Okonkwo/);
    assert.match(textOf(card), /Accepted, observation planned: Submitted → Accepted/);
  });

  it('offers no History button to the school, refuses it if pressed, and audits the refusal', async () => {
    const opened = await h.press(P.megan, 'openCase', { caseId });
    assert.ok(!buttonsOf(opened).some((b) => b.verb === 'history'));
    const card = await h.press(P.megan, 'history', { caseId });
    assert.match(textOf(card), /Only the EIP co-ordinator or an admin can see a case's history\./);
    assert.doesNotMatch(textOf(card), /What happened/);
    const refusals = (await h.bot.store.audit.list(caseId)).filter((a) => a.outcome === 'refused');
    assert.deepEqual(
      refusals.map(({ actor, action, caseId: id, detail }) => ({ actor, action, id, detail })),
      [{ actor: P.megan.aadObjectId, action: 'history', id: caseId, detail: 'forbidden' }],
    );
    const history = await h.press(P.adele, 'history', { caseId });
    assert.equal(
      steps(history).slice(-2).join('\n'),
      'Fri 27 Nov 2026, 10:00 · Megan Bowen\nRefused: tried to see its history (not theirs to do)',
    );
  });

  it('refuses a panel member too, on a case they may not open', async () => {
    const card = await h.press(P.alex, 'history', { caseId });
    assert.match(textOf(card), /Only the EIP co-ordinator or an admin can see a case's history\./);
    assert.doesNotMatch(textOf(card), /Sam|Okonkwo|What happened/);
  });

  it('names someone who has left the directory as such', async () => {
    await h.bot.store.audit.append({
      at: '2026-11-27T11:00:00.000Z',
      actor: 'aaaaaaaa-0000-0000-0000-00000000dead',
      action: 'assess',
      caseId,
      detail: 'EIP-2026-0001 assessed',
      before: 'accepted',
      after: 'assessed',
      outcome: 'done',
    });
    const card = await h.press(P.adele, 'history', { caseId });
    assert.equal(
      steps(card).slice(-2).join('\n'),
      'Fri 27 Nov 2026, 11:00 · someone no longer in the directory\nAssessment recorded: Accepted → Assessed',
    );
  });
});

describe('times in the history', () => {
  it('are London times, in summer and in winter', () => {
    assert.equal(londonTime('2026-07-01T09:05:00.000Z'), 'Wed 1 Jul 2026, 10:05');
    assert.equal(londonTime('2026-12-01T09:05:00.000Z'), 'Tue 1 Dec 2026, 09:05');
  });
});
