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
import { MAX_WAITING } from '../app/files/services';
import { filesNotReadCard } from '../app/files/handlers';
import { claimedIdOf, executeOf, filesSentIn, incomingOf, refusalOf, submitOf } from './activity';

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
    const refusal = refusalOf(activity, this.tenantId);
    if (refusal) {
      // Dropped and audited: an invoke is told 403, a message gets nothing at all.
      this.log.warn({ type: activity.type, reason: refusal }, 'activity refused');
      try {
        await this.router.refused(refusal, claimedIdOf(activity));
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'refusal not audited');
      }
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
    // Teams waits about ten seconds for this answer: the router answers by its deadline, working on if need be.
    const card = await this.router.invoke({ ...incomingOf(activity), ...execute });
    await this.reply(ctx, {
      status: StatusCodes.OK,
      body: { statusCode: StatusCodes.OK, type: 'application/vnd.microsoft.card.adaptive', value: card },
    });
  }

  private async message(ctx: TurnContext, activity: Activity): Promise<void> {
    const submit = submitOf(activity);
    const files = submit ? [] : filesSentIn(activity);
    if (files.length) return this.files(ctx, activity, files);
    const card = submit
      ? await this.router.action({ ...incomingOf(activity), ...submit })
      : await this.router.text({ ...incomingOf(activity), text: activity.text ?? '' });
    await ctx.sendActivity(cardMessage(card));
  }

  /**
   * Files sent in a message: each is read and answered with a card of its own (which case, or why it was refused),
   * up to the number that may wait at once; any beyond are named in a note first, so none goes unexplained.
   */
  private async files(
    ctx: TurnContext,
    activity: Activity,
    files: { name: string; downloadUrl: string }[],
  ): Promise<void> {
    const incoming = incomingOf(activity);
    // Outside the 1:1 chat the first is refused as anything named would be; the rest need no second refusal.
    const read = files.slice(0, incoming.conversationType === 'personal' ? MAX_WAITING : 1);
    if (incoming.conversationType === 'personal' && read.length < files.length)
      await ctx.sendActivity(cardMessage(filesNotReadCard(files.length, read.length)));
    for (const file of read)
      await ctx.sendActivity(cardMessage(await this.router.file({ ...incoming, ...file })));
  }

  /**
   * Teams sends both an installationUpdate and a conversationUpdate when the app is added. Both store the
   * conversation reference; only the installation is answered, so the person is greeted once.
   */
  private async installed(ctx: TurnContext, activity: Activity): Promise<void> {
    const incoming = incomingOf(activity);
    if (activity.type === ActivityTypes.InstallationUpdate && activity.action?.startsWith('add')) {
      const card = await this.router.installed(incoming);
      if (card) await ctx.sendActivity(cardMessage(card));
      return;
    }
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    if (botAdded) await this.router.seen(incoming);
  }

  private async reply(ctx: TurnContext, response: InvokeResponse): Promise<void> {
    await ctx.sendActivity({ type: INVOKE_RESPONSE, value: response });
  }
}
