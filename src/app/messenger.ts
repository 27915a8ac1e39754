// Proactive messages, through conversation references stored in the store (never in memory), so a restart or a
// second instance can still reach everyone.
import type { Card } from '../cards';
import { eligibleVoters } from '../domain';
import { isStoreError, type ConversationRecord } from '../store/store';
import type { Actor } from './identity';
import type { AppDeps, Incoming } from './ports';

const PANEL_ID = 'panel';

/** How long a stored reference that has not changed is left as it is: it saves a write on nearly every activity. */
const FRESH_MS = 60 * 60_000;

/** A reference without the id of the activity it came from, which differs on every message and reaches no one. */
const where = ({ activityId: _activity, ...rest }: Record<string, unknown>) => JSON.stringify(rest);

const unchanged = (a: ConversationRecord, b: ConversationRecord, now: Date) =>
  !a.inactive &&
  a.teamsUserId === b.teamsUserId &&
  where(a.reference) === where(b.reference) &&
  now.getTime() - Date.parse(a.updatedAt) < FRESH_MS;

/**
 * Conversation references this process read or wrote lately, per store: an activity from someone whose reference has
 * not changed then costs no read. Another instance's change (Teams refusing the chat, say) is seen once this runs out.
 */
const KNOWN_MS = 10 * 60_000;
const knownReferences = new WeakMap<object, Map<string, { record: ConversationRecord; at: number }>>();
function knownTo(store: object): Map<string, { record: ConversationRecord; at: number }> {
  let known = knownReferences.get(store);
  if (!known) {
    known = new Map();
    knownReferences.set(store, known);
  }
  return known;
}

/** Forgets what this process knew of a conversation reference it has just changed or removed. */
export function forgetReference(deps: AppDeps, id: string): void {
  knownTo(deps.store).delete(id.toLowerCase());
}

/**
 * Writes a conversation record, retrying when another activity from the same person wrote it at the same moment. A
 * reference Teams had refused (inactive) is active again: the person has talked to the bot.
 */
async function upsert(deps: AppDeps, record: ConversationRecord): Promise<void> {
  const known = knownTo(deps.store);
  const remembered = known.get(record.id);
  // Stored a moment ago by this process, and nothing has changed: no need to read it again (a round trip on Graph).
  if (remembered && Date.now() - remembered.at < KNOWN_MS && unchanged(remembered.record, record, deps.now()))
    return;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = await deps.store.conversations.get(record.id);
    if (existing && unchanged(existing.value, record, deps.now())) {
      known.set(record.id, { record: existing.value, at: Date.now() });
      return;
    }
    try {
      if (existing) await deps.store.conversations.replace(record, existing.eTag);
      else await deps.store.conversations.create(record);
      known.set(record.id, { record, at: Date.now() });
      return;
    } catch (e) {
      // A locked store must not stop the answer: the reference is stored on a later message.
      if (isStoreError(e, 'busy')) {
        deps.log.warn({ conversation: record.id }, 'conversation reference not stored: the store is busy');
        return;
      }
      if (!isStoreError(e, 'stale') && !isStoreError(e, 'exists')) throw e;
    }
  }
  deps.log.warn({ conversation: record.id }, 'conversation reference not stored: it kept changing under us');
}

/**
 * Remembers how to reach whoever just wrote in a 1:1 chat. In local mode one emulator user plays everyone, so the
 * person being played, and anyone in the directory not yet reachable, is reached in this same chat: the demo then
 * shows what each person would be sent. Only someone in the directory can become that address: an unknown person's
 * chat never receives anyone else's messages.
 */
export async function rememberPerson(
  deps: AppDeps,
  incoming: Incoming,
  actor: Actor | undefined,
): Promise<void> {
  if (incoming.conversationType !== 'personal' || !incoming.aadObjectId) return;
  const at = deps.now().toISOString();
  const ids = new Set([incoming.aadObjectId.toLowerCase()]);
  if (actor?.actingAs) ids.add(actor.person.aadObjectId.toLowerCase());
  if (deps.local && actor) {
    const known = new Set((await deps.store.conversations.find({ kind: 'person' })).map((c) => c.value.id));
    for (const p of deps.directory.people) {
      const id = p.aadObjectId.toLowerCase();
      if (!known.has(id)) ids.add(id);
    }
  }
  for (const id of ids) {
    await upsert(deps, {
      id,
      kind: 'person',
      reference: incoming.reference,
      teamsUserId: incoming.teamsUserId,
      updatedAt: at,
    });
  }
}

/** Makes this chat the panel's: proposals are posted here from now on. */
export async function rememberPanelChat(deps: AppDeps, incoming: Incoming): Promise<void> {
  await upsert(deps, {
    id: PANEL_ID,
    kind: 'panel',
    reference: incoming.reference,
    updatedAt: deps.now().toISOString(),
  });
}

export async function panelChat(deps: AppDeps): Promise<ConversationRecord | undefined> {
  return (await deps.store.conversations.get(PANEL_ID))?.value;
}

/** Sends a card to a person's 1:1 chat; false when they have never talked to the bot or cannot be reached. */
export async function tellPerson(deps: AppDeps, aadObjectId: string, card: Card): Promise<boolean> {
  const conv = await deps.store.conversations.get(aadObjectId.toLowerCase());
  if (!conv || conv.value.inactive) {
    deps.log.info({ to: aadObjectId }, 'not reachable: no active conversation reference');
    return false;
  }
  try {
    await deps.notifier.send(conv.value.reference, deps.local ? addressed(deps, aadObjectId, card) : card);
    return true;
  } catch (e) {
    // The change that prompted this message is saved already; one unreachable person must not undo or hide it.
    deps.log.warn(
      { to: aadObjectId, err: e instanceof Error ? e.message : String(e) },
      'could not deliver message',
    );
    return false;
  }
}

/** In local mode several people's messages land in one chat, so each says whom it is for. */
export function addressed(deps: AppDeps, aadObjectId: string, card: Card): Card {
  const name = deps.directory.person(aadObjectId)?.name ?? 'someone';
  return {
    ...card,
    body: [
      {
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: `For ${name}`, isSubtle: true, size: 'Small' }],
      },
      ...card.body,
    ],
  };
}

/** The Teams user ids of these people, where known, for a card's per-user refresh. */
export async function teamsUserIds(deps: AppDeps, ids: readonly string[]): Promise<string[]> {
  const convs = await Promise.all(ids.map((id) => deps.store.conversations.get(id.toLowerCase())));
  return convs.flatMap((conv) => (conv?.value.teamsUserId ? [conv.value.teamsUserId] : []));
}

/** Everyone who holds the co-ordinator role. */
export const coordinatorIds = (deps: AppDeps) =>
  deps.directory.withRole('coordinator').map((p) => p.aadObjectId);

/** The Teams ids of the panel members who may vote on a case, so their clients fetch their own view. */
export async function voterIds(deps: AppDeps, schoolId: string): Promise<string[]> {
  return teamsUserIds(
    deps,
    eligibleVoters(deps.directory.people, schoolId).map((p) => p.aadObjectId),
  );
}
