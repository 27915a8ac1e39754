import {
  EipError,
  cyclesOn,
  londonDate,
  meetingFor,
  showDate,
  type MeetingRecord,
  assertQuorumReachable,
  formatPence,
  parseProposal,
  type CaseRecord,
  type ProposalInput,
  type ProposalRecord,
} from '../../domain';
import { noticeCard } from '../../cards';
import { panelChat } from '../messenger';
import { proposalId, putRecord } from '../records';
import { aboutCase, openCaseAction } from '../views';
import { caseStep, reachedLine } from './case-step';
import type { AppDeps } from '../ports';
import { providerDirectory } from '../providers/directory';
import { meetings, substitutions } from '../panel/state';

/**
 * With panel cycles (a meeting still to come), the meeting a proposal sent today goes to: the first whose cut-off is
 * still ahead. Undefined without cycles. With cycles but no meeting left to take it, the form says so.
 */
async function meetingNow(deps: AppDeps): Promise<MeetingRecord | undefined> {
  const today = londonDate(deps.now());
  const all = await meetings(deps);
  if (!cyclesOn(all)) return undefined;
  const m = meetingFor(all, today);
  if (!m) {
    const last = all[all.length - 1]!;
    throw new EipError('invalid_input', undefined, [
      {
        field: 'Panel meeting',
        message: `No panel meeting is set after ${showDate(last.date)} (its cut-off for papers was ${showDate(last.cutOff)}). Ask the admin to set the panel's next meeting date, then press Send to panel again.`,
      },
    ]);
  }
  return m;
}

function proposalOf(
  deps: AppDeps,
  c: CaseRecord,
  i: ProposalInput,
  by: string,
  meeting?: MeetingRecord,
): ProposalRecord {
  const now = deps.now();
  return {
    id: proposalId(c.id, c.round),
    caseId: c.id,
    round: c.round,
    ...i,
    proposedBy: by,
    proposedAt: now.toISOString(),
    // With panel cycles the decision deadline is the meeting's date; otherwise so many school days from today.
    ...(meeting
      ? { deadline: meeting.date, meetingId: meeting.id }
      : {
          deadline: deps.directory.calendar.addSchoolDays(
            londonDate(now),
            deps.directory.reminders.voteDeadlineSchoolDays,
          ),
        }),
  };
}

/** The meeting each proposal being sent went on, for its audit line (keyed by the parsed answers, per request). */
const onMeeting = new WeakMap<ProposalInput, string>();

/** The audit trail's words for the meeting a proposal went on, or rolled to after missing a cut-off. */
async function meetingNote(deps: AppDeps, m: MeetingRecord): Promise<string> {
  const missed = await missedMeeting(deps, m);
  return missed
    ? `; after the cut-off for the meeting on ${missed.date}, so rolled to the meeting on ${m.date}`
    : `; on the agenda for the meeting on ${m.date}`;
}

/** The meeting a proposal on this one missed: still to come, but its cut-off has passed. */
async function missedMeeting(deps: AppDeps, m: MeetingRecord): Promise<MeetingRecord | undefined> {
  const today = londonDate(deps.now());
  return (await meetings(deps)).find((x) => x.date < m.date && x.date >= today && x.cutOff <= today);
}

/** The co-ordinator sends a proposal (or a revised one) to the panel's chat. */
export const propose = caseStep({
  form: 'propose',
  parse: async (data, today, _c, ctx) => parseProposal(data, today, await providerDirectory(ctx.deps)),
  // Refused as form problems, so the co-ordinator keeps everything typed and can send it once the panel can take it.
  precheck: async ({ deps }, c) => {
    if (!(await panelChat(deps))) {
      throw new EipError('invalid_input', undefined, [
        {
          field: 'Panel chat',
          message:
            "There is no panel chat yet. Type 'panel here' in the panel's group chat, then press Send to panel again.",
        },
      ]);
    }
    try {
      assertQuorumReachable(
        deps.directory.people,
        c.schoolId,
        deps.directory.panel,
        await substitutions(deps),
        londonDate(deps.now()),
      );
    } catch (e) {
      if (!(e instanceof EipError)) throw e;
      throw new EipError('invalid_input', undefined, [{ field: 'Panel', message: e.message }]);
    }
    await meetingNow(deps);
  },
  apply: (c) => ({ ...c, round: c.round + 1 }),
  prepare: async ({ deps, actor }, c, i) => {
    const m = await meetingNow(deps);
    if (m) onMeeting.set(i, await meetingNote(deps, m));
    return putRecord(deps, deps.store.proposals, proposalOf(deps, c, i, actor.person.aadObjectId, m));
  },
  detail: (c, i) =>
    `${c.ref} proposed to the panel (round ${c.round}, ${i.interventions.length} interventions, total ${i.totalPence}p)${onMeeting.get(i) ?? ''}`,
  tell: (_ctx, c, i, owe) => ({
    panel: [owe.panelCard(c.id, c.round)],
    school: owe.people(
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} is with the panel`,
        facts: aboutCase(c),
        text: `The EIP co-ordinator has proposed support costing ${formatPence(i.totalPence)}. You'll hear as soon as the panel decides.`,
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: async ({ deps }, saved, _i, reach) => {
    const told = `${await meetingLine(deps, saved)}${reachedLine(reach.school, 'The school')}`;
    if (reach.panel?.sent || reach.panel?.sending)
      return { text: `Sent to the panel's chat.${told}`, tone: 'good' };
    if (reach.panel?.later)
      return {
        text: `Saved and with the panel. Teams has not answered yet, so the card will be posted to the panel's chat as soon as it does.${told}`,
        tone: 'warning',
      };
    return {
      text: `Saved and with the panel, but the panel's chat could not be reached. Check the bot is still in that chat, then press Post to the panel again.${told}`,
      tone: 'attention',
    };
  },
});

/**
 * With panel cycles, which meeting the proposal is on; sent after a cut-off, the meeting it missed and the one it
 * waits for, so the co-ordinator knows when the panel will decide.
 */
async function meetingLine(deps: AppDeps, c: CaseRecord): Promise<string> {
  const p = await deps.store.proposals.get(proposalId(c.id, c.round));
  const on = p?.value.meetingId;
  if (!on) return '';
  const m = (await meetings(deps)).find((x) => x.id === on);
  if (!m) return '';
  const missed = await missedMeeting(deps, m);
  return missed
    ? ` It came after the cut-off for the meeting on ${showDate(missed.date)} (${showDate(missed.cutOff)}), so it waits for the next meeting, on ${showDate(m.date)}.`
    : ` It is on the agenda for the panel meeting on ${showDate(m.date)}.`;
}
