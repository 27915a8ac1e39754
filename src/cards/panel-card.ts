import template from '../../cards/panel.json';
import { actionsData, render, type Card } from './render';
import { action, type CardAction } from './verbs';
import type { Tone } from './notice-card';
import { longText } from './long-text';
import { spoken } from './speak';

/** What the panel sees of a case. It has no place for a pupil's name, by design. */
export interface PanelCardData {
  caseId: string;
  round: number;
  ref: string;
  subject: string;
  facts: { title: string; value: string }[];
  sections: { heading: string; text: string }[];
  tallyLine: string;
  votedLine: string;
  outcome?: { text: string; tone: Tone };
  /** This member's own view: their vote, or why they cannot vote. Empty on the copy everyone shares. */
  personal?: { text: string; tone: Tone };
  /** Voting is open to the viewer (the shared copy shows the buttons to everyone; the server decides). */
  open: boolean;
  /** Still before the panel: the card may change, so it offers Refresh. */
  live: boolean;
  actions: CardAction[];
  /** Teams user ids whose clients fetch their own view through the refresh verb. */
  userIds: string[];
}

export function panelCard(d: PanelCardData): Card {
  const revision = d.round > 1 ? `, revised proposal (round ${d.round})` : '';
  return render(template, {
    // The reference, the votes so far and any outcome: never the subject, though it names no pupil either.
    speak: spoken(`For the panel: ${d.ref}${revision}`, d.tallyLine, d.outcome?.text, d.personal?.text),
    caseId: d.caseId,
    round: d.round,
    ref: d.ref,
    revision,
    subject: d.subject,
    facts: d.facts,
    sections: d.sections.map((s, i) => ({ heading: s.heading, ...longText(`section-${i + 1}`, s.text) })),
    tallyLine: d.tallyLine,
    votedLine: d.votedLine,
    outcome: d.outcome?.text ?? '',
    outcomeStyle: d.outcome?.tone ?? 'default',
    personal: d.personal?.text ?? '',
    personalStyle: d.personal?.tone ?? 'default',
    open: d.open,
    // Refresh is always offered: it shows the presser their own view where the client does not refresh by itself.
    actions: actionsData([
      ...(d.open ? d.actions : []),
      ...(d.live ? [action('Refresh', 'panelView', { caseId: d.caseId, round: d.round })] : []),
    ]),
    userIds: d.userIds,
  });
}
