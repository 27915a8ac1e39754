// `npm run package [-- --env NAME]`: builds the Teams app package, appPackage/build/appPackage.<env>.zip, as an LA's
// IT team uploads it in the Teams admin centre. The manifest's ${{NAME}} placeholders (the Agents Toolkit's syntax)
// are filled from env/.env.<env> (and env/.env.<env>.user, where the toolkit keeps what it must not commit), with the
// process's own environment winning. A placeholder left empty stops the build and is named; so does a filled manifest
// that Microsoft's published JSON schema for its manifestVersion rejects (the schema comes as data from the
// @microsoft/app-manifest package, never from the network), and an icon of the wrong size or colours.
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import AdmZip from 'adm-zip';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { PNG } from 'pngjs';
import { projectRoot } from '../config';

/** A build that cannot go on: the message says what to change. */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** `${{NAME}}`, as the Agents Toolkit writes a placeholder (spaces inside the braces allowed, as it allows them). */
export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names a text uses, each once, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Placeholders that may be empty: the toolkit's name suffix (" (local)" while debugging, nothing in production). */
export const MAY_BE_EMPTY: readonly string[] = ['APP_NAME_SUFFIX'];

/**
 * Fills every placeholder from `vars`. One that is unset or empty (unless it may be) fails the build, naming every
 * such placeholder and where its value was looked for.
 */
export function fillPlaceholders(
  text: string,
  vars: Record<string, string | undefined>,
  where: string,
): string {
  const missing = placeholdersIn(text).filter((name) =>
    MAY_BE_EMPTY.includes(name) ? vars[name] === undefined : !vars[name],
  );
  if (missing.length > 0)
    throw new PackageError(
      `${missing.map((n) => `\${{${n}}}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: give ${
        missing.length === 1 ? 'it a value' : 'them values'
      } in ${where} or in the environment.`,
    );
  // A value goes into a JSON string: quotes, backslashes and control characters are escaped, never trusted.
  return text.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(vars[name] ?? '').slice(1, -1));
}

/** The variables for an environment: env/.env.<env>, then env/.env.<env>.user, then the process's own. */
export function environmentFor(
  envDir: string,
  env: string,
  processEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const file = path.join(envDir, `.env.${env}`);
  if (!fs.existsSync(file))
    throw new PackageError(
      `There is no environment "${env}": ${path.relative(process.cwd(), file)} does not exist.`,
    );
  const vars: Record<string, string | undefined> = { ...parseEnv(fs.readFileSync(file, 'utf8')) };
  const user = `${file}.user`;
  if (fs.existsSync(user)) Object.assign(vars, parseEnv(fs.readFileSync(user, 'utf8')));
  for (const [k, v] of Object.entries(processEnv)) if (v) vars[k] = v;
  return vars;
}

/** One way a manifest breaks its schema: where in the manifest, what is wrong, and the schema rule that says so. */
export interface SchemaProblem {
  /** JSON pointer into the manifest, such as /bots/0/scopes/0 ("/" for the whole manifest). */
  path: string;
  message: string;
  /** The rule in Microsoft's schema, such as #/properties/bots/items/properties/scopes/items/enum. */
  schemaPath: string;
}

export const showProblem = (p: SchemaProblem): string => `${p.path} ${p.message} (schema ${p.schemaPath})`;

/** Where @microsoft/app-manifest keeps Microsoft's Teams manifest schemas, one folder per version (v1.30, …). */
export function teamsSchemaDir(): string {
  return path.join(
    path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build/json-schemas/teams',
  );
}

/** The numbered manifest versions the schema package ships, newest last (the developer preview is left out). */
export function shippedManifestVersions(): string[] {
  const numeric = (v: string) => v.split('.').map(Number) as [number, number];
  return fs
    .readdirSync(teamsSchemaDir())
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => numeric(a)[0] - numeric(b)[0] || numeric(a)[1] - numeric(b)[1]);
}

type Schema = Record<string, unknown>;

/**
 * Keywords whose meaning changed after JSON Schema draft-04. Microsoft's Teams schemas declare draft-04 but use none of
 * them, so Ajv 8 (draft-07) reads them exactly as draft-04 would; a schema that did use one is refused rather than
 * read differently.
 */
function assertDraft04Neutral(node: unknown, at = '#'): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => assertDraft04Neutral(n, `${at}/${i}`));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Schema;
  for (const k of ['exclusiveMinimum', 'exclusiveMaximum'])
    if (typeof o[k] === 'boolean')
      throw new PackageError(
        `The manifest schema uses draft-04's boolean ${k} at ${at}: it needs a draft-04 validator.`,
      );
  if (typeof o.id === 'string' && (o.type !== undefined || o.properties !== undefined))
    throw new PackageError(
      `The manifest schema uses draft-04's "id" at ${at}: it needs a draft-04 validator.`,
    );
  for (const [k, v] of Object.entries(o)) {
    // Property names inside "properties" are data, not keywords.
    if (k === 'properties' && v && typeof v === 'object') {
      for (const [name, sub] of Object.entries(v as Schema))
        assertDraft04Neutral(sub, `${at}/properties/${name}`);
    } else assertDraft04Neutral(v, `${at}/${k}`);
  }
}

const validators = new Map<string, ValidateFunction>();

/** The compiled schema for a manifest version, from the package's copy of Microsoft's published schema. */
export function manifestValidator(manifestVersion: string): ValidateFunction {
  const known = validators.get(manifestVersion);
  if (known) return known;
  const file = path.join(teamsSchemaDir(), `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  if (!/^\d+\.\d+$/.test(manifestVersion) || !fs.existsSync(file))
    throw new PackageError(
      `manifestVersion ${JSON.stringify(manifestVersion)} has no schema in @microsoft/app-manifest (it ships ${shippedManifestVersions().join(', ')}).`,
    );
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
  assertDraft04Neutral(schema);
  // The draft-04 meta-schema is not Ajv 8's; the keywords it would change are checked above.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  validators.set(manifestVersion, validate);
  return validate;
}

const problemOf = (e: ErrorObject): SchemaProblem => {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
      : e.keyword === 'enum'
        ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`
        : '';
  return {
    path: e.instancePath || '/',
    message: `${e.message ?? e.keyword}${extra}`,
    schemaPath: e.schemaPath,
  };
};

/** What is wrong with a manifest under the schema its manifestVersion names; empty when it is valid. */
export function validateManifest(manifest: unknown): SchemaProblem[] {
  const version = (manifest as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (typeof version !== 'string')
    return [{ path: '/manifestVersion', message: 'must be a string', schemaPath: '#/required' }];
  const validate = manifestValidator(version);
  const problems = validate(manifest) ? [] : (validate.errors ?? []).map(problemOf);
  const schemaUrl = (manifest as { $schema?: unknown }).$schema;
  if (typeof schemaUrl === 'string' && !schemaUrl.includes(`/teams/v${version}/`))
    problems.push({
      path: '/$schema',
      message: `must be the schema of manifestVersion ${version}`,
      schemaPath: '#/properties/manifestVersion',
    });
  return problems;
}

/** The icons the manifest names, checked as Teams checks them: sizes, and an outline in white on transparent. */
export function iconProblems(files: { color: Buffer; outline: Buffer }): string[] {
  const problems: string[] = [];
  const read = (name: string, bytes: Buffer): PNG | undefined => {
    try {
      return PNG.sync.read(bytes);
    } catch (e) {
      problems.push(`${name} is not a PNG (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  };
  const color = read('color.png', files.color);
  if (color && (color.width !== 192 || color.height !== 192))
    problems.push(`color.png must be 192×192 pixels, not ${color.width}×${color.height}`);
  const outline = read('outline.png', files.outline);
  if (outline) {
    if (outline.width !== 32 || outline.height !== 32)
      problems.push(`outline.png must be 32×32 pixels, not ${outline.width}×${outline.height}`);
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      // White at any opacity (anti-aliased edges), or fully transparent.
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
        const px = i / 4;
        problems.push(
          `outline.png must be white on transparent: pixel (${px % outline.width}, ${Math.floor(px / outline.width)}) is rgba(${r}, ${g}, ${b}, ${a})`,
        );
        break;
      }
    }
  }
  return problems;
}

export interface PackageOptions {
  /** The environment's name: env/.env.<env>. */
  env: string;
  /** The repository root (default: this project's). */
  root?: string;
  /** Where manifest.json and its icons are (default <root>/appPackage). */
  appDir?: string;
  /** Where the env files are (default <root>/env). */
  envDir?: string;
  /** Where the zip goes (default <appDir>/build). */
  outDir?: string;
  /** Overrides for the env files' values (default process.env). */
  processEnv?: NodeJS.ProcessEnv;
}

export interface Built {
  zipPath: string;
  manifest: Record<string, unknown>;
}

/** Fills, validates and zips the app package; nothing is written unless every check passes. */
export function buildPackage(options: PackageOptions): Built {
  if (!/^[A-Za-z0-9_-]+$/.test(options.env))
    throw new PackageError(`--env ${JSON.stringify(options.env)} must be a name such as dev or local.`);
  const root = options.root ?? projectRoot();
  const appDir = options.appDir ?? path.join(root, 'appPackage');
  const envDir = options.envDir ?? path.join(root, 'env');
  const outDir = options.outDir ?? path.join(appDir, 'build');
  const vars = environmentFor(envDir, options.env, options.processEnv ?? process.env);
  const template = fs.readFileSync(path.join(appDir, 'manifest.json'), 'utf8');
  const filled = fillPlaceholders(template, vars, `env/.env.${options.env}`);
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  const problems = validateManifest(manifest);
  if (problems.length > 0)
    throw new PackageError(
      `The filled manifest does not match the Teams manifest schema ${String(manifest.manifestVersion)}:\n${problems
        .map((p) => `  ${showProblem(p)}`)
        .join('\n')}`,
    );
  const icons = manifest.icons as { color: string; outline: string };
  const files = {
    color: fs.readFileSync(path.join(appDir, icons.color)),
    outline: fs.readFileSync(path.join(appDir, icons.outline)),
  };
  const bad = iconProblems(files);
  if (bad.length > 0) throw new PackageError(`The icons will not pass Teams' checks:\n  ${bad.join('\n  ')}`);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  zip.addFile(icons.color, files.color);
  zip.addFile(icons.outline, files.outline);
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${options.env}.zip`);
  zip.writeZip(zipPath);
  return { zipPath, manifest };
}

/** `--env NAME` or `--env=NAME`; dev when not given. */
export function parsePackageArgs(argv: readonly string[]): { env: string } {
  let env = 'dev';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--env' && argv[i + 1] !== undefined) env = argv[++i]!;
    else if (a.startsWith('--env=')) env = a.slice('--env='.length);
    else throw new PackageError(`${a} is not understood. usage: npm run package [-- --env NAME]`);
  }
  return { env };
}

if (require.main === module) {
  try {
    const { env } = parsePackageArgs(process.argv.slice(2));
    const { zipPath, manifest } = buildPackage({ env });
    process.stdout.write(
      `${path.relative(process.cwd(), zipPath)}: manifest ${String(manifest.manifestVersion)} valid, version ${String(manifest.version)}\n`,
    );
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    process.stderr.write(`npm run package: ${e.message}\n`);
    process.exit(1);
  }
}
