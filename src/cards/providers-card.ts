import template from '../../cards/providers.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import type { Tone } from './notice-card';
import { spoken } from './speak';

export interface ProviderRow {
  /** The provider's name and contact are people's own words, shown literally. */
  name: string;
  contact: string;
  services: string;
  /** "£45.00 a session". */
  rate: string;
  active: boolean;
  /** Edit and Deactivate or Reactivate, for those who may change the directory. */
  actions: CardAction[];
}

export interface ProvidersCardData {
  title: string;
  summary: string;
  banner?: { text: string; tone: Tone };
  rows: ProviderRow[];
  actions: CardAction[];
}

/** The provider directory: who offers which services, at what rate, and how to reach them. */
export function providersCard(d: ProvidersCardData): Card {
  return render(template, {
    speak: spoken(d.title, d.summary, d.banner?.text),
    title: d.title,
    summary: d.summary,
    banner: d.banner?.text ?? '',
    bannerStyle: d.banner?.tone ?? 'default',
    rows: d.rows.map((r) => ({ ...r, actions: actionsData(r.actions) })),
    actions: actionsData(d.actions),
  });
}
