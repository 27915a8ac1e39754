// Scale: how `my cases` and the reminder sweep cope as a local authority's history grows. Seeds 1,000, 10,000 and
// 100,000 cases (--quick: 1,000 only) with their records into embedded stores, then measures each size in a fresh
// child process running the compiled bot: the median wall time of each measure, and the process's peak resident
// memory. Reports how each cost grows from one size to the next (10× the cases: linear growth is 10×).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Figure, Suite, SuiteOptions } from '../types';
import { ROOT, compiled } from '../support/compile';
import type { ScaleMeasures } from '../support/scale-child';
import type { SeedSummary } from '../support/seed';

const run = promisify(execFile);
const SUITE = 'scale';
const DIRECTORY = path.join(ROOT, 'test', 'fixtures', 'directory.json');

/** Runs the compiled child once and returns what it printed, as JSON. */
async function child<T>(args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, [compiled('bench/support/scale-child.ts'), ...args], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

const MEASURES = [
  { key: 'coordinator', name: 'my cases, co-ordinator' },
  { key: 'senco', name: 'my cases, SENCo' },
  { key: 'sweep', name: 'reminder sweep (dry run)' },
  { key: 'report', name: 'full-year report, LA-wide' },
] as const;

/** What each measure's work figure counts, for its note. */
const WORK: Record<(typeof MEASURES)[number]['key'], string> = {
  coordinator: 'open cases listed',
  senco: 'open cases listed',
  sweep: 'reminders due',
  report: 'requests in the year',
};

const GOAL_SIZE = 10_000;
const TIME_GOAL = { op: '<=', value: 1000, text: '≤ 1 s at 10,000 cases' } as const;
const MEMORY_GOAL = { op: '<=', value: 150, text: '≤ 150 MB at 10,000 cases' } as const;
const GROWTH_GOAL = { op: '<=', value: 10, text: 'linear or better (≤ 10× for 10× the cases)' } as const;

const sizeName = (n: number) => n.toLocaleString('en-GB');

async function runScale({ quick, log }: SuiteOptions): Promise<Figure[]> {
  const sizes = quick ? [1_000] : [1_000, 10_000, 100_000];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-bench-scale-'));
  const figures: Figure[] = [];
  const measured = new Map<number, ScaleMeasures>();
  try {
    for (const n of sizes) {
      const file = path.join(dir, `${n}.sqlite`);
      const seeded = await child<SeedSummary & { ms: number }>(['seed', DIRECTORY, file, String(n)]);
      log(
        `scale: seeded ${sizeName(n)} cases (${seeded.rows.toLocaleString('en-GB')} rows) in ${seeded.ms} ms`,
      );
      const m = await child<ScaleMeasures>(['measure', DIRECTORY, file]);
      measured.set(n, m);
      log(`scale: measured ${sizeName(n)} cases`);
      const atGoal = n === GOAL_SIZE;
      for (const { key, name } of MEASURES) {
        figures.push({
          suite: SUITE,
          name: `${name}, ${sizeName(n)} cases`,
          value: round(m.ms[key]!),
          unit: 'ms',
          ...(atGoal ? { goal: TIME_GOAL } : {}),
          note: `median of 3 after a warm-up; ${m.work[key]} ${WORK[key]}`,
        });
      }
      figures.push({
        suite: SUITE,
        name: `resident memory, ${sizeName(n)} cases`,
        value: round(m.rssPeakMb),
        unit: 'MB',
        ...(atGoal ? { goal: MEMORY_GOAL } : {}),
        note: `peak RSS of a fresh process holding the store and running the measures; ${round(m.rssBeforeMb)} MB with the bot's modules loaded, before opening the store`,
      });
      fs.rmSync(file, { force: true });
    }
    for (let i = 1; i < sizes.length; i++) {
      const [from, to] = [sizes[i - 1]!, sizes[i]!];
      const [a, b] = [measured.get(from)!, measured.get(to)!];
      for (const { key, name } of MEASURES) {
        figures.push({
          suite: SUITE,
          name: `${name}: growth ${sizeName(from)} → ${sizeName(to)}`,
          value: round(b.ms[key]! / a.ms[key]!),
          unit: '×',
          goal: GROWTH_GOAL,
        });
      }
      figures.push({
        suite: SUITE,
        name: `resident memory above the loaded bot: growth ${sizeName(from)} → ${sizeName(to)}`,
        value: round((b.rssPeakMb - b.rssBeforeMb) / (a.rssPeakMb - a.rssBeforeMb)),
        unit: '×',
        goal: GROWTH_GOAL,
      });
    }
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

export const scale: Suite = { name: SUITE, run: runScale };
