// CARD ACTIONS, UNDER LOAD, START-UP and PROACTIVE FAN-OUT on the real bot (bench/support/eip-child.ts: src/index.ts
// `start`, embedded SQLite store, local mode), each against the floor (./floor.ts) measured in the same run.
import { randomUUID } from 'node:crypto';
import { P, textOf } from '../../test/support/harness';
import type { Figure, Suite } from '../types';
import { forkChild, type Child } from '../support/child';
import { voteActivity } from '../support/load-activities';
import { floorStats, sizes, theBot, theConnector, theFloor } from '../support/session';
import { measureTurns, post } from '../support/turns';
import { ACCEPT, REQUEST, message, press, writeDirectory } from '../support/world';

/** The card an invoke answered with, as text; throws if it is not one or says the action was refused. */
const cardText = (body: unknown, expect: RegExp): void => {
  const b = body as { type?: string; value?: unknown } | undefined;
  if (b?.type !== 'application/vnd.microsoft.card.adaptive')
    throw new Error(`no card: ${JSON.stringify(body)}`);
  const text = textOf(b.value);
  if (!expect.test(text)) throw new Error(`unexpected card: ${text.slice(0, 300)}`);
};

const ms = (v: number) => `${v.toFixed(2)} ms`;

/** Votes cast so far in this run, so the load run's voters go on to fresh cases. */
let votesCast = 0;

export const cardActions: Suite = {
  name: 'card actions',
  async run({ quick, log }) {
    const [bot, c, base] = await Promise.all([theBot(quick), theConnector(), floorStats(quick)]);
    const url = String(c.ready.url);
    const proposed = bot.ready.proposed as string[];
    const submitted = bot.ready.submitted as string[];
    const { turns, warmup } = sizes(quick);
    const actions: [string, (i: number) => unknown, RegExp][] = [
      [
        'panel vote',
        (i) => voteActivity(url, proposed, i),
        /your vote to approve is recorded|The panel has|approved|changes/,
      ],
      [
        'triage accept',
        (i) => press(url, P.adele, 'accept', { caseId: submitted[i]!, ...ACCEPT }),
        /Observation planned/,
      ],
      [
        'request submission',
        () => press(url, P.megan, 'submitRequest', { ...REQUEST, formId: randomUUID() }),
        /Request submitted/,
      ],
      ['my cases', () => press(url, P.adele, 'myCases', {}), /My cases/],
      ['help', () => press(url, P.megan, 'help', {}), /signed in as/],
    ];
    const out: Figure[] = [];
    for (const [name, activity, expect] of actions) {
      const s = await measureTurns(bot, activity, turns, warmup, (b) => cardText(b, expect));
      if (name === 'panel vote') votesCast = turns + warmup;
      log(`${name}: ${ms(s.cpuPerTurn)} CPU a turn, p50 ${ms(s.p50)}`);
      out.push(
        {
          suite: 'card actions',
          name: `${name}: CPU per turn / floor`,
          value: s.cpuPerTurn / base.cpuPerTurn,
          unit: '×',
          goal: { op: '<=', value: 2, text: '≤ 2× the floor' },
          note: `${ms(s.cpuPerTurn)} CPU a turn; floor ${ms(base.cpuPerTurn)}`,
        },
        {
          suite: 'card actions',
          name: `${name}: p50 latency / floor`,
          value: s.p50 / base.p50,
          unit: '×',
          note: `p50 ${ms(s.p50)}; floor ${ms(base.p50)}`,
        },
      );
    }
    return out;
  },
};

interface LoadResult {
  p50: number;
  p99: number;
  max: number;
  throughput: number;
  total: number;
  errors: number;
}

async function load(target: Child, kind: string, seconds: number, env: Record<string, string>, offset = 0) {
  const c = await theConnector();
  const gen = await forkChild('load-child', { env });
  try {
    return await gen.ask<LoadResult>('run', {
      url: target.ready.url,
      kind,
      connector: c.ready.url,
      connections: 50,
      seconds,
      offset,
    });
  } finally {
    await gen.stop();
  }
}

export const underLoad: Suite = {
  name: 'under load',
  async run({ quick, log }) {
    const { loadSeconds } = sizes(quick);
    const floorBot = await theFloor();
    const bot = await theBot(quick);
    const f = await load(floorBot, 'echo', loadSeconds, {});
    log(`floor under load: p99 ${f.p99} ms, ${f.throughput.toFixed(0)} req/s, ${f.errors} errors`);
    const v = await load(
      bot,
      'vote',
      loadSeconds,
      { BENCH_CASES: (bot.ready.proposed as string[]).join(',') },
      votesCast,
    );
    log(`votes under load: p99 ${v.p99} ms, ${v.throughput.toFixed(0)} req/s, ${v.errors} errors`);
    const at = `50 connections for ${loadSeconds} s`;
    const fig = (name: string, value: number, unit: string, extra: Partial<Figure> = {}): Figure => ({
      suite: 'under load',
      name,
      value,
      unit,
      ...extra,
    });
    return [
      fig('floor: p99 latency', f.p99, 'ms', {
        note: `p50 ${f.p50}, p99 ${f.p99}, max ${f.max} ms; ${at}`,
      }),
      fig('floor: throughput', f.throughput, 'req/s', { note: `${f.total} requests, ${f.errors} errors` }),
      fig('vote: p99 latency', v.p99, 'ms', {
        note: `p50 ${v.p50}, p99 ${v.p99}, max ${v.max} ms; ${at}`,
      }),
      fig('vote: throughput', v.throughput, 'req/s', { note: `${v.total} votes` }),
      fig('vote: p99 / floor p99', v.p99 / f.p99, '×', {
        goal: { op: '<=', value: 1.5, text: '≤ 1.5× the floor' },
      }),
      fig('vote: throughput / floor', v.throughput / f.throughput, '×', {
        goal: { op: '>=', value: 2 / 3, text: '≥ 2/3 of the floor' },
      }),
      fig('vote: errors', v.errors, 'requests', { goal: { op: '<=', value: 0, text: 'none' } }),
    ];
  },
};

/** Spawn to the first answered message: the bot is asked `help` as soon as it says it listens. */
async function timeToFirstAnswer(script: string, env: Record<string, string>, connector: string) {
  const t0 = performance.now();
  const bot = await forkChild(script, { env });
  try {
    await post(String(bot.ready.url), message(connector, P.megan, 'help'));
    return performance.now() - t0;
  } finally {
    await bot.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const startUp: Suite = {
  name: 'start-up',
  async run({ quick, log }) {
    const c = await theConnector();
    const url = String(c.ready.url);
    const { file } = writeDirectory(0);
    const floorTimes: number[] = [];
    const botTimes: number[] = [];
    for (let i = 0; i < sizes(quick).startups; i += 1) {
      floorTimes.push(await timeToFirstAnswer('floor-child', {}, url));
      botTimes.push(await timeToFirstAnswer('eip-child', { BENCH_SEED: 'none', BENCH_DIRECTORY: file }, url));
    }
    log(`start-up: floor ${median(floorTimes).toFixed(0)} ms, bot ${median(botTimes).toFixed(0)} ms`);
    const note = `median of ${botTimes.length}; spawn to the first answered message, through ts-node (transpile-only)`;
    return [
      {
        suite: 'start-up',
        name: 'floor: spawn to first answer',
        value: median(floorTimes),
        unit: 'ms',
        note,
      },
      { suite: 'start-up', name: 'bot: spawn to first answer', value: median(botTimes), unit: 'ms', note },
    ];
  },
};

export const fanOut: Suite = {
  name: 'fan-out',
  async run({ quick, log }) {
    // How many people the reminder reaches: every panel member who has not voted on one case (fewer when quick).
    const FAN_OUT = sizes(quick).fanOut;
    // A connector of its own: what other suites' bots still send (after answering) must not be counted here.
    const c = await forkChild('connector-child');
    // Its own bot: one case before a panel of FAN_OUT + 2, nobody voted, the sweep run as of the panel's deadline.
    const { file } = writeDirectory(FAN_OUT);
    const bot = await forkChild('eip-child', {
      env: {
        BENCH_CONNECTOR: String(c.ready.url),
        BENCH_DIRECTORY: file,
        BENCH_EXTRA: String(FAN_OUT),
        BENCH_SEED: JSON.stringify({ proposed: 1, submitted: 0 }),
      },
    });
    try {
      const { mark } = await c.ask<{ mark: number }>('mark');
      const t0 = performance.now();
      const res = await fetch(
        `${String(bot.ready.url)}/api/reminders/run?now=${String(bot.ready.deadline)}`,
        {
          method: 'POST',
          headers: { authorization: 'Bearer bench' },
        },
      );
      const report = (await res.json()) as { reminders?: { outcome: string }[] };
      const took = performance.now() - t0;
      const stats = await c.ask<{
        count: number;
        conversations: number;
        perAppMax: number;
        perConversationMax: number;
      }>('stats', { since: mark });
      const planned = report.reminders?.length ?? 0;
      const sent = report.reminders?.filter((r) => r.outcome === 'sent').length ?? 0;
      log(`fan-out: ${stats.count} messages to ${stats.conversations} chats in ${took.toFixed(0)} ms`);
      const f = (name: string, value: number, unit: string, extra: Partial<Figure> = {}): Figure => ({
        suite: 'fan-out',
        name,
        value,
        unit,
        ...extra,
      });
      return [
        f('reminder sweep: people reached', stats.conversations, 'people', {
          goal: { op: '>=', value: FAN_OUT, text: `≥ ${FAN_OUT}` },
          note: `${planned} reminders planned, ${sent} sent, ${stats.count} received`,
        }),
        f('reminder sweep: time taken', took, 'ms'),
        f('max messages a second, one chat', stats.perConversationMax, 'messages/s', {
          goal: { op: '<=', value: 7, text: '≤ 7' },
        }),
        f('max messages a second, the app', stats.perAppMax, 'messages/s', {
          goal: { op: '<=', value: 50, text: '≤ 50' },
        }),
        f('dropped', planned - stats.count, 'messages', { goal: { op: '<=', value: 0, text: '0' } }),
      ];
    } finally {
      await bot.stop();
      await c.stop();
    }
  },
};
