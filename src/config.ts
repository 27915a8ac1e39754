// Configuration from the environment, checked once at start. A mistake stops start-up with one line naming the variable.
import path from 'node:path';
import { z } from 'zod';

export interface Config {
  port: number;
  production: boolean;
  /** No Bot Framework credentials: local, unauthenticated mode (refused in production). */
  local: boolean;
  botAuth: {
    MicrosoftAppId: string;
    MicrosoftAppPassword: string;
    MicrosoftAppType: string;
    MicrosoftAppTenantId: string;
  };
  store: 'sqlite' | 'sharepoint';
  dataDir: string;
  directoryFile: string;
  playground: { enabled: boolean; port: number; configPath: string };
  tenantId?: string;
  jobsToken?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The repository root, whether running from src/ (ts-node) or dist/src/ (compiled). */
export const projectRoot = (): string =>
  path.basename(path.resolve(__dirname, '..')) === 'dist'
    ? path.resolve(__dirname, '..', '..')
    : path.resolve(__dirname, '..');

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : Number(v)))
    .refine((n) => Number.isInteger(n) && n >= 0 && n < 65536, {
      error: `${name} must be a port number from 0 to 65535`,
    });

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (k: string) => (env[k] ?? '').trim();
  const production = get('NODE_ENV') === 'production';
  const appId = get('MicrosoftAppId');
  const password = get('MicrosoftAppPassword');
  const appType = get('MicrosoftAppType') || 'MultiTenant';
  const appTenant = get('MicrosoftAppTenantId');
  if (production) {
    if (!appId)
      throw new ConfigError(
        'MicrosoftAppId is not set: production needs Bot Framework credentials (NODE_ENV=production never runs unauthenticated).',
      );
    if (!password && appType !== 'UserAssignedMSI')
      throw new ConfigError('MicrosoftAppPassword is not set: production needs Bot Framework credentials.');
  }
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType)) {
    throw new ConfigError('MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI.');
  }
  if (appType === 'SingleTenant' && !appTenant)
    throw new ConfigError('MicrosoftAppTenantId is not set: SingleTenant bots need it.');
  const portResult = port('PORT', 3978).safeParse(env.PORT);
  if (!portResult.success) throw new ConfigError(portResult.error.issues[0]!.message);
  const pgPort = port('EIP_PLAYGROUND_PORT', 56150).safeParse(env.EIP_PLAYGROUND_PORT);
  if (!pgPort.success) throw new ConfigError(pgPort.error.issues[0]!.message);
  const store = get('EIP_STORE') || 'sqlite';
  if (store !== 'sqlite' && store !== 'sharepoint')
    throw new ConfigError('EIP_STORE must be sqlite or sharepoint.');
  if (store === 'sharepoint')
    throw new ConfigError('EIP_STORE=sharepoint is not available yet in this version; use sqlite.');
  const local = !appId;
  const playgroundSetting = get('EIP_PLAYGROUND').toLowerCase();
  if (playgroundSetting && !['on', 'off'].includes(playgroundSetting))
    throw new ConfigError('EIP_PLAYGROUND must be on or off.');
  const root = projectRoot();
  const tenantId = get('EIP_TENANT_ID');
  if (production && !tenantId)
    throw new ConfigError('EIP_TENANT_ID is not set: production serves only its own Microsoft 365 tenant.');
  if (production && !get('EIP_DIRECTORY'))
    throw new ConfigError(
      "EIP_DIRECTORY is not set: production needs the LA's own directory, not the demo one.",
    );
  const jobsToken = get('EIP_JOBS_TOKEN');
  return {
    port: portResult.data,
    production,
    local,
    botAuth: {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: password,
      MicrosoftAppType: appType,
      MicrosoftAppTenantId: appTenant,
    },
    store,
    dataDir: path.resolve(get('EIP_DATA_DIR') || path.join(root, 'data')),
    directoryFile: path.resolve(get('EIP_DIRECTORY') || path.join(root, 'demo', 'directory.json')),
    playground: {
      enabled: local && !production && playgroundSetting !== 'off',
      port: pgPort.data,
      configPath: path.join(root, '.m365agentsplayground.yml'),
    },
    ...(tenantId ? { tenantId } : {}),
    ...(jobsToken ? { jobsToken } : {}),
  };
}
