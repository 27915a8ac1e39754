// A request whose pupil's name carries invisible characters, through the bot's real edge: a name of nothing visible
// is refused with a clear message and nothing is stored; right-to-left overrides are taken out of what is stored.
import assert from 'node:assert/strict';
import { P, raiseRequest, startHarness, textOf, type Harness } from '../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');

const individual = {
  kind: 'individual',
  pupilName: 'Rosa Lind',
  yearGroup: 'Year 2',
  needs: 'cognition',
  tried: 'Small-group phonics.',
  asked: 'Specialist teaching.',
  consentGivenBy: 'Ali Lind (father)',
  consentDate: '2026-11-25',
  consentMethod: 'meeting',
};

describe('a request with odd characters in the pupil’s name', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
    await h.say(P.megan, 'hello');
  });
  afterEach(async () => h.stop());

  it('is refused when the name is only zero-width characters, and nothing is stored', async () => {
    const card = await h.press(P.megan, 'submitRequest', {
      ...individual,
      pupilName: '\u200B\u200C\u200D\u2060\uFEFF',
    });
    assert.match(textOf(card), /Some answers need another look/);
    assert.match(textOf(card), /Pupil's name: The name must contain letters\./);
    assert.equal((await h.bot.store.cases.find()).length, 0);
    assert.equal((await h.bot.store.consents.find()).length, 0);
  });

  it('is stored without right-to-left override characters', async () => {
    const caseId = await raiseRequest(h, { ...individual, pupilName: '\u202ERosa\u202C \u2067Lind\u2069' });
    const stored = await h.bot.store.cases.get(caseId);
    assert.ok(stored);
    assert.equal(stored.value.request.kind === 'individual' && stored.value.request.pupilName, 'Rosa Lind');
  });
});
