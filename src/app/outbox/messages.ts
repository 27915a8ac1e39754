// What a saved change owes people: a card for a person's chat, or the panel's card of a proposal brought up to date.
// Built before the change is written, because they are written with it (see outbox.ts).
import type { Card } from '../../cards';
import type { OwedMessage } from '../../domain';

/** A card for one person's 1:1 chat. */
export interface TellMessage {
  kind: 'tell';
  /** The person's directory id (lower case). */
  to: string;
  card: Card;
}

/**
 * The panel chat's card of a proposal, drawn when it is sent so that it shows the latest votes: `post` puts it in
 * the chat if it is not there yet (and updates it if it is); `update` only updates a card already posted.
 */
export interface PanelMessage {
  kind: 'panel';
  mode: 'post' | 'update';
  caseId: string;
  round: number;
}

/** A card for the panel chat itself, drawn when it was owed: a meeting's agenda or its summary. */
export interface ChatMessage {
  kind: 'chat';
  card: Card;
}

export type OutboxMessage = TellMessage | PanelMessage | ChatMessage;

export const isTell = (m: OutboxMessage): m is TellMessage => m.kind === 'tell';

const owed = (id: string, at: string, message: OutboxMessage): OwedMessage => ({
  id,
  at,
  message: message as unknown as Record<string, unknown>,
});

export const messageOf = (o: OwedMessage): OutboxMessage => o.message as unknown as OutboxMessage;

/**
 * One card for each of these people (once each), keyed by the change that owes it, so the same change can never owe
 * the same person twice.
 */
export function tellEach(change: string, at: string, to: readonly string[], card: Card): OwedMessage[] {
  return [...new Set(to.map((id) => id.toLowerCase()))].map((id) =>
    owed(`${change}:tell:${id}`, at, { kind: 'tell', to: id, card }),
  );
}

/** The proposal's card goes to the panel chat: one post per proposal round, whatever asks for it. */
export const postPanelCard = (caseId: string, round: number, at: string): OwedMessage =>
  owed(panelPostId(caseId, round), at, { kind: 'panel', mode: 'post', caseId, round });

/** A card for the panel chat, keyed by what it is (a meeting's agenda, say), so it is owed once. */
export const chatCard = (id: string, at: string, card: Card): OwedMessage =>
  owed(id, at, { kind: 'chat', card });

export const panelPostId = (caseId: string, round: number) => `${caseId}:r${round}:panel-post`;

/** The panel chat's card shows what this change did (a vote, a decision). */
export const updatePanelCard = (change: string, caseId: string, round: number, at: string): OwedMessage =>
  owed(`${change}:panel-update`, at, { kind: 'panel', mode: 'update', caseId, round });
