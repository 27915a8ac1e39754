// How a command-line job ends when it fails: one line on stderr, worded for a mistake the person can fix (bad
// configuration, a directory entry, a refused request) or for a failure, and exit code 1.
export function runCli(
  main: () => Promise<void>,
  words: { cannot: string; stopped: string },
  known: (e: unknown) => boolean,
): void {
  main().catch((e: unknown) => {
    process.stderr.write(
      `${known(e) ? words.cannot : words.stopped}: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exit(1);
  });
}
