// The outbox: every message that follows a saved change is written with the change (on the record the change
// writes: CaseRecord.outbox, VoteRecord.outbox, TransferRecord.outbox), then copied to the store's outbox collection, which keeps whether it
// went. A dispatcher sends what is owed right after the action, again on start and on a schedule, so a crash between
// saving and telling delays a message but never loses it. Each message has a key derived from the change, and is
// claimed (with a lease) before it is sent, so it goes out once.
//
// The one window left: a crash after the channel accepted a message and before the outbox marked it sent. The lease
// then runs out and the message is sent again. Nothing in the Bot Framework lets a sender ask whether a message
// arrived, so this is the smallest window there can be; it is written down in docs/design.md.
import { noticeCard } from '../../cards';
import type { OwedMessage } from '../../domain';
import { isStoreError, type ConversationRecord, type OutboxRecord, type Stored } from '../../store/store';
import { DeliveryError, type AppDeps } from '../ports';
import { drawPanelCard, panelContext } from '../handlers/panel-card';
import { addressed, coordinatorIds, forgetReference, panelChat } from '../messenger';
import {
  messageOf,
  tellEach,
  type ChatMessage,
  type OutboxMessage,
  type PanelMessage,
  type TellMessage,
} from './messages';

/** How long a sender holds a message it has claimed; past it, another sender may take the message over. */
export const LEASE_MS = 2 * 60_000;
/** Back-off after a failed attempt: 5 s, 10 s, 20 s … up to 30 minutes; after MAX_ATTEMPTS the message is failed. */
const BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 30 * 60_000;
export const MAX_ATTEMPTS = 12;
/** Owed messages still on a record after this long were copied to the outbox long ago: the start-up scan skips them. */
const RECOVERY_WINDOW_MS = 60 * 24 * 3_600_000;

export type DeliveryState = OutboxRecord['state'];

const later = (deps: AppDeps, ms: number) => new Date(deps.now().getTime() + ms).toISOString();

/**
 * Copies owed messages into the outbox collection; a message already there is left as it is. Answers the records it
 * created (with their eTags), so a sender can claim them without reading them back.
 */
export async function enqueue(
  deps: AppDeps,
  owed: readonly OwedMessage[],
  caseId?: string,
): Promise<Map<string, Stored<OutboxRecord>>> {
  const created = new Map<string, Stored<OutboxRecord>>();
  await Promise.all(
    owed.map(async (o) => {
      try {
        const stored = await deps.store.outbox.create({
          id: o.id,
          state: 'pending',
          ...(caseId ? { caseId } : {}),
          message: o.message,
          attempts: 0,
          notBefore: o.at,
          createdAt: o.at,
        });
        created.set(o.id, stored);
      } catch (e) {
        if (!isStoreError(e, 'exists')) throw e;
      }
    }),
  );
  return created;
}

/**
 * The messages a record still owes that the outbox does not have yet: what a new write of that record must carry
 * forward, so another instance's crash between its write and its copy cannot lose them.
 */
export async function stillOwed(deps: AppDeps, owed: readonly OwedMessage[] = []): Promise<OwedMessage[]> {
  const known = await Promise.all(owed.map((o) => deps.store.outbox.get(o.id)));
  return owed.filter((_, i) => !known[i]);
}

/**
 * What a new write of a record must carry: the messages its earlier write owed that the outbox has not taken yet, then
 * those this change owes.
 */
export async function owedWith(
  deps: AppDeps,
  earlier: readonly OwedMessage[] | undefined,
  owed: readonly OwedMessage[],
): Promise<OwedMessage[]> {
  return [...(await stillOwed(deps, earlier)), ...owed];
}

/** Copies what a change owes into the outbox and sends it now; answers what became of each message. */
export async function settleOwed(
  deps: AppDeps,
  owed: readonly OwedMessage[],
  caseId?: string,
): Promise<Map<string, DeliveryState>> {
  const created = await enqueue(deps, owed, caseId);
  return deliver(
    deps,
    owed.map((o) => o.id),
    created,
  );
}

/**
 * Sends these outbox messages, each once; answers the state each is left in. `known` holds records just written
 * (with their eTags), which need not be read again before they are claimed.
 */
export async function deliver(
  deps: AppDeps,
  ids: readonly string[],
  known: ReadonlyMap<string, Stored<OutboxRecord>> = new Map(),
): Promise<Map<string, DeliveryState>> {
  const states = await Promise.all(ids.map((id) => deliverOne(deps, id, known.get(id))));
  return new Map(ids.map((id, i) => [id, states[i]!]));
}

/**
 * Everything owed and due: pending messages whose back-off has passed, and claimed ones whose sender's lease ran out
 * (it crashed). Run on start, on a schedule, and by anyone who wants the outbox emptied.
 */
export async function dispatchPending(
  deps: AppDeps,
): Promise<{ sent: number; pending: number; failed: number }> {
  const now = deps.now().toISOString();
  const [pending, sending] = await Promise.all([
    deps.store.outbox.find({ state: 'pending' }),
    deps.store.outbox.find({ state: 'sending' }),
  ]);
  const due = [...pending, ...sending].filter((o) => o.value.notBefore <= now).map((o) => o.value.id);
  const states = [...(await deliver(deps, due)).values()];
  const count = (s: DeliveryState) => states.filter((x) => x === s).length;
  const result = {
    sent: count('sent'),
    pending: count('pending') + count('sending'),
    failed: count('failed'),
  };
  if (due.length) deps.log.info(result, 'outbox dispatched');
  return result;
}

/**
 * After a crash: messages saved with a change whose copy to the outbox never happened. Each record that owes
 * messages is read once; what the outbox lacks is copied into it. Then everything due is sent.
 */
export async function recoverOutbox(deps: AppDeps): Promise<{ recovered: number }> {
  const since = new Date(deps.now().getTime() - RECOVERY_WINDOW_MS).toISOString();
  const [cases, votes, transfers] = await Promise.all([
    deps.store.cases.find(),
    deps.store.votes.find(),
    deps.store.transfers.find(),
  ]);
  const owing = [
    ...cases.map((c) => ({ caseId: c.value.id, owed: c.value.outbox ?? [] })),
    ...votes.map((v) => ({ caseId: v.value.caseId, owed: v.value.outbox ?? [] })),
    ...transfers.map((t) => ({ caseId: t.value.caseId, owed: t.value.outbox ?? [] })),
  ];
  let recovered = 0;
  for (const r of owing) {
    const owed = r.owed.filter((o) => o.at >= since);
    if (!owed.length) continue;
    const missing = await stillOwed(deps, owed);
    if (!missing.length) continue;
    await enqueue(deps, missing, r.caseId);
    recovered += missing.length;
  }
  if (recovered) deps.log.warn({ recovered }, 'outbox: messages saved before a crash are owed again');
  return { recovered };
}

/**
 * Claims a message for this sender, sends it, and records how it went. A message just written (`known`) is claimed
 * with the eTag its write answered; a person's conversation reference is read while the claim is written, since
 * each takes a round trip to the store and neither depends on the other.
 */
async function deliverOne(deps: AppDeps, id: string, known?: Stored<OutboxRecord>): Promise<DeliveryState> {
  const found = known ?? (await deps.store.outbox.get(id));
  if (!found) return 'failed';
  const o = found.value;
  if (o.state === 'sent' || o.state === 'failed') return o.state;
  if (o.notBefore > deps.now().toISOString()) return o.state;
  const message = messageOf({ id, at: o.createdAt, message: o.message });
  // Settled either way here, so a claim lost to another sender leaves no unhandled rejection behind.
  const conversation =
    message.kind === 'tell' ? settled(deps.store.conversations.get(message.to)) : undefined;
  let claimed: Stored<OutboxRecord>;
  try {
    claimed = await deps.store.outbox.replace(
      { ...o, state: 'sending', attempts: o.attempts + 1, notBefore: later(deps, LEASE_MS) },
      found.eTag,
    );
  } catch (e) {
    // Another sender claimed it first: it is theirs to send.
    if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) return 'sending';
    throw e;
  }
  let next: OutboxRecord;
  try {
    await perform(deps, message, conversation);
    next = { ...claimed.value, state: 'sent', sentAt: deps.now().toISOString() };
    delete next.lastError;
  } catch (e) {
    next = await afterFailure(deps, claimed.value, message, e);
  }
  try {
    await deps.store.outbox.replace(next, claimed.eTag);
  } catch (e) {
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
    deps.log.warn({ outbox: id }, 'outbox message taken over by another sender while it was sent');
  }
  return next.state;
}

/** Unreachable for good: no point trying again. */
class Undeliverable extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'Undeliverable';
  }
}

type Settled<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;

const settled = <T>(p: Promise<T>): Settled<T> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

type ConversationRead = Settled<Stored<ConversationRecord> | undefined>;

async function perform(deps: AppDeps, m: OutboxMessage, conversation?: ConversationRead): Promise<void> {
  if (m.kind === 'tell') await tell(deps, m, conversation);
  else if (m.kind === 'chat') await postToPanel(deps, m);
  else await drawOnPanel(deps, m);
}

/** Sends a card to a person's chat; the reference read already (as the message was claimed), or read now. */
async function tell(deps: AppDeps, m: TellMessage, conversation?: ConversationRead): Promise<void> {
  const read = await (conversation ?? settled(deps.store.conversations.get(m.to)));
  if (!read.ok) throw read.error;
  const conv = read.value;
  if (!conv) throw new Undeliverable('no conversation with this person yet');
  if (conv.value.inactive) throw new Undeliverable('the bot was removed or blocked in this chat');
  await deps.notifier.send(conv.value.reference, deps.local ? addressed(deps, m.to, m.card) : m.card);
}

/** Posts a card of its own (a meeting's agenda or summary) to the panel chat. */
async function postToPanel(deps: AppDeps, m: ChatMessage): Promise<void> {
  const chat = await panelChat(deps);
  if (!chat) throw new Undeliverable('there is no panel chat');
  if (chat.inactive) throw new Undeliverable('the bot was removed from the panel chat');
  await deps.notifier.send(chat.reference, m.card);
}

/** Posts the proposal's card to the panel chat, or brings the posted one up to date, drawn as things stand now. */
async function drawOnPanel(deps: AppDeps, m: PanelMessage): Promise<void> {
  const chat = await panelChat(deps);
  if (!chat) throw new Undeliverable('there is no panel chat');
  if (chat.inactive) throw new Undeliverable('the bot was removed from the panel chat');
  const [c, stored] = await Promise.all([
    deps.store.cases.get(m.caseId),
    deps.store.proposals.get(`${m.caseId}:r${m.round}`),
  ]);
  if (!c || !stored) throw new Undeliverable('the case or its proposal is gone');
  const card = drawPanelCard(deps, await panelContext(deps, c.value, m.round), stored.value);
  if (stored.value.panelMessageId) {
    await deps.notifier.update(chat.reference, stored.value.panelMessageId, card);
    return;
  }
  // An update with nothing posted yet has nothing to do: the post, when it goes, draws the latest state.
  if (m.mode === 'update') return;
  const messageId = await deps.notifier.send(chat.reference, card);
  if (!messageId) return;
  let proposal = stored;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await deps.store.proposals.replace({ ...proposal.value, panelMessageId: messageId }, proposal.eTag);
      return;
    } catch (e) {
      if (!isStoreError(e, 'stale')) throw e;
      const again = await deps.store.proposals.get(proposal.value.id);
      if (!again) return;
      proposal = again;
    }
  }
}

/** Decides what a failed attempt means: wait and retry, or stop, and who must know. */
async function afterFailure(
  deps: AppDeps,
  o: OutboxRecord,
  m: OutboxMessage,
  e: unknown,
): Promise<OutboxRecord> {
  const failed = (why: string): OutboxRecord => ({ ...o, state: 'failed', lastError: why });
  const retry = (why: string, waitMs: number): OutboxRecord =>
    o.attempts >= MAX_ATTEMPTS
      ? failed(`${why}; gave up after ${o.attempts} attempts`)
      : { ...o, state: 'pending', lastError: why, notBefore: later(deps, waitMs) };
  const backoff = Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** Math.max(0, o.attempts - 1));
  const where = m.kind === 'tell' ? { to: m.to } : { panel: m.kind === 'panel' ? m.caseId : 'chat' };
  if (e instanceof Undeliverable) {
    deps.log.info({ outbox: o.id, ...where, why: e.why }, 'message not deliverable');
    return failed(e.why);
  }
  const status = e instanceof DeliveryError ? e.status : 0;
  deps.log.warn({ outbox: o.id, ...where, status, attempt: o.attempts }, 'message not delivered');
  if (status === 403) {
    await markInactive(deps, m);
    return failed('403: the bot was removed, blocked or disabled in this chat');
  }
  if (status === 404) {
    if (m.kind === 'tell') await dropReference(deps, m.to);
    return failed('404: no such conversation');
  }
  if (status === 429) return retry('429: too many messages', (e as DeliveryError).retryAfterMs ?? BACKOFF_MS);
  return retry(status ? `${status}: the service failed` : 'the network failed', backoff);
}

/** The chat refused the bot: stop trying it until the person (or the panel chat) talks to the bot again. */
async function markInactive(deps: AppDeps, m: OutboxMessage): Promise<void> {
  const id = m.kind === 'tell' ? m.to : 'panel';
  forgetReference(deps, id);
  const conv = await deps.store.conversations.get(id);
  if (!conv || conv.value.inactive) return;
  try {
    await deps.store.conversations.replace(
      { ...conv.value, inactive: true, updatedAt: deps.now().toISOString() },
      conv.eTag,
    );
  } catch (e) {
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
    return;
  }
  const who =
    m.kind === 'tell'
      ? (deps.directory.person(m.to)?.name ?? 'Someone no longer in the directory')
      : undefined;
  const card = noticeCard({
    title: who ? `EIP bot cannot reach ${who}` : 'EIP bot cannot reach the panel chat',
    text: who
      ? `Teams refused a message to ${who}: the app may have been removed, blocked or disabled for them. EIP bot will reach them again as soon as they open it.`
      : "Teams refused the panel chat's card: the app may have been removed from the chat. Type 'panel here' in the panel's group chat once it is back, then post the card again from the case.",
    tone: 'attention',
  });
  const to = coordinatorIds(deps).filter((c) => c.toLowerCase() !== id);
  const at = deps.now().toISOString();
  await settleOwed(deps, tellEach(`unreachable:${id}:${at}`, at, to, card));
}

async function dropReference(deps: AppDeps, id: string): Promise<void> {
  forgetReference(deps, id);
  const conv = await deps.store.conversations.get(id);
  if (!conv) return;
  try {
    await deps.store.conversations.remove(id, conv.eTag);
  } catch (e) {
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
  }
}

/** What the person who acted is told of whether the others were reached. */
export interface Reach {
  /** Sent before the action answered. */
  sent: number;
  /** To a chat the bot can reach, being sent as the action answers. */
  sending: number;
  /** Owed, and being retried. */
  later: number;
}

export const reachOf = (owed: readonly OwedMessage[], states: Map<string, DeliveryState>): Reach => ({
  sent: owed.filter((o) => states.get(o.id) === 'sent').length,
  sending: 0,
  later: owed.filter((o) => ['pending', 'sending'].includes(states.get(o.id) ?? '')).length,
});

/** How many of these messages go to a chat the bot can reach now (read in one go, nothing sent). */
export async function reachable(deps: AppDeps, owed: readonly OwedMessage[]): Promise<Reach> {
  const open = await Promise.all(
    owed.map(async (o) => {
      const m = messageOf(o);
      const conv =
        m.kind === 'tell' ? await deps.store.conversations.get(m.to) : { value: await panelChat(deps) };
      return conv?.value !== undefined && !conv.value.inactive;
    }),
  );
  return { sent: 0, sending: open.filter(Boolean).length, later: 0 };
}
