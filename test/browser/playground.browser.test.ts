// A SENCo raises a request in the Teams emulator (Agents Playground), driven in Chromium: the system's if there is one,
// otherwise the one the @sparticuz/chromium npm package ships, so `npm install && npm test` needs nothing else.
// The bot runs as `npm run dev` would, and starts the Playground itself, as in local mode.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { londonYear } from '../../src/domain';
import {
  Playground,
  choose,
  fillDate,
  launchChromium,
  startLocalBot,
  type LocalBot,
} from '../support/playground';
import { chromiumPath } from '../support/chromium';

describe('Agents Playground in Chromium: a SENCo raises a request', function () {
  this.timeout(300_000);

  let bot: LocalBot | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

  before(async function () {
    const executablePath = await chromiumPath();
    assert.ok(existsSync(executablePath), `no Chromium at ${executablePath} (CHROMIUM_PATH)`);
    bot = await startLocalBot();
    browser = await launchChromium(executablePath);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    if (browser) {
      const shot = join(tmpdir(), `eip-playground-failure-${Date.now()}.png`);
      await browser.page.screenshot({ path: shot, fullPage: true });
      console.error(`Screenshot of the Playground: ${shot}`);
    }
    console.error(`Bot output (tail):\n${bot?.output() ?? ''}`);
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await bot?.stop();
  });

  it("types help, fills the request card and gets the year's first reference", async function () {
    assert.ok(browser && bot);
    const p = browser.page;
    const pg = new Playground(p);
    await pg.open(bot.playgroundUrl);

    // The bot may also have greeted on install with the same menu; the newest one is the answer to `help`.
    const menu = await pg.send('help', 'Raise a request for a pupil');
    await menu.getByRole('button', { name: 'Raise a request for a pupil' }).click();

    const form = pg.cardWithButton('Submit request');
    await form.waitFor();
    await form.getByRole('textbox', { name: "Pupil's name" }).fill('Sam Taylor');
    await choose(p, form, 'Year group', 'Year 4');
    await form.getByRole('checkbox', { name: 'Social, emotional and mental health' }).check();
    await form.getByRole('checkbox', { name: 'Communication and interaction' }).check();
    await form
      .getByRole('textbox', { name: 'What the school has tried already' })
      .fill('Daily check-ins with a trusted adult and a quiet space at lunchtime.');
    await form
      .getByRole('textbox', { name: 'What the school is asking for' })
      .fill('Advice on managing anxiety in class, and counselling.');
    await form.getByRole('textbox', { name: 'Consent given by' }).fill('Jo Taylor (mother)');
    // Input.Date renders as a date picker that takes typed dates; a past date, as consent must be.
    await fillDate(p, form, 'Date consent given', isoDate(daysAgo(14)));
    await choose(p, form, 'How consent was given', 'In writing');

    await form.getByRole('button', { name: 'Submit request' }).click();

    // References count from 1 each calendar year (London).
    await pg.card(`EIP-${londonYear(new Date())}-0001`).waitFor();
  });
});

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000);
}

/** YYYY-MM-DD, a format the Playground's date picker accepts when typed. */
function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
