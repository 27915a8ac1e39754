// The Bot Framework edge: turns activities into router calls and cards into activities. Nothing else here knows
// botbuilder, so moving to the Microsoft 365 Agents SDK touches only this folder.
import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  StatusCodes,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Card } from '../cards';
import type { Router } from '../app/router';
import { executeOf, incomingOf, submitOf, tenantOf } from './activity';

export const INVOKE_RESPONSE = 'invokeResponse';

const cardMessage = (card: Card) => MessageFactory.attachment(CardFactory.adaptiveCard(card));

export class EipBot {
  constructor(
    private readonly router: Router,
    private readonly log: Logger,
    private readonly tenantId?: string,
  ) {}

  /** The turn handler given to the adapter. */
  readonly run = async (ctx: TurnContext): Promise<void> => {
    const activity = ctx.activity;
    if (this.tenantId && tenantOf(activity) !== this.tenantId) {
      this.log.warn({ type: activity.type }, 'activity from another tenant refused');
      if (activity.type === ActivityTypes.Invoke) await this.reply(ctx, { status: 403 });
      return;
    }
    switch (activity.type) {
      case ActivityTypes.Invoke:
        return this.invoke(ctx, activity);
      case ActivityTypes.Message:
        return this.message(ctx, activity);
      case ActivityTypes.ConversationUpdate:
      case ActivityTypes.InstallationUpdate:
        return this.installed(ctx, activity);
      default:
        return undefined;
    }
  };

  private async invoke(ctx: TurnContext, activity: Activity): Promise<void> {
    const execute = activity.name === 'adaptiveCard/action' ? executeOf(activity) : undefined;
    if (!execute) {
      await this.reply(ctx, { status: StatusCodes.NOT_IMPLEMENTED });
      return;
    }
    const card = await this.router.action({ ...incomingOf(activity), ...execute });
    await this.reply(ctx, {
      status: StatusCodes.OK,
      body: { statusCode: StatusCodes.OK, type: 'application/vnd.microsoft.card.adaptive', value: card },
    });
  }

  private async message(ctx: TurnContext, activity: Activity): Promise<void> {
    const submit = submitOf(activity);
    const card = submit
      ? await this.router.action({ ...incomingOf(activity), ...submit })
      : await this.router.text({ ...incomingOf(activity), text: activity.text ?? '' });
    await ctx.sendActivity(cardMessage(card));
  }

  private async installed(ctx: TurnContext, activity: Activity): Promise<void> {
    const botId = activity.recipient?.id;
    const added =
      activity.type === ActivityTypes.InstallationUpdate
        ? activity.action === 'add'
        : (activity.membersAdded ?? []).some((m) => m.id === botId);
    if (!added) return;
    const card = await this.router.installed(incomingOf(activity));
    if (card) await ctx.sendActivity(cardMessage(card));
  }

  private async reply(ctx: TurnContext, response: InvokeResponse): Promise<void> {
    await ctx.sendActivity({ type: INVOKE_RESPONSE, value: response });
  }
}
