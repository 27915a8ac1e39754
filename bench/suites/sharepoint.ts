// The SharePoint store on its local Graph-protocol server, with 50 ms added to every request: how many Graph
// requests each card action makes, how many of them one after another (goal: at most 2), and its wall time. The
// measurement itself (bench/support/sharepoint-measure.ts) runs in a child process, because trusting the server's
// throwaway CA takes NODE_EXTRA_CA_CERTS, which Node reads only at start-up (as in test/support/graph/run.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTestCa } from '../../test/support/graph/tls';
import type { ActionMeasure } from '../support/sharepoint-measure';
import type { Figure, Suite, SuiteOptions } from '../types';

const SUITE = 'SharePoint store';
const ROOT = path.resolve(__dirname, '../..');

/** Runs the measurement in a child trusting a fresh test CA; answers its rows. */
async function measureInChild(options: SuiteOptions): Promise<ActionMeasure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-bench-tls-'));
  try {
    const { caFile } = await makeTestCa(dir);
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'bench', 'support', 'sharepoint-measure.ts')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: caFile,
          EIP_TEST_TLS_DIR: dir,
          NODE_NO_WARNINGS: '1',
          BENCH_SP_LATENCY_MS: String(latencyOf(options)),
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      const lines = err.split('\n');
      err = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.log(`  ${line}`);
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (code !== 0 || !line)
      throw new Error(`the SharePoint measurement failed (exit ${code}): ${err.trim()}`);
    return JSON.parse(line.slice('RESULT '.length)) as ActionMeasure[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The latency added to every Graph request: 50 ms; --quick walks the same case with 10 ms, so the counts are the same
 * and only the wall times shrink.
 */
const latencyOf = (options: SuiteOptions) => (options.quick ? 10 : 50);

/** The rows as figures: three per action. */
export function figuresOf(rows: readonly ActionMeasure[], latency = 50): Figure[] {
  return rows.flatMap((r) => [
    {
      suite: SUITE,
      name: `${r.action}: Graph requests`,
      value: r.requests,
      unit: 'requests',
      note: `${r.writes} of them writes` + (r.after ? `; ${r.after} more after the answer (outbox)` : ''),
    },
    {
      suite: SUITE,
      name: `${r.action}: Graph round trips in series`,
      value: r.sequential,
      unit: 'requests',
      goal: { op: '<=', value: 2, text: '≤ 2 in series' },
    },
    { suite: SUITE, name: `${r.action}: wall time (${latency} ms a request)`, value: r.ms, unit: 'ms' },
  ]);
}

async function run(options: SuiteOptions): Promise<Figure[]> {
  const latency = latencyOf(options);
  options.log(
    `SharePoint store: one case from request to commissioning, ${latency} ms on every Graph request`,
  );
  return figuresOf(await measureInChild(options), latency);
}

export const sharepoint: Suite = { name: SUITE, run };
