// Start-up refuses bad configuration with one clear line, before serving anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const root = path.resolve(__dirname, '..');

function startWith(env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(Microsoft|EIP_|NODE_ENV|PORT)/.test(k)),
  );
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
    cwd: root,
    env: { ...clean, EIP_PLAYGROUND: 'off', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('start-up', () => {
  it('stops in production without Bot Framework credentials, naming the variable', () => {
    const r = startWith({ NODE_ENV: 'production' });
    assert.equal(r.status, 1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('EIP bot'));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /MicrosoftAppId/);
  });

  it('stops on a malformed directory, naming the entry and the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-dir-'));
    const file = path.join(dir, 'directory.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        schools: [{ id: 'a-school', name: 'A School', phase: 'primary' }],
        people: [{ aadObjectId: 'x1', name: 'Sally SENCo', email: 'sally@example.com', roles: ['senco'] }],
      }),
    );
    const r = startWith({ EIP_DIRECTORY: file, EIP_DATA_DIR: dir, PORT: '0' });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /people\[0\] \("Sally SENCo"\) field "schoolId"/);
  });

  it('reads the standard configuration names, with local defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3978);
    assert.equal(c.local, true);
    assert.equal(c.playground.enabled, true);
    assert.equal(loadConfig({ EIP_PLAYGROUND: 'off' }).playground.enabled, false);
    const prod = loadConfig({
      NODE_ENV: 'production',
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
      EIP_TENANT_ID: 'tenant',
      EIP_DIRECTORY: 'x.json',
    });
    assert.equal(prod.local, false);
    assert.equal(prod.playground.enabled, false, 'production never starts the emulator');
  });

  it('names the variable at fault', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message),
    );
    assert.throws(() => loadConfig({ EIP_STORE: 'mongo' }), /EIP_STORE/);
    assert.throws(() => loadConfig({ EIP_PLAYGROUND: 'maybe' }), /EIP_PLAYGROUND/);
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'a', MicrosoftAppPassword: 'b' }),
      /EIP_TENANT_ID/,
    );
  });
});
