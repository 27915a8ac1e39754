// A SENCo raises a request in the Teams emulator (Agents Playground), driven in Chromium: the system's if there is one,
// otherwise the one the @sparticuz/chromium npm package ships, so `npm install && npm test` needs nothing else.
// The bot runs as `npm run dev` would, and starts the Playground itself, as in local mode.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { chromiumPath } from '../support/chromium';

const ROOT = join(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;

describe('Agents Playground in Chromium: a SENCo raises a request', function () {
  this.timeout(300_000);

  let bot: ChildProcess | undefined;
  let botOutput = '';
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const tempDirs: string[] = [];
  let playgroundUrl = '';

  before(async function () {
    const executablePath = await chromiumPath();
    assert.ok(existsSync(executablePath), `no Chromium at ${executablePath} (CHROMIUM_PATH)`);
    const [botPort, playgroundPort] = await freePorts(2);
    const dataDir = mkdtempSync(join(tmpdir(), 'eip-browser-data-'));
    tempDirs.push(dataDir);

    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // Local mode: no credentials, not production, and none of the caller's EIP settings.
      if (key === 'NODE_ENV' || key.startsWith('Microsoft') || key.startsWith('EIP_')) continue;
      env[key] = value;
    }
    Object.assign(env, {
      PORT: String(botPort),
      EIP_PLAYGROUND_PORT: String(playgroundPort),
      EIP_DATA_DIR: dataDir,
    });
    // Its own process group, so that after() ends the bot and the Playground it started together.
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    bot = child;
    const keep = (chunk: Buffer): void => {
      botOutput = (botOutput + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);

    playgroundUrl = `http://127.0.0.1:${playgroundPort}/`;
    await waitForHttp(playgroundUrl, STARTUP_TIMEOUT_MS, () => child.exitCode ?? child.signalCode);

    const profileDir = mkdtempSync(join(tmpdir(), 'eip-browser-profile-'));
    tempDirs.push(profileDir);
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    if (page) {
      const shot = join(tmpdir(), `eip-playground-failure-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.error(`Screenshot of the Playground: ${shot}`);
    }
    console.error(`Bot output (tail):\n${botOutput}`);
  });

  after(async function () {
    this.timeout(30_000);
    await context?.close();
    if (bot) await stopProcessGroup(bot);
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('types help, fills the request card and gets reference EIP-2026-0001', async function () {
    assert.ok(page);
    const p = page;
    await p.goto(playgroundUrl);
    // The first load of the Playground's client can be slow.
    const chatBox = p.locator('div[role="textbox"][data-lexical-editor="true"]');
    await chatBox.waitFor({ timeout: STARTUP_TIMEOUT_MS });

    await chatBox.click();
    await chatBox.pressSequentially('help');
    await chatBox.press('Enter');
    // The bot may also have greeted on install with the same menu; the newest one is the answer to `help`.
    await p.getByRole('button', { name: 'Raise a request for a pupil' }).last().click();

    const form = p
      .locator('.ac-adaptiveCard')
      .filter({ has: p.getByRole('button', { name: 'Submit request' }) })
      .last();
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
    const consentDate = form.getByRole('combobox', { name: 'Date consent given' });
    await consentDate.fill(isoDate(daysAgo(14)));
    await consentDate.press('Tab');
    await p.keyboard.press('Escape'); // closes the calendar, which would hide the rest of the card
    await choose(p, form, 'How consent was given', 'In writing');

    await form.getByRole('button', { name: 'Submit request' }).click();

    const confirmation = p.locator('.ac-adaptiveCard').filter({ hasText: 'EIP-2026-0001' });
    await confirmation.first().waitFor();
  });
});

/** Picks an option of a compact Input.ChoiceSet, which the Playground renders as a combobox with a list box. */
async function choose(page: Page, card: Locator, label: string, option: string): Promise<void> {
  await card.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000);
}

/** YYYY-MM-DD, a format the Playground's date picker accepts when typed. */
function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

async function waitForHttp(
  url: string,
  timeoutMs: number,
  exited: () => number | NodeJS.Signals | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = exited();
    if (status !== null) throw new Error(`the bot exited (${status}) before ${url} answered`);
    const answered = await new Promise<boolean>((resolve) => {
      const req = get(url, { timeout: 2_000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.once('timeout', () => req.destroy());
      req.once('error', () => resolve(false));
    });
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** SIGTERM to the whole group (bot and Playground), SIGKILL if it is still there after 10 s. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch (err) {
      // ESRCH: the group is already gone.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  // The Playground may outlive the bot by a moment; make sure nothing of the group is left.
  signalGroup('SIGKILL');
}
