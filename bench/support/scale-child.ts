// The scale benchmark's child process: either seeds a store file, or opens a seeded one and measures `my cases` and
// the reminder sweep on it, then prints its figures as one line of JSON. Each size is measured in a fresh process, so
// the resident memory reported is what holding and querying that size costs, not what an earlier size left behind.
//
// It runs compiled (see compile.ts), so the repository's fixture directory is named on the command line:
//   node dist/bench/bench/support/scale-child.js seed <directory.json> <store file> <cases>
//   node dist/bench/bench/support/scale-child.js measure <directory.json> <store file>
import fs from 'node:fs';
import pino from 'pino';
import { parseDirectory, type Directory, type Role } from '../../src/domain';
import type { AppDeps, Notifier } from '../../src/app/ports';
import { Router } from '../../src/app/router';
import { runReminderSweep } from '../../src/jobs/reminder-sweep';
import { financialYearOf, londonDate } from '../../src/domain';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { BENCH_NOW, seedStore } from './seed';

const readDirectory = (file: string): Directory => parseDirectory(JSON.parse(fs.readFileSync(file, 'utf8')));

/** What a measuring child reports. */
export interface ScaleMeasures {
  /** Median wall time of each measure, ms. */
  ms: Record<string, number>;
  /** Open cases listed, and reminders the sweep would send: the work each did. */
  work: Record<string, number>;
  /** Resident memory, MB: before opening the store, and the most the process held by the end. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

const MB = 1024 * 1024;
const RUNS = 3;

/** A notifier that is never reached: the sweep is a dry run and `my cases` answers the person it is asked by. */
const nobody: Notifier = {
  send: async () => {
    throw new Error('the scale bench sends nothing');
  },
  update: async () => {
    throw new Error('the scale bench sends nothing');
  },
};

/** One warm-up, then the median of RUNS timed runs. */
async function time(what: () => Promise<unknown>): Promise<number> {
  await what();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await what();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return runs.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

async function measure(directory: Directory, file: string): Promise<ScaleMeasures> {
  const rssBeforeMb = process.memoryUsage().rss / MB;
  const store = new SqliteStore(file);
  const deps: AppDeps = {
    store,
    directory,
    notifier: nobody,
    log: pino({ level: 'silent' }),
    now: () => BENCH_NOW,
    local: false,
  };
  const router = new Router(deps);
  const person = (role: Role) => directory.people.find((p) => p.roles.includes(role))!;
  const myCases = (role: Role) => {
    const p = person(role);
    return () =>
      router.text({
        aadObjectId: p.aadObjectId,
        teamsUserId: `29:${p.aadObjectId}`,
        conversationType: 'personal',
        reference: { conversation: { id: `chat-${p.aadObjectId.toLowerCase()}` } },
        text: 'my cases',
      });
  };
  const ms: Record<string, number> = {};
  const work: Record<string, number> = {};
  ms.coordinator = await time(myCases('coordinator'));
  ms.senco = await time(myCases('senco'));
  ms.sweep = await time(() => runReminderSweep(deps, { dryRun: true }));
  // The co-ordinator's report for the whole financial year, every school: everything is read and counted.
  const coordinator = person('coordinator');
  const report = () =>
    router.action({
      aadObjectId: coordinator.aadObjectId,
      teamsUserId: `29:${coordinator.aadObjectId}`,
      conversationType: 'personal',
      reference: { conversation: { id: `chat-${coordinator.aadObjectId.toLowerCase()}` } },
      verb: 'report',
      data: { year: financialYearOf(londonDate(BENCH_NOW)), term: 'all', schoolId: 'all', phase: 'all' },
    });
  ms.report = await time(report);
  // The work done, so a fast figure cannot hide an empty answer.
  const listed = async (role: Role) => {
    const card = JSON.stringify(await myCases(role)());
    return Number(/"(\d+) open cases?/.exec(card)?.[1] ?? 0);
  };
  work.coordinator = await listed('coordinator');
  work.senco = await listed('senco');
  work.sweep = (await runReminderSweep(deps, { dryRun: true })).reminders.length;
  const shown = JSON.stringify(await report());
  if (!shown.includes('Impact report')) throw new Error(`the report was refused: ${shown.slice(0, 300)}`);
  work.report = Number(/"Requests"[^]*?"text":"(\d+)"/.exec(shown)?.[1] ?? 0);
  await store.close();
  // maxRSS is the high-water mark of the whole process, in kilobytes.
  return { ms, work, rssBeforeMb, rssPeakMb: process.resourceUsage().maxRSS / 1024 };
}

async function main() {
  const [mode, directoryFile, file, n] = process.argv.slice(2);
  if (mode === 'seed' && directoryFile && file && n) {
    const t0 = Date.now();
    const summary = seedStore(file, Number(n), readDirectory(directoryFile));
    console.log(JSON.stringify({ ...summary, ms: Date.now() - t0 }));
  } else if (mode === 'measure' && directoryFile && file) {
    console.log(JSON.stringify(await measure(readDirectory(directoryFile), file)));
  } else {
    throw new Error(
      'usage: scale-child seed <directory.json> <store file> <cases> | measure <directory.json> <store file>',
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
