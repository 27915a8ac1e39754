// The SharePoint store's measurement, run in a process of its own by bench/suites/sharepoint.ts (Node reads
// NODE_EXTRA_CA_CERTS, which makes it trust the local Graph server's test CA, only at start-up). It starts the local
// Graph server, provisions the lists, starts the bot on the SharePoint store through the test harness, walks one case
// from request to commissioning with 50 ms added to every request the server answers, and prints one line,
// `RESULT <json>`, with each card action's Graph requests, sequential depth and wall time.
//
// Sequential depth: the server records when each request arrived and when its answer was written. A request that
// arrived after another's answer was written may have waited for it; one that arrived while another was still being
// answered did not. So each request's depth is 1 + the deepest request that had finished before it arrived, and an
// action's depth is its deepest request's: the longest chain of round trips made one after another, the number of
// 50 ms waits the person pressing the button sits through. Requests running side by side (Promise.all) share a
// level, and a JSON $batch is one request however many it carries. EIP_BENCH_TRACE=1 prints every request of each
// action (arrival and answer in ms from the press, method, list and filter), to see where the waits come from.
import { GraphServer, type GraphLogEntry } from '../../test/support/graph/server';
import { P, raiseRequest, startHarness } from '../../test/support/harness';
import { envFor, provision } from '../../test/sharepoint/support/sharepoint';

/** Added to every Graph request: 50 ms, or less for `npm run bench -- --quick` (BENCH_SP_LATENCY_MS). */
export const LATENCY_MS = Number(process.env.BENCH_SP_LATENCY_MS ?? 50);

export interface ActionMeasure {
  action: string;
  /** Graph requests (a $batch once) from the press until its answer came back. */
  requests: number;
  /** The longest chain of those requests made one after another (see above). */
  sequential: number;
  /** The press's round trip, as the person pressing sees it. */
  ms: number;
  /** Graph requests made after the answer (messages sent by the outbox in the background). */
  after: number;
  /** Of the requests in the turn, how many were writes (POST, PATCH, DELETE; a $batch counts as a read). */
  writes: number;
}

/** The deepest chain of requests in series among these (each with arrival and answer times). */
export function sequentialDepth(entries: readonly GraphLogEntry[]): number {
  const sorted = [...entries].sort((a, b) => a.at - b.at);
  const depth: number[] = [];
  let deepest = 0;
  sorted.forEach((e, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) {
      const before = sorted[j]!;
      if (before.done !== undefined && before.done <= e.at) d = Math.max(d, depth[j]! + 1);
    }
    depth.push(d);
    deepest = Math.max(deepest, d);
  });
  return deepest;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until the server has answered everything and nothing new has arrived for a while. */
async function quiet(server: GraphServer): Promise<void> {
  for (;;) {
    const seen = server.log.length;
    await sleep(4 * LATENCY_MS);
    if (server.log.length === seen && server.log.every((e) => e.batched || e.done !== undefined)) return;
  }
}

/** Requests to the server that cost a round trip: Graph's (not $batch sub-requests) and any token requests. */
const roundTrips = (log: readonly GraphLogEntry[]) => log.filter((e) => !e.batched);
const isGraph = (e: GraphLogEntry) => e.path.startsWith('/v1.0/') || e.path === '/v1.0';

export async function measure(log: (line: string) => void = () => undefined): Promise<ActionMeasure[]> {
  const server = new GraphServer();
  await server.start();
  await provision(server);
  const now = new Date('2026-11-27T10:00:00Z');
  const h = await startHarness({
    now: () => now,
    env: { EIP_STORE: 'sharepoint', ...envFor(server) } as Record<string, string>,
  });
  const rows: ActionMeasure[] = [];
  try {
    // Everyone has talked to the bot before (their conversation references are stored), as on any ordinary day.
    for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await h.say(p, 'help');
    await h.say(P.adele, 'panel here', 'panel');
    await quiet(server);
    server.latency(LATENCY_MS);
    const step = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
      await quiet(server);
      server.clearLog();
      const t0 = Date.now();
      const out = await run();
      const t1 = Date.now();
      await quiet(server);
      const all = roundTrips(server.log);
      const inTurn = all.filter((e) => e.at < t1);
      const row: ActionMeasure = {
        action,
        requests: inTurn.filter(isGraph).length,
        sequential: sequentialDepth(inTurn),
        ms: t1 - t0,
        after: all.filter((e) => e.at >= t1 && isGraph(e)).length,
        writes: inTurn.filter((e) => isGraph(e) && e.method !== 'GET' && !e.path.endsWith('/$batch')).length,
      };
      rows.push(row);
      if (process.env.EIP_BENCH_TRACE)
        for (const e of all)
          log(
            `    ${e.at - t0} ${(e.done ?? 0) - t0} ${e.method} ${e.path.replace(/^.*\/lists\//, '')} ${e.query}`,
          );
      log(
        `${action}: ${row.requests} Graph requests, ${row.sequential} in series, ${row.ms} ms` +
          (row.after ? ` (+${row.after} after the answer)` : ''),
      );
      return out;
    };
    const caseId = await step('submit a request', () =>
      raiseRequest(h, {
        kind: 'class',
        className: '4B',
        yearGroup: 'Year 4',
        needs: 'semh',
        tried: 'A calm corner.',
        asked: 'Counselling.',
      }),
    );
    await step('accept', () => h.press(P.adele, 'accept', { caseId, observationDate: '2026-11-27' }));
    await step('assess', () =>
      h.press(P.adele, 'assess', { caseId, observedOn: '2026-11-27', findings: 'f', needsIdentified: 'n' }),
    );
    await step('propose', () =>
      h.press(P.adele, 'propose', {
        caseId,
        service1: 'counselling@oakwood-counselling',
        sessions1: '10',
        rationale: 'Regulation before escalation.',
        outcomes: 'Fewer incidents',
        reviewDate: '2027-03-19',
      }),
    );
    await step('vote (not deciding)', () =>
      h.press(P.alex, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel'),
    );
    await step('vote (deciding)', () =>
      h.press(P.lynne, 'vote', { caseId, round: 1, choice: 'approve' }, 'panel'),
    );
    await step('commission', () =>
      h.press(P.adele, 'commission', {
        caseId,
        provider1: 'oakwood-counselling',
        start1: '2026-12-07',
        end1: '2027-03-19',
        cost1: '450',
      }),
    );
    await step('my cases', () => h.say(P.adele, 'my cases'));
    await step('help', () => h.say(P.megan, 'help'));
    const status = (await h.bot.store.cases.get(caseId))?.value.status;
    if (status !== 'commissioned') throw new Error(`the case ended ${status}, not commissioned`);
  } finally {
    server.latency(0);
    await h.stop();
    await server.stop();
  }
  return rows;
}

if (require.main === module) {
  measure((line) => process.stderr.write(`${line}\n`)).then(
    (rows) => {
      process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
