// Outbound messages stay inside Teams' limits for bots: at most 7 a second in one conversation, and 50 a second for
// the app in a tenant. A queue per conversation (which also keeps its messages in order) feeds one for the app.
import Bottleneck from 'bottleneck';
import type { Card } from '../../cards';
import type { Notifier } from '../ports';

export const PER_CONVERSATION_PER_SECOND = 7;
export const PER_APP_PER_SECOND = 50;

const MARGIN = 1.2;

const conversationOf = (reference: Record<string, unknown>) =>
  String((reference.conversation as { id?: unknown } | undefined)?.id ?? '');

export function rateLimited(
  notifier: Notifier,
  limits = { perConversation: PER_CONVERSATION_PER_SECOND, perApp: PER_APP_PER_SECOND },
): Notifier {
  // Spaced a little wider than the limit, because Teams counts arrivals and the network does not keep time.
  const spacing = (perSecond: number) => Math.ceil((1000 / perSecond) * MARGIN);
  const app = new Bottleneck({ minTime: spacing(limits.perApp) });
  const conversations = new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing(limits.perConversation) });
  conversations.on('created', (limiter) => limiter.chain(app));
  const queued = <T>(reference: Record<string, unknown>, send: () => Promise<T>) =>
    conversations.key(conversationOf(reference)).schedule(send);
  // Updates of one card that are still waiting their turn fold into one, carrying the newest card: a burst of votes
  // on a panel card then costs one update per turn of the queue, not one per vote.
  const waiting = new Map<string, { card: Card; done: Promise<void> }>();
  const update = (reference: Record<string, unknown>, messageId: string, card: Card): Promise<void> => {
    const key = `${conversationOf(reference)}\u0000${messageId}`;
    const already = waiting.get(key);
    if (already) {
      already.card = card;
      return already.done;
    }
    const entry = { card, done: Promise.resolve() };
    entry.done = queued(reference, () => {
      waiting.delete(key);
      return notifier.update(reference, messageId, entry.card);
    });
    waiting.set(key, entry);
    return entry.done;
  };
  return {
    send: (reference: Record<string, unknown>, card: Card) =>
      queued(reference, () => notifier.send(reference, card)),
    update,
  };
}
