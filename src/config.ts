// Configuration from the environment, checked once at start. A mistake stops start-up with one line naming the variable.
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

export interface Config {
  port: number;
  /** The interface the HTTP server binds to: loopback in local mode, every interface otherwise. */
  host: string;
  production: boolean;
  /** No Bot Framework credentials: local, unauthenticated mode (refused in production). */
  local: boolean;
  botAuth: {
    MicrosoftAppId: string;
    MicrosoftAppPassword: string;
    MicrosoftAppType: string;
    MicrosoftAppTenantId: string;
  };
  /**
   * Where Bot Framework tokens are checked (and the bot's own are fetched). Never read from the environment: unset,
   * botbuilder uses the public cloud's. A test sets it to a token issuer of its own.
   */
  botAuthEndpoints?: BotAuthEndpoints;
  /**
   * Authenticated mode: the Bot Connector services an activity's serviceUrl may name (origins; `*.` matches any
   * subdomain). The bot refuses any other, so it never sends replies, or its own token, anywhere else.
   */
  serviceUrls: string[];
  store: 'sqlite' | 'sharepoint';
  dataDir: string;
  directoryFile: string;
  /** Where schools and people come from: the JSON file, or (SharePoint mode only) the site's two lists. */
  directorySource: 'file' | 'sharepoint';
  /** SharePoint mode: how to reach Microsoft Graph and which site holds the lists. */
  graph?: GraphConfig;
  playground: { enabled: boolean; port: number; configPath: string };
  tenantId?: string;
  jobsToken?: string;
  /** A closed case is kept until its pupil's date of birth plus this many years (EIP_RETENTION_YEARS_AFTER_DOB). */
  retentionYearsAfterDob: number;
  /**
   * Where a file sent to the bot may be downloaded from (EIP_FILE_HOSTS): origins, `*.` for any subdomain. Teams
   * hands the bot a link to the sender's OneDrive, so by default SharePoint Online's hosts; local mode also allows
   * this machine (http or https, any port).
   */
  fileHosts: string[];
}

/** botbuilder's settings for a cloud of its own (ConfigurationBotFrameworkAuthentication takes all or none). */
export interface BotAuthEndpoints {
  ToBotFromChannelOpenIdMetadataUrl: string;
  ToBotFromEmulatorOpenIdMetadataUrl: string;
  ToBotFromChannelTokenIssuer: string;
  ToChannelFromBotOAuthScope: string;
  ToChannelFromBotLoginUrl: string;
  OAuthUrl: string;
  CallerId: string;
  ValidateAuthority: boolean;
}

/** Teams' Bot Connector in the public cloud, and the Bot Framework's own services. */
export const DEFAULT_SERVICE_URLS = ['https://smba.trafficmanager.net', 'https://*.botframework.com'];

/** OneDrive for Business and SharePoint Online, where Teams keeps a file sent in a 1:1 chat. */
export const DEFAULT_FILE_HOSTS = ['https://*.sharepoint.com'];

/**
 * The IRMS Information Management Toolkit for Schools keeps special educational needs files until the pupil's date
 * of birth plus 31 years: an EHC plan can last to age 25, and six years more covers a claim under the Limitation Act.
 */
export const DEFAULT_RETENTION_YEARS_AFTER_DOB = 31;

/** How the bot signs in to Microsoft Graph: a client secret, a certificate, or the host's managed identity. */
export type GraphCredentialConfig =
  | { kind: 'secret'; tenantId: string; clientId: string; secret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'managed-identity'; clientId?: string };

export interface GraphConfig {
  credential: GraphCredentialConfig;
  siteId: string;
  /** Graph's host, without /v1.0. */
  baseUrl: string;
  /** The Entra ID sign-in host. */
  authorityHost: string;
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
  const graph = store === 'sharepoint' ? graphConfig(get) : undefined;
  const directorySetting = get('EIP_DIRECTORY');
  const directorySource = directorySetting.toLowerCase() === 'sharepoint' ? 'sharepoint' : 'file';
  if (directorySource === 'sharepoint' && store !== 'sharepoint')
    throw new ConfigError(
      'EIP_DIRECTORY=sharepoint needs EIP_STORE=sharepoint: the lists live on the SharePoint site.',
    );
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
  const host = get('EIP_BIND_HOST') || (local ? '127.0.0.1' : '0.0.0.0');
  if (!isIP(host) && host !== 'localhost')
    throw new ConfigError('EIP_BIND_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0.');
  const retention = get('EIP_RETENTION_YEARS_AFTER_DOB') || String(DEFAULT_RETENTION_YEARS_AFTER_DOB);
  const retentionYearsAfterDob = Number(retention);
  if (!/^\d{1,3}$/.test(retention) || retentionYearsAfterDob < 1 || retentionYearsAfterDob > 100)
    throw new ConfigError(
      `EIP_RETENTION_YEARS_AFTER_DOB must be a whole number of years from 1 to 100 (the IRMS schools toolkit's is ${DEFAULT_RETENTION_YEARS_AFTER_DOB}).`,
    );
  return {
    port: portResult.data,
    host,
    production,
    local,
    botAuth: {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: password,
      MicrosoftAppType: appType,
      MicrosoftAppTenantId: appTenant,
    },
    serviceUrls: serviceUrls(get('EIP_SERVICE_URLS')),
    store,
    dataDir: path.resolve(get('EIP_DATA_DIR') || path.join(root, 'data')),
    directoryFile:
      directorySource === 'sharepoint'
        ? 'sharepoint'
        : path.resolve(directorySetting || path.join(root, 'demo', 'directory.json')),
    directorySource,
    ...(graph ? { graph } : {}),
    playground: {
      enabled: local && !production && playgroundSetting !== 'off',
      port: pgPort.data,
      configPath: path.join(root, '.m365agentsplayground.yml'),
    },
    ...(tenantId ? { tenantId } : {}),
    ...(jobsToken ? { jobsToken } : {}),
    retentionYearsAfterDob,
    fileHosts: [
      ...(get('EIP_FILE_HOSTS') ? origins('EIP_FILE_HOSTS', get('EIP_FILE_HOSTS')) : DEFAULT_FILE_HOSTS),
      ...(local ? ['http://localhost', 'http://127.0.0.1', 'https://localhost', 'https://127.0.0.1'] : []),
    ],
  };
}

/** EIP_SERVICE_URLS: https origins, comma-separated; a host may start `*.` for any of its subdomains. */
function serviceUrls(value: string): string[] {
  if (!value) return [...DEFAULT_SERVICE_URLS];
  return origins('EIP_SERVICE_URLS', value);
}

/** https origins, comma-separated; a host may start `*.` for any of its subdomains. */
function origins(name: string, value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => {
      const url = /^https:\/\/(\*\.)?([a-z0-9.-]+)(:\d+)?\/?$/i.exec(v);
      if (!url)
        throw new ConfigError(
          `${name}: ${v} must be an https origin such as https://smba.trafficmanager.net or https://*.botframework.com.`,
        );
      return v.replace(/\/$/, '').toLowerCase();
    });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant is a GUID or a domain such as contoso.onmicrosoft.com. */
const TENANT =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
/** A Graph site id: hostname,site-collection-guid,web-guid. */
const SITE_ID =
  /^[a-z0-9.-]+,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12},[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An https origin; Graph's base URL may not carry /v1.0 (the client adds the version itself). */
function httpsOrigin(name: string, value: string, fallback: string): string {
  if (!value) return fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an https URL such as ${fallback}.`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`${name} must use https, such as ${fallback}.`);
  if (url.pathname !== '/' || url.search || url.hash)
    throw new ConfigError(`${name} must be the host alone, without a path such as /v1.0: ${url.origin}`);
  return url.origin;
}

function graphConfig(get: (k: string) => string): GraphConfig {
  const need = (name: string, why: string) => {
    const v = get(name);
    if (!v) throw new ConfigError(`${name} is not set: EIP_STORE=sharepoint needs ${why}.`);
    return v;
  };
  const siteId = need('SHAREPOINT_SITE_ID', 'the id of the site that holds the lists');
  if (!SITE_ID.test(siteId))
    throw new ConfigError(
      'SHAREPOINT_SITE_ID must be a Graph site id: hostname,site-guid,web-guid (GET /v1.0/sites/{hostname}:/sites/{name} shows it).',
    );
  const baseUrl = httpsOrigin('GRAPH_BASE_URL', get('GRAPH_BASE_URL'), 'https://graph.microsoft.com');
  const authorityHost = httpsOrigin(
    'GRAPH_AUTHORITY_HOST',
    get('GRAPH_AUTHORITY_HOST'),
    'https://login.microsoftonline.com',
  );
  const mode = get('GRAPH_CREDENTIAL').toLowerCase();
  if (mode && !['secret', 'certificate', 'managed-identity'].includes(mode))
    throw new ConfigError('GRAPH_CREDENTIAL must be secret, certificate or managed-identity.');
  if (mode === 'managed-identity') {
    const clientId = get('GRAPH_CLIENT_ID');
    if (clientId && !GUID.test(clientId))
      throw new ConfigError(
        'GRAPH_CLIENT_ID must be the client id (a GUID) of the user-assigned managed identity.',
      );
    return {
      credential: { kind: 'managed-identity', ...(clientId ? { clientId } : {}) },
      siteId,
      baseUrl,
      authorityHost,
    };
  }
  const tenantId = need('GRAPH_TENANT_ID', "the Entra ID tenant of the bot's app registration");
  if (!TENANT.test(tenantId))
    throw new ConfigError(
      'GRAPH_TENANT_ID must be a tenant id (a GUID) or domain, such as contoso.onmicrosoft.com.',
    );
  const clientId = need('GRAPH_CLIENT_ID', "the app registration's client id");
  if (!GUID.test(clientId)) throw new ConfigError('GRAPH_CLIENT_ID must be a client id: a GUID.');
  const secret = get('GRAPH_CLIENT_SECRET');
  const certificatePath = get('GRAPH_CLIENT_CERTIFICATE_PATH');
  if (secret && certificatePath)
    throw new ConfigError('GRAPH_CLIENT_SECRET and GRAPH_CLIENT_CERTIFICATE_PATH are both set: choose one.');
  if (certificatePath) {
    const file = path.resolve(certificatePath);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`GRAPH_CLIENT_CERTIFICATE_PATH: cannot read ${file}.`);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || !/-----BEGIN CERTIFICATE-----/.test(text))
      throw new ConfigError(
        `GRAPH_CLIENT_CERTIFICATE_PATH: ${file} must be a PEM file holding the certificate and its private key.`,
      );
    return {
      credential: { kind: 'certificate', tenantId, clientId, certificatePath: file },
      siteId,
      baseUrl,
      authorityHost,
    };
  }
  if (!secret)
    throw new ConfigError(
      'GRAPH_CLIENT_SECRET is not set: EIP_STORE=sharepoint needs a client secret, GRAPH_CLIENT_CERTIFICATE_PATH, or GRAPH_CREDENTIAL=managed-identity.',
    );
  return { credential: { kind: 'secret', tenantId, clientId, secret }, siteId, baseUrl, authorityHost };
}
