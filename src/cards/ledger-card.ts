import template from '../../cards/ledger.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import type { Tone } from './notice-card';
import { spoken } from './speak';

type Fact = { title: string; value: string };

/** A year's budget. Every title and value is the bot's own wording and figures: no one's free text goes here. */
export interface LedgerCardData {
  title: string;
  subtitle: string;
  banner?: { text: string; tone: Tone };
  figures: Fact[];
  sections: { heading: string; rows: Fact[]; empty: string; attention?: boolean }[];
  actions: CardAction[];
}

export function ledgerCard(d: LedgerCardData): Card {
  return render(template, {
    speak: spoken(d.title, d.subtitle, d.banner?.text),
    title: d.title,
    subtitle: d.subtitle,
    banner: d.banner?.text ?? '',
    bannerStyle: d.banner?.tone ?? 'default',
    figures: d.figures,
    sections: d.sections.map((s) => ({
      heading: s.heading,
      rows: s.rows,
      empty: s.empty,
      style: s.attention && s.rows.length ? 'attention' : 'default',
    })),
    actions: actionsData(d.actions),
  });
}
