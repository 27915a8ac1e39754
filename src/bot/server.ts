// The HTTP edge: restify serving POST /api/messages through the CloudAdapter.
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config';

export function createAdapter(config: Config, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(config.botAuth);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, 'turn failed');
    await ctx.sendActivity('Sorry, something went wrong on our side. Please try again.');
  };
  return adapter;
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
): Promise<RunningServer> {
  const server = restify.createServer({ name: 'eip-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1_000_000 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, run);
  });
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
