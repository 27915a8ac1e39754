import template from '../../cards/case.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import type { Tone } from './notice-card';
import { longText } from './long-text';
import { spoken } from './speak';

export interface CaseCardData {
  ref: string;
  /** The pupil's name for those who may see it, otherwise a pseudonymous description. */
  subject: string;
  statusLine: string;
  banner?: { text: string; tone: Tone };
  facts: { title: string; value: string }[];
  /** People's own words, shown literally. */
  sections: { heading: string; text: string }[];
  actions: CardAction[];
}

/** One case as the viewer may see it, with the buttons for what is waiting on them. */
export function caseCard(d: CaseCardData): Card {
  return render(template, {
    // Said first: which case, where it stands, and whether it waits on the reader; the subject is read from the card.
    speak: spoken(`Case ${d.ref}`, d.statusLine, d.banner?.text),
    ref: d.ref,
    subject: d.subject,
    statusLine: d.statusLine,
    banner: d.banner?.text ?? '',
    bannerStyle: d.banner?.tone ?? 'default',
    facts: d.facts,
    sections: d.sections.map((s, i) => ({ heading: s.heading, ...longText(`section-${i + 1}`, s.text) })),
    actions: actionsData(d.actions),
  });
}
