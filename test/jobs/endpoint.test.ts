// POST /api/reminders/run: for a scheduler outside the bot, or a newcomer with curl in local mode.
import assert from 'node:assert/strict';
import { P, personalChat, startHarness, textOf, type Harness } from '../support/harness';
import { caseRecord } from '../support/records';

async function run(h: Harness, query = '', token?: string) {
  const res = await fetch(`${h.bot.url}/api/reminders/run${query}`, {
    method: 'POST',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the reminders endpoint', () => {
  it('does not exist without EIP_JOBS_TOKEN configured', async () => {
    const h = await startHarness();
    try {
      assert.equal((await run(h, '', 'anything')).status, 404);
      assert.equal((await run(h)).status, 404);
    } finally {
      await h.stop();
    }
  });

  describe('with EIP_JOBS_TOKEN set, in local mode', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness({ env: { EIP_JOBS_TOKEN: 's3cret' } });
      await h.say(P.adele, 'hello');
      // Submitted Mon 2 Nov 2026: more than five school days waiting on Tue 10 Nov.
      await h.bot.store.cases.create(caseRecord({ id: 'c1' }));
    });
    afterEach(async () => h.stop());

    it('refuses a missing or wrong token, and sweeps nothing', async () => {
      assert.equal((await run(h, '?now=2026-11-10')).status, 401);
      assert.equal((await run(h, '?now=2026-11-10', 'wrong')).status, 401);
      assert.equal((await run(h, '?now=2026-11-10', 's3cret-and-more')).status, 401);
      assert.equal((await h.bot.store.reminders.find()).length, 0);
    });

    it('lists who would be reminded of what in a dry run, without sending or claiming anything', async () => {
      const mark = h.connector.mark();
      const r = await run(h, '?now=2026-11-10&dryRun=1', 's3cret');
      assert.equal(r.status, 200);
      assert.equal(r.body.today, '2026-11-10');
      assert.equal(r.body.dryRun, true);
      const lines = (
        r.body.reminders as { kind: string; ref?: string; toName: string; outcome: string }[]
      ).map((e) => `${e.outcome} ${e.kind} ${e.ref ?? ''} ${e.toName}`);
      assert.deepEqual(lines, [
        'would-send triage-waiting EIP-2026-0001 Adele Vance',
        'would-send providers-meeting  Adele Vance',
      ]);
      assert.equal(JSON.stringify(r.body).includes('Sam'), false, 'no pupil name in the report');
      assert.equal(h.connector.mark(), mark, 'nothing sent');
      assert.equal((await h.bot.store.reminders.find()).length, 0, 'nothing claimed');
    });

    it('sweeps as of ?now=YYYY-MM-DD and sends through the Bot Connector, once', async () => {
      const mark = h.connector.mark();
      const r = await run(h, '?now=2026-11-10', 's3cret');
      assert.equal(r.status, 200);
      const cards = h.connector.cardsIn(personalChat(P.adele), mark);
      assert.equal(cards.length, 2);
      assert.match(textOf(cards[0]), /EIP-2026-0001 has waited 6 school days for triage/);
      assert.match(textOf(cards[1]), /Providers' meeting agenda/);
      assert.deepEqual(
        (await h.bot.store.reminders.find()).map((x) => `${x.value.kind} ${x.value.status}`),
        ['triage-waiting sent', 'providers-meeting sent'],
      );
      const again = await run(h, '?now=2026-11-10', 's3cret');
      assert.deepEqual(again.body.reminders, []);
      assert.equal(h.connector.cardsIn(personalChat(P.adele), mark).length, 2);
    });

    it('refuses a date that is not YYYY-MM-DD', async () => {
      const r = await run(h, '?now=10/11/2026', 's3cret');
      assert.equal(r.status, 400);
      assert.match(String(r.body.error), /YYYY-MM-DD/);
    });
  });

  it('refuses ?now outside local mode, and sweeps as of today without it', async () => {
    const h = await startHarness({
      env: { EIP_JOBS_TOKEN: 's3cret', MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'app-password' },
      now: () => new Date('2026-11-09T12:00:00Z'),
    });
    try {
      await h.bot.store.cases.create(caseRecord({ id: 'c1' }));
      const refused = await run(h, '?now=2026-11-10', 's3cret');
      assert.equal(refused.status, 400);
      assert.match(String(refused.body.error), /local mode only/);
      assert.equal((await h.bot.store.reminders.find()).length, 0);
      const today = await run(h, '?dryRun=1', 's3cret');
      assert.equal(today.status, 200);
      assert.equal(today.body.today, '2026-11-09');
      assert.deepEqual(today.body.reminders, [], 'five school days waiting is not yet more than five');
    } finally {
      await h.stop();
    }
  });
});
