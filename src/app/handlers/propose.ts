import {
  EipError,
  londonDate,
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

function proposalOf(deps: AppDeps, c: CaseRecord, i: ProposalInput, by: string): ProposalRecord {
  const now = deps.now();
  return {
    id: proposalId(c.id, c.round),
    caseId: c.id,
    round: c.round,
    ...i,
    proposedBy: by,
    proposedAt: now.toISOString(),
    deadline: deps.directory.calendar.addSchoolDays(
      londonDate(now),
      deps.directory.reminders.voteDeadlineSchoolDays,
    ),
  };
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
      assertQuorumReachable(deps.directory.people, c.schoolId, deps.directory.panel);
    } catch (e) {
      if (!(e instanceof EipError)) throw e;
      throw new EipError('invalid_input', undefined, [{ field: 'Panel', message: e.message }]);
    }
  },
  apply: (c) => ({ ...c, round: c.round + 1 }),
  prepare: async ({ deps, actor }, c, i) =>
    putRecord(deps, deps.store.proposals, proposalOf(deps, c, i, actor.person.aadObjectId)),
  detail: (c, i) =>
    `${c.ref} proposed to the panel (round ${c.round}, ${i.interventions.length} interventions, total ${i.totalPence}p)`,
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
  after: (_ctx, _c, _i, reach) => {
    const told = reachedLine(reach.school, 'The school');
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
