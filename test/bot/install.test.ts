// Installing the app: people are greeted once and can be reached from then on; a channel is registered as itself.
import assert from 'node:assert/strict';
import { P, TENANT, personalChat, startHarness, textOf, type Harness } from '../support/harness';

describe('installation and conversation references', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  const activity = (type: string, extra: Record<string, unknown>) => ({
    type,
    channelId: 'msteams',
    serviceUrl: h.connector.url,
    from: { id: `29:${P.adele.aadObjectId}`, aadObjectId: P.adele.aadObjectId, name: P.adele.name },
    recipient: { id: '28:bot', name: 'EIP bot' },
    conversation: { id: personalChat(P.adele), conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  });

  it('greets a person once when Teams sends both install activities, and stores how to reach them', async () => {
    const mark = h.connector.mark();
    await h.post(activity('installationUpdate', { action: 'add' }));
    await h.post(
      activity('conversationUpdate', {
        membersAdded: [{ id: `29:${P.adele.aadObjectId}` }, { id: '28:bot' }],
      }),
    );
    const cards = h.connector.cardsIn(personalChat(P.adele), mark);
    assert.equal(cards.length, 1);
    assert.match(textOf(cards[0]), /Hello Adele Vance/);
    const stored = await h.bot.store.conversations.get(P.adele.aadObjectId);
    assert.equal((stored?.value.reference.conversation as { id: string }).id, personalChat(P.adele));
    assert.equal(stored?.value.teamsUserId, `29:${P.adele.aadObjectId}`);
  });

  it('registers a channel, not the thread it was typed in, as the panel chat', async () => {
    const r = await h.post(
      activity('message', {
        text: '<at>EIP bot</at> panel here',
        conversation: {
          id: '19:panel@thread.tacv2;messageid=1700000000000',
          conversationType: 'channel',
          tenantId: TENANT,
        },
      }),
    );
    assert.equal(r.status, 200);
    const panel = await h.bot.store.conversations.get('panel');
    assert.equal((panel?.value.reference.conversation as { id: string }).id, '19:panel@thread.tacv2');
  });

  it('refuses activities from another tenant when EIP_TENANT_ID is set', async () => {
    await h.stop();
    h = await startHarness({ env: { EIP_TENANT_ID: 'the-la-tenant' } });
    const mark = h.connector.mark();
    await h.post(activity('message', { text: 'help' }));
    assert.equal(h.connector.cardsIn(personalChat(P.adele), mark).length, 0);
    assert.equal((await h.bot.store.conversations.find()).length, 0);
  });
});
