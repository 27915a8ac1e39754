// What the reminder sweep does for panel cycles and substitutes, from the stored records: on cut-off day the agenda
// goes to the panel chat, after the meeting its summary, and each substitution that is over hands its open votes
// back. Each message is owed under a key of its own (the meeting's, the substitution's), so a second sweep, a
// restart or a second instance never sends it twice; the meeting's status is moved on after.
import { isOver, type MeetingRecord } from '../../domain';
import { isStoreError, type Stored } from '../../store/store';
import { chatCard } from '../outbox/messages';
import { settleOwed } from '../outbox/outbox';
import type { AppDeps } from '../ports';
import { audit, decisionId, proposalId } from '../records';
import { agendaItems, panelAgendaCard, panelSummaryCard } from './agenda';
import { handBack } from './away';

const SWEEP = 'reminder-sweep';

/** Moves a meeting on; another sweep that did it first is no fault. */
async function moveOn(deps: AppDeps, m: Stored<MeetingRecord>, next: MeetingRecord): Promise<boolean> {
  try {
    await deps.store.meetings.replace(next, m.eTag);
    return true;
  } catch (e) {
    if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) return false;
    throw e;
  }
}

/**
 * The proposals a meeting left open are decided at the next one: each one's deadline moves to that date, so its
 * panel card, the work tray, vote reminders and the overdue notice follow the meeting it now waits for. Answers how
 * many moved; one already moved (by another sweep) is left as it is.
 */
async function carryOver(
  deps: AppDeps,
  items: readonly { caseId: string; round: number }[],
  nextDate: string,
): Promise<number> {
  let moved = 0;
  for (const { caseId, round } of items) {
    const [c, p, decided] = await Promise.all([
      deps.store.cases.get(caseId),
      deps.store.proposals.get(proposalId(caseId, round)),
      deps.store.decisions.get(decisionId(caseId, round)),
    ]);
    const open = c?.value.status === 'proposed' && c.value.round === round && !decided;
    if (!open || !p || (p.value.deadline && p.value.deadline >= nextDate)) continue;
    try {
      await deps.store.proposals.replace({ ...p.value, deadline: nextDate }, p.eTag);
    } catch (e) {
      if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) continue;
      throw e;
    }
    await audit(deps, SWEEP, 'panel-carry-over', caseId, `round ${round}: now decided by ${nextDate}`);
    moved += 1;
  }
  return moved;
}

/** Runs the panel's part of a sweep as of a London date; answers what it did, for the log. */
export async function runPanelCycle(deps: AppDeps, today: string): Promise<string[]> {
  const done: string[] = [];
  for (const s of await deps.store.substitutions.find()) {
    if (!isOver(s.value, today) || s.value.handedBackAt) continue;
    await handBack(deps, s, SWEEP);
    done.push(`handed back ${s.value.id}`);
  }
  const stored = (await deps.store.meetings.find()).sort((a, b) => a.value.date.localeCompare(b.value.date));
  const all = stored.map((m) => m.value);
  const at = deps.now().toISOString();
  for (const m of stored) {
    const meeting = m.value;
    if (meeting.status === 'scheduled' && today >= meeting.cutOff && today <= meeting.date) {
      const items = await agendaItems(deps, meeting);
      const card = await panelAgendaCard(deps, meeting, items);
      await settleOwed(deps, [chatCard(`meeting:${meeting.id}:agenda`, at, card)]);
      const agenda = items.map((x) => ({ caseId: x.case.id, round: x.proposal.round }));
      if (await moveOn(deps, m, { ...meeting, status: 'agenda-sent', agenda })) {
        await audit(
          deps,
          SWEEP,
          'panel-agenda',
          undefined,
          `meeting ${meeting.date}: agenda of ${items.length} proposal(s), ${items.filter((x) => x.carried).length} carried over`,
        );
        done.push(`agenda ${meeting.date}`);
      }
    } else if (meeting.status !== 'summarised' && today > meeting.date) {
      // A meeting whose agenda never went (set after its date had come, or the bot was down throughout) is
      // summarised from the proposals it would have taken.
      const items =
        meeting.agenda ??
        (await agendaItems(deps, meeting)).map((x) => ({ caseId: x.case.id, round: x.proposal.round }));
      const next = all.find((x) => x.date > meeting.date);
      const card = await panelSummaryCard(deps, meeting, items, next);
      await settleOwed(deps, [chatCard(`meeting:${meeting.id}:summary`, at, card)]);
      if (await moveOn(deps, m, { ...meeting, status: 'summarised', agenda: items })) {
        await audit(
          deps,
          SWEEP,
          'panel-summary',
          undefined,
          `meeting ${meeting.date}: summary of ${items.length} proposal(s)`,
        );
        done.push(`summary ${meeting.date}`);
      }
      if (next) {
        const carried = await carryOver(deps, items, next.date);
        if (carried) done.push(`carried ${carried} to ${next.date}`);
      }
    }
  }
  return done;
}
