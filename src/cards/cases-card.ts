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
  /** What Open does: the case itself, or (a case transferred to the viewer's school) the transfer. */
  verb?: 'openCase' | 'openTransfer';
}

export interface CasesCardData {
  title: string;
  summary: string;
  rows: CaseRow[];
  /** Cases transferred to the viewer's school, listed under their own heading; each opens the transfer. */
  received?: CaseRow[];
  actions: CardAction[];
}

/** The heading over the cases transferred to the viewer's school. */
export const RECEIVED_HEADING = 'Transferred to your school';

/** The work tray: the cases a person may see, and which wait on them. */
export function casesCard(d: CasesCardData): Card {
  return render(template, {
    speak: spoken(d.title, d.summary),
    title: d.title,
    summary: d.summary,
    rows: [
      ...d.rows.map((r) => ({ ...r, heading: '', verb: r.verb ?? 'openCase' })),
      ...(d.received ?? []).map((r, i) => ({
        ...r,
        heading: i === 0 ? RECEIVED_HEADING : '',
        verb: 'openTransfer',
      })),
    ].map((r) => ({ ...r, waitingColor: r.mine ? 'attention' : 'default' })),
    actions: actionsData(d.actions),
  });
}
