// `npm run retention -- [--dry-run] [--json]`: lists the closed cases past their retention period and, without
// --dry-run, deletes each with every record that belongs to it. Runs on the bot's own configuration and store; the
// audit trail records each deletion as done by the command line, under the account that ran it.
import os from 'node:os';
import { ConfigError, loadConfig } from '../config';
import { DirectoryError } from '../domain';
import { openApp } from '../index';
import { createLogger } from '../logger';
import { formatRetention, runRetention } from './retention';
import { runCli } from './run-cli';

const USAGE = 'usage: npm run retention -- [--dry-run] [--json]';

export interface RetentionArgs {
  dryRun: boolean;
  json: boolean;
}

export function parseRetentionArgs(argv: readonly string[]): RetentionArgs {
  const args: RetentionArgs = { dryRun: false, json: false };
  for (const a of argv) {
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--json') args.json = true;
    else throw new ConfigError(`${a} is not understood. ${USAGE}`);
  }
  return args;
}

/** Who the audit trail says ran a command-line job: the account on the server. */
export const cliActor = (): string => `cli:${os.userInfo().username}`;

async function main(): Promise<void> {
  const args = parseRetentionArgs(process.argv.slice(2));
  const config = loadConfig();
  // Logs go to stderr, so stdout holds only the report.
  const { deps, refresh } = await openApp(config, { log: createLogger(process.stderr) });
  try {
    const report = await runRetention(deps, { dryRun: args.dryRun, by: cliActor() });
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatRetention(report));
  } finally {
    refresh?.stop();
    await deps.store.close();
  }
}

if (require.main === module) {
  runCli(
    main,
    { cannot: 'Retention cannot run', stopped: 'Retention stopped' },
    (e) => e instanceof ConfigError || e instanceof DirectoryError,
  );
}
