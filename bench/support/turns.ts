// Measures turns one after another over HTTP: each turn's latency as the client sees it, and the bot process's CPU
// time over the whole batch (its own process.cpuUsage(), asked for over IPC before and after), divided by the turns.
import type { Child } from './child';

export interface TurnStats {
  turns: number;
  /** Median latency, ms. */
  p50: number;
  /** Bot CPU time per turn, ms (including work it finishes after answering, such as updating a panel card). */
  cpuPerTurn: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** POSTs an activity; throws unless the bot answered 2xx. */
export async function post(url: string, activity: unknown): Promise<unknown> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Time for work the bot carries on with after answering (the outbox) to finish before CPU is read again. */
const SETTLE_MS = 300;

/** Runs `warmup` unmeasured turns, then `turns` measured ones; activity(i) is the i-th turn's activity. */
export async function measureTurns(
  bot: Child,
  activity: (i: number) => unknown,
  turns: number,
  warmup: number,
  check?: (answer: unknown) => void,
): Promise<TurnStats> {
  let i = 0;
  for (; i < warmup; i += 1) await post(String(bot.ready.url), activity(i));
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const before = await bot.ask<{ ms: number }>('cpu');
  const latencies: number[] = [];
  for (let n = 0; n < turns; n += 1, i += 1) {
    const t = performance.now();
    const body = await post(String(bot.ready.url), activity(i));
    latencies.push(performance.now() - t);
    check?.(body);
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const after = await bot.ask<{ ms: number }>('cpu');
  latencies.sort((a, b) => a - b);
  return { turns, p50: percentile(latencies, 50), cpuPerTurn: (after.ms - before.ms) / turns };
}
