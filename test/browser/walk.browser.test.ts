// The whole workflow, request to panel decision to commissioning and a reminder, walked through the Teams emulator
// (Microsoft 365 Agents Playground) in Chromium as people would: typing commands, filling in cards and pressing their
// buttons, and asserting what appears on screen at each step.
//
// The Playground has one signed-in user (Megan Bowen, the demo SENCo) and no user switch, so everyone else is played
// with the bot's local-mode `act as` command; messages for them arrive in the same 1:1 chat, headed "For …". The
// Playground lists a group chat, "EIP Panel" (.m365agentsplayground.yml), which the co-ordinator registers as the
// panel's chat with `panel here`, as in Teams; there the bot hears only messages that @mention it. The Playground
// never asks a card to refresh itself per user, so each panel member presses the card's Refresh button to see their
// own view before voting (README, "Walk a case in the Playground").
//
// People and rules come from the demo directory (demo/directory.json, quorum 3): Patti Fernandez heads the school
// that raises the case and is refused, Alex Wilber and Lynne Robbins approve, Nestor Wilke asks for changes with a
// comment, so the panel approves 2 to 1. Dates are worked out from today (London), so the walk holds whatever the
// day; the directory is copied with a budget for this financial year and the next added where the demo has none.
//
// A screenshot of each step is saved to build/playground/NN-step.png (outside git); a failed step's too.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { addDays, financialYearOf, londonDate, londonYear, parseDirectory, showDate } from '../../src/domain';
import {
  Playground,
  ROOT,
  choose,
  chromiumPath,
  fillDate,
  launchChromium,
  startLocalBot,
  type LocalBot,
} from '../support/playground';

const SHOTS = join(ROOT, 'build', 'playground');
const DEMO_DIRECTORY = join(ROOT, 'demo', 'directory.json');

/** The demo directory, with a budget for this financial year and the next where it has none. */
function walkDirectory(today: string): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')) as {
    budgets: { year: string; allocationPence: number }[];
  };
  for (const year of [financialYearOf(today), financialYearOf(addDays(today, 366))]) {
    if (!raw.budgets.some((b) => b.year === year)) raw.budgets.push({ year, allocationPence: 35_700_000 });
  }
  return raw;
}

describe('Agents Playground in Chromium: a case walked from request to panel decision, commissioning and a reminder', function () {
  this.timeout(180_000);

  const today = londonDate(new Date());
  const ref = `EIP-${londonYear(new Date())}-0001`;
  const jobsToken = randomBytes(16).toString('hex');
  const directoryJson = walkDirectory(today);
  const calendar = parseDirectory(directoryJson).calendar;
  // The observation is planned on a school day, today or later, and recorded as observed today.
  const observationDay = calendar.onOrAfter(today);
  const reviewDay = addDays(today, 120);
  const startDay = addDays(today, 7);
  // Commissioning sets the interim review six weeks after the first package starts.
  const interimDay = addDays(startDay, 42);
  const interimReminder = `The interim outcome review of ${ref} is due on ${showDate(interimDay)}`;

  let bot: LocalBot | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let pg: Playground;
  let tempDir = '';
  /** What each step shows, scrolled into view for its screenshot. */
  let shown: Locator | undefined;
  let stepNumber = 0;
  let failedStep: string | undefined;
  /** Whether the step under way got past beforeEach, so it has a screenshot of its own. */
  let stepRan = false;

  before(async function () {
    this.timeout(300_000);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    tempDir = mkdtempSync(join(tmpdir(), 'eip-walk-'));
    const directoryFile = join(tempDir, 'directory.json');
    writeFileSync(directoryFile, JSON.stringify(directoryJson));
    const executablePath = await chromiumPath();
    bot = await startLocalBot({ EIP_DIRECTORY: directoryFile, EIP_JOBS_TOKEN: jobsToken });
    browser = await launchChromium(executablePath);
    pg = new Playground(browser.page);
    await pg.open(bot.playgroundUrl);
  });

  beforeEach(function () {
    // Each step starts where the one before left the case: after a failure the rest cannot run, and say why.
    if (failedStep) throw new Error(`not run: the step "${failedStep}" failed`);
    shown = undefined;
    stepNumber += 1;
    stepRan = true;
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (!test || !browser || !stepRan) return;
    stepRan = false;
    const name = `${String(stepNumber).padStart(2, '0')}-${slug(test.title)}.png`;
    try {
      await pg.screenshot(join(SHOTS, name), shown);
    } catch {
      // The card may be gone after a failure: the screen as it is will do.
      await browser.page.screenshot({ path: join(SHOTS, name) });
    }
    if (test.state === 'failed') {
      failedStep = test.title;
      console.error(`Screenshot of the Playground: ${join(SHOTS, name)}`);
      console.error(`Bot output (tail):\n${bot?.output() ?? ''}`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await bot?.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    const shots = readdirSync(SHOTS).filter((f) => f.endsWith('.png'));
    console.log(`      ${shots.length} screenshots in ${SHOTS}`);
  });

  it('a SENCo asks for help, fills in the request card and gets a reference; the co-ordinator is told', async function () {
    const p = pg.page;
    // The bot may also have greeted on install with the same menu; the newest one is the answer to `help`.
    const menu = await pg.send('help', "You're signed in as SENCo, Oakfield Primary School.");
    await menu.getByRole('button', { name: 'Raise a request for a pupil' }).click();

    const form = pg.cardWithButton('Submit request');
    await form.waitFor();
    await form.getByRole('textbox', { name: "Pupil's name" }).fill('Sam Taylor');
    await choose(p, form, 'Year group', 'Year 4');
    await form.getByRole('checkbox', { name: 'Social, emotional and mental health' }).check();
    await form
      .getByRole('textbox', { name: 'What the school has tried already' })
      .fill('Daily check-ins with a trusted adult and a quiet space at lunchtime.');
    await form
      .getByRole('textbox', { name: 'What the school is asking for' })
      .fill('Advice on managing anxiety in class, and counselling.');
    await form.getByRole('textbox', { name: 'Consent given by' }).fill('Jo Taylor (mother)');
    await fillDate(p, form, 'Date consent given', addDays(today, -14));
    await choose(p, form, 'How consent was given', 'In writing');
    await form.getByRole('button', { name: 'Submit request' }).click();

    shown = pg.card(`Request submitted. Your reference is ${ref}.`);
    await shown.getByText('Submitted · waiting on the co-ordinator to triage').waitFor();
    await pg.card(`New request ${ref}`).getByText('For Adele Vance').waitFor();
  });

  it("the co-ordinator registers the group chat as the panel's chat", async function () {
    await pg.openChat('EIP Panel');
    const acting = await pg.mention('act as Adele Vance', "You're now acting as Adele Vance.");
    await acting.getByText('This is a group chat, so pupils are never named here.').waitFor();
    shown = await pg.mention('panel here', "This is now the EIP panel's chat");
    await shown.getByText('Proposals will be posted here for the panel to vote on.').waitFor();
  });

  it('the co-ordinator opens the case from her notice, accepts it and plans the observation', async function () {
    const p = pg.page;
    await pg.openChat('Personal Chat');
    // Still acting as Adele Vance: `act as` follows the person at the keyboard from chat to chat.
    await pg.card(`New request ${ref}`).getByRole('button', { name: 'Open case' }).click();
    const caseCard = pg.cardWithButton('Accept and plan observation');
    await caseCard.getByText('Submitted · waiting on you').waitFor();
    await caseCard.getByRole('button', { name: 'Accept and plan observation' }).click();

    const form = pg.cardWithButton('Accept request');
    await form.getByText('Accept and plan the observation').waitFor();
    await fillDate(p, form, 'Planned observation date', observationDay);
    await form.getByRole('button', { name: 'Accept request' }).click();

    shown = pg.cardWithButton('Record assessment');
    await shown.getByText('Accepted · waiting on you').waitFor();
    await shown.getByText(showDate(observationDay), { exact: true }).waitFor();
    await pg.card(`${ref} accepted`).getByText('For Megan Bowen').waitFor();
  });

  it('the co-ordinator records the observation and the needs agreed with the SENCo', async function () {
    const p = pg.page;
    await p.getByRole('button', { name: 'Record assessment', exact: true }).last().click();
    const form = pg.cardWithButton('Save assessment');
    await form.getByText('Record the observation and assessment').waitFor();
    await fillDate(p, form, 'Date observed', today);
    await form
      .getByRole('textbox', { name: 'Findings from the observation' })
      .fill('Anxious at transitions between lessons; settles quickly with a known adult.');
    await form
      .getByRole('textbox', { name: 'Needs identified (agreed with the SENCo)' })
      .fill('Anxiety at transitions; needs a safe person to talk to each week.');
    await form.getByRole('button', { name: 'Save assessment' }).click();

    shown = pg.card('Assessment saved.');
    await shown.getByText('Assessed · waiting on you').waitFor();
    await pg.card(`${ref} assessed`).getByText('For Megan Bowen').waitFor();
  });

  it('the co-ordinator proposes counselling to the panel', async function () {
    const p = pg.page;
    await p.getByRole('button', { name: 'Write proposal', exact: true }).last().click();
    const form = pg.cardWithButton('Send to panel');
    await form.getByText('Proposal for the panel').waitFor();
    // The service list filters as you type, offering only what the directory's providers offer, with their rates.
    const service = form.getByRole('combobox', { name: 'Intervention 1: service and provider' });
    await service.click();
    await service.pressSequentially('Counsel');
    await p
      .getByRole('option', { name: 'Counselling: Oakwood Counselling Service (£45.00 a session)' })
      .click();
    await form
      .getByRole('spinbutton', { name: 'Intervention 1: sessions (or days, for a day rate)' })
      .fill('10');
    await form
      .getByRole('textbox', { name: 'Rationale' })
      .fill('Weekly counselling gives a safe person to talk to while the school builds its own support.');
    await form
      .getByRole('textbox', { name: 'Expected outcomes' })
      .fill('Calmer at transitions within a term.');
    await fillDate(p, form, 'Review date', reviewDay);
    await form.getByRole('button', { name: 'Send to panel' }).click();

    shown = pg.card("Sent to the panel's chat.");
    await shown.getByText('With the panel · waiting on the panel to decide').waitFor();
    await pg.card(`${ref} is with the panel`).getByText('proposed support costing £450.00').waitFor();
  });

  it("the proposal appears in the panel's chat, without the pupil's name", async function () {
    await pg.openChat('EIP Panel');
    shown = pg.card(`For the panel: ${ref}`);
    await shown.getByText('Individual pupil, Year 4, primary school').waitFor();
    await shown.getByText('Counselling: Oakwood Counselling Service, 10 × £45.00 = £450.00').waitFor();
    await shown.getByText('0 of the 3 votes needed have been cast.').waitFor();
    // Pupils are never named in the group chat: not on the card, nor anywhere else on screen.
    assert.doesNotMatch(await pg.page.locator('body').innerText(), /\bSam\b|Taylor/);
  });

  it('a head whose school raised the case presses Approve and is refused', async function () {
    await pg.mention('act as Patti Fernandez', "You're now acting as Patti Fernandez.");
    const panel = pg.card(`For the panel: ${ref}`);
    await panel.getByRole('button', { name: 'Approve' }).click();
    await panel.getByText("You can't vote on this case: your school raised it.").waitFor();
    await panel.getByText('0 of the 3 votes needed have been cast.').waitFor();
    assert.equal(
      await panel.getByRole('button', { name: 'Approve' }).count(),
      0,
      'no vote buttons for Patti',
    );
    shown = panel;
  });

  it('Alex Wilber approves', async function () {
    shown = await voteAs('Alex Wilber', 'Approve');
    await shown.getByText('1 approve, 0 decline, 0 request changes.').waitFor();
    await shown.getByText('1 of the 3 votes needed has been cast.').waitFor();
  });

  it('Nestor Wilke asks for changes, with a comment', async function () {
    shown = await voteAs(
      'Nestor Wilke',
      'Request changes',
      'Please add a check-in with the family at half term.',
    );
    await shown.getByText('1 approve, 0 decline, 1 request changes.').waitFor();
    await shown.getByText('2 of the 3 votes needed have been cast.').waitFor();
  });

  it('Lynne Robbins approves, and the card shows the decision', async function () {
    shown = await voteAs('Lynne Robbins', 'Approve');
    await shown.getByText('Decided: Approved').waitFor();
    await shown.getByText('2 approve, 0 decline, 1 request changes.').waitFor();
    assert.equal(await shown.getByRole('button', { name: 'Approve' }).count(), 0, 'voting has closed');
  });

  it('the school and the co-ordinator are told the decision; only the co-ordinator sees who commented', async function () {
    await pg.openChat('Personal Chat');
    const forSchool = pg.cards.filter({ hasText: 'For Megan Bowen' }).filter({ hasText: `${ref}: Approved` });
    await forSchool.getByText('• Please add a check-in with the family at half term.').waitFor();
    await forSchool.getByText('What happens next: the EIP co-ordinator puts the support in place').waitFor();
    assert.doesNotMatch(
      await forSchool.innerText(),
      /Nestor/,
      "the school reads the panel's comments unattributed",
    );
    shown = pg.cards.filter({ hasText: 'For Adele Vance' }).filter({ hasText: `${ref}: Approved` });
    await shown.getByText('• Nestor Wilke: Please add a check-in with the family at half term.').waitFor();
    await shown.getByRole('button', { name: 'Commission packages' }).waitFor();
  });

  it('the co-ordinator commissions the package from the provider', async function () {
    const p = pg.page;
    // The last person played was Lynne Robbins, in the panel's chat.
    await pg.send('act as Adele Vance', "You're now acting as Adele Vance.");
    const decision = pg.cards.filter({ hasText: 'For Adele Vance' }).filter({ hasText: `${ref}: Approved` });
    await decision.getByRole('button', { name: 'Commission packages' }).click();

    const form = pg.cardWithButton('Commission packages').filter({ hasText: 'Commission the packages' });
    await form.getByText('Approved: Oakwood Counselling Service, 10 × £45.00 = £450.00').waitFor();
    await fillDate(p, form, 'Package 1: start date', startDay);
    await form.getByRole('button', { name: 'Commission packages' }).click();

    shown = pg.card('Commissioned: £450.00 committed');
    await shown
      .getByText(`Commissioned · waiting on you: interim review due ${showDate(interimDay)}`)
      .waitFor();
    await pg
      .card(`${ref}: support starts`)
      .getByText(`Counselling with Oakwood Counselling Service: ${showDate(startDay)}`, { exact: false })
      .waitFor();
  });

  it('the reminder sweep reminds the co-ordinator and the school of the interim review', async function () {
    // Swept as of three days before the interim review, as the hourly job would on that day.
    const sweepDay = addDays(interimDay, -3);
    const res = await fetch(`${bot!.botUrl}/api/reminders/run?now=${sweepDay}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jobsToken}` },
    });
    assert.equal(res.status, 200, await res.clone().text());
    const forSchool = pg.cards.filter({ hasText: 'For Megan Bowen' }).filter({ hasText: interimReminder });
    await forSchool.getByText('A copy for the school').waitFor();
    shown = pg.cards.filter({ hasText: 'For Adele Vance' }).filter({ hasText: interimReminder });
    await shown.getByText('Record progress against each expected outcome').waitFor();
  });

  it("the co-ordinator's reminder opens the review form", async function () {
    const reminder = pg.cards.filter({ hasText: 'For Adele Vance' }).filter({ hasText: interimReminder });
    await reminder.getByRole('button', { name: 'Record outcomes' }).click();
    shown = pg.card('Record the interim review');
    await shown.getByText(`${ref} · Sam Taylor, Year 4. Due ${showDate(interimDay)}.`).waitFor();
  });

  /**
   * One panel member's vote in the panel's chat: play them, press Refresh for their own view, then vote. Answers the
   * panel card once it shows their vote.
   */
  async function voteAs(name: string, choice: string, comment?: string): Promise<Locator> {
    await pg.mention(`act as ${name}`, `You're now acting as ${name}.`);
    const panel = pg.card(`For the panel: ${ref}`);
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await panel.getByText(`${name}, you haven't voted yet.`).waitFor();
    if (comment)
      await panel
        .getByRole('textbox', { name: 'Comment (needed to decline or request changes)' })
        .fill(comment);
    await panel.getByRole('button', { name: choice, exact: true }).click();
    // The answer shows this member's view; the shared copy updated a moment later shows the same votes.
    await panel.getByText(new RegExp(`^Voted: .*${name}`)).waitFor();
    return panel;
  }
});

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
