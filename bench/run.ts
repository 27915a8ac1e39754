// `npm run bench` (add `-- --quick` for the small version, `-- --readme` to print the README's table from the run):
// runs every suite in a fixed order, prints one table, and writes the figures as JSON to bench/results/.
// `-- --suite <name>` (repeatable) runs only the named suites, e.g. `npm run bench -- --quick --suite evidence-panel`
// or `--suite "card actions"`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { met, type Figure, type Suite } from './types';
import { floor } from './suites/floor';
import { cardActions, fanOut, startUp, underLoad } from './suites/actions';
import { scale } from './suites/scale';
import { sharepoint } from './suites/sharepoint';
import { evidencePanel } from './suites/evidence-panel';
import { endSession } from './support/session';

export const SUITES: Suite[] = [
  floor,
  cardActions,
  underLoad,
  startUp,
  fanOut,
  scale,
  sharepoint,
  evidencePanel,
];

export interface Results {
  date: string;
  mode: 'quick' | 'full';
  machine: string;
  seconds: number;
  figures: Figure[];
  /** Suites that failed, with why; their figures are missing. */
  failed: { suite: string; error: string }[];
}

export const machine = (): string =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()}`;

const show = (v: number): string =>
  v !== 0 && Math.abs(v) < 0.1
    ? v.toPrecision(2)
    : Number.isInteger(v)
      ? String(v)
      : Math.abs(v) >= 100
        ? v.toFixed(0)
        : Math.abs(v) >= 10
          ? v.toFixed(1)
          : v.toFixed(2);

const verdict = (f: Figure): string => ({ true: 'met', false: 'MISSED', undefined: '' })[String(met(f))]!;

/** The rows of the table: suite, figure, value and unit, goal, met/missed, note. */
export const rows = (figures: Figure[]): string[][] =>
  figures.map((f) => [
    f.suite,
    f.name,
    `${show(f.value)} ${f.unit}`,
    f.goal?.text ?? '',
    verdict(f),
    f.note ?? '',
  ]);

/** A plain-text table for the terminal. */
export function table(figures: Figure[]): string {
  const head = ['suite', 'figure', 'value', 'goal', 'met', 'note'];
  const all = [head, ...rows(figures)];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** The same as a Markdown table, for the README's Performance section. */
export function markdown(results: Results): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `Run ${results.date.slice(0, 10)} (${results.mode}, ${Math.round(results.seconds)} s) on ${results.machine}.`,
    '',
    '| Suite | Figure | Value | Goal | Met |',
    '| --- | --- | --- | --- | --- |',
    ...rows(results.figures).map((r) => `| ${r.slice(0, 5).map(esc).join(' | ')} |`),
  ].join('\n');
}

export async function runBench(
  quick: boolean,
  log: (line: string) => void,
  suites: readonly Suite[] = SUITES,
): Promise<Results> {
  const t0 = performance.now();
  const figures: Figure[] = [];
  const failed: Results['failed'] = [];
  try {
    for (const suite of suites) {
      log(`— ${suite.name}`);
      const began = Date.now();
      try {
        figures.push(...(await suite.run({ quick, log: (l) => log(`  ${l}`) })));
        log(`  ${suite.name}: ${((Date.now() - began) / 1000).toFixed(1)} s`);
      } catch (e) {
        failed.push({ suite: suite.name, error: e instanceof Error ? e.message : String(e) });
        log(`  FAILED: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await endSession();
  }
  return {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    seconds: (performance.now() - t0) / 1000,
    figures,
    failed,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const named = args.flatMap((a, i) => (args[i - 1] === '--suite' ? [a] : []));
  const unknown = named.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new Error(
      `no suite named ${unknown.join(', ')}; the suites: ${SUITES.map((s) => s.name).join(', ')}`,
    );
  const suites = named.length > 0 ? SUITES.filter((s) => named.includes(s.name)) : SUITES;
  const results = await runBench(quick, log, suites);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${results.date.replace(/[:.]/g, '-')}-${results.mode}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${table(results.figures)}\n\n`);
  if (args.includes('--readme')) process.stdout.write(`${markdown(results)}\n\n`);
  process.stdout.write(
    `${results.mode} run: ${results.seconds.toFixed(0)} s; figures in ${path.relative(process.cwd(), file)}\n`,
  );
  if (results.failed.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench stopped: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
