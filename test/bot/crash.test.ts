// A crash between saving a change and telling people delays the telling; it never loses it or sends it twice. The
// bot runs in a process of its own and is killed (SIGKILL) at each point between the write and the send; a new bot
// on the same data then sends what was owed, once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LEASE_MS } from '../../src/app/outbox/outbox';
import { FakeConnector } from '../support/connector';
import {
  P,
  PANEL_CHAT,
  acceptAndAssess,
  personalChat,
  pressActivity,
  raiseRequest,
  startHarness,
  textOf,
} from '../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');
const proposal = (caseId: string) => ({
  caseId,
  service1: 'whole-class-support@inclusion-support-team',
  sessions1: 6,
  rationale: 'r',
  outcomes: 'o',
  reviewDate: '2027-01-29',
});

/** Starts the bot in its own process; answers it and its URL once it listens. */
async function spawnBot(dataDir: string, crashAt: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'support', 'crash-bot.ts')],
    {
      env: { ...process.env, EIP_DATA_DIR: dataDir, CRASH_AT: crashAt, CRASH_NOW: NOW.toISOString() },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the bot exited before it was ready (${code})`)));
  });
  return { child, url };
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((r) =>
    child.exitCode !== null || child.signalCode !== null
      ? r(child.signalCode)
      : child.once('exit', (_c, signal) => r(signal)),
  );

describe('a crash between saving and telling', function () {
  this.timeout(120_000);
  let connector: FakeConnector;
  let dataDir: string;
  let caseId: string;

  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-crash-'));
    const h = await startHarness({ now: () => NOW, dataDir, connector });
    for (const p of [P.megan, P.adele, P.alex, P.lynne]) await h.say(p, 'hello');
    await h.say(P.adele, 'panel here', 'panel');
    caseId = await raiseRequest(h, {
      kind: 'class',
      yearGroup: 'Year 5',
      needs: 'semh',
      tried: 'Calm corner.',
      asked: 'Whole-class support.',
    });
    await acceptAndAssess(h, caseId);
    await h.stop();
  });
  afterEach(async () => {
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A new bot on the same data, after the dead one's claims have run out; answers what it sent. */
  async function restartAndDeliver(mark: number) {
    const later = new Date(NOW.getTime() + LEASE_MS + 60_000);
    const h = await startHarness({ now: () => later, dataDir, connector });
    try {
      await h.bot.outbox.run();
      await h.bot.outbox.run();
      const panelCards = connector.cardsIn(PANEL_CHAT, mark);
      const toSchool = connector.cardsIn(personalChat(P.megan), mark).map(textOf);
      const c = (await h.bot.store.cases.get(caseId))!.value;
      const p = (await h.bot.store.proposals.get(`${caseId}:r1`))!.value;
      return { panelCards, toSchool, c, p };
    } finally {
      await h.stop();
    }
  }

  /** `answered`: whether the co-ordinator was answered before the crash (undefined: it may go either way). */
  const proposePressedThenKilled = async (
    crashAt: string,
    kill?: () => Promise<void>,
    answered: boolean | undefined = false,
  ) => {
    const { child, url } = await spawnBot(dataDir, crashAt);
    const mark = connector.mark();
    const pressed = fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pressActivity(connector.url, P.adele, 'propose', proposal(caseId))),
    }).catch(() => 'no answer');
    if (kill) await kill().then(() => child.kill('SIGKILL'));
    assert.equal(await exited(child), 'SIGKILL');
    if (answered === false) assert.equal(await pressed, 'no answer', 'the bot died before it answered');
    if (answered === true)
      assert.notEqual(await pressed, 'no answer', 'the co-ordinator was answered before Teams was');
    return mark;
  };

  for (const [point, crashAt] of [
    ['after the change is saved, before its messages reach the outbox', 'enqueue'],
    ['after its messages reach the outbox, before any is claimed', 'claim'],
  ] as const) {
    it(`${point}: the restarted bot posts the panel's card and tells the school, once each`, async () => {
      // The claim is the first write after the answer goes back: the crash may come just before or just after it.
      const mark = await proposePressedThenKilled(
        crashAt,
        undefined,
        crashAt === 'enqueue' ? false : undefined,
      );
      assert.equal(connector.mark(), mark, 'nothing was sent before the crash');
      const { panelCards, toSchool, c, p } = await restartAndDeliver(mark);
      assert.equal(c.status, 'proposed');
      assert.equal(panelCards.length, 1, 'one card in the panel chat');
      assert.ok(p.panelMessageId, 'the posted card can be updated by votes');
      assert.equal(toSchool.filter((t) => /is with the panel/.test(t)).length, 1);
    });
  }

  it('while the Bot Connector is slow to answer: killed mid-send, the messages go once after the restart', async () => {
    connector.delayMs = 1_500;
    const mark = await proposePressedThenKilled(
      'none',
      async () => {
        // Both messages are on their way (claimed, sent, not yet answered) when the process dies.
        while (connector.holding < 2) await new Promise((r) => setTimeout(r, 20));
      },
      true,
    );
    await new Promise((r) => setTimeout(r, connector.delayMs + 200));
    assert.equal(connector.mark(), mark, 'Teams took nothing from the dead sender');
    connector.delayMs = 0;
    const { panelCards, toSchool, c } = await restartAndDeliver(mark);
    assert.equal(c.status, 'proposed');
    assert.equal(panelCards.length, 1);
    assert.equal(toSchool.filter((t) => /is with the panel/.test(t)).length, 1);
  });
});
