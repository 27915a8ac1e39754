// `npm run backup -- [PATH]`: a consistent copy of the embedded store, taken while the bot runs, into PATH (a folder
// for a timestamped file, or a new file ending in .sqlite) or by default EIP_DATA_DIR/backups. `npm run backup -- --restore FILE`
// puts a backup back while the bot is stopped. Prints where the copy is and how many records of each kind it holds.
import { ConfigError, loadConfig } from '../../config';
import { backupStore, BackupError, restoreBackup, type BackupReport } from './backup';

const USAGE = 'usage: npm run backup -- [PATH]   or   npm run backup -- --restore FILE';

export type BackupArgs = { restore: false; to?: string } | { restore: true; from: string };

export function parseArgs(argv: readonly string[]): BackupArgs {
  const [first, second, ...rest] = argv;
  if (first === '--restore') {
    if (!second || second.startsWith('-') || rest.length)
      throw new ConfigError(`--restore needs one FILE. ${USAGE}`);
    return { restore: true, from: second };
  }
  if (first?.startsWith('-') || second !== undefined)
    throw new ConfigError(`${argv.join(' ')} is not understood. ${USAGE}`);
  return { restore: false, ...(first ? { to: first } : {}) };
}

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The counts as one line a person reads: "cases 12, consents 10, …, audit 140". */
export function formatCounts(counts: BackupReport['counts']): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  if (config.store !== 'sqlite')
    throw new ConfigError(
      'EIP_STORE is sharepoint: the records live in SharePoint, which keeps its own versions; there is no SQLite store to back up.',
    );
  if (args.restore) {
    const r = restoreBackup(args.from, config.dataDir);
    process.stdout.write(
      `Restored ${args.from} as ${r.file} (${kb(r.bytes)})\n` +
        `  ${formatCounts(r.counts)}\n` +
        (r.replaced ? `The store it replaced is kept as ${r.replaced}\n` : ''),
    );
    return;
  }
  const r = await backupStore(config.dataDir, args.to);
  process.stdout.write(
    `Backed up the EIP store to ${r.file} (${kb(r.bytes)})\n  ${formatCounts(r.counts)}\n`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    const known = e instanceof ConfigError || e instanceof BackupError;
    const what = process.argv.includes('--restore') ? 'Restore' : 'Backup';
    process.stderr.write(
      `${what} ${known ? 'cannot run' : 'stopped'}: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exit(1);
  });
}
