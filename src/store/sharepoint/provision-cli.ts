// `npm run provision [-- --dry-run] [--seed-directory FILE]`: creates the EIP bot's SharePoint lists and columns on
// the site in SHAREPOINT_SITE_ID, adding only what is missing. Safe to run again; a column that differs from the
// schema is reported, never changed. Signs in as the bot does (GRAPH_* variables, see README).
import fs from 'node:fs';
import { ConfigError, loadConfig, type GraphConfig } from '../../config';
import { DirectoryError, parseDirectory } from '../../domain/directory';
import { credentialFor } from './credential';
import { createGraphClient } from './graph-client';
import { readSite } from './graph';
import { EVIDENCE_LIBRARY, ensureEvidenceLibrary } from './documents';
import { applyPlan, describePlan, planProvision, seedDirectory, type Progress } from './provision';
import { describeColumn, LISTS } from './schema';
import { SharePointStore } from './sharepoint-store';

const USAGE = 'usage: npm run provision -- [--dry-run] [--seed-directory FILE]';

export interface ProvisionArgs {
  dryRun: boolean;
  seedDirectory?: string;
}

export function parseArgs(argv: readonly string[]): ProvisionArgs {
  const args: ProvisionArgs = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--seed-directory' && argv[i + 1] && !argv[i + 1]!.startsWith('--'))
      args.seedDirectory = argv[++i]!;
    else if (a.startsWith('--seed-directory=') && a.length > '--seed-directory='.length)
      args.seedDirectory = a.slice('--seed-directory='.length);
    else throw new ConfigError(`${a} is not understood. ${USAGE}`);
  }
  return args;
}

const GRAPH_VARIABLES = [
  'SHAREPOINT_SITE_ID',
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_CLIENT_CERTIFICATE_PATH',
  'GRAPH_CREDENTIAL',
  'GRAPH_BASE_URL',
  'GRAPH_AUTHORITY_HOST',
];

/** The Graph settings, checked as the bot checks them (one line naming the variable at fault). */
export function graphSettings(env: NodeJS.ProcessEnv): GraphConfig {
  const picked = Object.fromEntries(
    GRAPH_VARIABLES.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]),
  );
  try {
    return loadConfig({ ...picked, EIP_STORE: 'sharepoint' }).graph!;
  } catch (e) {
    if (e instanceof ConfigError)
      throw new ConfigError(e.message.replace('EIP_STORE=sharepoint needs', 'npm run provision needs'));
    throw e;
  }
}

function readDirectoryFile(file: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DirectoryError(`--seed-directory ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return { directory: parseDirectory(raw), raw: raw as Record<string, unknown> };
  } catch (e) {
    if (e instanceof DirectoryError) throw new DirectoryError(`--seed-directory ${file}: ${e.message}`);
    throw e;
  }
}

export interface ProvisionRun {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  out: Progress;
  /** Graph retry settings (tests shorten the waits). */
  retry?: { maxRetries?: number; delaySeconds?: number };
}

/** Runs provisioning; answers the exit code (0 done, 1 something failed and running again will retry it). */
export async function runProvision({ argv, env, out, retry }: ProvisionRun): Promise<number> {
  const args = parseArgs(argv);
  const graph = graphSettings(env);
  const seed = args.seedDirectory !== undefined ? readDirectoryFile(args.seedDirectory) : undefined;
  const client = createGraphClient({
    credential: credentialFor(graph),
    baseUrl: graph.baseUrl,
    ...(retry && { retry }),
  });
  out(`Reading SharePoint site ${graph.siteId} at ${graph.baseUrl} …`);
  const site = await readSite(client, graph.siteId);
  const plan = planProvision(site);
  for (const line of describePlan(plan)) out(line);
  if (args.dryRun) {
    if (seed)
      out(
        `Would seed "${LISTS.find((l) => l.key === 'schools')!.displayName}" with ${seed.directory.schools.length} schools and "${LISTS.find((l) => l.key === 'people')!.displayName}" with ${seed.directory.people.length} people from ${args.seedDirectory}.`,
      );
    out('Dry run: nothing was changed.');
    return 0;
  }
  const result = await applyPlan(client, plan, out);
  // The evidence documents' library, beside the lists (see documents.ts).
  out(`evidence library "${EVIDENCE_LIBRARY}": ${await ensureEvidenceLibrary(client, graph.siteId)}`);
  out(
    plan.steps.length
      ? `Created ${result.listsCreated} list${result.listsCreated === 1 ? '' : 's'} and added ${result.columnsAdded} column${result.columnsAdded === 1 ? '' : 's'}${result.choicesAdded ? `; ${result.choicesAdded} choice column${result.choicesAdded === 1 ? '' : 's'} given new choices` : ''}.`
      : 'The site already has every list and column.',
  );
  const drift = plan.drift.length + result.drift.length;
  if (drift)
    out(
      `${drift} column${drift === 1 ? ' differs' : 's differ'} from the schema (above): provisioning never changes a column or its data; fix ${drift === 1 ? 'it' : 'them'} in the list settings if the bot needs ${drift === 1 ? 'it' : 'them'} to be as the schema says.`,
    );
  if (result.failures.length) {
    for (const f of result.failures) out(`failed: ${f}`);
    out('Some steps failed; run `npm run provision` again to retry them.');
    return 1;
  }
  if (seed) {
    const now = await readSite(client, graph.siteId);
    const store = await SharePointStore.open({ client, siteId: graph.siteId });
    const report = await seedDirectory(client, now, seed.directory, seed.raw, store, out);
    const failed = [...report.schools.failed, ...report.people.failed];
    for (const f of failed) out(`failed: ${f}`);
    if (failed.length) return 1;
  }
  return 0;
}

/** The schema as a table, for `--help`. */
export const schemaTable = (): string[] =>
  LISTS.map(
    (l) => `${l.displayName}: ${l.columns.map((c) => `${c.name} (${describeColumn(c)})`).join(', ')}`,
  );

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n\n${schemaTable().join('\n')}\n`);
    return;
  }
  process.exitCode = await runProvision({
    argv,
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    // One line: what went wrong, never a stack or a secret.
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    process.stderr.write(`provision: ${message}\n`);
    process.exitCode = 1;
  });
}
