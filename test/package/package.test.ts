// `npm run package`: the zip an IT team uploads, with placeholders filled from env/.env.<env> (the shell's
// environment winning), refused with the placeholder named when one is not set, and refused with the schema path when
// the filled manifest is wrong. Nothing is written when the build fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import {
  PackageError,
  buildPackage,
  fillPlaceholders,
  parsePackageArgs,
  validateManifest,
} from '../../src/dev/package';
import { SAMPLE_VALUES } from './samples';

const root = path.resolve(__dirname, '..', '..');

const scratchDirs: string[] = [];

/** A scratch env folder and output folder; the real appPackage/ is read, never written. */
function scratch(values: Record<string, string>, env = 'test') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-package-'));
  scratchDirs.push(dir);
  const envDir = path.join(dir, 'env');
  fs.mkdirSync(envDir);
  fs.writeFileSync(
    path.join(envDir, `.env.${env}`),
    `# written by the test\n${Object.entries(values)
      .map(([k, v]) => `${k}=${v.includes(' ') ? JSON.stringify(v) : v}`)
      .join('\n')}\n`,
  );
  const outDir = path.join(dir, 'build');
  return { dir, envDir, outDir, zip: path.join(outDir, `appPackage.${env}.zip`) };
}

const without = (name: string) =>
  Object.fromEntries(Object.entries(SAMPLE_VALUES).filter(([k]) => k !== name));

describe('npm run package', () => {
  after(() => {
    for (const d of scratchDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('zips the filled manifest and both icons, and the zip passes schema validation', () => {
    const s = scratch({ ...SAMPLE_VALUES, APP_NAME_SUFFIX: ' (test)' });
    const built = buildPackage({ env: 'test', root, envDir: s.envDir, outDir: s.outDir, processEnv: {} });
    assert.equal(built.zipPath, s.zip);
    const zip = new AdmZip(s.zip);
    assert.deepEqual(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
      ['color.png', 'manifest.json', 'outline.png'],
    );
    const text = zip.readAsText('manifest.json');
    assert.doesNotMatch(text, /\$\{\{/);
    const manifest = JSON.parse(text) as Record<string, unknown> & { bots: { botId: string }[] };
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.id, SAMPLE_VALUES.TEAMS_APP_ID);
    assert.equal(manifest.bots[0]!.botId, SAMPLE_VALUES.BOT_ID);
    assert.deepEqual(manifest.name, { short: 'EIP bot (test)', full: 'Education Inclusion Partnership bot' });
    assert.deepEqual(manifest.validDomains, [SAMPLE_VALUES.BOT_DOMAIN]);
    assert.deepEqual(zip.readFile('color.png'), fs.readFileSync(path.join(root, 'appPackage', 'color.png')));
  });

  it("lets the shell's environment override the env file", () => {
    const s = scratch(SAMPLE_VALUES);
    const built = buildPackage({
      env: 'test',
      root,
      envDir: s.envDir,
      outDir: s.outDir,
      processEnv: { DEVELOPER_NAME: 'Otherborough Council' },
    });
    assert.equal((built.manifest.developer as { name: string }).name, 'Otherborough Council');
  });

  it('fails naming each placeholder that has no value, and writes no zip', () => {
    const s = scratch({ ...without('BOT_ID'), DEVELOPER_PRIVACY_URL: '' });
    assert.throws(
      () => buildPackage({ env: 'test', root, envDir: s.envDir, outDir: s.outDir, processEnv: {} }),
      (e: unknown) =>
        e instanceof PackageError &&
        e.message ===
          '${{DEVELOPER_PRIVACY_URL}}, ${{BOT_ID}} are not set: give them values in env/.env.test or in the environment.',
    );
    assert.equal(fs.existsSync(s.zip), false);
  });

  it('fails with the schema path when a filled value breaks the schema, and writes no zip', () => {
    const s = scratch({ ...SAMPLE_VALUES, DEVELOPER_WEBSITE_URL: 'www.anyshire.gov.uk' });
    assert.throws(
      () => buildPackage({ env: 'test', root, envDir: s.envDir, outDir: s.outDir, processEnv: {} }),
      (e: unknown) =>
        e instanceof PackageError &&
        /^The filled manifest does not match the Teams manifest schema 1\.\d+:\n {2}\/developer\/websiteUrl must match pattern/.test(
          e.message,
        ) &&
        /schema #\/definitions\/anyHttpUrl\/pattern/.test(e.message),
    );
    assert.equal(fs.existsSync(s.zip), false);
  });

  it('refuses an environment with no env file, naming the file', () => {
    const s = scratch(SAMPLE_VALUES);
    assert.throws(
      () => buildPackage({ env: 'staging', root, envDir: s.envDir, outDir: s.outDir, processEnv: {} }),
      /There is no environment "staging": .*\.env\.staging does not exist/,
    );
  });

  it('escapes a value into its JSON string rather than trusting it', () => {
    const out = fillPlaceholders('{"name": "${{N}}"}', { N: 'Anyshire "EIP" \\ Council' }, 'the test');
    assert.deepEqual(JSON.parse(out), { name: 'Anyshire "EIP" \\ Council' });
  });

  it('reads --env NAME or --env=NAME, dev by default, and refuses anything else', () => {
    assert.deepEqual(parsePackageArgs([]), { env: 'dev' });
    assert.deepEqual(parsePackageArgs(['--env', 'local']), { env: 'local' });
    assert.deepEqual(parsePackageArgs(['--env=local']), { env: 'local' });
    assert.throws(() => parsePackageArgs(['--envy']), /--envy is not understood/);
  });

  it('as a command: the committed dev environment, still empty, fails with one line naming the placeholders', () => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !Object.keys(SAMPLE_VALUES).includes(k)),
    );
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/dev/package.ts'], {
      cwd: root,
      env: clean,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^npm run package: .*\$\{\{TEAMS_APP_ID\}\}.*\$\{\{BOT_ID\}\}.* in env\/\.env\.dev/,
    );
    assert.doesNotMatch(r.stderr, /APP_NAME_SUFFIX/);
  });
});
