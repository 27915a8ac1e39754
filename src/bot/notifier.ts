// Proactive messages through the Bot Framework: continue a stored conversation and send or update a card.
import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Card } from '../cards';
import type { Notifier } from '../app/ports';

export class BotNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(reference: Record<string, unknown>, card: Card): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(
      this.appId,
      reference as Partial<ConversationReference>,
      async (ctx) => {
        id = (await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id;
      },
    );
    return id;
  }

  async update(reference: Record<string, unknown>, messageId: string, card: Card): Promise<void> {
    await this.adapter.continueConversationAsync(
      this.appId,
      reference as Partial<ConversationReference>,
      async (ctx) => {
        const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
        activity.id = messageId;
        await ctx.updateActivity(activity);
      },
    );
  }
}
