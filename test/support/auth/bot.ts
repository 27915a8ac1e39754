// Starts the real bot in authenticated mode (an app id and password, as in production) whose token checks run against
// a test's own token issuer, with a stand-in Bot Connector on an allowed serviceUrl, so a test can post signed and
// forged activities and see what the bot did: what it answered, what it stored, and whom it called.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type BotAuthEndpoints } from '../../../src/config';
import { start, type Running } from '../../../src/index';
import { createLogger } from '../../../src/logger';
import { FakeConnector } from '../connector';
import { P, TENANT, personalChat, type TestPerson } from '../harness';

export const APP_ID = '11111111-2222-3333-4444-555555555555';
export const APP_PASSWORD = 'the-bots-app-password';

export interface AuthBot {
  bot: Running;
  /** The Bot Connector the bot may call (its serviceUrl is allowed). */
  connector: FakeConnector;
  logs: string[];
  /** POSTs an activity with these headers (an Authorization header, if any) and answers status and body. */
  post(
    activity: Record<string, unknown> | string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; text: string; body: unknown }>;
  /** An Action.Execute press of `help` by Megan in her personal chat, Teams-shaped. */
  press(p?: TestPerson, extra?: Record<string, unknown>): Record<string, unknown>;
  /** Everything the bot stored: conversation references and audit entries. */
  stored(): Promise<{ conversations: number; audit: number }>;
  stop(): Promise<void>;
}

export async function startAuthBot(
  endpoints: BotAuthEndpoints,
  env: Record<string, string> = {},
): Promise<AuthBot> {
  const connector = new FakeConnector();
  await connector.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-auth-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({
    PORT: '0',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: APP_PASSWORD,
    EIP_DATA_DIR: dataDir,
    EIP_DIRECTORY: path.join(__dirname, '..', '..', 'fixtures', 'directory.json'),
    EIP_TENANT_ID: TENANT,
    ...env,
  });
  const bot = await start(
    // Only this test's configuration trusts the test's issuer and the stand-in connector.
    { ...config, port: 0, botAuthEndpoints: endpoints, serviceUrls: [connector.url] },
    { log: createLogger(sink, 'debug'), host: '127.0.0.1', scheduler: false },
  );

  return {
    bot,
    connector,
    logs,
    async post(activity, headers = {}) {
      const res = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      });
      const text = await res.text();
      await bot.outbox.idle();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, text, body };
    },
    press(p = P.megan, extra = {}) {
      return {
        type: 'invoke',
        name: 'adaptiveCard/action',
        channelId: 'msteams',
        serviceUrl: connector.url,
        id: 'in-1',
        from: { id: `29:${p.aadObjectId}`, name: p.name, aadObjectId: p.aadObjectId },
        recipient: { id: `28:${APP_ID}`, name: 'EIP bot' },
        conversation: { id: personalChat(p), conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        value: { action: { type: 'Action.Execute', verb: 'help', data: {} } },
        ...extra,
      };
    },
    async stored() {
      return {
        conversations: (await bot.store.conversations.find()).length,
        audit: (await bot.store.audit.list()).length,
      };
    },
    async stop() {
      await bot.stop();
      await connector.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
