// What the reminder sweep does for panel cycles and substitutes, from the stored records: on cut-off day the agenda
// goes to the panel chat, after the meeting its summary, and each substitution that is over hands its open votes
// back. Each message is owed under a key of its own (the meeting's, the substitution's), so a second sweep, a
// restart or a second instance never sends it twice; the meeting's status is moved on after.
import { isOver, proposalMovedTo, type MeetingRecord, type ProposalRecord } from '../../domain';
import { isStoreError, type Stored } from '../../store/store';
import { chatCard } from '../outbox/messages';
import { settleOwed } from '../outbox/outbox';
import type { AppDeps } from '../ports';
import { audit, decisionId, proposalId } from '../records';
import { agendaItems, panelAgendaCard, panelSummaryCard, type AgendaItem } from './agenda';
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
 * Every sweep, with panel cycles set: a proposal still open whose deadline has passed (its meeting has been and gone,
 * or it was sent before meetings were set and its school-day deadline ran out) is decided at the first meeting still
 * to come. Its deadline moves to that date, so its panel card, the work tray, a fresh vote reminder and the overdue
 * notice follow the meeting it now waits for; the first deadline is kept (reminder keys change with the deadline).
 * A move is written by eTag, so two sweeps move (and audit) it once; a moved proposal is not due again until its new
 * date passes. Answers how many moved.
 */
async function carryOver(deps: AppDeps, today: string, all: readonly MeetingRecord[]): Promise<string[]> {
  const next = all.find((m) => m.date >= today);
  if (!next) return [];
  const done: string[] = [];
  for (const c of await deps.store.cases.find({ status: 'proposed' })) {
    const { id: caseId, round } = c.value;
    const [p, decided] = await Promise.all([
      deps.store.proposals.get(proposalId(caseId, round)),
      deps.store.decisions.get(decisionId(caseId, round)),
    ]);
    if (decided || !p?.value.deadline || p.value.deadline >= today) continue;
    if (
      await moveDeadline(
        deps,
        p,
        next,
        `round ${round}: deadline ${p.value.deadline} passed, now decided by ${next.date}`,
      )
    )
      done.push(`carried ${c.value.ref} to ${next.date}`);
  }
  return done;
}

/** Moves a proposal's deadline to a meeting's date, keeping its first deadline; audited. False if another moved it. */
async function moveDeadline(
  deps: AppDeps,
  p: Stored<ProposalRecord>,
  m: MeetingRecord,
  detail: string,
): Promise<boolean> {
  const v = p.value;
  try {
    await deps.store.proposals.replace(proposalMovedTo(v, m.date, v.meetingId ?? m.id), p.eTag);
  } catch (e) {
    if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) return false;
    throw e;
  }
  await audit(deps, SWEEP, 'panel-carry-over', v.caseId, detail);
  return true;
}

/**
 * A proposal sent before meetings were set has a school-day deadline and no meeting: when it first goes on an
 * agenda it takes that meeting's date, so reminders and the overdue notice follow the meeting.
 */
async function adoptOnAgenda(deps: AppDeps, m: MeetingRecord, items: readonly AgendaItem[]): Promise<void> {
  for (const x of items) {
    if (x.proposal.meetingId !== undefined) continue;
    const p = await deps.store.proposals.get(proposalId(x.case.id, x.proposal.round));
    if (!p || p.value.meetingId !== undefined) continue;
    await moveDeadline(
      deps,
      p,
      m,
      `round ${x.proposal.round}: sent before meetings were set (deadline ${p.value.deadline ?? 'none'}), now on the agenda for ${m.date}`,
    );
  }
}

/** Runs the panel's part of a sweep as of a London date; answers what it did, for the log. */
export async function runPanelCycle(deps: AppDeps, today: string): Promise<string[]> {
  const done: string[] = [];
  for (const s of await deps.store.substitutions.find()) {
    if (!isOver(s.value, today) || s.value.handedBackAt) continue;
    await handBack(deps, s, SWEEP);
    done.push(`handed back ${s.value.id}`);
  }
  const found = await deps.store.meetings.find();
  // A meeting cancelled or moved owes the panel chat a notice, written with the change: settled on every sweep, so a
  // crash between the change and the notice delays it but never loses it (the outbox sends each once).
  for (const m of found)
    if (m.value.cancelledAt && m.value.outbox?.length) await settleOwed(deps, m.value.outbox);
  const stored = found
    .filter((m) => !m.value.cancelledAt)
    .sort((a, b) => a.value.date.localeCompare(b.value.date));
  const all = stored.map((m) => m.value);
  const at = deps.now().toISOString();
  for (const m of stored) {
    const meeting = m.value;
    if (meeting.status === 'scheduled' && today >= meeting.cutOff && today <= meeting.date) {
      const items = await agendaItems(deps, meeting);
      const card = await panelAgendaCard(deps, meeting, items);
      await settleOwed(deps, [chatCard(`meeting:${meeting.id}:agenda`, at, card)]);
      const agenda = items.map((x) => ({ caseId: x.case.id, round: x.proposal.round }));
      await adoptOnAgenda(deps, meeting, items);
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
    }
  }
  done.push(...(await carryOver(deps, today, all)));
  return done;
}
