// Runs the SharePoint tests (npm run test:sharepoint): makes a throwaway CA and a localhost certificate in a fresh
// temp dir, then starts mocha in a child process whose NODE_EXTRA_CA_CERTS trusts that CA (Node reads it only at
// start-up, hence the child) and whose EIP_TEST_TLS_DIR tells GraphServer where the certificate is. Exits with
// mocha's code and removes the temp dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTestCa } from './tls';

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-graph-tls-'));
  try {
    const { caFile } = await makeTestCa(dir);
    const root = path.resolve(__dirname, '../../..');
    const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const child = spawn(
      process.execPath,
      [mocha, '--config', path.join(root, '.mocharc.sharepoint.json'), ...process.argv.slice(2)],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, EIP_TEST_TLS_DIR: dir },
      },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((resolve) => {
      child.on('error', (e) => {
        console.error(e);
        resolve(1);
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
