// Issue 7: a school's own words reach the heads' chat as plain text. A school raises a request with a phishing link for
// a class name, the co-ordinator proposes, and the card the bot posts to the panel's chat (caught by the stand-in
// Bot Connector) carries no live link, only the words as typed. A pupil's name goes into the co-ordinator's forms the
// same way.
import assert from 'node:assert/strict';
import { normaliseText } from '../../src/domain/text';
import {
  P,
  PANEL_CHAT,
  acceptAndAssess,
  button,
  raiseRequest,
  startHarness,
  type Harness,
} from '../support/harness';
import { HOSTILE_TEXT } from '../fixtures/hostile-text';
import { assertNothingLive, lines, nodes, read, shownText } from './read';

const PHISHING = HOSTILE_TEXT.markdownLink;

describe('hostile text through the real bot', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: () => new Date('2026-11-27T10:00:00Z') });
    for (const p of [P.megan, P.adele, P.alex, P.lynne]) await h.say(p, 'hello');
    await h.say(P.adele, 'panel here', 'panel');
  });
  afterEach(async () => h.stop());

  /** The cards the bot posted to the panel's chat since the mark. */
  const panelPosts = (mark: number) =>
    h.connector.sent
      .slice(mark)
      .filter((s) => s.conversationId === PANEL_CHAT)
      .map((s) => s.activity.attachments![0]!.content);

  it('posts a class named with a phishing link to the panel chat as plain text, with no live link', async () => {
    const caseId = await raiseRequest(h, {
      kind: 'class',
      className: PHISHING,
      yearGroup: 'Year 4',
      needs: 'semh',
      tried: HOSTILE_TEXT.bareUrls,
      asked: HOSTILE_TEXT.emphasis,
    });
    await acceptAndAssess(h, caseId, { findings: HOSTILE_TEXT.html, needsIdentified: HOSTILE_TEXT.bareUrls });
    const mark = h.connector.mark();
    await h.press(P.adele, 'propose', {
      caseId,
      service1: 'counselling@other',
      otherProvider1: '[Kestrel](https://evil.example) www.evil.example',
      sessions1: '10',
      unitCost1: '45.50',
      rationale: PHISHING,
      outcomes: `${HOSTILE_TEXT.hostFunctions}\n${HOSTILE_TEXT.template}`,
      reviewDate: '2027-03-26',
    });

    const [card, ...more] = panelPosts(mark);
    assert.ok(card, 'the proposal is posted to the panel chat');
    assert.equal(more.length, 0);
    assertNothingLive(card, 'the panel card');
    const json = JSON.stringify(card);
    assert.equal(json.includes('https://'), false, 'no address anywhere a client could follow');

    // The heads read exactly what the school and the co-ordinator typed.
    const shown = lines(card);
    assert.ok(
      shown.includes(`Whole class ${PHISHING}, Year 4, primary school`),
      `the class name as typed in ${JSON.stringify(shown)}`,
    );
    assert.ok(shown.includes(PHISHING), 'the rationale as typed');
    // As typed, less the invisible characters every input is cleaned of when it is stored.
    assert.ok(
      shown.includes(normaliseText(HOSTILE_TEXT.bareUrls, { multiline: true })),
      'the needs identified as typed',
    );
    assert.ok(
      shown.some((l) => l.includes('[Kestrel](https://evil.example) www.evil.example')),
      "another provider's name as typed",
    );
    assert.ok(
      shown.includes(`${HOSTILE_TEXT.hostFunctions}\n${HOSTILE_TEXT.template}`),
      'the expected outcomes as typed: no date filled in, no template evaluated',
    );

    // Every member's own view, fetched through Refresh, is as plain.
    const mine = await h.press(P.alex, 'panelView', { caseId, round: 1 }, 'panel');
    assertNothingLive(mine, "a member's view");
    assert.ok(lines(mine).includes(`Whole class ${PHISHING}, Year 4, primary school`));
  });

  it("shows a pupil's name on the co-ordinator's form literally, and never on the panel card", async () => {
    const caseId = await raiseRequest(h, {
      kind: 'individual',
      pupilName: PHISHING,
      yearGroup: 'Year 4',
      needs: 'semh',
      tried: 'A calm corner.',
      asked: 'Counselling.',
      consentGivenBy: 'Jo Price (mother)',
      consentDate: '2026-11-20',
      consentMethod: 'in-writing',
    });
    await acceptAndAssess(h, caseId);
    const opened = await h.press(P.adele, 'openCase', { caseId });
    assertNothingLive(opened, 'the case card');
    assert.ok(lines(opened).includes(`${PHISHING}, Year 4`), 'the co-ordinator sees the name as typed');

    const form = await h.press(P.adele, 'showForm', button(opened, 'Write proposal').data);
    assertNothingLive(form, 'the proposal form');
    const subtitle = shownText(form).find((p) => read(p.text).includes('Year 4'));
    assert.ok(subtitle, 'the form names the case');
    assert.ok(read(subtitle.text).startsWith(`EIP-2026-0001 · ${PHISHING}, Year 4.`), read(subtitle.text));

    const mark = h.connector.mark();
    await h.press(P.adele, 'propose', {
      caseId,
      service1: 'counselling@oakwood-counselling',
      sessions1: '10',
      rationale: 'Regulation before escalation.',
      outcomes: 'Fewer incidents at lunchtime',
      reviewDate: '2027-03-19',
    });
    const [card] = panelPosts(mark);
    assert.ok(card);
    assertNothingLive(card, 'the panel card');
    const everything = nodes(card)
      .flatMap((n) => Object.values(n))
      .filter((v): v is string => typeof v === 'string')
      .map(read);
    assert.ok(!everything.some((s) => s.includes('Re-verify')), 'the pupil is not named to the panel');
  });
});
