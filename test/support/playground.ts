// Shared by the browser tests: starts the bot in local mode as `npm run dev` would (it starts the Agents Playground
// itself), launches Chromium on it, and works the Playground's chat as a person does: pick a chat in the left-hand
// list, type a message (in a group chat, @mention the bot first), fill in a card and press its buttons.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from './chromium';

export const ROOT = join(__dirname, '..', '..');
/** The first start of the bot, and the first load of the Playground's client, can be slow on a busy machine. */
export const STARTUP_TIMEOUT_MS = 120_000;
/** How long one step waits for what it expects to appear on screen. */
export const STEP_TIMEOUT_MS = 30_000;

/** Which Chromium the browser tests launch (see ./chromium). */
export { chromiumPath } from './chromium';

/** The bot in local mode, with the Playground it started. */
export interface LocalBot {
  /** The bot's own address, e.g. for POST /api/reminders/run. */
  botUrl: string;
  playgroundUrl: string;
  /** The tail of the bot's output, for a failure report. */
  output(): string;
  /** Stops the bot and the Playground, and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts `src/index.ts` in local mode on free ports with an empty data directory, and waits for the Playground to
 * answer. `env` adds settings (such as EIP_DIRECTORY or EIP_JOBS_TOKEN) to a clean local-mode environment.
 */
export async function startLocalBot(env: Record<string, string> = {}): Promise<LocalBot> {
  const [botPort, playgroundPort] = await freePorts(2);
  const dataDir = mkdtempSync(join(tmpdir(), 'eip-browser-data-'));
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Local mode: no credentials, not production, and none of the caller's EIP settings.
    if (key === 'NODE_ENV' || key.startsWith('Microsoft') || key.startsWith('EIP_')) continue;
    childEnv[key] = value;
  }
  Object.assign(childEnv, {
    PORT: String(botPort),
    EIP_PLAYGROUND_PORT: String(playgroundPort),
    EIP_DATA_DIR: dataDir,
    ...env,
  });
  // Its own process group, so that stop() ends the bot and the Playground it started together.
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async (): Promise<void> => {
    await stopProcessGroup(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const playgroundUrl = `http://127.0.0.1:${playgroundPort}/`;
  try {
    await waitForHttp(playgroundUrl, STARTUP_TIMEOUT_MS, () => child.exitCode ?? child.signalCode);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\nBot output (tail):\n${output}`, { cause: e });
  }
  return { botUrl: `http://127.0.0.1:${botPort}`, playgroundUrl, output: () => output, stop };
}

/** Headless Chromium with a fresh profile; close() also removes the profile. */
export async function launchChromium(
  executablePath: string,
): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profileDir = mkdtempSync(join(tmpdir(), 'eip-browser-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** The chats the Playground lists, from .m365agentsplayground.yml: the 1:1 chat with the bot and a group chat. */
export type ChatName = 'Personal Chat' | 'EIP Panel';

/** The Playground's page, worked as a person works it. */
export class Playground {
  constructor(readonly page: Page) {}

  /** The box messages are typed into. */
  get chatBox(): Locator {
    return this.page.locator('div[role="textbox"][data-lexical-editor="true"]');
  }

  /** Every card in the chat on screen. */
  get cards(): Locator {
    return this.page.locator('.ac-adaptiveCard');
  }

  /** Loads the Playground; it opens on the personal chat. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.chatBox.waitFor({ timeout: STARTUP_TIMEOUT_MS });
  }

  /** Picks a chat in the left-hand list; the Playground keeps each chat's messages while the page is open. */
  async openChat(name: ChatName): Promise<void> {
    await this.page.getByText(name, { exact: true }).click();
  }

  /** The newest card that shows this text. */
  card(text: string | RegExp): Locator {
    return this.cards.filter({ hasText: text }).last();
  }

  /** The newest card with this button, such as a form's submit button. */
  cardWithButton(button: string): Locator {
    return this.cards.filter({ has: this.page.getByRole('button', { name: button, exact: true }) }).last();
  }

  /** Types a message in the personal chat and waits for a new card that shows `reply`. */
  async send(text: string, reply: string | RegExp): Promise<Locator> {
    return this.answered(reply, async () => {
      await this.chatBox.click();
      await this.chatBox.pressSequentially(text);
      await this.chatBox.press('Enter');
    });
  }

  /**
   * In a group chat the bot hears only messages that @mention it, as in Teams: types "@", picks EIP bot from the
   * pop-up, then the message, and waits for a new card that shows `reply`.
   */
  async mention(text: string, reply: string | RegExp): Promise<Locator> {
    return this.answered(reply, async () => {
      await this.chatBox.click();
      await this.chatBox.pressSequentially('@');
      await this.page.getByRole('menuitem', { name: 'EIP bot' }).click();
      await this.chatBox.pressSequentially(` ${text}`);
      await this.chatBox.press('Enter');
    });
  }

  /** Does something, then waits for one more card showing `reply` than there was before. */
  private async answered(reply: string | RegExp, act: () => Promise<void>): Promise<Locator> {
    const replies = this.cards.filter({ hasText: reply });
    const before = await replies.count();
    await act();
    const card = replies.nth(before);
    await card.waitFor();
    return card;
  }

  /** Saves what the screen shows now, with this card scrolled into view. */
  async screenshot(path: string, card?: Locator): Promise<void> {
    // Briefly: after a failure the card may not be there at all.
    if (card) await card.scrollIntoViewIfNeeded({ timeout: 5_000 });
    await this.page.screenshot({ path });
  }
}

/** Picks an option of a compact Input.ChoiceSet, which the Playground renders as a combobox with a list box. */
export async function choose(page: Page, card: Locator, label: string, option: string): Promise<void> {
  await card.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Types a date (YYYY-MM-DD) into an Input.Date, which the Playground renders as a date picker. */
export async function fillDate(page: Page, card: Locator, label: string, day: string): Promise<void> {
  const input = card.getByRole('combobox', { name: label });
  await input.fill(day);
  await input.press('Tab');
  await page.keyboard.press('Escape'); // closes the calendar, which would hide the rest of the card
}

export async function freePorts(count: number): Promise<number[]> {
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

export async function waitForHttp(
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
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch (err) {
      // ESRCH: the group is already gone.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    // The bot has gone already; the Playground it started may not have.
    signalGroup('SIGKILL');
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  // The Playground may outlive the bot by a moment; make sure nothing of the group is left.
  signalGroup('SIGKILL');
}
