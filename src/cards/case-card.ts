import template from '../../cards/case.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import type { Tone } from './notice-card';

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
    ref: d.ref,
    subject: d.subject,
    statusLine: d.statusLine,
    banner: d.banner?.text ?? '',
    bannerStyle: d.banner?.tone ?? 'default',
    facts: d.facts,
    sections: d.sections,
    actions: actionsData(d.actions),
  });
}
