import {
  EipError,
  assertQuorumReachable,
  eligibleVoters,
  formatPence,
  parseProposal,
  type ProposalRecord,
} from '../../domain';
import { noticeCard, panelCard } from '../../cards';
import { panelChat, teamsUserIds, tellPeople } from '../messenger';
import { loadCaseFile, proposalId } from '../records';
import { aboutCase, panelView } from '../views';
import { caseStep, reachedLine } from './case-step';
import { openCaseAction } from './triage';
import type { AppDeps } from '../ports';

/** The Teams ids of the panel members who may vote on a case, so their clients fetch their own view. */
export async function voterIds(deps: AppDeps, schoolId: string): Promise<string[]> {
  return teamsUserIds(
    deps,
    eligibleVoters(deps.directory.people, schoolId).map((p) => p.aadObjectId),
  );
}

/** The co-ordinator sends a proposal (or a revised one) to the panel's chat. */
export const propose = caseStep({
  form: 'propose',
  parse: (data, today) => parseProposal(data, today),
  precheck: async ({ deps }, c) => {
    if (!(await panelChat(deps))) {
      throw new EipError(
        'forbidden',
        "There is no panel chat yet. Type 'panel here' in the panel's group chat, then send the proposal again.",
      );
    }
    assertQuorumReachable(deps.directory.people, c.schoolId, deps.directory.panel);
  },
  apply: (c) => ({ ...c, round: c.round + 1 }),
  detail: (c, i) =>
    `${c.ref} proposed to the panel (round ${c.round}, ${i.interventions.length} interventions, total ${i.totalPence}p)`,
  after: async ({ deps, actor }, c, i) => {
    const proposal: ProposalRecord = {
      id: proposalId(c.id, c.round),
      caseId: c.id,
      round: c.round,
      ...i,
      proposedBy: actor.person.aadObjectId,
      proposedAt: deps.now().toISOString(),
    };
    const created = await deps.store.proposals.create(proposal);
    const file = await loadCaseFile(deps, c);
    const chat = (await panelChat(deps))!;
    const card = panelCard({
      ...panelView({ ...file, proposal }, deps.directory),
      userIds: await voterIds(deps, c.schoolId),
    });
    const messageId = await deps.notifier.send(chat.reference, card);
    if (messageId)
      await deps.store.proposals.replace({ ...proposal, panelMessageId: messageId }, created.eTag);
    const reached = await tellPeople(
      deps,
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} is with the panel`,
        facts: aboutCase(c),
        text: `The EIP co-ordinator has proposed support costing ${formatPence(i.totalPence)}. You'll hear as soon as the panel decides.`,
        actions: openCaseAction(c),
      }),
    );
    return { text: `Sent to the panel's chat.${reachedLine(reached, 'The school')}`, tone: 'good' };
  },
});
