import template from '../../cards/history.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { spoken } from './speak';

/** One step in a case's history: when, who, what, and how the case's status changed. */
export interface HistoryRow {
  when: string;
  who: string;
  what: string;
  /** "Submitted → Accepted", or empty when the step has no status of its own. */
  change: string;
  refused: boolean;
}

/** How often one person opened the case. */
export interface HistoryRead {
  who: string;
  times: number;
  last: string;
}

export interface HistoryCardData {
  ref: string;
  /** The pupil's name for those who may see it, otherwise a pseudonymous description. */
  subject: string;
  statusLine: string;
  /** Such as how many earlier steps are left off. */
  note?: string;
  rows: HistoryRow[];
  reads: HistoryRead[];
  actions: CardAction[];
}

/** A case's chronology, oldest first, with refusals shaded; built from the audit trail, which never names a pupil. */
export function historyCard(d: HistoryCardData): Card {
  return render(template, {
    speak: spoken(`History of ${d.ref}`, d.statusLine, d.note),
    title: `History of ${d.ref}`,
    subject: d.subject,
    statusLine: d.statusLine,
    note: d.note ?? '',
    rows: d.rows.map((r) => ({
      when: r.when,
      who: r.who,
      what: r.what,
      change: r.change ? `: ${r.change}` : '',
      style: r.refused ? 'warning' : 'default',
    })),
    reads: d.reads.map((r) => ({
      who: r.who,
      text: `: ${r.times} time${r.times === 1 ? '' : 's'}, last ${r.last}`,
    })),
    actions: actionsData(d.actions),
  });
}
