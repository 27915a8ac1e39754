// Drives the real bot (restify + CloudAdapter + handlers + SQLite) over HTTP with Teams-shaped activities.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { loadConfig } from '../../src/config';
import { start, type Running } from '../../src/index';
import { FakeConnector } from './connector';

export const TENANT = '00000000-0000-0000-0000-0000000000001';

export interface TestPerson {
  aadObjectId: string;
  name: string;
}

/** People in test/fixtures/directory.json. */
export const P = {
  megan: { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' },
  adele: { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
  alex: { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' },
  patti: { aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' },
  lynne: { aadObjectId: '00000000-0000-0000-0000-0000000000025', name: 'Lynne Robbins' },
  isaiah: { aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' },
  stranger: { aadObjectId: '99999999-0000-0000-0000-000000000000', name: 'Stranger Danger' },
} satisfies Record<string, TestPerson>;

export const PANEL_CHAT = 'panel-group-chat';
export const personalChat = (p: TestPerson) => `personal-${p.aadObjectId}`;

export interface Harness {
  bot: Running;
  connector: FakeConnector;
  logs: string[];
  dataDir: string;
  /** Sends a typed message in a chat; answers the cards the bot replied with. */
  say(p: TestPerson, text: string, chat?: 'personal' | 'panel'): Promise<Record<string, unknown>[]>;
  /** Presses an Action.Execute button; answers the card that replaces it. */
  press(
    p: TestPerson,
    verb: string,
    data?: Record<string, unknown>,
    chat?: 'personal' | 'panel',
  ): Promise<Record<string, unknown>>;
  /** Raw POST of an activity; answers HTTP status and body. */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

let seq = 0;

/** What Teams sends for a person in their 1:1 chat or in the panel chat, with the connector to answer through. */
export const activityFrom = (serviceUrl: string, p: TestPerson, chat: 'personal' | 'panel') => ({
  channelId: 'msteams',
  serviceUrl,
  id: `in-${++seq}`,
  timestamp: new Date().toISOString(),
  from: { id: `29:${p.aadObjectId}`, name: p.name, aadObjectId: p.aadObjectId },
  recipient: { id: '28:bot', name: 'EIP bot' },
  conversation:
    chat === 'personal'
      ? { id: personalChat(p), conversationType: 'personal', tenantId: TENANT }
      : { id: PANEL_CHAT, conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
  channelData: { tenant: { id: TENANT } },
});

/** A button press (Action.Execute) as Teams sends it. */
export const pressActivity = (
  serviceUrl: string,
  p: TestPerson,
  verb: string,
  data: Record<string, unknown> = {},
  chat: 'personal' | 'panel' = 'personal',
) => ({
  ...activityFrom(serviceUrl, p, chat),
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: { action: { type: 'Action.Execute', verb, data } },
});

export interface HarnessOptions {
  directory?: string;
  now?: () => Date;
  env?: Record<string, string>;
  /** Reuse a data folder (a restart); it is then left in place on stop. */
  dataDir?: string;
  /** Reuse a stand-in Bot Connector (a restart: stored conversations point at it); it is then left running. */
  connector?: FakeConnector;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const connector = options.connector ?? new FakeConnector();
  if (!options.connector) await connector.start();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eip-test-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({
    PORT: '0',
    EIP_DATA_DIR: dataDir,
    EIP_DIRECTORY: options.directory ?? path.join(__dirname, '..', 'fixtures', 'directory.json'),
    EIP_PLAYGROUND: 'off',
    ...options.env,
  });
  const bot = await start(
    { ...config, port: 0 },
    {
      log: createLogger(sink, 'debug'),
      host: '127.0.0.1',
      // Reminders are swept only when a test asks (POST /api/reminders/run), never on a timetable.
      scheduler: false,
      ...(options.now ? { now: options.now } : {}),
    },
  );

  const base = (p: TestPerson, chat: 'personal' | 'panel') => activityFrom(connector.url, p, chat);

  const post = async (activity: Record<string, unknown>) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    // What the action owes goes out as it answers: a test reads the chats once it has.
    await bot.outbox.idle();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  return {
    bot,
    connector,
    logs,
    dataDir,
    post,
    async say(p, text, chat = 'personal') {
      const mark = connector.mark();
      const activity = { ...base(p, chat), type: 'message', text };
      const r = await post(activity);
      if (r.status >= 300) throw new Error(`message answered ${r.status}`);
      return connector.cardsIn((activity.conversation as { id: string }).id, mark);
    },
    async press(p, verb, data = {}, chat = 'personal') {
      const activity = pressActivity(connector.url, p, verb, data, chat);
      const r = await post(activity);
      const body = r.body as
        { statusCode?: number; type?: string; value?: Record<string, unknown> } | undefined;
      if (r.status !== 200 || body?.type !== 'application/vnd.microsoft.card.adaptive' || !body.value) {
        throw new Error(`invoke answered ${r.status} ${JSON.stringify(r.body)}`);
      }
      return body.value;
    },
    async stop() {
      await bot.stop();
      if (!options.connector) await connector.stop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every piece of text a card shows, joined, for "the card says …" assertions. */
export function textOf(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'RichTextBlock' && Array.isArray(o.inlines)) {
        out.push(o.inlines.map((r) => String((r as { text?: unknown }).text ?? '')).join(''));
        return;
      }
      for (const k of ['text', 'title', 'value', 'label'])
        if (typeof o[k] === 'string') out.push(o[k] as string);
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback') walk(v);
    }
  };
  walk(card);
  return out.join('\n');
}

/** The buttons on a card (Action.Execute), with their verbs and data. */
export function buttonsOf(card: unknown): { title: string; verb: string; data: Record<string, unknown> }[] {
  const out: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        out.push({
          title: String(o.title),
          verb: String(o.verb),
          data: (o.data ?? {}) as Record<string, unknown>,
        });
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

export function button(card: unknown, title: string) {
  const b = buttonsOf(card).find((x) => x.title === title);
  if (!b)
    throw new Error(
      `no button "${title}" on card; buttons: ${buttonsOf(card)
        .map((x) => x.title)
        .join(', ')}`,
    );
  return b;
}

/** Megan raises a request; answers the new case's id (from the button on her confirmation card). */
export async function raiseRequest(h: Harness, data: Record<string, unknown>): Promise<string> {
  const card = await h.press(P.megan, 'submitRequest', data);
  const withdraw = buttonsOf(card).find((b) => b.verb === 'showForm' && b.data.form === 'withdraw');
  if (!withdraw) throw new Error(`request was refused: ${textOf(card)}`);
  return String(withdraw.data.caseId);
}

/** Adele accepts a case and records its assessment, as every test of the panel must first. */
export async function acceptAndAssess(
  h: Harness,
  caseId: string,
  assessment: { findings: string; needsIdentified: string } = { findings: 'f', needsIdentified: 'n' },
): Promise<void> {
  await h.press(P.adele, 'accept', { caseId, observationDate: '2026-11-27' });
  await h.press(P.adele, 'assess', { caseId, observedOn: '2026-11-27', ...assessment });
}
