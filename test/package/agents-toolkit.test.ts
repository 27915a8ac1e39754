// The Agents Toolkit project as far as it can be checked without a tenant or Azure: both YAML files parse and use the
// toolkit's actions with the fields each needs; every ${{VAR}} the YAML, the manifest and the Bicep parameters name is
// in the environment's env file or written by an earlier step; the committed env files hold no secrets; and the Bicep
// is well formed (no Bicep compiler installs here, so the check is structural) and sets the settings src/config.ts
// reads, with the secrets as Key Vault references.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import YAML from 'yaml';
import { placeholdersIn } from '../../src/dev/package';

const root = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

type Step = {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
};
type Project = {
  version: string;
  environmentFolderPath?: string;
  provision?: Step[];
  deploy?: Step[];
  publish?: Step[];
};

/** The toolkit's actions this project may use, with the `with` fields each requires (from the toolkit's schema). */
const ACTIONS: Record<string, string[]> = {
  'teamsApp/create': ['name'],
  'aadApp/create': ['name', 'generateClientSecret', 'signInAudience'],
  'arm/deploy': ['subscriptionId', 'resourceGroupName', 'templates'],
  'botFramework/create': ['botId', 'name', 'messagingEndpoint'],
  'teamsApp/validateManifest': ['manifestPath'],
  'teamsApp/zipAppPackage': ['manifestPath', 'outputZipPath', 'outputFolder'],
  'teamsApp/validateAppPackage': ['appPackagePath'],
  'teamsApp/update': ['appPackagePath'],
  'teamsApp/publishAppPackage': ['appPackagePath'],
  'cli/runNpmCommand': ['args'],
  'azureAppService/zipDeploy': ['artifactFolder', 'resourceId'],
  'file/createOrUpdateEnvironmentFile': ['target', 'envs'],
};

const projects = {
  dev: { file: 'm365agents.yml', env: 'dev' },
  local: { file: 'm365agents.local.yml', env: 'local' },
} as const;

const load = (file: string) => YAML.parse(read(file)) as Project;
const stepsOf = (p: Project) => [...(p.provision ?? []), ...(p.deploy ?? []), ...(p.publish ?? [])];
const envFile = (env: string) => parseEnv(read(`env/.env.${env}`));

// ---- Bicep, read structurally ----

/** The Bicep text with comments blanked and each string's content blanked (its quotes kept). */
export function bicepCode(text: string): { code: string; strings: string[] } {
  let code = '';
  const strings: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'") {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== "'") {
        if (text[j] === '\\') s += text[j++];
        s += text[j++];
      }
      if (j >= text.length) throw new Error(`a string opened at offset ${i} is never closed`);
      strings.push(s);
      code += "''";
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

/** What is wrong with the Bicep's shape: unbalanced brackets, params and vars never used, unknown resource types. */
export function bicepProblems(text: string, knownTypes: readonly string[]): string[] {
  const problems: string[] = [];
  const { code, strings } = bicepCode(text);
  const stack: { ch: string; line: number }[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  code.split('\n').forEach((lineText, n) => {
    for (const ch of lineText) {
      if ('([{'.includes(ch)) stack.push({ ch, line: n + 1 });
      else if (ch in pairs) {
        const open = stack.pop();
        if (open?.ch !== pairs[ch])
          problems.push(`line ${n + 1}: ${ch} closes ${open ? open.ch : 'nothing'}`);
      }
    }
  });
  for (const open of stack) problems.push(`line ${open.line}: ${open.ch} is never closed`);
  // Names are used in code, or inside a string's ${…}.
  const uses = `${code}\n${strings.join('\n')}`;
  for (const m of code.matchAll(/^(param|var)\s+([A-Za-z_]\w*)/gm)) {
    const count = [...uses.matchAll(new RegExp(`\\b${m[2]}\\b`, 'g'))].length;
    if (count < 2) problems.push(`${m[1]} ${m[2]} is declared and never used`);
  }
  const resourceTypes = [...text.matchAll(/^resource\s+\w+\s+'([^'@]+)@([^']+)'/gm)];
  if (resourceTypes.length === 0) problems.push('no resources');
  for (const [, type, api] of resourceTypes) {
    if (!knownTypes.includes(type!)) problems.push(`resource type ${type} is not one this project deploys`);
    if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(api!))
      problems.push(`${type} has no API version date (${api})`);
  }
  return problems;
}

const bicepText = read('infra/azure.bicep');
const RESOURCE_TYPES = [
  'Microsoft.Web/serverfarms',
  'Microsoft.Web/sites',
  'Microsoft.KeyVault/vaults',
  'Microsoft.KeyVault/vaults/secrets',
  'Microsoft.Authorization/roleAssignments',
  'Microsoft.BotService/botServices',
  'Microsoft.BotService/botServices/channels',
];
const bicepParams = () =>
  [...bicepText.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=)?/gm)].map((m) => ({ name: m[1]!, defaulted: !!m[3] }));
const bicepOutputs = () => [...bicepText.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!);
const parametersFile = () =>
  JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };

/** The app settings the Bicep gives the App Service: name to its value's source text. */
const appSettings = () =>
  new Map(
    [...bicepText.matchAll(/\{ name: '([^']+)', value: ('(?:[^'\\]|\\.)*'|[^{}\n]+?) \}/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );

describe('Agents Toolkit project', () => {
  for (const [label, { file, env }] of Object.entries(projects)) {
    describe(file, () => {
      const project = load(file);

      it('parses, names its schema version, and uses only known actions with the fields each needs', () => {
        assert.match(project.version, /^v1\.\d+$/);
        assert.match(read(file), new RegExp(`yaml\\.schema\\.json`));
        assert.ok((project.provision ?? []).length > 0 && (project.deploy ?? []).length > 0);
        for (const step of stepsOf(project)) {
          const required = ACTIONS[step.uses];
          assert.ok(required, `${file}: ${step.uses} is not an action this project knows`);
          for (const field of required)
            assert.ok(step.with && field in step.with, `${file}: ${step.uses} needs with.${field}`);
        }
      });

      it('creates a single-tenant bot identity whose secret goes to the .user file only', () => {
        const aad = stepsOf(project).find((s) => s.uses === 'aadApp/create')!;
        assert.equal(aad.with!.signInAudience, 'AzureADMyOrg');
        assert.equal(aad.writeToEnvironmentFile!.clientId, 'BOT_ID');
        assert.match(aad.writeToEnvironmentFile!.clientSecret!, /^SECRET_/);
      });

      it('names files that exist', () => {
        for (const step of stepsOf(project)) {
          const w = step.with ?? {};
          for (const key of ['manifestPath', 'ignoreFile'])
            if (typeof w[key] === 'string') assert.ok(fs.existsSync(path.join(root, w[key])), `${w[key]}`);
          for (const t of (w.templates as { path: string; parameters: string }[] | undefined) ?? []) {
            assert.ok(fs.existsSync(path.join(root, t.path)), t.path);
            assert.ok(fs.existsSync(path.join(root, t.parameters)), t.parameters);
          }
        }
      });

      it(`defines every \${{VAR}} it, the manifest${label === 'dev' ? ' and the Bicep parameters' : ''} use`, () => {
        const steps = stepsOf(project);
        const defined = new Set(Object.keys(envFile(env)));
        for (const s of steps) for (const v of Object.values(s.writeToEnvironmentFile ?? {})) defined.add(v);
        const deploysArm = steps.some((s) => s.uses === 'arm/deploy');
        if (deploysArm) for (const o of bicepOutputs()) defined.add(o);
        if (label === 'local') {
          // The dev tunnel task writes the bot's public address before provision runs.
          const tasks = JSON.parse(read('.vscode/tasks.json')) as {
            tasks: {
              command?: string;
              args?: { ports?: { writeToEnvironmentFile?: Record<string, string> }[] };
            }[];
          };
          const tunnel = tasks.tasks.find((t) => t.command === 'debug-start-local-tunnel')!;
          for (const p of tunnel.args!.ports!)
            for (const v of Object.values(p.writeToEnvironmentFile ?? {})) defined.add(v);
        }
        const used = new Set([
          ...placeholdersIn(read(file)),
          ...placeholdersIn(read('appPackage/manifest.json')),
        ]);
        if (deploysArm) for (const v of placeholdersIn(read('infra/azure.parameters.json'))) used.add(v);
        const undefinedVars = [...used].filter((v) => !defined.has(v));
        assert.deepEqual(undefinedVars, []);
      });
    });
  }

  it('the Azure project deploys with the Bicep and uploads to the App Service the Bicep outputs', () => {
    const steps = stepsOf(load('m365agents.yml'));
    const zipDeploy = steps.find((s) => s.uses === 'azureAppService/zipDeploy')!;
    assert.equal(zipDeploy.with!.resourceId, '${{AZURE_APP_SERVICE_RESOURCE_ID}}');
    assert.ok(bicepOutputs().includes('AZURE_APP_SERVICE_RESOURCE_ID'));
    // The upload leaves out what App Service builds itself, and anything secret or personal.
    const ignored = read(String(zipDeploy.with!.ignoreFile)).split('\n');
    for (const entry of ['node_modules/', 'data/', 'env/', '.localConfigs'])
      assert.ok(ignored.includes(entry), entry);
  });

  it('the local project registers the bot with the Teams channel at the tunnel and hands the bot its credentials', () => {
    const steps = stepsOf(load('m365agents.local.yml'));
    const bot = steps.find((s) => s.uses === 'botFramework/create')!;
    assert.equal(bot.with!.messagingEndpoint, '${{BOT_ENDPOINT}}/api/messages');
    assert.deepEqual(bot.with!.channels, [{ name: 'msteams' }]);
    const envs = steps.find((s) => s.uses === 'file/createOrUpdateEnvironmentFile')!.with!.envs as Record<
      string,
      string
    >;
    assert.equal(envs.MicrosoftAppType, 'SingleTenant');
    assert.equal(envs.MicrosoftAppPassword, '${{SECRET_BOT_PASSWORD}}');
    assert.equal(envs.EIP_TENANT_ID, '${{BOT_TENANT_ID}}');
  });

  it('commits no secret: env files have no SECRET_ or password values, and git ignores the files that do', () => {
    for (const env of ['dev', 'local']) {
      const vars = envFile(env);
      for (const [k, v] of Object.entries(vars)) {
        assert.doesNotMatch(k, /SECRET|PASSWORD|TOKEN/, `env/.env.${env}: ${k}`);
        // What provision writes starts empty in the committed file.
        if (/^(TEAMS_APP_ID|BOT_ID|BOT_OBJECT_ID|BOT_TENANT_ID|BOT_ENDPOINT|BOT_DOMAIN)$/.test(k))
          assert.equal(v, '', `env/.env.${env}: ${k}`);
      }
    }
    const ignored = read('.gitignore').split('\n');
    for (const entry of ['env/.env.*.user', 'appPackage/build/', '.localConfigs'])
      assert.ok(ignored.includes(entry), entry);
  });
});

describe('infra/azure.bicep (structural: no Bicep compiler here)', () => {
  it('is well formed: brackets balance, every param and var is used, resource types are known', () => {
    assert.deepEqual(bicepProblems(bicepText, RESOURCE_TYPES), []);
  });

  it('the structural check finds an unclosed brace, an unused param and an unknown resource type', () => {
    const broken = `${bicepText.replace(/(resource botService [^\n]*\{)/, '$1 {')}\nparam unused string\nresource x 'Microsoft.Sql/servers@2023-01-01' = {\n  name: resourceBaseName\n}\n`;
    const problems = bicepProblems(broken, RESOURCE_TYPES);
    assert.ok(
      problems.some((p) => /\{ is never closed/.test(p)),
      problems.join('; '),
    );
    assert.ok(problems.includes('param unused is declared and never used'), problems.join('; '));
    assert.ok(
      problems.includes('resource type Microsoft.Sql/servers is not one this project deploys'),
      problems.join('; '),
    );
  });

  it('the parameters file gives every parameter without a default, and names only parameters the Bicep declares', () => {
    const given = Object.keys(parametersFile().parameters);
    const declared = bicepParams();
    assert.deepEqual(
      given.filter((g) => !declared.some((d) => d.name === g)),
      [],
    );
    assert.deepEqual(
      declared.filter((d) => !d.defaulted && !given.includes(d.name)).map((d) => d.name),
      [],
    );
    // The secret reaches the template only as a parameter the Bicep marks secure.
    assert.match(bicepText, /@secure\(\)\n(@description\([^\n]*\)\n)?param botAadAppClientSecret string/);
  });

  it('registers a single-tenant Azure Bot with the Teams channel, calling the App Service', () => {
    assert.match(bicepText, /msaAppType: 'SingleTenant'/);
    assert.match(bicepText, /msaAppTenantId: tenantId/);
    assert.match(bicepText, /channelName: 'MsTeamsChannel'/);
    assert.match(bicepText, /endpoint: 'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
  });

  it('runs `npm start` on Linux Node 20 with NODE_ENV=production', () => {
    assert.match(bicepText, /linuxFxVersion: 'NODE\|20-lts'/);
    assert.match(bicepText, /appCommandLine: 'npm start'/);
    assert.equal(appSettings().get('NODE_ENV'), "'production'");
    // App Service installs the packages itself, development ones included: `npm start` compiles with TypeScript.
    assert.equal(appSettings().get('SCM_DO_BUILD_DURING_DEPLOYMENT'), "'true'");
    assert.equal(appSettings().get('NPM_CONFIG_INCLUDE'), "'dev'");
    assert.match(read('package.json'), /"prestart": "npm run build"/);
  });

  it("sets the bot's and the SharePoint store's settings by the names src/config.ts reads, secrets from Key Vault", () => {
    const settings = appSettings();
    const config = read('src/config.ts');
    const read_ = new Set([...config.matchAll(/(?:get|need)\('([A-Za-z_]+)'/g)].map((m) => m[1]!));
    for (const name of settings.keys())
      if (/^(EIP_|GRAPH_|SHAREPOINT_|Microsoft)/.test(name))
        assert.ok(read_.has(name), `${name} is not read by src/config.ts`);
    for (const name of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'EIP_TENANT_ID',
      'EIP_STORE',
      'EIP_DIRECTORY',
      'SHAREPOINT_SITE_ID',
      'GRAPH_TENANT_ID',
      'GRAPH_CLIENT_ID',
      'GRAPH_CLIENT_SECRET',
      'EIP_JOBS_TOKEN',
    ])
      assert.ok(settings.has(name), `${name} is not set`);
    // Secrets are Key Vault references, resolved by the app's managed identity.
    for (const secret of ['MicrosoftAppPassword', 'GRAPH_CLIENT_SECRET'])
      assert.equal(settings.get(secret), 'botSecretRef', secret);
    assert.match(
      bicepText,
      /var botSecretRef = '@Microsoft\.KeyVault\(SecretUri=\$\{botSecret\.properties\.secretUri\}\)'/,
    );
    assert.match(settings.get('EIP_JOBS_TOKEN')!, /^'@Microsoft\.KeyVault\(SecretUri=/);
    assert.match(bicepText, /roleDefinitions', keyVaultSecretsUserRoleId/);
  });

  it('keeps the SQLite store on one instance, whatever the instance count', () => {
    assert.match(bicepText, /var instances = eipStore == 'sqlite' \? 1 : int\(instanceCount\)/);
    assert.match(bicepText, /capacity: instances/);
  });
});
