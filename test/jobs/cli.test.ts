// `npm run reminders -- --dry-run`: the same sweep from the command line, on the bot's own store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { caseRecord } from '../support/records';

const ROOT = path.resolve(__dirname, '..', '..');

function cli(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(Microsoft|EIP_|NODE_ENV|PORT)/.test(k)),
  );
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/jobs/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, EIP_DIRECTORY: path.join(ROOT, 'test', 'fixtures', 'directory.json'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the reminders command', () => {
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-cli-'));
    const store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    await store.cases.create(caseRecord({ id: 'c1' }));
    await store.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints who would be reminded of what in a dry run, and records nothing', async function () {
    this.timeout(60_000);
    const r = cli(['--dry-run', '--now=2026-11-10'], { EIP_DATA_DIR: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'Reminders as of Tue 10 Nov 2026 (dry run: nothing was sent or recorded)',
        '  would send  triage-waiting    EIP-2026-0001 (Individual pupil, Year 4) to Adele Vance, due 2026-11-10',
        '  would send  providers-meeting to Adele Vance, due 2026-11-10',
        '',
      ].join('\n'),
    );
    const store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    assert.equal((await store.reminders.find()).length, 0);
    await store.close();
  });

  it('refuses --now outside local mode, with one line saying why', function () {
    this.timeout(60_000);
    const r = cli(['--dry-run', '--now=2026-11-10'], {
      EIP_DATA_DIR: dir,
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Reminders cannot run: --now works in local mode only/);
    assert.equal(r.stdout, '');
  });
});
