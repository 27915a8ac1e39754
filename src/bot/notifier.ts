// Proactive messages through the Bot Framework: continue a stored conversation and send or update a card.
import {
  CardFactory,
  MessageFactory,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Card } from '../cards';
import { DeliveryError, type Notifier } from '../app/ports';

interface HttpFailure {
  statusCode?: unknown;
  status?: unknown;
  response?: { status?: unknown; headers?: { get?: (name: string) => unknown } | Record<string, unknown> };
}

/** Reads a Retry-After header (seconds, or an HTTP date) into milliseconds. */
function retryAfterMs(failure: HttpFailure): number | undefined {
  const headers = failure.response?.headers;
  const raw =
    typeof headers?.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, unknown> | undefined)?.['retry-after'];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const when = Date.parse(String(raw));
  return Number.isNaN(when) ? undefined : Math.max(0, when - Date.now());
}

/** The connector's failure as the outbox reads it: the HTTP status Teams answered (0 for the network). */
export function deliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const failure = (typeof e === 'object' && e !== null ? e : {}) as HttpFailure;
  const status = [failure.statusCode, failure.status, failure.response?.status].find(
    (x): x is number => typeof x === 'number',
  );
  return new DeliveryError(status ?? 0, e instanceof Error ? e.message : String(e), retryAfterMs(failure));
}

export class BotNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(reference: Record<string, unknown>, card: Card): Promise<string | undefined> {
    let id: string | undefined;
    await this.proactive(this.appId, reference as Partial<ConversationReference>, async (ctx) => {
      id = (await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id;
    });
    return id;
  }

  async update(reference: Record<string, unknown>, messageId: string, card: Card): Promise<void> {
    await this.proactive(this.appId, reference as Partial<ConversationReference>, async (ctx) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.id = messageId;
      await ctx.updateActivity(activity);
    });
  }

  /** Continues a stored conversation; a refusal comes back as a DeliveryError with Teams' status code. */
  private async proactive(
    appId: string,
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    try {
      await this.adapter.continueConversationAsync(appId, reference, logic);
    } catch (e) {
      throw deliveryError(e);
    }
  }
}
