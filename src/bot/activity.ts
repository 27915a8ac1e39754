// Reads a Teams activity into the application's terms: who, where, and what they pressed or typed.
import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationType, Incoming } from '../app/ports';
import { onAllowList } from '../domain';

const TYPES: Record<string, ConversationType> = {
  personal: 'personal',
  groupChat: 'groupChat',
  channel: 'channel',
};

export function incomingOf(activity: Activity): Incoming {
  const reference = TurnContext.getConversationReference(activity);
  // In a channel the conversation id names the thread ("19:…;messageid=…"); proactive posts go to the channel itself.
  if (reference.conversation?.id) {
    reference.conversation = {
      ...reference.conversation,
      id: reference.conversation.id.replace(/;messageid=.*$/, ''),
    };
  }
  return {
    aadObjectId: activity.from?.aadObjectId,
    teamsUserId: activity.from?.id ?? '',
    // A chat of unknown type is treated as shared, so nothing named is ever shown there by mistake.
    conversationType: TYPES[activity.conversation?.conversationType ?? ''] ?? 'groupChat',
    reference: reference as unknown as Record<string, unknown>,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An Action.Execute invoke: the verb, and the button's data merged with the card's inputs. */
export function executeOf(activity: Activity): { verb: string; data: Record<string, unknown> } | undefined {
  const value: unknown = activity.value;
  if (!isRecord(value) || !isRecord(value.action)) return undefined;
  const { verb, data } = value.action;
  return { verb: typeof verb === 'string' ? verb : '', data: isRecord(data) ? data : {} };
}

/** An Action.Submit fallback arrives as a message whose value carries the verb. */
export function submitOf(activity: Activity): { verb: string; data: Record<string, unknown> } | undefined {
  const value: unknown = activity.value;
  if (!isRecord(value) || typeof value.verb !== 'string') return undefined;
  const { verb, ...data } = value;
  return { verb, data };
}

/** What Teams attaches when a file is sent to a bot in a 1:1 chat (the bot's manifest says supportsFiles). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/**
 * The files sent to the bot in one message, in the order Teams lists them: each one's name and the link to download
 * it from (checked against the allowed hosts later).
 */
export function filesSentIn(activity: Activity): { name: string; downloadUrl: string }[] {
  const files: { name: string; downloadUrl: string }[] = [];
  for (const a of activity.attachments ?? []) {
    if (a.contentType !== FILE_DOWNLOAD_INFO || !isRecord(a.content)) continue;
    const { downloadUrl } = a.content;
    if (typeof downloadUrl !== 'string') continue;
    files.push({ name: typeof a.name === 'string' ? a.name : '', downloadUrl });
  }
  return files;
}

/** The tenant of the activity, wherever Teams put it. */
export function tenantOf(activity: Activity): string | undefined {
  const channelData: unknown = activity.channelData;
  const fromChannel =
    isRecord(channelData) && isRecord(channelData.tenant) ? channelData.tenant.id : undefined;
  return (typeof fromChannel === 'string' ? fromChannel : undefined) ?? activity.conversation?.tenantId;
}

/** The only channel served: Teams (the Agents Playground, local mode's emulator, speaks as Teams too). */
export const TEAMS_CHANNEL = 'msteams';

/** Why an activity from the Bot Framework is not served here, or undefined if it is. Never a name. */
export function refusalOf(activity: Activity, tenantId: string | undefined): string | undefined {
  if (activity.channelId !== TEAMS_CHANNEL) return `channel ${brief(activity.channelId)}`;
  if (tenantId && tenantOf(activity) !== tenantId) return `tenant ${brief(tenantOf(activity))}`;
  return undefined;
}

/** The id the sender claimed (not yet checked against the directory), for the audit log. */
export const claimedIdOf = (activity: Activity): string | undefined =>
  brief(activity.from?.aadObjectId ?? activity.from?.id, '') || undefined;

/** Someone else's string, made safe for a log line: short, and only the characters ids are made of. */
const brief = (value: unknown, none = 'none'): string =>
  typeof value === 'string' && value ? value.replace(/[^\w.:@-]/g, '?').slice(0, 64) : none;

/**
 * Whether a serviceUrl names one of the allowed Bot Connector services: an origin such as
 * https://smba.trafficmanager.net, or https://*.botframework.com for any of its subdomains (on the default port).
 */
export const isAllowedServiceUrl = (serviceUrl: string, allowed: readonly string[]): boolean =>
  onAllowList(serviceUrl, allowed);
