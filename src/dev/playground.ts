// Starts Microsoft 365 Agents Playground (the local Teams emulator) for local mode.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PlaygroundOptions {
  botEndpoint: string;
  port: number;
  configPath: string;
  log: (msg: string) => void;
}

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const cli = resolveCli();
  // Without its config file the Playground silently falls back to its built-in mock users.
  if (!existsSync(opts.configPath)) {
    throw new Error(`Agents Playground config file not found: ${opts.configPath}`);
  }
  // When its port is taken the Playground silently picks a random one; fail clearly instead.
  if (!(await isPortFree(opts.port))) {
    throw new Error(`Agents Playground port ${opts.port} is already in use (set EIP_PLAYGROUND_PORT)`);
  }

  // The Playground writes its errors (e.g. an invalid config) to its log file, not to stdout/stderr.
  // Its default log file is ./devTools/… in the working directory, i.e. inside the repo.
  const logFile =
    process.env.M365_AGENTS_PLAYGROUND_LOGFILE ?? join(tmpdir(), 'eip-m365agentsplayground.log');
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;

  const child = spawn(
    process.execPath,
    [cli, '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'],
    {
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none', // without it the CLI tries to open a browser, and exits silently where there is none
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: opts.configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

  let output = '';
  const keepTail = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);

  // A bot that exits (even by an uncaught exception) must not leave the Playground holding the port.
  const killChild = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killChild);

  let exitReason: string | undefined;
  let announceExit = false; // only once it is up and until stop() is called
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = signal ?? `code ${code}`;
      process.off('exit', killChild);
      if (announceExit) {
        const errors = logLinesSince(logFile, logStart).filter((line) => line.startsWith('error'));
        opts.log([`Agents Playground exited (${exitReason})`, output.trim(), ...errors].join('\n'));
      }
      resolve();
    });
  });
  child.once('error', (err) => {
    exitReason = err.message;
    process.off('exit', killChild);
  });

  const stop = async (): Promise<void> => {
    announceExit = false;
    if (exitReason !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://localhost:${opts.port}`;
  try {
    await waitUntilAnswering(`http://127.0.0.1:${opts.port}/`, () => exitReason);
  } catch (err) {
    await stop();
    const errors = logLinesSince(logFile, logStart).filter((line) => line.startsWith('error'));
    throw new Error(
      [`Agents Playground did not start: ${(err as Error).message}`, output.trim(), ...errors].join('\n'),
      { cause: err },
    );
  }
  announceExit = true;
  return { url, stop };
}

function resolveCli(): string {
  try {
    return require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch (err) {
    throw new Error(
      'Agents Playground (@microsoft/m365agentsplayground, a dev dependency) is not installed: install dev dependencies or set EIP_PLAYGROUND=off',
      { cause: err },
    );
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

async function waitUntilAnswering(url: string, exitReason: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const reason = exitReason();
    if (reason !== undefined) throw new Error(`it exited (${reason})`);
    if (await answers(url)) return;
    if (Date.now() > deadline) throw new Error(`no answer on ${url} within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

function logLinesSince(file: string, offset: number): string[] {
  if (!existsSync(file)) return [];
  const length = statSync(file).size - offset;
  if (length <= 0) return [];
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  readSync(fd, buf, 0, length, offset);
  closeSync(fd);
  return buf.toString('utf8').split('\n');
}
