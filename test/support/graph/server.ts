// A local stand-in for Microsoft Graph (the SharePoint lists subset the SharePoint store uses) and for the Entra ID
// token endpoint, over HTTPS, for tests. It follows the real services' routes, shapes and refusals closely enough that
// the real @microsoft/microsoft-graph-client and the real @azure/identity ClientSecretCredential run against it
// unchanged.
//
// Behaviours copied from SharePoint / Graph on purpose, because a store that ignores them works here and fails live:
// - a $filter on a column that is not indexed is refused (400) unless the request says
//   `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`; Title is not indexed;
// - text comparisons in $filter, and enforceUniqueValues, are case-insensitive;
// - single-line text (and Title) holds at most 255 characters (maxLength); multi-line text cannot be indexed or unique;
// - dateTime values are kept to the second and come back as `YYYY-MM-DDTHH:MM:SSZ` (dateOnly columns at midnight UTC);
// - a field with no value is absent from `fields`, and writing null clears it;
// - `fields` also carries SharePoint's own read-only fields (ContentType, Created, Modified, _UIVersionString, …), and a
//   list's columns include SharePoint's built-in read-only columns besides Title;
// - list items come in pages of at most maxPageSize whatever $top asks, with `@odata.nextLink` to follow;
// - item ids are increasing integers as strings, never reused; the eTag is `"<guid>,<version>"`.
// Not implemented (answered with 400 notSupported or ignored as noted in the code): $orderby other than id, $skip,
// `or` in $filter, lookups/person columns, attachments, list/column renames. Of drives: the default library's simple
// upload (reports), and document libraries made with the lists API (the evidence library): list them, upload simply
// or through an upload session (slices with Content-Range, its status, cancelling it; a body naming another item than
// the path is Graph's 400), read and delete an item (DELETE into the recycle bin, POST permanentDelete for good), and
// invite people to one item (POST items/{id}/invite: the grants are kept for tests to see).
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TLS_FILES } from './tls';

export interface GraphServerOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  latencyMs?: number;
  /** The most items one page of list items holds; $top above it is cut down to it. Default 100. */
  maxPageSize?: number;
}

export interface GraphFaults {
  /** The fraction of Graph requests (top-level and $batch sub-requests) refused before they take effect. */
  rate: number;
  /** Statuses a refused request gets, picked in turn at random. Default [429, 503]. */
  statuses?: number[];
  /** Sent as Retry-After with every refusal. Default 1. Fractions are allowed (the Graph client honours them). */
  retryAfterSeconds?: number;
  /** Default 1. The same seed and the same requests give the same faults. */
  seed?: number;
  /** The fraction of writes (not GETs) applied and then answered 504, as if the response were lost. Default 0. */
  lostResponseRate?: number;
}

export interface GraphLogEntry {
  method: string;
  /** The path without the query string, e.g. /v1.0/sites/…/items; a $batch sub-request's path also starts /v1.0. */
  path: string;
  /** The query string without '?', decoded ('' when none). */
  query: string;
  authorization?: string;
  batched: boolean;
  status: number;
  at: number;
  /** When the answer was written (ms), for telling requests in series from requests in parallel; unset until then. */
  done?: number;
}

export interface ColumnSummary {
  name: string;
  type: string;
  indexed: boolean;
  enforceUniqueValues: boolean;
}

const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const PREFER_NON_INDEXED = 'honornonindexedquerieswarningmayfailrandomly';
const MAX_BATCH = 20;
const MAX_BODY = 4 * 1024 * 1024;
const TOKEN_LIFETIME_SECONDS = 3599;
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const APP_LOOKUP_ID = '1073741822'; // SharePoint's "SharePoint App" user, the author of app-only writes
const ITEM_CONTENT_TYPE = { id: '0x01000EIPTESTCONTENTTYPE', name: 'Item' };

type ColumnType = 'text' | 'note' | 'number' | 'dateTime' | 'choice' | 'boolean';

interface Column {
  id: string;
  name: string;
  displayName: string;
  description: string;
  /** undefined for SharePoint's built-in read-only columns (ID, Created, …), which cannot be written. */
  type?: ColumnType;
  indexed: boolean;
  enforceUniqueValues: boolean;
  required: boolean;
  hidden: boolean;
  readOnly: boolean;
  builtIn: boolean;
  maxLength: number;
  choices: string[];
  allowTextEntry: boolean;
  dateOnly: boolean;
  /** The type facet as Graph shows it, e.g. { text: { … } }. */
  facet: Record<string, unknown>;
}

interface Item {
  id: number;
  guid: string;
  version: number;
  created: string;
  modified: string;
  /** Values of Title and the list's own columns; an absent key means no value. */
  values: Record<string, unknown>;
}

interface List {
  id: string;
  displayName: string;
  name: string;
  description: string;
  created: string;
  modified: string;
  columns: Column[];
  items: Map<number, Item>;
  nextItemId: number;
}

interface Site {
  id: string;
  name: string;
  displayName: string;
  hostname: string;
  serverRelativePath: string;
  created: string;
  lists: List[];
}

/** One Graph operation, top-level or from a $batch. Header names are lower case. */
interface GraphCall {
  method: string;
  /** Relative to the version, starting with '/', e.g. /sites/x/lists. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

interface LibraryItem {
  id: string;
  path: string;
  bytes: Buffer;
  contentType: string;
  /** Read access granted to one person by POST items/{id}/invite. */
  grants: ItemGrant[];
}

/** A permission an invitation made on one item: who (by directory object id or email), which roles, until when. */
export interface ItemGrant {
  id: string;
  recipient: { objectId?: string; email?: string };
  roles: string[];
  requireSignIn: boolean;
  /** Whether Graph was asked to email the recipient. */
  sendInvitation: boolean;
  expirationDateTime?: string;
}

interface Library {
  name: string;
  items: Map<string, LibraryItem>;
  nextId: number;
  /** Items deleted with DELETE (Graph's recycle bin); permanentDelete keeps none. */
  recycleBin: LibraryItem[];
}

interface UploadSession {
  driveId: string;
  path: string;
  parts: Buffer[];
  next: number;
  expires: string;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string): never => {
  throw new GraphHttpError(status, code, message);
};

const secondsIso = (d: Date = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const base64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** mulberry32: small, seedable, good enough to pick faults. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percent-encodes only what would break a query value, so nextLinks stay readable like Graph's. */
const encodeQueryValue = (s: string): string =>
  s.replace(/[%&#+ ]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));

const stripETag = (e: string): string =>
  e
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

export class GraphServer {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly siteId: string;
  /** Every request received, in arrival order; $batch sub-requests follow their batch, marked batched. */
  readonly log: GraphLogEntry[] = [];
  /** The default document library's files, by path (see driveRoute). */
  private readonly driveFiles = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Document libraries made with POST /lists (template documentLibrary), by drive id. */
  private readonly libraries = new Map<string, Library>();
  /** Upload sessions by id (see uploadRoute). */
  private readonly sessions = new Map<string, UploadSession>();
  /** How many upload-session slices were received, accepted or not: a test sees that a session was used. */
  slicesReceived = 0;
  /** Set, invitations answer 403 accessDenied, as for an app whose site permission lacks full control. */
  refuseSharing = false;

  private readonly maxPageSize: number;
  private latencyMs: number;
  private faultConfig?: Required<GraphFaults>;
  private random: () => number = prng(1);
  private readonly site: Site;
  private readonly tokens = new Map<string, number>(); // access token → expiry (ms)
  private signingKey?: crypto.KeyObject;
  private jwk?: Record<string, unknown>;
  private readonly kid = crypto.randomUUID();
  private servers: https.Server[] = [];
  private port = 0;

  constructor(options: GraphServerOptions = {}) {
    this.tenantId = options.tenantId ?? '7a9e5b2c-3d41-4f60-8a1b-0c2d3e4f5a6b';
    this.clientId = options.clientId ?? '5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
    this.clientSecret = options.clientSecret ?? `eip~${crypto.randomBytes(18).toString('base64url')}`;
    this.latencyMs = options.latencyMs ?? 0;
    this.maxPageSize = options.maxPageSize ?? 100;
    const siteCollectionId = '11111111-1111-4111-8111-111111111111';
    const webId = '22222222-2222-4222-8222-222222222222';
    this.site = {
      id: `contoso.sharepoint.com,${siteCollectionId},${webId}`,
      name: 'eip',
      displayName: 'Education Inclusion Partnership',
      hostname: 'contoso.sharepoint.com',
      serverRelativePath: '/sites/eip',
      created: secondsIso(),
      lists: [],
    };
    this.siteId = this.site.id;
  }

  /** https://localhost:PORT: the Graph base URL without /v1.0. */
  get url(): string {
    if (!this.port) throw new Error('GraphServer is not started');
    return `https://localhost:${this.port}`;
  }

  /** The same origin: OIDC metadata and the token endpoint live under /{tenant}/. */
  get authorityHost(): string {
    return this.url;
  }

  async start(): Promise<void> {
    if (this.port) return;
    const dir = process.env.EIP_TEST_TLS_DIR;
    if (!dir) {
      throw new Error(
        'EIP_TEST_TLS_DIR is not set: run the SharePoint tests with `npm run test:sharepoint`, which makes a test CA',
      );
    }
    const tls = {
      key: fs.readFileSync(path.join(dir, TLS_FILES.key)),
      cert: fs.readFileSync(path.join(dir, TLS_FILES.cert)),
    };
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.signingKey = privateKey;
    this.jwk = {
      ...publicKey.export({ format: 'jwk' }),
      kty: 'RSA',
      use: 'sig',
      kid: this.kid,
      x5t: this.kid,
    };

    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    };
    // 'localhost' may resolve to 127.0.0.1 or ::1 first, so listen on both loopback addresses, same port.
    for (let attempt = 0; attempt < 5 && !this.port; attempt++) {
      const v4 = https.createServer(tls, handler);
      v4.listen(0, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        v4.once('listening', resolve);
        v4.once('error', reject);
      });
      const port = (v4.address() as AddressInfo).port;
      const v6 = https.createServer(tls, handler);
      const v6Result = await new Promise<'ok' | 'unavailable' | 'in-use'>((resolve) => {
        v6.once('listening', () => resolve('ok'));
        v6.once('error', (e: NodeJS.ErrnoException) =>
          resolve(e.code === 'EADDRINUSE' ? 'in-use' : 'unavailable'),
        );
        v6.listen(port, '::1');
      });
      if (v6Result === 'in-use') {
        await closeServer(v4);
        continue;
      }
      this.servers = v6Result === 'ok' ? [v4, v6] : [v4];
      this.port = port;
    }
    if (!this.port) throw new Error('GraphServer could not find a free port on both loopback addresses');
  }

  async stop(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    this.port = 0;
    await Promise.all(servers.map(closeServer));
  }

  clearLog(): void {
    this.log.length = 0;
  }

  faults(f?: GraphFaults): void {
    if (!f) {
      this.faultConfig = undefined;
      return;
    }
    this.faultConfig = {
      rate: f.rate,
      statuses: f.statuses && f.statuses.length > 0 ? f.statuses : [429, 503],
      retryAfterSeconds: f.retryAfterSeconds ?? 1,
      seed: f.seed ?? 1,
      lostResponseRate: f.lostResponseRate ?? 0,
    };
    this.random = prng(this.faultConfig.seed);
  }

  latency(ms: number): void {
    this.latencyMs = ms;
  }

  listNames(): string[] {
    return this.site.lists.map((l) => l.displayName);
  }

  /** Title and the list's own columns (not SharePoint's built-in read-only ones). */
  columnsOf(listDisplayName: string): ColumnSummary[] {
    return this.inspect(listDisplayName)
      .columns.filter((c) => c.type !== undefined)
      .map((c) => ({
        name: c.name,
        type: c.type as string,
        indexed: c.indexed,
        enforceUniqueValues: c.enforceUniqueValues,
      }));
  }

  /** The values of each item, id order: id plus every field that has a value (as SharePoint stores it). */
  itemsOf(listDisplayName: string): Record<string, unknown>[] {
    return [...this.inspect(listDisplayName).items.values()]
      .sort((a, b) => a.id - b.id)
      .map((i) => ({ id: String(i.id), ...structuredClone(i.values) }));
  }

  /** Removes a column and its values, as if someone deleted it in SharePoint. */
  dropColumn(listDisplayName: string, columnName: string): void {
    const list = this.inspect(listDisplayName);
    const column = list.columns.find((c) => c.name === columnName);
    if (!column || column.builtIn)
      throw new Error(`GraphServer: list ${listDisplayName} has no column ${columnName}`);
    this.removeColumn(list, column);
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const raw = await readBody(req);
    const target = new URL(req.url ?? '/', 'https://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = lowerHeaders(req.headers);
    const entry: GraphLogEntry = {
      method,
      path: target.pathname,
      query: decodeURIComponentSafe(target.search.replace(/^\?/, '')),
      authorization: headers.authorization,
      batched: false,
      status: 0,
      at,
    };
    this.log.push(entry);
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    let reply: Reply;
    if (raw === undefined) {
      reply = errorReply(413, 'RequestEntityTooLarge', 'The request body is too large.');
    } else if (target.pathname.startsWith('/upload/')) {
      reply = this.handleUpload(method, target.pathname.slice('/upload/'.length), headers, raw);
    } else if (target.pathname === '/v1.0' || target.pathname.startsWith('/v1.0/')) {
      reply = this.handleGraph(method, target, headers, raw);
    } else {
      reply = this.handleIdentity(method, target, headers, raw);
    }
    entry.status = reply.status;
    const requestId = crypto.randomUUID();
    const out: Record<string, string> = {
      'request-id': requestId,
      'client-request-id': headers['client-request-id'] ?? requestId,
      ...reply.headers,
    };
    if (reply.body === undefined) {
      res.writeHead(reply.status, out);
      res.end();
    } else {
      const text =
        typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
          ? reply.body
          : JSON.stringify(reply.body);
      out['content-type'] ??= GRAPH_JSON;
      res.writeHead(reply.status, out);
      res.end(text);
    }
    entry.done = Date.now();
  }

  // ---- Entra ID ----

  private handleIdentity(method: string, target: URL, headers: Record<string, string>, raw: Buffer): Reply {
    const segments = target.pathname.split('/').filter(Boolean).map(decodeURIComponentSafe);
    const [tenant, ...rest] = segments;
    const route = rest.join('/');
    if (method === 'GET' && tenant === 'common' && route === 'discovery/instance') {
      // MSAL's instance discovery; not asked for when disableInstanceDiscovery is set, answered as Entra does anyway.
      const host = new URL(this.authorityHost).host;
      return jsonReply(200, {
        tenant_discovery_endpoint: `${this.authorityHost}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    if (!tenant || (route !== 'v2.0/.well-known/openid-configuration' && route !== 'oauth2/v2.0/token')) {
      if (route === 'discovery/v2.0/keys' && method === 'GET' && tenant === this.tenantId) {
        return jsonReply(200, { keys: [this.jwk] });
      }
      return jsonReply(404, {
        error: 'not_found',
        error_description: `No such endpoint: ${target.pathname}`,
      });
    }
    if (tenant !== this.tenantId) {
      return this.entraError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (route === 'v2.0/.well-known/openid-configuration') {
      if (method !== 'GET')
        return jsonReply(405, { error: 'invalid_request', error_description: 'GET only' });
      return jsonReply(200, this.openIdConfiguration());
    }
    if (method !== 'POST') {
      return this.entraError(400, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    }
    if (!(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return this.entraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the 'grant_type' parameter.",
      );
    }
    return this.token(new URLSearchParams(raw.toString('utf8')));
  }

  private openIdConfiguration(): Record<string, unknown> {
    const base = `${this.authorityHost}/${this.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_parameter_supported: true,
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  private token(form: URLSearchParams): Reply {
    const grantType = form.get('grant_type');
    if (!grantType) {
      return this.entraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the 'grant_type' parameter.",
      );
    }
    if (grantType !== 'client_credentials') {
      return this.entraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type.`,
      );
    }
    const clientId = form.get('client_id');
    if (clientId !== this.clientId) {
      return this.entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory '${this.tenantId}'.`,
      );
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      if (secret !== this.clientSecret) {
        return this.entraError(
          401,
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, ' +
            `not the client secret ID, for a secret added to app '${this.clientId}'.`,
        );
      }
    } else if (assertion !== null) {
      // Certificate credentials: the assertion is a JWT signed with the app's certificate. This server parses it and
      // checks its claims (issuer and subject are the app, audience is this token endpoint, not expired) but does NOT
      // verify the signature: no certificate is registered with it.
      const problem = this.checkClientAssertion(form.get('client_assertion_type'), assertion);
      if (problem)
        return this.entraError(401, 'invalid_client', 700027, `Client assertion failed: ${problem}`);
    } else {
      return this.entraError(
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    }
    const scopes = (form.get('scope') ?? '')
      .split(' ')
      .filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
    if (scopes.length !== 1 || !scopes[0]?.endsWith('/.default')) {
      return this.entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scopes.join(' ') || '(none)'} is not valid. Client credential flows must ` +
          'have a scope value with /.default suffixed to the resource identifier (application ID URI).',
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const accessToken = this.signJwt({
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
      app_displayname: 'EIP bot',
      appid: this.clientId,
      appidacr: secret !== null ? '1' : '2',
      idp: `https://sts.windows.net/${this.tenantId}/`,
      idtyp: 'app',
      oid: '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
      roles: ['Sites.Selected'],
      sub: '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
      tid: this.tenantId,
      uti: crypto.randomBytes(16).toString('base64url'),
      ver: '1.0',
    });
    this.tokens.set(accessToken, (now + TOKEN_LIFETIME_SECONDS) * 1000);
    return jsonReply(
      200,
      {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        ext_expires_in: TOKEN_LIFETIME_SECONDS,
        access_token: accessToken,
      },
      {
        'cache-control': 'no-store, no-cache',
        pragma: 'no-cache',
        'content-type': 'application/json; charset=utf-8',
      },
    );
  }

  private checkClientAssertion(type: string | null, assertion: string): string | undefined {
    if (type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return 'unsupported client_assertion_type';
    const parts = assertion.split('.');
    if (parts.length !== 3) return 'the assertion is not a JWT';
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return 'the assertion payload is not JSON';
    }
    if (!isRecord(claims)) return 'the assertion payload is not an object';
    if (claims.iss !== this.clientId || claims.sub !== this.clientId)
      return 'iss and sub must be the client id';
    const tokenEndpoint = `${this.authorityHost}/${this.tenantId}/oauth2/v2.0/token`;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(tokenEndpoint)) return `aud must be ${tokenEndpoint}`;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return 'the assertion has expired';
    return undefined;
  }

  private signJwt(payload: Record<string, unknown>): string {
    if (!this.signingKey) throw new Error('GraphServer is not started');
    const head = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid }));
    const body = base64url(JSON.stringify(payload));
    const signature = crypto.sign('sha256', Buffer.from(`${head}.${body}`), this.signingKey);
    return `${head}.${body}.${base64url(signature)}`;
  }

  private entraError(status: number, error: string, code: number, description: string): Reply {
    const traceId = crypto.randomUUID();
    const correlationId = crypto.randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return jsonReply(
      status,
      {
        error,
        error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${this.authorityHost}/error?code=${code}`,
      },
      { 'content-type': 'application/json; charset=utf-8' },
    );
  }

  // ---- Graph: authentication, faults, $batch ----

  private handleGraph(method: string, target: URL, headers: Record<string, string>, raw: Buffer): Reply {
    const auth = this.checkBearer(headers.authorization);
    if (auth) return auth;
    let body: unknown;
    // A file's content (PUT …/drive/root:/path:/content) is bytes, not JSON.
    const isContent = method === 'PUT' && /\/(drive|drives\/[^/]+)\/root:.*:\/content$/.test(target.pathname);
    if (isContent) body = raw;
    else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return errorReply(
          400,
          'BadRequest',
          'Unable to read JSON request payload. Please ensure Content-Type header is set.',
        );
      }
    }
    const call: GraphCall = {
      method,
      path: target.pathname.slice('/v1.0'.length) || '/',
      query: target.searchParams,
      headers,
      body,
    };
    const refused = this.drawFault();
    if (refused) return refused;
    const reply = call.path === '/$batch' ? this.batch(call, headers.authorization) : this.execute(call);
    return this.drawLostResponse(method, reply);
  }

  private checkBearer(authorization: string | undefined): Reply | undefined {
    const challenge = {
      'www-authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
        'client_id="00000003-0000-0000-c000-000000000000"',
    };
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (!token) return errorReply(401, 'InvalidAuthenticationToken', 'Access token is empty.', challenge);
    const expires = this.tokens.get(token);
    if (expires === undefined) {
      return errorReply(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
        challenge,
      );
    }
    if (expires < Date.now()) {
      return errorReply(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
        challenge,
      );
    }
    return undefined;
  }

  /** A fault for this request, if one is due: decided before the request takes any effect. */
  private drawFault(): Reply | undefined {
    const f = this.faultConfig;
    if (!f || f.rate <= 0) return undefined;
    if (this.random() >= f.rate) return undefined;
    const status = f.statuses[Math.floor(this.random() * f.statuses.length)] ?? 429;
    const headers = { 'retry-after': String(f.retryAfterSeconds) };
    switch (status) {
      case 429:
        return errorReply(429, 'activityLimitReached', 'The request has been throttled', headers);
      case 503:
        return errorReply(503, 'serviceNotAvailable', 'The service is temporarily unavailable.', headers);
      case 504:
        return errorReply(504, 'UnknownError', 'Gateway Timeout', headers);
      default:
        return errorReply(
          status,
          status >= 500 ? 'generalException' : 'BadRequest',
          'Injected fault.',
          headers,
        );
    }
  }

  /** After a write has been applied (it succeeded): perhaps lose its response. */
  private drawLostResponse(method: string, reply: Reply): Reply {
    const f = this.faultConfig;
    if (!f || f.lostResponseRate <= 0 || method === 'GET' || reply.status >= 400) return reply;
    if (this.random() >= f.lostResponseRate) return reply;
    return errorReply(504, 'UnknownError', 'Gateway Timeout');
  }

  private batch(call: GraphCall, authorization: string | undefined): Reply {
    if (call.method !== 'POST') return errorReply(405, 'BadRequest', 'Only POST is allowed on $batch.');
    const requests = isRecord(call.body) ? call.body.requests : undefined;
    if (!Array.isArray(requests) || requests.length === 0) {
      return errorReply(400, 'BadRequest', 'Invalid batch payload format.');
    }
    if (requests.length > MAX_BATCH) {
      return errorReply(
        400,
        'BadRequest',
        `Too many requests in batch. The maximum number of requests is ${MAX_BATCH}.`,
      );
    }
    const seen = new Set<string>();
    const steps: { id: string; call: GraphCall; dependsOn: string[] }[] = [];
    for (const r of requests) {
      if (
        !isRecord(r) ||
        typeof r.id !== 'string' ||
        !r.id ||
        typeof r.method !== 'string' ||
        typeof r.url !== 'string'
      ) {
        return errorReply(
          400,
          'BadRequest',
          'Invalid batch payload format: each request needs id, method and url.',
        );
      }
      if (seen.has(r.id)) return errorReply(400, 'BadRequest', `Batch request id '${r.id}' is duplicated.`);
      const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
      for (const d of dependsOn) {
        if (!seen.has(d)) {
          return errorReply(
            400,
            'BadRequest',
            `Request '${r.id}' depends on '${d}', which is not an earlier request.`,
          );
        }
      }
      seen.add(r.id);
      const method = r.method.toUpperCase();
      const headers = isRecord(r.headers)
        ? Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)]))
        : {};
      if (['POST', 'PATCH', 'PUT'].includes(method) && (r.body === undefined || !headers['content-type'])) {
        return errorReply(
          400,
          'BadRequest',
          `Write request id : ${r.id} does not contain Content-Type header or body.`,
        );
      }
      let body = r.body;
      if (typeof body === 'string' && (headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(body);
        } catch {
          return errorReply(400, 'BadRequest', `Request id : ${r.id} has a body that is not JSON.`);
        }
      }
      // Relative to the version ('/sites/…' or 'sites/…'). The Graph client's BatchRequestContent strips only the
      // origin, leaving '/v1.0/sites/…', so a leading version segment is accepted too.
      let url = r.url.replace(/^https:\/\/[^/]+/i, '').replace(/^\/+/, '');
      if (url === 'v1.0' || url.startsWith('v1.0/')) url = url.slice('v1.0'.length).replace(/^\/+/, '');
      if (url.startsWith('$batch')) return errorReply(400, 'BadRequest', 'A $batch cannot contain a $batch.');
      const q = url.indexOf('?');
      steps.push({
        id: r.id,
        dependsOn,
        call: {
          method,
          path: '/' + (q === -1 ? url : url.slice(0, q)),
          query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
          headers,
          body,
        },
      });
    }
    const statuses = new Map<string, number>();
    const responses: Record<string, unknown>[] = [];
    for (const step of steps) {
      const entry: GraphLogEntry = {
        method: step.call.method,
        path: '/v1.0' + step.call.path,
        query: step.call.query.toString() ? decodeURIComponentSafe(step.call.query.toString()) : '',
        authorization,
        batched: true,
        status: 0,
        at: Date.now(),
      };
      this.log.push(entry);
      let reply: Reply;
      if (step.dependsOn.some((d) => (statuses.get(d) ?? 0) >= 400)) {
        reply = errorReply(424, 'FailedDependency', 'Failed Dependency');
      } else {
        reply = this.drawFault() ?? this.drawLostResponse(step.call.method, this.execute(step.call));
      }
      entry.status = reply.status;
      statuses.set(step.id, reply.status);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(reply.headers)) headers[headerCase(k)] = v;
      if (reply.body !== undefined) headers['Content-Type'] ??= GRAPH_JSON;
      responses.push({
        id: step.id,
        status: reply.status,
        headers,
        ...(reply.body === undefined ? {} : { body: reply.body }),
      });
    }
    return jsonReply(200, { responses });
  }

  // ---- Graph: resources ----

  private execute(call: GraphCall): Reply {
    try {
      return this.route(call);
    } catch (e) {
      if (e instanceof GraphHttpError) return errorReply(e.status, e.code, e.message, e.headers);
      throw e;
    }
  }

  private route(call: GraphCall): Reply {
    const segs = call.path.split('/').filter(Boolean).map(decodeURIComponentSafe);
    const m = call.method;
    if (segs[0] === 'drives' && segs[1]) return this.libraryRoute(call, segs[1], segs.slice(2));
    if (segs[0] !== 'sites' || segs.length < 2) {
      return fail(400, 'BadRequest', `Resource not found for the segment '${segs[0] ?? ''}'.`);
    }
    const site = this.findSite(segs[1] ?? '', segs.slice(2));
    if (site === 'by-path') {
      if (m !== 'GET') return methodNotAllowed();
      return jsonReply(200, this.siteJson());
    }
    const rest = segs.slice(2);
    if (rest.length === 0) {
      if (m !== 'GET') return methodNotAllowed();
      return jsonReply(200, this.siteJson());
    }
    if (rest[0] === 'drive') return this.driveRoute(call, rest.slice(1));
    if (rest[0] === 'drives' && rest.length === 1 && m === 'GET')
      return jsonReply(200, {
        value: [
          { id: 'default-drive', name: 'Documents', driveType: 'documentLibrary' },
          ...[...this.libraries.entries()].map(([id, l]) => ({
            id,
            name: l.name,
            driveType: 'documentLibrary',
          })),
        ],
      });
    if (rest[0] !== 'lists')
      return fail(400, 'BadRequest', `Resource not found for the segment '${rest[0]}'.`);
    if (rest.length === 1) {
      if (m === 'GET') return this.getLists(call);
      if (m === 'POST') return this.createList(call);
      return methodNotAllowed();
    }
    const list = this.findList(rest[1] ?? '');
    if (rest.length === 2) {
      if (m === 'GET') return jsonReply(200, this.listJson(list, call.query));
      if (m === 'DELETE') {
        this.site.lists = this.site.lists.filter((l) => l !== list);
        return { status: 204, headers: {} };
      }
      return methodNotAllowed();
    }
    if (rest[2] === 'columns') return this.columnsRoute(call, list, rest.slice(3));
    if (rest[2] === 'items') return this.itemsRoute(call, list, rest.slice(3));
    return fail(400, 'BadRequest', `Resource not found for the segment '${rest[2]}'.`);
  }

  /**
   * The site's default document library, as far as a simple upload goes: PUT /drive/root:/{path}:/content stores the
   * bytes and answers the new driveItem (201, or 200 when it replaced one) with its webUrl. Nothing else of drives.
   */
  private driveRoute(call: GraphCall, rest: string[]): Reply {
    const joined = rest.join('/');
    const m = /^root:\/(.+):\/content$/.exec(joined);
    if (!m || call.method !== 'PUT')
      return fail(400, 'BadRequest', 'This server supports only PUT /drive/root:/{path}:/content on drives.');
    const filePath = m[1]!;
    const existed = this.driveFiles.has(filePath);
    const bytes = Buffer.isBuffer(call.body) ? call.body : Buffer.alloc(0);
    this.driveFiles.set(filePath, { bytes, contentType: call.headers['content-type'] ?? '' });
    const name = filePath.split('/').pop() ?? filePath;
    return jsonReply(existed ? 200 : 201, {
      id: `drive-item-${this.driveFiles.size}`,
      name,
      size: bytes.length,
      webUrl: `https://${this.site.hostname}${this.site.serverRelativePath}/Shared%20Documents/${filePath
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`,
      file: { mimeType: 'text/csv' },
    });
  }

  /**
   * A document library: PUT root:/{path}:/content (a simple upload, at most 4 MB; `@microsoft.graph.conflictBehavior`
   * fail answers 409 for a path taken), GET root:/{path} (the item by path), POST root:/{path}:/createUploadSession,
   * GET and DELETE items/{id}, GET items/{id}/content, POST items/{id}/invite and items/{id}/permanentDelete.
   */
  private libraryRoute(call: GraphCall, driveId: string, rest: string[]): Reply {
    const lib = this.libraries.get(driveId) ?? fail(404, 'itemNotFound', 'The drive was not found.');
    const joined = rest.join('/');
    const byPath = /^root:\/(.+?)(:\/content|:\/createUploadSession|:)?$/.exec(joined);
    if (byPath) {
      const itemPath = byPath[1]!;
      const what = byPath[2] ?? '';
      if (what === ':/content' && call.method === 'PUT') {
        const bytes = Buffer.isBuffer(call.body) ? call.body : Buffer.alloc(0);
        return this.storeItem(driveId, lib, itemPath, bytes, call.headers['content-type'] ?? '', call.query);
      }
      if (what === ':/createUploadSession' && call.method === 'POST') {
        // Graph refuses a body naming another item than the path does.
        const bodyName = isRecord(call.body) && isRecord(call.body.item) ? call.body.item.name : undefined;
        if (bodyName !== undefined && bodyName !== decodeURIComponentSafe(itemPath.split('/').pop() ?? ''))
          return fail(400, 'invalidRequest', 'Name from path does not match name from body');
        if (call.query.get('@microsoft.graph.conflictBehavior') === 'fail' || this.conflictFail(call.body))
          if (this.itemAt(lib, itemPath))
            return fail(409, 'nameAlreadyExists', 'The specified item name already exists.');
        const id = crypto.randomBytes(16).toString('base64url');
        const expires = secondsIso(new Date(Date.now() + 15 * 60_000));
        this.sessions.set(id, { driveId, path: itemPath, parts: [], next: 0, expires });
        return jsonReply(200, {
          uploadUrl: `${this.url}/upload/${id}`,
          expirationDateTime: expires,
          nextExpectedRanges: ['0-'],
        });
      }
      if ((what === ':' || what === '') && call.method === 'GET') {
        const item =
          this.itemAt(lib, itemPath) ?? fail(404, 'itemNotFound', 'The resource could not be found.');
        return jsonReply(200, this.libraryItemJson(lib, item));
      }
      return fail(400, 'BadRequest', `This server does not support ${call.method} ${joined} on a drive.`);
    }
    const action = /^items\/([^/]+)\/(invite|permanentDelete)$/.exec(joined);
    if (action && call.method === 'POST') {
      const item = lib.items.get(action[1]!) ?? fail(404, 'itemNotFound', 'The resource could not be found.');
      if (action[2] === 'permanentDelete') {
        lib.items.delete(item.id);
        return { status: 204, headers: {} };
      }
      return this.invite(item, call.body);
    }
    const byId = /^items\/([^/]+)(\/content)?$/.exec(joined);
    if (byId) {
      const item = lib.items.get(byId[1]!) ?? fail(404, 'itemNotFound', 'The resource could not be found.');
      if (byId[2] && call.method === 'GET')
        return {
          status: 200,
          headers: { 'content-type': item.contentType || 'application/octet-stream' },
          body: item.bytes,
        };
      if (!byId[2] && call.method === 'GET') return jsonReply(200, this.libraryItemJson(lib, item));
      if (!byId[2] && call.method === 'DELETE') {
        lib.items.delete(item.id);
        lib.recycleBin.push(item);
        return { status: 204, headers: {} };
      }
    }
    return fail(400, 'BadRequest', `This server does not support ${call.method} ${joined} on a drive.`);
  }

  /**
   * POST items/{id}/invite: recipients (each an objectId or an email) get the roles asked for, read or write; the
   * answer lists the permissions made, as Graph's does. A body without recipients or roles is Graph's 400.
   */
  private invite(item: LibraryItem, body: unknown): Reply {
    if (this.refuseSharing) return fail(403, 'accessDenied', 'Access denied. You do not have permission.');
    if (!isRecord(body)) return fail(400, 'invalidRequest', 'The request body is missing.');
    const recipients = Array.isArray(body.recipients) ? body.recipients : [];
    const roles = Array.isArray(body.roles) ? body.roles : [];
    if (!recipients.length || !recipients.every((r) => isRecord(r) && (r.objectId || r.email)))
      return fail(400, 'invalidRequest', 'Invalid request: recipients are required.');
    if (!roles.length || !roles.every((r) => r === 'read' || r === 'write'))
      return fail(400, 'invalidRequest', 'Invalid request: roles must be read or write.');
    const expires = body.expirationDateTime;
    if (expires !== undefined && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires))))
      return fail(400, 'invalidRequest', 'Invalid request: expirationDateTime.');
    const made = recipients.map((r): ItemGrant => {
      const rec = r as Record<string, unknown>;
      return {
        id: crypto.randomBytes(8).toString('hex'),
        recipient: {
          ...(typeof rec.objectId === 'string' ? { objectId: rec.objectId } : {}),
          ...(typeof rec.email === 'string' ? { email: rec.email } : {}),
        },
        roles: roles as string[],
        requireSignIn: body.requireSignIn === true,
        // Graph's default is to send the invitation.
        sendInvitation: body.sendInvitation !== false,
        ...(typeof expires === 'string' ? { expirationDateTime: expires } : {}),
      };
    });
    item.grants.push(...made);
    return jsonReply(200, {
      value: made.map((g) => ({
        id: g.id,
        roles: g.roles,
        ...(g.expirationDateTime ? { expirationDateTime: g.expirationDateTime } : {}),
        grantedToV2: { user: { id: g.recipient.objectId, email: g.recipient.email } },
      })),
    });
  }

  private conflictFail(body: unknown): boolean {
    return isRecord(body) && isRecord(body.item) && body.item['@microsoft.graph.conflictBehavior'] === 'fail';
  }

  private itemAt(lib: Library, itemPath: string): LibraryItem | undefined {
    const wanted = decodeURIComponentSafe(itemPath).toLowerCase();
    return [...lib.items.values()].find((i) => i.path.toLowerCase() === wanted);
  }

  private libraryItemJson(lib: Library, item: LibraryItem): Record<string, unknown> {
    return {
      id: item.id,
      name: item.path.split('/').pop(),
      size: item.bytes.length,
      webUrl: `https://${this.site.hostname}${this.site.serverRelativePath}/${encodeURIComponent(lib.name)}/${item.path
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`,
      file: { mimeType: item.contentType || 'application/octet-stream' },
    };
  }

  private storeItem(
    driveId: string,
    lib: Library,
    itemPath: string,
    bytes: Buffer,
    contentType: string,
    query: URLSearchParams,
  ): Reply {
    const existing = this.itemAt(lib, itemPath);
    if (existing && query.get('@microsoft.graph.conflictBehavior') === 'fail')
      return fail(409, 'nameAlreadyExists', 'The specified item name already exists.');
    const item: LibraryItem = existing ?? {
      id: `${driveId.slice(2, 8)}-item-${lib.nextId++}`,
      path: decodeURIComponentSafe(itemPath),
      bytes,
      contentType,
      grants: [],
    };
    item.bytes = bytes;
    item.contentType = contentType;
    lib.items.set(item.id, item);
    return jsonReply(existing ? 200 : 201, this.libraryItemJson(lib, item));
  }

  /**
   * An upload session's URL (pre-authenticated, as Graph's are): PUT a slice with Content-Range, which must start
   * where the session expects (anything else is 416, as a slice sent twice would be); GET its status; DELETE it.
   * The same injected faults apply as to Graph.
   */
  private handleUpload(method: string, id: string, headers: Record<string, string>, raw: Buffer): Reply {
    const session = this.sessions.get(id);
    if (!session) return errorReply(404, 'itemNotFound', 'The upload session was not found.');
    if (method === 'DELETE') {
      this.sessions.delete(id);
      return { status: 204, headers: {} };
    }
    if (method === 'GET')
      return jsonReply(200, {
        expirationDateTime: session.expires,
        nextExpectedRanges: [`${session.next}-`],
      });
    if (method !== 'PUT') return errorReply(405, 'BadRequest', 'Method not allowed.');
    this.slicesReceived += 1;
    const refused = this.drawFault();
    if (refused) return refused;
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers['content-range'] ?? '');
    if (!range) return errorReply(400, 'invalidRange', 'A Content-Range header is required.');
    const [from, to, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (from !== session.next || to - from + 1 !== raw.length || to >= total)
      return errorReply(
        416,
        'invalidRange',
        `The range does not start at ${session.next}, the next byte expected.`,
      );
    session.parts.push(raw);
    session.next = to + 1;
    let reply: Reply;
    if (session.next < total) {
      reply = jsonReply(202, {
        expirationDateTime: session.expires,
        nextExpectedRanges: [`${session.next}-`],
      });
    } else {
      this.sessions.delete(id);
      const lib = this.libraries.get(session.driveId)!;
      reply = this.storeItem(
        session.driveId,
        lib,
        session.path,
        Buffer.concat(session.parts),
        '',
        new URLSearchParams(),
      );
    }
    return this.drawLostResponse(method, reply);
  }

  /** A document in a library made with the lists API, by its path there ("EIP-2026-0001/x.pdf"), for tests. */
  libraryItems(name: string): { id: string; path: string; bytes: Buffer; grants: ItemGrant[] }[] {
    const lib = [...this.libraries.values()].find((l) => l.name === name);
    return lib
      ? [...lib.items.values()].map((i) => ({ id: i.id, path: i.path, bytes: i.bytes, grants: i.grants }))
      : [];
  }

  /** The paths of a library's items deleted into its recycle bin (a plain DELETE), for tests. */
  recycleBin(name: string): string[] {
    const lib = [...this.libraries.values()].find((l) => l.name === name);
    return lib ? lib.recycleBin.map((i) => i.path) : [];
  }

  /** Upload sessions not finished or cancelled. */
  openSessions(): number {
    return this.sessions.size;
  }

  /** A file uploaded to the document library, by its path there ("EIP reports/x.csv"), for tests to inspect. */
  driveFile(filePath: string): { bytes: Buffer; contentType: string } | undefined {
    return this.driveFiles.get(filePath);
  }

  /** The paths of every file uploaded to the document library. */
  driveFilePaths(): string[] {
    return [...this.driveFiles.keys()];
  }

  /** The site by id, or 'by-path' for GET /sites/{hostname}:/{server-relative-path}. */
  private findSite(idOrHost: string, rest: string[]): Site | 'by-path' {
    if (idOrHost === this.site.id) return this.site;
    if (
      idOrHost === `${this.site.hostname}:` &&
      '/' + rest.join('/').replace(/:$/, '') === this.site.serverRelativePath
    ) {
      return 'by-path';
    }
    return fail(404, 'itemNotFound', 'Requested site could not be found');
  }

  private siteJson(): Record<string, unknown> {
    const s = this.site;
    return {
      '@odata.context': `${this.url}/v1.0/$metadata#sites/$entity`,
      createdDateTime: s.created,
      description: '',
      id: s.id,
      lastModifiedDateTime: s.created,
      name: s.name,
      webUrl: `https://${s.hostname}${s.serverRelativePath}`,
      displayName: s.displayName,
      root: {},
      siteCollection: { hostname: s.hostname },
    };
  }

  private findList(idOrTitle: string): List {
    const key = idOrTitle.toLowerCase();
    const list = this.site.lists.find((l) => l.id === key || l.displayName.toLowerCase() === key);
    return list ?? fail(404, 'itemNotFound', 'List not found');
  }

  private inspect(listDisplayName: string): List {
    const list = this.site.lists.find((l) => l.displayName.toLowerCase() === listDisplayName.toLowerCase());
    if (!list) throw new Error(`GraphServer: no list named ${listDisplayName}`);
    return list;
  }

  // ---- lists ----

  private getLists(call: GraphCall): Reply {
    let lists = this.site.lists;
    const filter = call.query.get('$filter') ?? call.query.get('filter');
    if (filter) {
      const m = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
      if (!m)
        return fail(400, 'notSupported', `This server supports only $filter=displayName eq '…' on lists.`);
      const wanted = (m[1] ?? '').replace(/''/g, "'").toLowerCase();
      lists = lists.filter((l) => l.displayName.toLowerCase() === wanted);
    }
    return jsonReply(200, {
      '@odata.context': `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists`,
      value: lists.map((l) => this.listJson(l, call.query, false)),
    });
  }

  private listJson(list: List, query: URLSearchParams, withContext = true): Record<string, unknown> {
    const full: Record<string, unknown> = {
      '@odata.etag': `"${list.id},${list.columns.length}"`,
      createdDateTime: list.created,
      description: list.description,
      eTag: `"${list.id},${list.columns.length}"`,
      id: list.id,
      lastModifiedDateTime: list.modified,
      name: list.name,
      webUrl: this.listUrl(list),
      displayName: list.displayName,
      createdBy: { user: { displayName: 'SharePoint App' } },
      parentReference: { siteId: this.site.id },
      list: { contentTypesEnabled: false, hidden: false, template: 'genericList' },
    };
    const select = csv(query.get('$select') ?? query.get('select'));
    const out: Record<string, unknown> = {};
    if (withContext)
      out['@odata.context'] = `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists/$entity`;
    for (const [k, v] of Object.entries(full)) {
      if (!select || k === '@odata.etag' || select.includes(k)) out[k] = v;
    }
    const expand = csv(query.get('$expand') ?? query.get('expand')) ?? [];
    if (expand.some((e) => e === 'columns' || e.startsWith('columns('))) {
      out.columns = list.columns.map(columnJson);
    }
    return out;
  }

  private listUrl(list: List): string {
    return `https://${this.site.hostname}${this.site.serverRelativePath}/Lists/${list.name}`;
  }

  private createList(call: GraphCall): Reply {
    const body = isRecord(call.body) ? call.body : fail(400, 'invalidRequest', 'Invalid request body.');
    const displayName = typeof body.displayName === 'string' ? body.displayName.trim() : '';
    if (!displayName) return fail(400, 'invalidRequest', 'A list displayName is required.');
    const template = isRecord(body.list) ? body.list.template : undefined;
    if (template === 'documentLibrary') {
      if ([...this.libraries.values()].some((l) => l.name.toLowerCase() === displayName.toLowerCase()))
        return fail(409, 'nameAlreadyExists', 'A document library with the specified title already exists.');
      const id = `b!${crypto.randomBytes(12).toString('base64url')}`;
      this.libraries.set(id, { name: displayName, items: new Map(), nextId: 1, recycleBin: [] });
      return jsonReply(201, { id: crypto.randomUUID(), displayName, list: { template: 'documentLibrary' } });
    }
    if (template !== undefined && template !== 'genericList') {
      return fail(400, 'notSupported', `This server makes only genericList lists, not ${String(template)}.`);
    }
    if (this.site.lists.some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) {
      return fail(
        409,
        'nameAlreadyExists',
        'A list, survey, discussion board, or document library with the specified title already exists in this Web ' +
          'site.  Please choose another title.',
      );
    }
    const now = secondsIso();
    const list: List = {
      id: crypto.randomUUID(),
      displayName,
      name: displayName.replace(/[^A-Za-z0-9_-]/g, '') || 'List',
      description: typeof body.description === 'string' ? body.description : '',
      created: now,
      modified: now,
      columns: builtInColumns(),
      items: new Map(),
      nextItemId: 1,
    };
    const defs = body.columns === undefined ? [] : Array.isArray(body.columns) ? body.columns : null;
    if (!defs) return fail(400, 'invalidRequest', 'columns must be an array.');
    for (const def of defs) list.columns.push(parseColumn(def, list));
    this.site.lists.push(list);
    return jsonReply(201, this.listJson(list, new URLSearchParams()));
  }

  // ---- columns ----

  private columnsRoute(call: GraphCall, list: List, rest: string[]): Reply {
    const m = call.method;
    if (rest.length === 0) {
      if (m === 'GET') {
        return jsonReply(200, {
          '@odata.context': `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists('${list.id}')/columns`,
          value: list.columns.map(columnJson),
        });
      }
      if (m === 'POST') {
        const column = parseColumn(call.body, list);
        list.columns.push(column);
        list.modified = secondsIso();
        return jsonReply(201, columnJson(column));
      }
      return methodNotAllowed();
    }
    if (rest.length !== 1) return fail(400, 'BadRequest', `Resource not found for the segment '${rest[1]}'.`);
    const key = rest[0] ?? '';
    const column =
      list.columns.find((c) => c.id === key || c.name === key) ??
      fail(404, 'itemNotFound', 'Column not found');
    if (m === 'GET') return jsonReply(200, columnJson(column));
    if (m === 'DELETE') {
      if (column.builtIn) return fail(403, 'accessDenied', `The column '${column.name}' cannot be deleted.`);
      this.removeColumn(list, column);
      return { status: 204, headers: {} };
    }
    if (m === 'PATCH') {
      this.patchColumn(list, column, call.body);
      return jsonReply(200, columnJson(column));
    }
    return methodNotAllowed();
  }

  private patchColumn(list: List, column: Column, body: unknown): void {
    if (!isRecord(body)) return fail(400, 'invalidRequest', 'Invalid request body.');
    if (column.readOnly) return fail(403, 'accessDenied', `The column '${column.name}' is read-only.`);
    const indexed = typeof body.indexed === 'boolean' ? body.indexed : column.indexed;
    const unique =
      typeof body.enforceUniqueValues === 'boolean' ? body.enforceUniqueValues : column.enforceUniqueValues;
    checkIndexing(column.name, column.type, indexed, unique);
    if (unique && !column.enforceUniqueValues) {
      const seen = new Set<string>();
      for (const item of list.items.values()) {
        const v = item.values[column.name];
        if (v === undefined) continue;
        const k = uniqueKey(v);
        if (seen.has(k)) {
          return fail(
            400,
            'invalidRequest',
            'This field contains duplicate values. Remove all duplicate values and try the operation again.',
          );
        }
        seen.add(k);
      }
    }
    // A choice column's choices may be replaced (SharePoint keeps the values items already have, listed or not).
    if (body.choice !== undefined) {
      const facet = body.choice;
      const choices = isRecord(facet) ? facet.choices : undefined;
      if (column.type !== 'choice')
        return fail(400, 'invalidRequest', `The column '${column.name}' is not a choice column.`);
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string'))
        return fail(
          400,
          'invalidRequest',
          `Column '${column.name}': choice.choices must be a non-empty list of strings.`,
        );
      column.choices = [...(choices as string[])];
      if (isRecord(facet) && typeof facet.allowTextEntry === 'boolean')
        column.allowTextEntry = facet.allowTextEntry;
      column.facet = {
        choice: { allowTextEntry: column.allowTextEntry, choices: column.choices, displayAs: 'dropDownMenu' },
      };
    }
    column.indexed = indexed;
    column.enforceUniqueValues = unique;
    if (typeof body.displayName === 'string') column.displayName = body.displayName;
    if (typeof body.description === 'string') column.description = body.description;
    if (typeof body.required === 'boolean') column.required = body.required;
    if (typeof body.hidden === 'boolean') column.hidden = body.hidden;
    list.modified = secondsIso();
  }

  private removeColumn(list: List, column: Column): void {
    list.columns = list.columns.filter((c) => c !== column);
    for (const item of list.items.values()) delete item.values[column.name];
    list.modified = secondsIso();
  }

  // ---- items ----

  private itemsRoute(call: GraphCall, list: List, rest: string[]): Reply {
    const m = call.method;
    if (rest.length === 0) {
      if (m === 'GET') return this.listItems(call, list);
      if (m === 'POST') return this.createItem(call, list);
      return methodNotAllowed();
    }
    const item = this.findItem(list, rest[0] ?? '');
    if (rest.length === 1) {
      if (m === 'GET') return jsonReply(200, this.itemJson(list, item, call.query, true));
      if (m === 'DELETE') {
        this.checkIfMatch(call, item);
        list.items.delete(item.id);
        return { status: 204, headers: {} };
      }
      if (m === 'PATCH') {
        const body = isRecord(call.body) ? call.body : fail(400, 'invalidRequest', 'Invalid request body.');
        this.checkIfMatch(call, item);
        if (body.fields !== undefined) this.writeFields(list, item, body.fields, false);
        return jsonReply(200, this.itemJson(list, item, new URLSearchParams('$expand=fields'), true));
      }
      return methodNotAllowed();
    }
    if (rest.length === 2 && rest[1] === 'fields') {
      if (m === 'GET') {
        return jsonReply(200, {
          '@odata.context': `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`,
          ...this.fieldsJson(list, item, csv(call.query.get('$select') ?? call.query.get('select'))),
        });
      }
      if (m === 'PATCH') {
        this.checkIfMatch(call, item);
        this.writeFields(list, item, call.body, false);
        return jsonReply(200, {
          '@odata.context': `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`,
          ...this.fieldsJson(list, item),
        });
      }
      return methodNotAllowed();
    }
    return fail(400, 'BadRequest', `Resource not found for the segment '${rest[1]}'.`);
  }

  private findItem(list: List, id: string): Item {
    const n = /^\d+$/.test(id) ? Number(id) : NaN;
    return list.items.get(n) ?? fail(404, 'itemNotFound', 'The resource could not be found.');
  }

  private checkIfMatch(call: GraphCall, item: Item): void {
    const ifMatch = call.headers['if-match'];
    if (ifMatch === undefined) return;
    // One eTag (it contains a comma itself, so If-Match is not split into a list) or *.
    const current = `${item.guid},${item.version}`;
    if (ifMatch.trim() === '*' || stripETag(ifMatch) === current) return;
    fail(
      412,
      'preconditionFailed',
      `The request ETag value '${ifMatch}' does not match the object's ETag value '"${current}"'.`,
    );
  }

  private listItems(call: GraphCall, list: List): Reply {
    const q = call.query;
    const param = (name: string) => q.get('$' + name) ?? q.get(name);
    if (param('skip') !== null) return fail(400, 'notSupported', '$skip is not supported on list items.');
    const orderby = param('orderby');
    if (orderby !== null && !/^\s*(id|fields\/id|fields\/ID)(\s+asc)?\s*$/i.test(orderby)) {
      return fail(400, 'notSupported', 'This server supports $orderby only on id, ascending.');
    }
    const prefer = (call.headers.prefer ?? '').toLowerCase();
    const clauses = parseFilter(param('filter'), list, prefer.includes(PREFER_NON_INDEXED));
    let top = this.maxPageSize;
    const topParam = param('top');
    if (topParam !== null) {
      if (!/^\d+$/.test(topParam) || Number(topParam) < 1) {
        return fail(400, 'BadRequest', `Invalid value '${topParam}' for $top.`);
      }
      top = Math.min(Number(topParam), this.maxPageSize);
    }
    let after = 0;
    const skiptoken = param('skiptoken') ?? param('skipToken');
    if (skiptoken !== null) {
      const decoded = Buffer.from(skiptoken, 'base64url').toString('utf8');
      const m = /^Paged=TRUE&p_ID=(\d+)$/.exec(decoded);
      if (!m) return fail(400, 'invalidRequest', 'The $skiptoken is not valid.');
      after = Number(m[1]);
    }
    const matching = [...list.items.values()]
      .sort((a, b) => a.id - b.id)
      .filter((i) => i.id > after && clauses.every((c) => matches(c, i.values)));
    const page = matching.slice(0, top);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists('${list.id}')/items`,
    };
    const last = page[page.length - 1];
    if (matching.length > page.length && last) {
      const params: string[] = [];
      for (const [k, v] of q) {
        if (!/^\$?skip[tT]oken$/.test(k)) params.push(`${k}=${encodeQueryValue(v)}`);
      }
      params.push(`$skiptoken=${base64url(`Paged=TRUE&p_ID=${last.id}`)}`);
      body['@odata.nextLink'] =
        `${this.url}/v1.0/sites/${this.site.id}/lists/${list.id}/items?${params.join('&')}`;
    }
    body.value = page.map((i) => this.itemJson(list, i, q, false));
    return jsonReply(200, body);
  }

  private createItem(call: GraphCall, list: List): Reply {
    const body = isRecord(call.body) ? call.body : fail(400, 'invalidRequest', 'Invalid request body.');
    const now = new Date();
    const item: Item = {
      id: list.nextItemId,
      guid: crypto.randomUUID(),
      version: 1,
      created: secondsIso(now),
      modified: secondsIso(now),
      values: {},
    };
    this.writeFields(list, item, body.fields ?? {}, true);
    list.nextItemId++;
    list.items.set(item.id, item);
    const reply = jsonReply(201, this.itemJson(list, item, new URLSearchParams('$expand=fields'), true));
    reply.headers.location = `${this.url}/v1.0/sites/${this.site.id}/lists/${list.id}/items/${item.id}`;
    return reply;
  }

  /** Validates every value first, then the unique columns, then applies: a refused write changes nothing. */
  private writeFields(list: List, item: Item, fields: unknown, isNew: boolean): void {
    if (!isRecord(fields)) return fail(400, 'invalidRequest', 'fields must be an object.');
    const next: Record<string, unknown> = { ...item.values };
    for (const [name, value] of Object.entries(fields)) {
      if (name.startsWith('@odata.') || name.endsWith('@odata.type')) continue;
      const column = list.columns.find((c) => c.name === name);
      if (!column) return fail(400, 'invalidRequest', `Field '${name}' is not recognized`);
      if (column.readOnly || !column.type) return fail(400, 'invalidRequest', `Field '${name}' is read-only`);
      if (value === null || value === '') delete next[name];
      else next[name] = coerce(column, value);
    }
    for (const column of list.columns) {
      const v = next[column.name];
      if (!column.enforceUniqueValues || v === undefined) continue;
      const k = uniqueKey(v);
      for (const other of list.items.values()) {
        if (other.id === item.id) continue;
        const o = other.values[column.name];
        if (o !== undefined && uniqueKey(o) === k) {
          fail(
            409,
            'nameAlreadyExists',
            'The list item could not be added or updated because duplicate values were found in the following ' +
              `field(s) in the list: [${column.name}].`,
          );
        }
      }
    }
    item.values = next;
    if (!isNew) {
      item.version++;
      item.modified = secondsIso();
    }
  }

  private itemJson(
    list: List,
    item: Item,
    query: URLSearchParams,
    withContext: boolean,
  ): Record<string, unknown> {
    const eTag = `"${item.guid},${item.version}"`;
    const author = {
      user: { displayName: 'SharePoint App' },
      application: { id: this.clientId, displayName: 'EIP bot' },
    };
    const full: Record<string, unknown> = {
      '@odata.etag': eTag,
      createdDateTime: item.created,
      eTag,
      id: String(item.id),
      lastModifiedDateTime: item.modified,
      webUrl: `${this.listUrl(list)}/DispForm.aspx?ID=${item.id}`,
      createdBy: author,
      lastModifiedBy: author,
      parentReference: { id: list.id, siteId: this.site.id },
      contentType: ITEM_CONTENT_TYPE,
    };
    const select = csv(query.get('$select') ?? query.get('select'));
    const out: Record<string, unknown> = {};
    if (withContext) {
      out['@odata.context'] =
        `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists('${list.id}')/items/$entity`;
    }
    for (const [k, v] of Object.entries(full)) {
      if (!select || k === '@odata.etag' || select.includes(k)) out[k] = v;
    }
    for (const e of csv(query.get('$expand') ?? query.get('expand')) ?? []) {
      const m = /^fields(?:\(\s*\$?select\s*=\s*([^)]*)\))?$/.exec(e.trim());
      if (!m)
        return fail(
          400,
          'BadRequest',
          `Could not find a property named '${e}' on type 'microsoft.graph.listItem'.`,
        );
      out['fields@odata.context'] =
        `${this.url}/v1.0/$metadata#sites('${this.site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`;
      out.fields = this.fieldsJson(list, item, m[1] === undefined ? undefined : csv(m[1]));
    }
    return out;
  }

  /** A fieldValueSet as SharePoint gives it: values that are set, then its own read-only fields. */
  private fieldsJson(list: List, item: Item, select?: string[]): Record<string, unknown> {
    const title = item.values.Title;
    const full: Record<string, unknown> = { '@odata.etag': `"${item.guid},${item.version}"` };
    for (const c of list.columns) {
      if (c.type && item.values[c.name] !== undefined) full[c.name] = structuredClone(item.values[c.name]);
    }
    Object.assign(full, {
      id: String(item.id),
      ContentType: 'Item',
      Modified: item.modified,
      Created: item.created,
      AuthorLookupId: APP_LOOKUP_ID,
      EditorLookupId: APP_LOOKUP_ID,
      _UIVersionString: `${item.version}.0`,
      Attachments: false,
      Edit: '',
      LinkTitleNoMenu: title ?? '',
      LinkTitle: title ?? '',
      ItemChildCount: '0',
      FolderChildCount: '0',
      _ComplianceFlags: '',
      _ComplianceTag: '',
      _ComplianceTagWrittenTime: '',
      _ComplianceTagUserId: '',
      AppAuthorLookupId: '1',
      AppEditorLookupId: '1',
    });
    if (!select) return full;
    const out: Record<string, unknown> = { '@odata.etag': full['@odata.etag'] };
    for (const s of select) if (full[s] !== undefined) out[s] = full[s];
    return out;
  }
}

// ---- helpers ----

function closeServer(s: https.Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function lowerHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

const headerCase = (k: string): string =>
  k
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('-');

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Splits a comma list at the top level (not inside parentheses). */
function csv(s: string | null | undefined): string[] | undefined {
  if (s === null || s === undefined) return undefined;
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'cache-control': 'no-cache', 'odata-version': '4.0', 'content-type': GRAPH_JSON, ...headers },
    body,
  };
}

function errorReply(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return jsonReply(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: secondsIso(),
          'request-id': crypto.randomUUID(),
          'client-request-id': crypto.randomUUID(),
        },
      },
    },
    headers,
  );
}

const methodNotAllowed = (): never =>
  fail(405, 'BadRequest', 'Specified HTTP method is not allowed for the request uri.');

// ---- columns ----

function builtIn(name: string, facet: Record<string, unknown>, extra: Partial<Column> = {}): Column {
  return {
    id: crypto.randomUUID(),
    name,
    displayName: name,
    description: '',
    indexed: false,
    enforceUniqueValues: false,
    required: false,
    hidden: false,
    readOnly: true,
    builtIn: true,
    maxLength: 255,
    choices: [],
    allowTextEntry: false,
    dateOnly: false,
    facet,
    ...extra,
  };
}

/** What a new genericList has: Title (writable text) and SharePoint's own read-only columns. */
function builtInColumns(): Column[] {
  const text = {
    text: {
      allowMultipleLines: false,
      appendChangesToExistingText: false,
      linesForEditing: 0,
      maxLength: 255,
    },
  };
  const person = {
    personOrGroup: { allowMultipleSelection: false, displayAs: 'account', chooseFromType: 'peopleOnly' },
  };
  const dateTime = { dateTime: { displayAs: 'default', format: 'dateTime' } };
  return [
    builtIn('Title', text, { type: 'text', readOnly: false, required: true }),
    builtIn('ID', { number: {} }, { indexed: true, enforceUniqueValues: true }),
    builtIn('ContentType', {}),
    builtIn('Modified', dateTime, { indexed: true }),
    builtIn('Created', dateTime, { indexed: true }),
    builtIn('Author', person),
    builtIn('Editor', person),
    builtIn('_UIVersionString', text, { displayName: 'Version' }),
    builtIn('Attachments', { boolean: {} }),
    builtIn('Edit', {}),
    builtIn('LinkTitleNoMenu', {}, { displayName: 'Title' }),
    builtIn('LinkTitle', {}, { displayName: 'Title' }),
    builtIn('ItemChildCount', {}, { displayName: 'Item Child Count' }),
    builtIn('FolderChildCount', {}, { displayName: 'Folder Child Count' }),
    builtIn('AppAuthor', {}, { displayName: 'App Created By' }),
    builtIn('AppEditor', {}, { displayName: 'App Modified By' }),
  ];
}

function checkIndexing(name: string, type: ColumnType | undefined, indexed: boolean, unique: boolean): void {
  if (unique && !indexed) {
    fail(400, 'invalidRequest', `Column '${name}': enforceUniqueValues requires indexed to be true.`);
  }
  if ((indexed || unique) && type === 'note') {
    fail(
      400,
      'invalidRequest',
      `Column '${name}': a multiple lines of text column cannot be indexed or unique.`,
    );
  }
  if (unique && type === 'boolean') {
    fail(400, 'invalidRequest', `Column '${name}': a yes/no column cannot enforce unique values.`);
  }
}

function parseColumn(def: unknown, list: List): Column {
  if (!isRecord(def)) return fail(400, 'invalidRequest', 'A column definition must be an object.');
  const name = typeof def.name === 'string' ? def.name : '';
  // SharePoint would encode other characters into the internal name (a space becomes _x0020_); this server refuses
  // them, so names stay what the store asked for.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(name)) {
    return fail(
      400,
      'invalidRequest',
      `Column name '${name}' is not valid here: use letters, digits and _ only.`,
    );
  }
  if (list.columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    return fail(409, 'nameAlreadyExists', `A duplicate field name "${name}" was found.`);
  }
  const facets = ['text', 'number', 'dateTime', 'choice', 'boolean'].filter((f) => def[f] !== undefined);
  if (facets.length !== 1) {
    return fail(
      400,
      'invalidRequest',
      `Column '${name}' needs exactly one type (text, number, dateTime, choice, boolean).`,
    );
  }
  const facetName = facets[0] as string;
  const facetIn = isRecord(def[facetName]) ? (def[facetName] as Record<string, unknown>) : {};
  const column: Column = {
    id: crypto.randomUUID(),
    name,
    displayName: typeof def.displayName === 'string' ? def.displayName : name,
    description: typeof def.description === 'string' ? def.description : '',
    indexed: def.indexed === true,
    enforceUniqueValues: def.enforceUniqueValues === true,
    required: def.required === true,
    hidden: def.hidden === true,
    readOnly: false,
    builtIn: false,
    maxLength: 255,
    choices: [],
    allowTextEntry: false,
    dateOnly: false,
    facet: {},
  };
  switch (facetName) {
    case 'text': {
      const multi = facetIn.allowMultipleLines === true;
      column.type = multi ? 'note' : 'text';
      const max = typeof facetIn.maxLength === 'number' ? facetIn.maxLength : 255;
      if (!multi && (max < 1 || max > 255))
        return fail(400, 'invalidRequest', `Column '${name}': maxLength must be 1 to 255.`);
      column.maxLength = multi ? 0 : max;
      column.facet = {
        text: {
          allowMultipleLines: multi,
          appendChangesToExistingText: false,
          linesForEditing: multi ? 6 : 0,
          maxLength: column.maxLength,
          ...(multi ? { textType: 'plain' } : {}),
        },
      };
      break;
    }
    case 'number':
      column.type = 'number';
      column.facet = {
        number: {
          decimalPlaces: 'automatic',
          displayAs: 'number',
          maximum: Number.MAX_VALUE,
          minimum: -Number.MAX_VALUE,
        },
      };
      break;
    case 'dateTime':
      column.type = 'dateTime';
      column.dateOnly = facetIn.format === 'dateOnly';
      column.facet = {
        dateTime: { displayAs: 'default', format: column.dateOnly ? 'dateOnly' : 'dateTime' },
      };
      break;
    case 'choice': {
      column.type = 'choice';
      const choices = facetIn.choices;
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string')) {
        return fail(
          400,
          'invalidRequest',
          `Column '${name}': choice.choices must be a non-empty list of strings.`,
        );
      }
      column.choices = choices as string[];
      column.allowTextEntry = facetIn.allowTextEntry === true;
      column.facet = {
        choice: { allowTextEntry: column.allowTextEntry, choices: column.choices, displayAs: 'dropDownMenu' },
      };
      break;
    }
    default:
      column.type = 'boolean';
      column.facet = { boolean: {} };
  }
  checkIndexing(name, column.type, column.indexed, column.enforceUniqueValues);
  return column;
}

function columnJson(c: Column): Record<string, unknown> {
  return {
    columnGroup: c.builtIn ? '_Hidden' : 'Custom Columns',
    description: c.description,
    displayName: c.displayName,
    enforceUniqueValues: c.enforceUniqueValues,
    hidden: c.hidden,
    id: c.id,
    indexed: c.indexed,
    name: c.name,
    readOnly: c.readOnly,
    required: c.required,
    ...c.facet,
  };
}

/** A written value as SharePoint stores it, or a 400. */
function coerce(c: Column, value: unknown): unknown {
  const bad = (expected: string): never =>
    fail(400, 'invalidRequest', `Invalid value for field '${c.name}': expected ${expected}.`);
  switch (c.type) {
    case 'text':
    case 'note':
      if (typeof value !== 'string') return bad('a string');
      if (c.type === 'text' && value.length > c.maxLength) {
        return fail(
          400,
          'invalidRequest',
          `The value of field '${c.name}' is ${value.length} characters long; the column holds at most ${c.maxLength}.`,
        );
      }
      return value;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad('a number');
    case 'boolean':
      return typeof value === 'boolean' ? value : bad('true or false');
    case 'choice':
      if (typeof value !== 'string') return bad('a string');
      if (!c.allowTextEntry && !c.choices.includes(value)) return bad(`one of ${c.choices.join(', ')}`);
      return value;
    case 'dateTime': {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
        return bad('an ISO 8601 date and time');
      }
      const d = new Date(/T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value + 'Z' : value);
      if (c.dateOnly) return `${d.toISOString().slice(0, 10)}T00:00:00Z`;
      return secondsIso(d);
    }
    default:
      return bad('nothing: the field is read-only');
  }
}

const uniqueKey = (v: unknown): string =>
  typeof v === 'string' ? 's:' + v.toLowerCase() : JSON.stringify(v);

// ---- $filter ----

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
interface Clause {
  column: Column;
  op: Op;
  value: string | number | boolean;
}

/** `fields/X op literal` clauses joined by `and`; literals 'text' (with '' for '), numbers, true, false. */
function parseFilter(filter: string | null, list: List, allowNonIndexed: boolean): Clause[] {
  if (filter === null || filter.trim() === '') return [];
  const tokens = filter.match(/'(?:[^']|'')*'|[^\s()]+|[()]/g) ?? [];
  const clauses: Clause[] = [];
  let i = 0;
  const bad = (why: string): never => fail(400, 'invalidRequest', `Invalid filter clause: ${why}`);
  while (i < tokens.length) {
    const [field, op, lit] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (field === undefined || op === undefined || lit === undefined) return bad(filter);
    const m = /^fields\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(field);
    if (!m) {
      return fail(400, 'notSupported', `This server filters only on fields/<column> (got '${field}').`);
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) {
      return fail(400, 'notSupported', `This server supports eq, ne, gt, ge, lt and le only (got '${op}').`);
    }
    const name = m[1] ?? '';
    const column = list.columns.find((c) => c.name === name);
    if (!column || !column.type) {
      if (name === 'id' || name === 'ID')
        return fail(400, 'notSupported', 'This server does not filter on id.');
      return fail(400, 'invalidRequest', `Field '${name}' is not recognized`);
    }
    if (!column.indexed && !allowNonIndexed) {
      fail(
        400,
        'invalidRequest',
        `Field '${name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: ` +
          "HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may " +
          'fail on large lists.',
      );
    }
    let value: string | number | boolean;
    if (lit.startsWith("'")) value = lit.slice(1, -1).replace(/''/g, "'");
    else if (lit === 'true' || lit === 'false') value = lit === 'true';
    else if (/^-?\d+(\.\d+)?$/.test(lit)) value = Number(lit);
    else return bad(`unsupported literal ${lit}`);
    if (column.type === 'number' && typeof value === 'string') {
      if (!/^-?\d+(\.\d+)?$/.test(value)) return bad(`'${value}' is not a number for ${name}`);
      value = Number(value);
    }
    if (column.type === 'boolean' && typeof value !== 'boolean') {
      if (value === 1 || value === 0) value = value === 1;
      else return bad(`${name} is a yes/no column`);
    }
    if (['text', 'note', 'choice', 'dateTime'].includes(column.type) && typeof value !== 'string') {
      return bad(`${name} needs a quoted string`);
    }
    clauses.push({ column, op: op as Op, value });
    i += 3;
    if (i < tokens.length) {
      if (tokens[i] !== 'and')
        return fail(400, 'notSupported', `This server joins filter clauses with 'and' only.`);
      i++;
      if (i >= tokens.length) return bad(filter);
    }
  }
  return clauses;
}

function matches(c: Clause, values: Record<string, unknown>): boolean {
  const v = values[c.column.name];
  if (v === undefined) return c.op === 'ne';
  let cmp: number;
  if (c.column.type === 'dateTime') {
    cmp = Math.sign(Date.parse(String(v)) - Date.parse(String(c.value)));
  } else if (typeof v === 'string' && typeof c.value === 'string') {
    const a = v.toLowerCase();
    const b = c.value.toLowerCase();
    cmp = a < b ? -1 : a > b ? 1 : 0;
  } else if (typeof v === 'number' && typeof c.value === 'number') {
    cmp = Math.sign(v - c.value);
  } else if (typeof v === 'boolean' && typeof c.value === 'boolean') {
    cmp = v === c.value ? 0 : 1;
    if (c.op !== 'eq' && c.op !== 'ne') return false;
  } else {
    return false;
  }
  switch (c.op) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
    case 'lt':
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}
