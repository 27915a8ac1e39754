import template from '../../cards/cases.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { spoken } from './speak';

export interface CaseRow {
  caseId: string;
  ref: string;
  status: string;
  label: string;
  waiting: string;
  /** True when the next step is the viewer's. */
  mine: boolean;
}

export interface CasesCardData {
  title: string;
  summary: string;
  rows: CaseRow[];
  actions: CardAction[];
}

/** The work tray: the cases a person may see, and which wait on them. */
export function casesCard(d: CasesCardData): Card {
  return render(template, {
    speak: spoken(d.title, d.summary),
    title: d.title,
    summary: d.summary,
    rows: d.rows.map((r) => ({ ...r, waitingColor: r.mine ? 'attention' : 'default' })),
    actions: actionsData(d.actions),
  });
}
