// `npm run reminders -- [--dry-run] [--now=YYYY-MM-DD] [--json]`: one reminder sweep from the command line, on the
// same configuration, directory and store as the bot. Safe beside a running bot: every reminder is claimed in the
// store before it is sent, so the two never send one twice.
import type { Notifier } from '../app/ports';
import { ConfigError, loadConfig } from '../config';
import { DirectoryError, isIsoDate, showDate } from '../domain';
import { openApp } from '../index';
import { createLogger, withCorrelation } from '../logger';
import { londonNoon, runReminderSweep, type SweepReport } from './reminder-sweep';
import { runCli } from './run-cli';

const USAGE = 'usage: npm run reminders -- [--dry-run] [--now=YYYY-MM-DD] [--json]';

export interface CliArgs {
  dryRun: boolean;
  json: boolean;
  day?: string;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { dryRun: false, json: false };
  for (const a of argv) {
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--json') args.json = true;
    else if (a.startsWith('--now=') && isIsoDate(a.slice(6))) args.day = a.slice(6);
    else throw new ConfigError(`${a} is not understood. ${USAGE}`);
  }
  return args;
}

const OUTCOME_WORDS = { 'would-send': 'would send', sent: 'sent', unreachable: 'UNREACHABLE' } as const;

/** The report as lines a person reads: by case reference, never a pupil's name. */
export function formatReport(r: SweepReport): string {
  const head = `Reminders as of ${showDate(r.today)}${r.dryRun ? ' (dry run: nothing was sent or recorded)' : ''}`;
  if (r.reminders.length === 0) return `${head}\nNo reminders are due.\n`;
  const lines = r.reminders.map(
    (e) =>
      `  ${OUTCOME_WORDS[e.outcome].padEnd(11)} ${e.kind.padEnd(17)} ${e.ref ? `${e.ref} (${e.about}) ` : ''}to ${e.toName}, due ${e.due}`,
  );
  return `${head}\n${lines.join('\n')}\n`;
}

/** Refuses to send: a dry run must not reach anyone, whatever happens. */
const silent: Notifier = {
  send: async () => {
    throw new Error('a dry run sends nothing');
  },
  update: async () => {
    throw new Error('a dry run sends nothing');
  },
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  if (args.day && !config.local)
    throw new ConfigError('--now works in local mode only: in production reminders run as of today.');
  // Logs go to stderr, so stdout holds only the report.
  const log = createLogger(process.stderr);
  const { deps, refresh } = await openApp(config, { log, ...(args.dryRun ? { notifier: silent } : {}) });
  try {
    const report = await withCorrelation(() =>
      runReminderSweep(deps, { dryRun: args.dryRun, ...(args.day ? { now: londonNoon(args.day) } : {}) }),
    );
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  } finally {
    refresh?.stop();
    await deps.store.close();
  }
}

if (require.main === module) {
  runCli(
    main,
    { cannot: 'Reminders cannot run', stopped: 'Reminders stopped' },
    (e) => e instanceof ConfigError || e instanceof DirectoryError,
  );
}
