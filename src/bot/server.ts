// The HTTP edge: restify serving POST /api/messages through the CloudAdapter, and POST /api/reminders/run for a
// scheduler outside the bot (or a newcomer with curl).
import { createHash, timingSafeEqual } from 'node:crypto';
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { isIsoDate } from '../domain';
import { withCorrelation } from '../logger';

export function createAdapter(config: Config, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(config.botAuth);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, 'turn failed');
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

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  port: number,
  adapter: CloudAdapter,
  run: (ctx: TurnContext) => Promise<void>,
  log: Logger,
  host = '0.0.0.0',
  jobs?: JobsEndpoint,
): Promise<RunningServer> {
  const server = restify.createServer({ name: 'eip-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1_000_000 }));
  // Each activity, and each reminder run, logs under a correlation id of its own, errors included.
  server.post('/api/messages', async (req, res) => {
    await withCorrelation(() => adapter.process(req, res, run));
  });
  const reminders = remindersRoute(jobs, log);
  server.post('/api/reminders/run', (req, res, next) => withCorrelation(() => reminders(req, res, next)));
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { ok: true });
    next();
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${address.port}`;
  log.info({ url }, 'bot listening on /api/messages');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
