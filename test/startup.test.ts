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

  describe('in SharePoint mode', () => {
    const SITE =
      'contoso.sharepoint.com,11111111-1111-1111-1111-111111111111,22222222-2222-2222-2222-222222222222';
    const GUID = '33333333-3333-3333-3333-333333333333';
    const ok = {
      EIP_STORE: 'sharepoint',
      GRAPH_TENANT_ID: 'contoso.onmicrosoft.com',
      GRAPH_CLIENT_ID: GUID,
      GRAPH_CLIENT_SECRET: 's3cret',
      SHAREPOINT_SITE_ID: SITE,
    };
    const without = (name: keyof typeof ok) => {
      const { [name]: _gone, ...rest } = ok;
      return rest;
    };

    it('reads the Graph settings, with the public cloud by default', () => {
      const c = loadConfig(ok);
      assert.equal(c.store, 'sharepoint');
      assert.deepEqual(c.graph, {
        credential: { kind: 'secret', tenantId: 'contoso.onmicrosoft.com', clientId: GUID, secret: 's3cret' },
        siteId: SITE,
        baseUrl: 'https://graph.microsoft.com',
        authorityHost: 'https://login.microsoftonline.com',
      });
      assert.equal(c.directorySource, 'file');
    });

    for (const name of [
      'GRAPH_TENANT_ID',
      'GRAPH_CLIENT_ID',
      'GRAPH_CLIENT_SECRET',
      'SHAREPOINT_SITE_ID',
    ] as const) {
      it(`refuses to start without ${name}, naming it`, () => {
        assert.throws(
          () => loadConfig(without(name)),
          (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name} is not set`),
        );
      });
    }

    for (const [name, value] of [
      ['GRAPH_TENANT_ID', 'not a tenant'],
      ['GRAPH_CLIENT_ID', 'app-123'],
      ['SHAREPOINT_SITE_ID', 'https://contoso.sharepoint.com/sites/eip'],
      ['GRAPH_BASE_URL', 'http://graph.example.com'],
      ['GRAPH_BASE_URL', 'https://graph.microsoft.com/v1.0'],
      ['GRAPH_AUTHORITY_HOST', 'login.example.com'],
      ['GRAPH_CLIENT_CERTIFICATE_PATH', '/no/such/certificate.pem'],
      ['GRAPH_CREDENTIAL', 'password'],
    ] as const) {
      it(`refuses a malformed ${name} (${value}), naming it`, () => {
        const env = name === 'GRAPH_CLIENT_CERTIFICATE_PATH' ? without('GRAPH_CLIENT_SECRET') : ok;
        assert.throws(
          () => loadConfig({ ...env, [name]: value }),
          (e: unknown) => e instanceof ConfigError && e.message.startsWith(name) && !e.message.includes('\n'),
        );
      });
    }

    it('takes a certificate instead of a secret, and refuses both at once', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-cert-'));
      const pem = path.join(dir, 'app.pem');
      fs.writeFileSync(
        pem,
        '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----\n',
      );
      try {
        const c = loadConfig({ ...without('GRAPH_CLIENT_SECRET'), GRAPH_CLIENT_CERTIFICATE_PATH: pem });
        assert.deepEqual(c.graph?.credential, {
          kind: 'certificate',
          tenantId: 'contoso.onmicrosoft.com',
          clientId: GUID,
          certificatePath: pem,
        });
        assert.throws(() => loadConfig({ ...ok, GRAPH_CLIENT_CERTIFICATE_PATH: pem }), /choose one/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('signs in with a managed identity without a secret', () => {
      const c = loadConfig({
        EIP_STORE: 'sharepoint',
        SHAREPOINT_SITE_ID: SITE,
        GRAPH_CREDENTIAL: 'managed-identity',
      });
      assert.deepEqual(c.graph?.credential, { kind: 'managed-identity' });
    });

    it('reads schools and people from SharePoint only in SharePoint mode', () => {
      assert.equal(loadConfig({ ...ok, EIP_DIRECTORY: 'sharepoint' }).directorySource, 'sharepoint');
      assert.throws(
        () => loadConfig({ EIP_DIRECTORY: 'sharepoint' }),
        /EIP_DIRECTORY=sharepoint needs EIP_STORE=sharepoint/,
      );
    });
  });
});
