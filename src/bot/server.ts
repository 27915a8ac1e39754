// The HTTP edge: restify serving POST /api/messages through the CloudAdapter, POST /api/reminders/run for a
// scheduler outside the bot (or a newcomer with curl), GET /healthz, and with the embedded store GET /exports/<token>
// for a report's CSV. An activity is checked here before any turn runs: its shape (400), its token (401, whatever
// went wrong, with nothing of why in the answer) and, in authenticated mode, the Bot Connector service it names (403).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import restify from 'restify';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
// botbuilder's own fix-up of an activity's timestamps (the step CloudAdapter.process takes before a turn).
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { isIsoDate } from '../domain';
import { loggable } from '../app/router';
import { withCorrelation } from '../logger';
import type { StoreHealth } from '../store/store';
import { isAllowedServiceUrl } from './activity';

type Authenticated = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type Logic = (ctx: TurnContext) => Promise<void>;

/** The CloudAdapter, with authentication and the turn as two steps, so the edge decides what a failure answers. */
export class EdgeAdapter extends CloudAdapter {
  /** Checks the request's token against the activity; throws on any failure, including keys it cannot fetch. */
  authenticate(activity: Activity, authHeader: string): Promise<Authenticated> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn for an authenticated activity; answers the invoke response, if the turn left one. */
  turn(authenticated: Authenticated, activity: Activity, logic: Logic): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

export function createAdapter(config: Config, log: Logger): EdgeAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({ ...config.botAuth, ...config.botAuthEndpoints });
  const adapter = new EdgeAdapter(auth);
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    log.error({ err: loggable(error) }, 'turn failed');
    await ctx.sendActivity('Sorry, something went wrong on our side. Please try again.');
  };
  return adapter;
}

/** The reminders endpoint: a plain callback, so this edge knows nothing of how reminders work. */
export interface JobsEndpoint {
  /** The bearer token callers must present; without one configured the endpoint does not exist (404). */
  token?: string;
  /** Local mode: `?now=YYYY-MM-DD` may sweep as of another day. Refused otherwise. */
  local: boolean;
  runReminders(options: { day?: string; dryRun: boolean }): Promise<object>;
}

/** Compares tokens in constant time (hashing first, so their lengths give nothing away either). */
function sameToken(given: string, expected: string): boolean {
  const digest = (t: string) => createHash('sha256').update(t).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function remindersRoute(jobs: JobsEndpoint | undefined, log: Logger): restify.RequestHandler {
  return async (req, res) => {
    if (!jobs?.token) {
      res.send(404, { error: 'Not found' });
      return;
    }
    const auth = /^Bearer (.+)$/i.exec(req.header('authorization') ?? '');
    if (!auth || !sameToken(auth[1]!.trim(), jobs.token)) {
      res.send(401, { error: 'A valid bearer token (EIP_JOBS_TOKEN) is required.' });
      return;
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const day = query.get('now') ?? undefined;
    if (day !== undefined && !jobs.local) {
      res.send(400, {
        error: 'now is accepted in local mode only: in production reminders run as of today.',
      });
      return;
    }
    if (day !== undefined && !isIsoDate(day)) {
      res.send(400, { error: 'now must be a date written YYYY-MM-DD.' });
      return;
    }
    const dryRun = ['1', 'true', 'yes'].includes((query.get('dryRun') ?? '').toLowerCase());
    try {
      res.send(200, await jobs.runReminders({ ...(day ? { day } : {}), dryRun }));
    } catch (e) {
      log.error({ err: e instanceof Error ? e.message : String(e) }, 'reminder run failed');
      res.send(500, { error: 'The reminder sweep failed; see the log.' });
    }
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const hasText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The request body as an activity, or the plain reason it is not one (answered 400). */
function activityOf(req: restify.Request): Activity | string {
  if (req.getContentType().trim().toLowerCase() !== 'application/json')
    return 'An activity must be sent as application/json.';
  let body: unknown;
  try {
    body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : String(req.body ?? ''));
  } catch {
    return 'The body is not valid JSON.';
  }
  if (!isRecord(body)) return 'An activity must be a JSON object.';
  if (!hasText(body.type)) return 'The activity has no type.';
  if (!isRecord(body.conversation) || !hasText(body.conversation.id))
    return 'The activity has no conversation.';
  if (!hasText(body.serviceUrl) || !URL.canParse(body.serviceUrl)) return 'The activity has no serviceUrl.';
  return validateAndFixActivity(body as unknown as Activity);
}

const UNAUTHORIZED = { error: 'Unauthorized.' };

function messagesRoute(options: ServerOptions): restify.RequestHandler {
  const { adapter, run, log, serviceUrls } = options;
  return async (req, res) => {
    const activity = activityOf(req);
    if (typeof activity === 'string') {
      res.send(400, { error: activity });
      return;
    }
    let authenticated: Authenticated;
    try {
      authenticated = await adapter.authenticate(activity, req.header('authorization') ?? '');
    } catch (e) {
      // A forged or expired token, or keys that cannot be fetched to check it: the caller learns only "no".
      log.warn(
        { reason: e instanceof Error ? e.message.slice(0, 200) : String(e) },
        'activity not authenticated',
      );
      res.send(401, UNAUTHORIZED);
      return;
    }
    if (serviceUrls && !isAllowedServiceUrl(activity.serviceUrl, serviceUrls)) {
      // Replies, and the bot's own token with them, would go to this address: never to one not on the list.
      log.warn({ type: activity.type }, 'activity naming a service that is not a Bot Connector refused');
      res.send(403, { error: 'The serviceUrl is not a Bot Framework service.' });
      return;
    }
    try {
      const invoke = await adapter.turn(authenticated, activity, run);
      if (invoke?.body !== undefined) res.send(invoke.status, invoke.body);
      else res.send(invoke?.status ?? 200);
    } catch (e) {
      log.error({ err: loggable(e) }, 'turn failed');
      res.send(500, { error: 'The bot could not handle this activity.' });
    }
  };
}

/** How the store is, for /healthz: `kind` names the store when the check does not answer in time. */
export interface HealthCheck {
  kind: string;
  check(): Promise<StoreHealth>;
}

/** How long /healthz waits for the store before answering "slow". */
export const HEALTH_WAIT_MS = 500;

async function storeHealth(health: HealthCheck): Promise<StoreHealth> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<StoreHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, kind: health.kind, state: 'slow' }), HEALTH_WAIT_MS);
  });
  try {
    return await Promise.race([
      health.check().catch((): StoreHealth => ({ ok: false, kind: health.kind, state: 'unreachable' })),
      slow,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function healthRoute(health: HealthCheck | undefined): restify.RequestHandler {
  return async (_req, res) => {
    if (!health) {
      res.send(200, { ok: true });
      return;
    }
    const { ok, kind, state } = await storeHealth(health);
    res.send(ok ? 200 : 503, { ok, store: { kind, state } });
  };
}

/**
 * A file by its token (the embedded store's report exports and evidence documents): undefined for a token unknown,
 * expired or used up. Its bytes come as a stream, made when sent; `served` (the audit) runs before any byte goes.
 */
export type ExportFiles = (token: string) =>
  | {
      fileName: string;
      contentType?: string;
      size: number;
      stream(): Readable;
      served?(): Promise<void>;
    }
  | undefined;

/**
 * Serves an export file as a download, streamed (a 25 MB document is never copied into memory); any token it does
 * not hold is a plain 404, with nothing of why. Nothing is sent that was not audited first. A failure is logged by
 * its code only: never a path or a file name.
 */
function exportRoute(files: ExportFiles, log: Logger): restify.RequestHandler {
  return async (req, res) => {
    const file = files(String(req.params?.token ?? ''));
    if (!file) {
      res.send(404, { error: 'Not found' });
      return;
    }
    try {
      await file.served?.();
    } catch (e) {
      log.error({ code: (e as NodeJS.ErrnoException)?.code ?? 'unknown' }, 'export download not audited');
      res.send(503, { error: 'Not available now; open the document again.' });
      return;
    }
    res.writeHead(200, {
      // A report's CSV, or an evidence document (always a download: never shown in the bot's own origin).
      'Content-Type': file.contentType ?? 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"${file.contentType ? `; filename*=UTF-8''${encodeURIComponent(file.fileName)}` : ''}`,
      'Content-Length': file.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    try {
      await pipeline(file.stream(), res);
    } catch (e) {
      log.warn({ code: (e as NodeJS.ErrnoException)?.code ?? 'unknown' }, 'export download did not finish');
    }
  };
}

export interface ServerOptions {
  port: number;
  /** The interface to listen on (Config.host). */
  host: string;
  adapter: EdgeAdapter;
  run: Logic;
  log: Logger;
  jobs?: JobsEndpoint;
  /** The Bot Connector services an activity may name (authenticated mode); unset, any (local mode). */
  serviceUrls?: readonly string[];
  health?: HealthCheck;
  /** Report exports served at GET /exports/<token> (the embedded store); without it the route does not exist. */
  exports?: ExportFiles;
}

export interface RunningServer {
  url: string;
  /** The address the server listens on. */
  host: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { port, host, log, jobs } = options;
  const server = restify.createServer({ name: 'eip-bot', handleUncaughtExceptions: false });
  // The body is read here and parsed by the route, so a bad one gets the route's own plain answer. Each activity,
  // and each reminder run, logs under a correlation id of its own, errors included.
  const messages = messagesRoute(options);
  server.post(
    '/api/messages',
    restify.plugins.bodyReader({ maxBodySize: 1_000_000 }),
    (req: restify.Request, res: restify.Response, next: restify.Next) =>
      withCorrelation(() => messages(req, res, next)),
  );
  const reminders = remindersRoute(jobs, log);
  server.post('/api/reminders/run', (req: restify.Request, res: restify.Response, next: restify.Next) =>
    withCorrelation(() => reminders(req, res, next)),
  );
  server.get('/healthz', healthRoute(options.health));
  if (options.exports) server.get('/exports/:token', exportRoute(options.exports, options.log));
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  // Every interface includes loopback; a single one is reached at its own address.
  const reach = ['0.0.0.0', '::'].includes(address.address)
    ? '127.0.0.1'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  const url = `http://${reach}:${address.port}`;
  log.info({ url, host: address.address }, 'bot listening on /api/messages');
  return {
    url,
    host: address.address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
