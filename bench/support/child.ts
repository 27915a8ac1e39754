// Child processes for the bench: each bot, the stand-in Bot Connector and the load generator runs in a process of
// its own (forked with ts-node, talking over IPC), so they do not share one event loop. A child says `ready` once
// it listens, and answers `ask` messages by their id.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Child {
  process: ChildProcess;
  /** What the child said when it was ready (its URL, say). */
  ready: Record<string, unknown>;
  /** Asks the child something and waits for its answer. */
  ask<T = Record<string, unknown>>(what: string, args?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export interface ForkOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  execArgv?: string[];
  /** How long to wait for `ready` (seeding a store can take a while). */
  readyTimeoutMs?: number;
}

/** Forks bench/support/<script>.ts and waits until it says it is ready. */
export async function forkChild(script: string, options: ForkOptions = {}): Promise<Child> {
  const child = fork(path.join(__dirname, `${script}.ts`), [], {
    execArgv: [
      '--no-deprecation',
      '-r',
      'ts-node/register/transpile-only',
      // BENCH_CPU_PROF=<folder>: each child writes a CPU profile there (node --cpu-prof), named after its script.
      ...(process.env.BENCH_CPU_PROF
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`,
            `--cpu-prof-name=${script}.${Date.now()}.cpuprofile`,
          ]
        : []),
      ...(options.execArgv ?? []),
    ],
    env: { ...process.env, ...options.env },
    // The bots' own logs are part of their cost, but nobody reads them here.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 0;
  const waiting = new Map<number, (v: Record<string, unknown>) => void>();
  child.on('message', (m: { id?: number; type?: string }) => {
    if (m.id !== undefined) {
      waiting.get(m.id)?.(m as Record<string, unknown>);
      waiting.delete(m.id);
    }
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready in time`)),
      options.readyTimeoutMs ?? 120_000,
    );
    child.on('message', (m: { type?: string }) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m as Record<string, unknown>);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
  return {
    process: child,
    ready,
    ask: <T>(what: string, args: Record<string, unknown> = {}) =>
      new Promise<T>((resolve) => {
        const id = ++next;
        waiting.set(id, resolve as (v: Record<string, unknown>) => void);
        child.send({ id, type: what, ...args });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** In a child: answers the parent's `ask` messages with the handler's result. */
export function answer(handlers: Record<string, (args: Record<string, unknown>) => unknown>): void {
  process.on('message', (m: { id: number; type: string } & Record<string, unknown>) => {
    const handler = handlers[m.type];
    if (!handler) return;
    void Promise.resolve(handler(m)).then((result) =>
      process.send!({ id: m.id, ...(result as Record<string, unknown>) }),
    );
  });
}

/** In a child: the parent's SIGTERM (or its going away) ends the process. */
export function exitWithParent(stop: () => Promise<void> = async () => {}): void {
  const bye = () => void stop().finally(() => process.exit(0));
  process.once('SIGTERM', bye);
  process.once('disconnect', bye);
}

/** The CPU time this process has used (user + system), in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
