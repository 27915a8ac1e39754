// A stand-in for the Bot Connector service: records every activity the bot sends or updates, per conversation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sent {
  kind: 'send' | 'update';
  /** When the connector received it (ms since the epoch). */
  at: number;
  conversationId: string;
  activityId: string;
  activity: {
    type?: string;
    text?: string;
    attachments?: { contentType: string; content: unknown }[];
    id?: string;
  };
}

export class FakeConnector {
  readonly sent: Sent[] = [];
  /** Conversations whose messages the service refuses, as Teams does for a chat that is gone. */
  readonly failing = new Set<string>();
  /** Holds each message this long before taking it, as a slow Bot Connector would; taken only if the sender waits. */
  delayMs = 0;
  /** Messages that have arrived and are being held (see delayMs). */
  holding = 0;
  private server?: http.Server;
  private next = 1;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (!m) {
          res.writeHead(404);
          res.end();
          return;
        }
        const conversationId = decodeURIComponent(m[1]!);
        if (this.failing.has(conversationId)) {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'gone' } }));
          return;
        }
        if (this.delayMs > 0) {
          this.holding += 1;
          setTimeout(() => {
            this.holding -= 1;
            // A sender that died while it waited never learns of it, and Teams never shows it.
            if (!res.destroyed && !req.socket.destroyed) this.take(req, res, m, body);
          }, this.delayMs);
          return;
        }
        this.take(req, res, m, body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private take(req: http.IncomingMessage, res: http.ServerResponse, m: RegExpExecArray, body: string): void {
    const conversationId = decodeURIComponent(m[1]!);
    const activity = JSON.parse(body || '{}') as Sent['activity'];
    const isUpdate = req.method === 'PUT';
    const activityId = isUpdate ? decodeURIComponent(m[2]!) : `msg-${this.next++}`;
    this.sent.push({
      kind: isUpdate ? 'update' : 'send',
      at: Date.now(),
      conversationId,
      activityId,
      activity,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: activityId }));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  /** Cards sent to a conversation since the mark, in order. */
  cardsIn(conversationId: string, since = 0): Record<string, unknown>[] {
    return this.sent
      .slice(since)
      .filter((s) => s.conversationId === conversationId)
      .flatMap((s) => (s.activity.attachments ?? []).map((a) => a.content as Record<string, unknown>));
  }

  mark(): number {
    return this.sent.length;
  }
}
