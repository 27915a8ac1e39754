// The outbox as the people waiting on a message see it: each message arrives once, a refusal by Teams is handled as
// Teams means it, and messages saved with a change survive a crash before they were sent.
import assert from 'node:assert/strict';
import { noticeCard, type Card } from '../../src/cards';
import { DeliveryError, type AppDeps, type Notifier } from '../../src/app/ports';
import { tellEach } from '../../src/app/outbox/messages';
import {
  LEASE_MS,
  MAX_ATTEMPTS,
  deliver,
  dispatchPending,
  enqueue,
  recoverOutbox,
  settleOwed,
} from '../../src/app/outbox/outbox';
import { saveCase } from '../../src/app/records';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { appDeps, caseRecord, chatOf, reachable } from '../support/records';
import { P, textOf } from '../support/harness';

const T0 = new Date('2026-11-02T12:00:00Z');
const card = (title: string): Card => noticeCard({ title, text: '' });

/** A stand-in for Teams: refuses a chat with a status code while told to, and records what it accepted. */
class ScriptedNotifier implements Notifier {
  readonly sent: { chat: string; title: string }[] = [];
  readonly refuse = new Map<string, DeliveryError>();
  calls = 0;

  async send(reference: Record<string, unknown>, c: Card): Promise<string> {
    this.calls += 1;
    const chat = String((reference.conversation as { id?: unknown } | undefined)?.id);
    const refusal = this.refuse.get(chat);
    if (refusal) throw refusal;
    this.sent.push({ chat, title: textOf(c).split('\n')[0]! });
    return `msg-${this.sent.length}`;
  }

  async update(): Promise<void> {}

  to(aadObjectId: string): string[] {
    return this.sent.filter((s) => s.chat === chatOf(aadObjectId)).map((s) => s.title);
  }
}

describe('the outbox', () => {
  let store: Store;
  let teams: ScriptedNotifier;
  let deps: AppDeps;
  let now: Date;
  const at = (ms: number) => (now = new Date(T0.getTime() + ms));

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    teams = new ScriptedNotifier();
    now = T0;
    deps = { ...appDeps(store, teams), now: () => now };
    for (const p of [P.megan, P.adele]) await reachable(store, p.aadObjectId);
  });
  afterEach(() => store.close());

  const owe = (change: string, to: string, title = change) =>
    tellEach(change, T0.toISOString(), [to], card(title));

  it('sends a message once, however many senders try it at the same moment', async () => {
    const owed = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    await enqueue(deps, owed, 'c1');
    const ids = owed.map((o) => o.id);
    await Promise.all([deliver(deps, ids), deliver(deps, ids), dispatchPending(deps), deliver(deps, ids)]);
    await dispatchPending(deps);
    assert.deepEqual(teams.to(P.megan.aadObjectId), ['Accepted']);
    assert.equal((await store.outbox.get(ids[0]!))?.value.state, 'sent');
  });

  it('writing the same owed message twice owes it once', async () => {
    const owed = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    await settleOwed(deps, owed, 'c1');
    await settleOwed(deps, owed, 'c1');
    assert.deepEqual(teams.to(P.megan.aadObjectId), ['Accepted']);
  });

  it('waits as long as Teams asks after a 429, then sends it once', async () => {
    teams.refuse.set(chatOf(P.megan.aadObjectId), new DeliveryError(429, 'slow down', 30_000));
    const [o] = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    const states = await settleOwed(deps, [o!]);
    assert.equal(states.get(o!.id), 'pending');
    teams.refuse.clear();
    at(29_000);
    await dispatchPending(deps);
    assert.deepEqual(teams.to(P.megan.aadObjectId), [], 'not before Retry-After');
    at(30_000);
    await dispatchPending(deps);
    await dispatchPending(deps);
    assert.deepEqual(teams.to(P.megan.aadObjectId), ['Accepted']);
  });

  it('backs off after a 5xx, longer each time, and gives up in the end', async () => {
    teams.refuse.set(chatOf(P.megan.aadObjectId), new DeliveryError(502, 'bad gateway'));
    const [o] = owe('c1:accept', P.megan.aadObjectId);
    await settleOwed(deps, [o!]);
    const waits: number[] = [];
    for (let i = 1; i < MAX_ATTEMPTS; i += 1) {
      const pending = (await store.outbox.get(o!.id))!.value;
      assert.equal(pending.state, 'pending');
      assert.match(pending.lastError ?? '', /502/);
      waits.push(Date.parse(pending.notBefore) - now.getTime());
      at(Date.parse(pending.notBefore) - T0.getTime());
      await dispatchPending(deps);
    }
    assert.ok(
      waits.every((w, i) => i === 0 || w >= waits[i - 1]!),
      `waits grow: ${waits.join(', ')}`,
    );
    assert.ok(waits[0]! > 0);
    const last = (await store.outbox.get(o!.id))!.value;
    assert.equal(last.state, 'failed');
    assert.match(last.lastError ?? '', /gave up after 12 attempts/);
    assert.equal(teams.calls, MAX_ATTEMPTS);
  });

  it('after a 403 stops trying that chat, tells the co-ordinator, and starts again when the person talks to the bot', async () => {
    teams.refuse.set(chatOf(P.megan.aadObjectId), new DeliveryError(403, 'bot blocked'));
    const [first] = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    assert.equal((await settleOwed(deps, [first!])).get(first!.id), 'failed');
    assert.equal((await store.conversations.get(P.megan.aadObjectId))?.value.inactive, true);
    const toCoordinator = teams.to(P.adele.aadObjectId);
    assert.deepEqual(toCoordinator, ['EIP bot cannot reach Megan Bowen']);
    // A second message to Megan is not even tried, and the co-ordinator is not told twice.
    const callsBefore = teams.calls;
    const [second] = owe('c1:assess', P.megan.aadObjectId, 'Assessed');
    assert.equal((await settleOwed(deps, [second!])).get(second!.id), 'failed');
    assert.equal(teams.calls, callsBefore);
    assert.equal(teams.to(P.adele.aadObjectId).length, 1);
    // Megan opens EIP bot again: her chat is active, and the next message reaches her.
    teams.refuse.clear();
    const { rememberPerson } = await import('../../src/app/messenger');
    await rememberPerson(
      deps,
      {
        aadObjectId: P.megan.aadObjectId,
        teamsUserId: `29:${P.megan.aadObjectId}`,
        conversationType: 'personal',
        reference: { conversation: { id: chatOf(P.megan.aadObjectId) } },
      },
      undefined,
    );
    assert.equal((await store.conversations.get(P.megan.aadObjectId))?.value.inactive, undefined);
    const [third] = owe('c1:propose', P.megan.aadObjectId, 'With the panel');
    await settleOwed(deps, [third!]);
    assert.deepEqual(teams.to(P.megan.aadObjectId), ['With the panel']);
  });

  it('after a 404 forgets the conversation, and does not retry', async () => {
    teams.refuse.set(chatOf(P.megan.aadObjectId), new DeliveryError(404, 'conversation not found'));
    const [o] = owe('c1:accept', P.megan.aadObjectId);
    assert.equal((await settleOwed(deps, [o!])).get(o!.id), 'failed');
    assert.equal(await store.conversations.get(P.megan.aadObjectId), undefined);
    at(3_600_000);
    await dispatchPending(deps);
    assert.equal(teams.calls, 1);
  });

  it('takes over a message whose sender died holding it, once its lease has run out, and not before', async () => {
    const [o] = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    await enqueue(deps, [o!]);
    // A sender claimed it and then died (the claim is all it wrote).
    const claimed = (await store.outbox.get(o!.id))!;
    await store.outbox.replace(
      {
        ...claimed.value,
        state: 'sending',
        attempts: 1,
        notBefore: new Date(T0.getTime() + LEASE_MS).toISOString(),
      },
      claimed.eTag,
    );
    await dispatchPending(deps);
    assert.deepEqual(teams.to(P.megan.aadObjectId), [], 'the lease still holds');
    at(LEASE_MS);
    await dispatchPending(deps);
    await dispatchPending(deps);
    assert.deepEqual(teams.to(P.megan.aadObjectId), ['Accepted']);
  });

  it('finds messages saved with a change but never copied to the outbox (a crash), and sends each once', async () => {
    const c = caseRecord({ id: 'c1', ref: 'EIP-2026-0001' });
    const owed = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    await store.cases.create({ ...c, outbox: owed });
    await recoverOutbox(deps);
    await dispatchPending(deps);
    await recoverOutbox(deps);
    await dispatchPending(deps);
    assert.deepEqual(teams.to(P.megan.aadObjectId), ['Accepted']);
  });

  it('carries messages not yet in the outbox into the next write of the case, and drops those already there', async () => {
    const c = caseRecord({ id: 'c1', ref: 'EIP-2026-0001' });
    const lost = owe('c1:accept', P.megan.aadObjectId, 'Accepted');
    const copied = owe('c1:submit', P.adele.aadObjectId, 'New request');
    await enqueue(deps, copied);
    const stored = await store.cases.create({ ...c, outbox: [...copied, ...lost] });
    const next = owe('c1:assess', P.megan.aadObjectId, 'Assessed');
    const saved = await saveCase(deps, stored, { ...c, status: 'assessed' }, next);
    assert.deepEqual(
      saved.value.outbox?.map((o) => o.id),
      [...lost, ...next].map((o) => o.id),
    );
  });

  it('keeps a fan-out to 200 people within Teams limits, and delivers every message once', async () => {
    // Rate limits are measured against the stand-in connector in test/bot/outbound-rate.test.ts; here, that a large
    // fan-out loses nothing.
    const people = Array.from({ length: 200 }, (_, i) => `person-${i}`);
    for (const p of people) await reachable(store, p);
    const owed = tellEach('c1:announce', T0.toISOString(), people, card('Notice'));
    const states = await settleOwed(deps, owed);
    assert.equal([...states.values()].filter((s) => s === 'sent').length, 200);
    assert.equal(new Set(teams.sent.map((s) => s.chat)).size, 200);
  });
});
