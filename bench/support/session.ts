// What the core suites share in one run: the stand-in Bot Connector, the floor bot, and the real bot seeded for
// card actions and load, each in a process of its own, started once when first needed and stopped by the runner.
import { forkChild, type Child } from './child';
import { writeDirectory } from './world';
import { measureTurns, type TurnStats } from './turns';
import { press } from './world';
import { P } from '../../test/support/harness';

/** How much each suite does: `quick` is the small version. */
export const sizes = (quick: boolean) =>
  quick
    ? { turns: 12, warmup: 4, loadSeconds: 1, startups: 1, extra: 48, fanOut: 50 }
    : { turns: 200, warmup: 30, loadSeconds: 10, startups: 5, extra: 48, fanOut: 200 };

/** The most votes a load run could cast at this rate, with room to spare: a run never runs out of fresh cases. */
const MAX_LOAD_RATE = 300;

let connector: Promise<Child> | undefined;
let floor: Promise<Child> | undefined;
let floorTurns: Promise<TurnStats> | undefined;
let eip: Promise<Child> | undefined;
const started: Promise<Child>[] = [];

const keep = (p: Promise<Child>) => {
  started.push(p);
  return p;
};

export const theConnector = () => (connector ??= keep(forkChild('connector-child')));
export const theFloor = () => (floor ??= keep(forkChild('floor-child')));

/** The floor's sequential turns, measured once a run: every ratio is to these. */
export const floorStats = (quick: boolean) =>
  (floorTurns ??= (async () => {
    const [bot, c] = await Promise.all([theFloor(), theConnector()]);
    const { turns, warmup } = sizes(quick);
    return measureTurns(bot, () => press(String(c.ready.url), P.alex, 'help', {}, 'panel'), turns, warmup);
  })());

/** The real bot, seeded with cases before the panel (for votes) and waiting for triage (for accepts). */
export const theBot = (quick: boolean) =>
  (eip ??= keep(
    (async () => {
      const c = await theConnector();
      const s = sizes(quick);
      const votes = s.turns + s.warmup + s.loadSeconds * MAX_LOAD_RATE;
      const { file } = writeDirectory(s.extra);
      return forkChild('eip-child', {
        env: {
          BENCH_CONNECTOR: String(c.ready.url),
          BENCH_DIRECTORY: file,
          BENCH_EXTRA: String(s.extra),
          BENCH_SEED: JSON.stringify({ proposed: Math.ceil(votes / 50), submitted: s.turns + s.warmup }),
        },
      });
    })(),
  ));

/** Stops every child this run started. */
export async function endSession(): Promise<void> {
  const all = await Promise.allSettled(started);
  await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  connector = floor = floorTurns = eip = undefined;
  started.length = 0;
}
