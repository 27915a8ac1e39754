// `npm run privacy -- sar <case ref>`: writes a subject access export for the pupil of one case under
// EIP_DATA_DIR/exports, and prints where it is and which cases it covers (never the pupil's details). The audit
// trail records the export as made by the command line, under the account that ran it.
import { ConfigError, loadConfig } from '../config';
import { DirectoryError, isEipError } from '../domain';
import { openApp } from '../index';
import { createLogger } from '../logger';
import { exportSubjectAccess } from '../app/privacy/subject-access';
import { cliActor } from './retention-cli';
import { runCli } from './run-cli';

const USAGE = 'usage: npm run privacy -- sar <case reference, such as EIP-2026-0001>';

export function parsePrivacyArgs(argv: readonly string[]): { ref: string } {
  const [command, ref, ...rest] = argv;
  if (command !== 'sar' || !ref || rest.length > 0) throw new ConfigError(USAGE);
  return { ref };
}

async function main(): Promise<void> {
  const { ref } = parsePrivacyArgs(process.argv.slice(2));
  const config = loadConfig();
  const { deps, refresh } = await openApp(config, { log: createLogger(process.stderr) });
  try {
    const r = await exportSubjectAccess(deps, cliActor(), ref);
    const lines = [
      `Subject access export for the pupil of ${r.ref}: ${r.cases.length} case${r.cases.length === 1 ? '' : 's'}, ${r.records} record${r.records === 1 ? '' : 's'}.`,
      `  cases:    ${r.cases.join(', ')}`,
      ...(r.possible.length
        ? [
            `  check by hand (same name, another school or year group; not included): ${r.possible.join(', ')}`,
          ]
        : []),
      `  readable: ${r.files.text}`,
      `  JSON:     ${r.files.json}`,
      ...(r.documents ? [`  documents: ${r.documents}`] : []),
      "Other pupils' names are replaced and panel members' comments withheld. Read the files before release.",
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    refresh?.stop();
    await deps.store.close();
  }
}

if (require.main === module) {
  runCli(
    main,
    { cannot: 'No export was made', stopped: 'The export stopped' },
    (e) => e instanceof ConfigError || e instanceof DirectoryError || isEipError(e),
  );
}
