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
  /** What its Open button does, when not opening the case (a substitute's row opens the panel card). */
  open?: CardAction;
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
      ...d.rows.map((r) => ({ ...r, heading: '' })),
      // A case transferred to the viewer's school opens the transfer, never the sending school's case.
      ...(d.received ?? []).map((r, i) => ({
        ...r,
        heading: i === 0 ? RECEIVED_HEADING : '',
        open: { title: 'Open', verb: 'openTransfer' as const, data: { caseId: r.caseId } },
      })),
    ].map(({ open, ...r }) => ({
      ...r,
      waitingColor: r.mine ? 'attention' : 'default',
      openVerb: open?.verb ?? 'openCase',
      openData: open?.data ?? { caseId: r.caseId },
    })),
    actions: actionsData(d.actions),
  });
}
