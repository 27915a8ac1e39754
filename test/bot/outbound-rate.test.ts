// Outbound messages stay inside Teams' limits for bots, measured where Teams would measure them: a stand-in Bot
// Connector counts what arrives in every second, per conversation and for the app.
import assert from 'node:assert/strict';
import pino from 'pino';
import { noticeCard } from '../../src/cards';
import { rateLimited, PER_APP_PER_SECOND, PER_CONVERSATION_PER_SECOND } from '../../src/app/outbox/rate';
import { BotNotifier } from '../../src/bot/notifier';
import { createAdapter } from '../../src/bot/server';
import { loadConfig } from '../../src/config';
import { FakeConnector, type Sent } from '../support/connector';

/** The most messages that arrived within any one second. */
function busiestSecond(sent: readonly Sent[]): number {
  const times = sent.map((s) => s.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= 1000) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The rate limiter over the real notifier, pointed at the stand-in connector. */
function limitedNotifier() {
  const config = loadConfig({ PORT: '0', EIP_DATA_DIR: '/tmp/unused', EIP_PLAYGROUND: 'off' });
  return rateLimited(new BotNotifier(createAdapter(config, pino({ level: 'silent' })), ''));
}

describe('outbound rate', function () {
  this.timeout(60_000);
  let connector: FakeConnector;
  before(async () => {
    connector = new FakeConnector();
    await connector.start();
  });
  after(() => connector.stop());

  it('fans out to 200 people and 30 messages in one chat within 7 a second per chat and 50 a second for the app', async () => {
    const notifier = limitedNotifier();
    const reference = (conversation: string) => ({
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      bot: { id: '28:bot' },
    });
    const card = noticeCard({ title: 'Notice', text: '' });
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => notifier.send(reference(`chat-${i}`), card)),
      ...Array.from({ length: 30 }, () => notifier.send(reference('panel'), card)),
    ]);
    assert.equal(connector.sent.length, 230, 'every message arrived');
    assert.ok(busiestSecond(connector.sent) <= PER_APP_PER_SECOND, `app: ${busiestSecond(connector.sent)}/s`);
    const panel = connector.sent.filter((s) => s.conversationId === 'panel');
    assert.equal(panel.length, 30);
    assert.ok(busiestSecond(panel) <= PER_CONVERSATION_PER_SECOND, `one chat: ${busiestSecond(panel)}/s`);
  });

  it('folds a burst of updates to one card into a few, the last showing the newest', async () => {
    const notifier = limitedNotifier();
    const reference = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: 'burst' },
      bot: { id: '28:bot' },
    };
    const mark = connector.mark();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        notifier.update(reference, 'panel-card', noticeCard({ title: `Tally ${i + 1}`, text: '' })),
      ),
    );
    const updates = connector.sent.slice(mark).filter((s) => s.conversationId === 'burst');
    assert.ok(updates.length <= 3, `${updates.length} updates for 30 votes`);
    assert.match(JSON.stringify(updates.at(-1)?.activity), /Tally 30/);
  });
});
