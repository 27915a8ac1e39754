// The panel meeting's agenda, posted to the panel chat on cut-off day, and its summary, posted after the meeting.
// Proposals appear by reference and a pseudonym, never by a pupil's name; each line opens its panel card.
import {
  STATUS_LABELS,
  financialYearOf,
  formatPence,
  showDate,
  sumPence,
  type CaseRecord,
  type MeetingRecord,
  type ProposalRecord,
} from '../../domain';
import { action, agendaCard, type AgendaRow, type Card } from '../../cards';
import { availableIn } from '../budget/holds';
import type { AppDeps } from '../ports';
import { decisionId, proposalId } from '../records';
import { budgetLine, pseudonym, tallyText } from '../views';

export interface AgendaItem {
  case: CaseRecord;
  proposal: ProposalRecord;
  /** Not decided at an earlier meeting (or sent before meetings were set): carried over to this one. */
  carried: boolean;
}

/** The proposals before the panel that this meeting takes: its own, and those still open from before it. */
export async function agendaItems(deps: AppDeps, m: MeetingRecord): Promise<AgendaItem[]> {
  const proposed = (await deps.store.cases.find({ status: 'proposed' })).map((c) => c.value);
  const proposals = await Promise.all(
    proposed.map((c) => deps.store.proposals.get(proposalId(c.id, c.round))),
  );
  const out: AgendaItem[] = [];
  proposed.forEach((c, i) => {
    const p = proposals[i]?.value;
    if (!p || (p.meetingId !== undefined && p.meetingId > m.id)) return;
    out.push({ case: c, proposal: p, carried: p.meetingId !== m.id });
  });
  return out.sort((a, b) => (a.case.ref < b.case.ref ? -1 : a.case.ref > b.case.ref ? 1 : 0));
}

const phaseOf = (deps: AppDeps, c: CaseRecord) => {
  const school = deps.directory.school(c.schoolId);
  return school ? `, ${school.phase.replace('-', ' ')} school` : '';
};

const openLine = (c: CaseRecord, round: number) =>
  action(`Open ${c.ref}`, 'panelView', { caseId: c.id, round });

/** The agenda card: each proposal with its cost, those carried over, and the budget now and if all were approved. */
export async function panelAgendaCard(
  deps: AppDeps,
  m: MeetingRecord,
  items: readonly AgendaItem[],
): Promise<Card> {
  // The budget the meeting's decisions draw on: its own financial year's (a meeting in April draws on the new year).
  const budget = await availableIn(deps, financialYearOf(m.date));
  const row = (x: AgendaItem): AgendaRow => ({
    lead: x.case.ref,
    text: `${pseudonym(x.case)}${phaseOf(deps, x.case)}. ${formatPence(x.proposal.totalPence)}${
      x.carried
        ? x.proposal.meetingId
          ? ` (first on the agenda for ${showDate(x.proposal.meetingId)})`
          : ' (sent before panel meetings were set)'
        : ''
    }`,
    open: openLine(x.case, x.proposal.round),
  });
  const own = items.filter((x) => !x.carried);
  const carried = items.filter((x) => x.carried);
  const total = sumPence(items, (x) => x.proposal.totalPence);
  return agendaCard({
    title: `Panel agenda: meeting on ${showDate(m.date)}`,
    subtitle: `Papers closed on ${showDate(m.cutOff)}. Pupils are not named: proposals are shown by reference. Each opens its panel card, where members vote.`,
    sections: [
      {
        heading: `Proposals for this meeting (${own.length})`,
        empty: 'No new proposals.',
        rows: own.map(row),
      },
      {
        heading: `Carried over from the last meeting (${carried.length})`,
        empty: 'Nothing is carried over.',
        rows: carried.map(row),
      },
      {
        heading: 'Budget',
        empty: '',
        rows: [
          { lead: 'Available now', text: budgetLine(budget) },
          {
            lead: 'If everything on this agenda is approved',
            text: budget.set
              ? `${budget.availablePence >= total ? `${formatPence(budget.availablePence - total)} available` : `${formatPence(total - budget.availablePence)} over budget`} (${formatPence(total)} for ${items.length} proposal${items.length === 1 ? '' : 's'})`
              : `${formatPence(total)} for ${items.length} proposal${items.length === 1 ? '' : 's'}; no allocation is set to take it from`,
          },
        ],
      },
    ],
    actions: [],
  });
}

/** The summary after the meeting: what the agenda's proposals came to, and what is still open and where it goes. */
export async function panelSummaryCard(
  deps: AppDeps,
  m: MeetingRecord,
  items: readonly { caseId: string; round: number }[],
  next: MeetingRecord | undefined,
): Promise<Card> {
  const found = await Promise.all(
    items.map(async (x) => ({
      x,
      c: (await deps.store.cases.get(x.caseId))?.value,
      d: (await deps.store.decisions.get(decisionId(x.caseId, x.round)))?.value,
      p: (await deps.store.proposals.get(proposalId(x.caseId, x.round)))?.value,
      votes: (await deps.store.votes.find({ caseId: x.caseId, round: x.round })).length,
    })),
  );
  const decided: AgendaRow[] = [];
  const open: AgendaRow[] = [];
  for (const { x, c, d, p, votes } of found) {
    if (!c) continue;
    if (d) {
      decided.push({
        lead: c.ref,
        text: `${STATUS_LABELS[d.outcome]} (${tallyText(d.tally)})`,
        open: openLine(c, x.round),
      });
    } else if (c.status === 'proposed' && c.round === x.round) {
      open.push({
        lead: c.ref,
        text: `${pseudonym(c)}${phaseOf(deps, c)}. ${p ? `${formatPence(p.totalPence)}. ` : ''}${votes} of the ${deps.directory.panel.quorum} votes needed cast; ${next ? `carried over to the meeting on ${showDate(next.date)}` : 'carried over to the next meeting, once one is set'}.`,
        open: openLine(c, x.round),
      });
    } else {
      decided.push({
        lead: c.ref,
        text: `No decision: the case is now ${STATUS_LABELS[c.status].toLowerCase()}.`,
      });
    }
  }
  return agendaCard({
    title: `Panel meeting on ${showDate(m.date)}: summary`,
    subtitle:
      'What the panel decided on this meeting’s agenda, and what is still open. Pupils are not named.',
    sections: [
      { heading: `Decided (${decided.length})`, empty: 'Nothing on the agenda was decided.', rows: decided },
      { heading: `Still open (${open.length})`, empty: 'Nothing is left open.', rows: open },
    ],
    actions: [],
  });
}
