// THE FLOOR: a bare botbuilder bot, CloudAdapter on restify with no authentication, that echoes a message and answers
// a button press (an Action.Execute invoke) with a one-line card. Nothing built on botbuilder can cost less a turn.
import restify from 'restify';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import { answer, cpuMs, exitWithParent } from './child';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`);
      await next();
    });
  }

  protected override async onInvokeActivity(ctx: TurnContext) {
    const verb = (ctx.activity.value as { action?: { verb?: string } } | undefined)?.action?.verb ?? '';
    return {
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: {
          type: 'AdaptiveCard',
          version: '1.5',
          body: [{ type: 'TextBlock', text: `echo: ${verb}` }],
        },
      },
    };
  }
}

async function main(): Promise<void> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new EchoBot();
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  exitWithParent(async () => server.close());
  answer({ cpu: () => ({ ms: cpuMs(), rss: process.memoryUsage().rss }) });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${server.address().port}` });
}

void main();
