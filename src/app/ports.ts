// What the application needs from the outside world, so that it never imports the bot SDK.
import type { Logger } from 'pino';
import type { Card } from '../cards';
import type { Directory } from '../domain';
import type { Store } from '../store/store';
import type { PrivacySettings } from './privacy/settings';
import type { ReportServices } from './reports/delivery';
import type { FileServices } from './files/services';

/** Sends and updates cards in a conversation the bot already knows, by its stored reference. */
export interface Notifier {
  /** Posts a card; answers the id of the message, to update it later. */
  send(reference: Record<string, unknown>, card: Card): Promise<string | undefined>;
  update(reference: Record<string, unknown>, messageId: string, card: Card): Promise<void>;
}

/**
 * A send the channel refused, with the HTTP status it gave: 403 (the bot was removed or blocked), 404 (no such
 * conversation or message), 429 (too many; wait retryAfterMs), 5xx or 0 (the service or the network failed).
 */
export class DeliveryError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface AppDeps {
  store: Store;
  directory: Directory;
  notifier: Notifier;
  log: Logger;
  now: () => Date;
  /** Local, unauthenticated mode: `act as` is allowed. Never in production. */
  local: boolean;
  /**
   * The outbox's pump (see outbox/pump.ts): `later` sends what an action owes after the action has answered, and
   * `kick` looks at the backlog. Absent (tests of one handler), an action sends what it owes before it answers.
   */
  outbox?: { kick(): void; later(work: () => Promise<unknown>): void };
  /** Where subject access exports go and how long closed cases are kept; the defaults when absent. */
  privacy?: PrivacySettings;
  /** Where report exports go (local link or SharePoint) and the reports run; local mode's when absent. */
  reports?: ReportServices;
  /** Evidence documents: where they are kept, where a sent file may come from, and the files awaiting a case. */
  files?: FileServices;
}

export type ConversationType = 'personal' | 'groupChat' | 'channel';

/** Who sent an activity and where, as the bot edge read it. */
export interface Incoming {
  aadObjectId: string | undefined;
  /** The Teams user id (29:…), which a card's refresh list needs. */
  teamsUserId: string;
  conversationType: ConversationType;
  /** The bot SDK's conversation reference, stored as it is for proactive messages. */
  reference: Record<string, unknown>;
}

export interface ActionRequest extends Incoming {
  verb: string;
  data: Record<string, unknown>;
}

export interface TextRequest extends Incoming {
  text: string;
}

/** A file sent to the bot in a 1:1 chat (Teams' download-info attachment): its name and where to fetch it. */
export interface FileRequest extends Incoming {
  name: string;
  downloadUrl: string;
}
