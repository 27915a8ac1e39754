import template from '../../cards/agenda.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { spoken } from './speak';

/** One line of a section: a bold lead (a reference, a provider) and the rest, both shown literally. */
export interface AgendaRow {
  lead: string;
  text: string;
}

export interface AgendaSection {
  heading: string;
  rows: AgendaRow[];
  /** What the section says when it has no rows, so an empty list reads as good news, not as a fault. */
  empty: string;
}

export interface AgendaCardData {
  title: string;
  subtitle: string;
  sections: AgendaSection[];
  actions: CardAction[];
}

/** The providers' meeting agenda: lists under headings. It has no place for a pupil's name, by design. */
export function agendaCard(d: AgendaCardData): Card {
  return render(template, {
    speak: spoken(d.title, d.subtitle),
    title: d.title,
    subtitle: d.subtitle,
    sections: d.sections.map((s) => ({
      heading: s.heading,
      empty: s.empty,
      // The lead is followed by a separator only when there is something after it.
      rows: s.rows.map((r) => ({ lead: r.text ? `${r.lead}: ` : r.lead, text: r.text })),
    })),
    actions: actionsData(d.actions),
  });
}
