// The real EIP bot (src/index.ts `start`: restify, CloudAdapter, router, embedded SQLite store, local mode) in a
// process of its own, for the bench. Before it serves, it seeds its store through the real handlers (a Router on the
// same store, the bot not yet listening): everyone opens a 1:1 chat, the co-ordinator registers the panel's chat,
// and cases are taken to the states the measured turns need. Configured by the environment:
//   BENCH_CONNECTOR  the stand-in Bot Connector's URL (every stored conversation points at it)
//   BENCH_DIRECTORY  the directory file; BENCH_EXTRA how many extra panel members it has
//   BENCH_SEED       JSON {proposed, submitted}: cases before the panel, and cases waiting for triage
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Router } from '../../src/app/router';
import { seedFromDirectory } from '../../src/app/seed';
import type { AppDeps, Notifier } from '../../src/app/ports';
import { loadConfig } from '../../src/config';
import { loadDirectory, start } from '../../src/index';
import { STORE_FILE } from '../../src/store/sqlite/open';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { PANEL_CHAT, buttonsOf, personalChat, textOf, P, type TestPerson } from '../../test/support/harness';
import { answer, cpuMs, exitWithParent } from './child';
import { ACCEPT, ASSESS, BENCH_NOW, PROPOSAL, REQUEST, everyone } from './world';

const env = (k: string) => process.env[k] ?? '';
const now = () => new Date(BENCH_NOW);

/** Seeding's notifier: the cards are not wanted, only the records. */
const nowhere: Notifier = { send: async () => 'seeded', update: async () => {} };

async function seed(dataDir: string, spec: { proposed?: number; submitted?: number }) {
  const connector = env('BENCH_CONNECTOR');
  const store = new SqliteStore(path.join(dataDir, STORE_FILE));
  const deps: AppDeps = {
    store,
    directory: loadDirectory(env('BENCH_DIRECTORY')),
    notifier: nowhere,
    log: pino({ level: 'silent' }),
    now,
    local: true,
  };
  await seedFromDirectory(deps);
  const router = new Router(deps);
  const incoming = (p: TestPerson, chat: 'personal' | 'panel') => ({
    aadObjectId: p.aadObjectId,
    teamsUserId: `29:${p.aadObjectId}`,
    conversationType: chat === 'personal' ? ('personal' as const) : ('groupChat' as const),
    reference: {
      channelId: 'msteams',
      serviceUrl: connector,
      conversation:
        chat === 'personal'
          ? { id: personalChat(p), conversationType: 'personal' }
          : { id: PANEL_CHAT, conversationType: 'groupChat', isGroup: true },
      user: { id: `29:${p.aadObjectId}`, aadObjectId: p.aadObjectId },
      bot: { id: '28:bot', name: 'EIP bot' },
    },
  });
  const act = (p: TestPerson, verb: string, data: Record<string, unknown>) =>
    router.action({ ...incoming(p, 'personal'), verb, data });
  for (const p of everyone(Number(env('BENCH_EXTRA') || 0)))
    await router.text({ ...incoming(p, 'personal'), text: 'help' });
  await router.text({ ...incoming(P.adele, 'panel'), text: 'panel here' });
  const raise = async () => {
    const card = await act(P.megan, 'submitRequest', { ...REQUEST });
    const withdraw = buttonsOf(card).find((b) => b.verb === 'showForm' && b.data.form === 'withdraw');
    if (!withdraw) throw new Error(`seeding: request refused: ${textOf(card)}`);
    return String(withdraw.data.caseId);
  };
  const proposed: string[] = [];
  for (let i = 0; i < (spec.proposed ?? 0); i += 1) {
    const caseId = await raise();
    await act(P.adele, 'accept', { caseId, ...ACCEPT });
    await act(P.adele, 'assess', { caseId, ...ASSESS });
    const card = await act(P.adele, 'propose', { caseId, ...PROPOSAL });
    if (!/Sent to the panel's chat/.test(textOf(card)))
      throw new Error(`seeding: not proposed: ${textOf(card)}`);
    proposed.push(caseId);
  }
  const submitted: string[] = [];
  for (let i = 0; i < (spec.submitted ?? 0); i += 1) submitted.push(await raise());
  const first = proposed[0] ? (await store.proposals.find({ caseId: proposed[0] }))[0]?.value : undefined;
  await store.close();
  return { proposed, submitted, deadline: first?.deadline };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-bench-data-'));
  const spec = JSON.parse(env('BENCH_SEED') === 'none' ? '{}' : env('BENCH_SEED') || '{}') as {
    proposed?: number;
    submitted?: number;
  };
  // 'none': a bot that starts on an empty store, as for the start-up figure.
  const seeded = env('BENCH_SEED') === 'none' ? {} : await seed(dataDir, spec);
  const config = loadConfig({
    PORT: '0',
    EIP_DATA_DIR: dataDir,
    EIP_DIRECTORY: env('BENCH_DIRECTORY'),
    EIP_PLAYGROUND: 'off',
    EIP_JOBS_TOKEN: 'bench',
    LOG_LEVEL: 'info',
  });
  const bot = await start({ ...config, port: 0 }, { now, host: '127.0.0.1', scheduler: false });
  exitWithParent(async () => {
    await bot.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  answer({ cpu: () => ({ ms: cpuMs(), rss: process.memoryUsage().rss }) });
  process.send!({ type: 'ready', url: bot.url, ...seeded });
}

main().catch((e: unknown) => {
  process.stderr.write(`eip-child: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
