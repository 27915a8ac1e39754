// "Post to the panel again": the co-ordinator's way out when a proposal's card never reached the panel chat (the bot
// was removed from it, say). The outbox's one post for that round is owed again from now, and sent at once.
import { EipError, hasRole } from '../../domain';
import { caseRef } from '../action-data';
import { panelPostId, postPanelCard } from '../outbox/messages';
import { deliver, enqueue } from '../outbox/outbox';
import { audit, currentProposal, loadCase } from '../records';
import { isStoreError } from '../../store/store';
import { showCase } from './open-case';
import { reachedLine } from './case-step';
import type { Handler } from './context';

export const repostPanel: Handler = async (ctx) => {
  const { deps, actor, req } = ctx;
  const { caseId } = caseRef(req.data);
  const c = (await loadCase(deps, caseId)).value;
  if (!hasRole(actor.person, 'coordinator'))
    throw new EipError('forbidden', 'Only the EIP co-ordinator can post a proposal to the panel.');
  if (c.status !== 'proposed') throw new EipError('moved_on', `${c.ref} is no longer waiting on the panel.`);
  const proposal = await currentProposal(deps, c);
  if (proposal.panelMessageId)
    return showCase(ctx, c, { text: "The panel's card is already in the panel chat.", tone: 'accent' });
  const id = panelPostId(c.id, c.round);
  const now = deps.now().toISOString();
  const owed = await deps.store.outbox.get(id);
  if (!owed) await enqueue(deps, [postPanelCard(c.id, c.round, now)], c.id);
  else if (owed.value.state === 'failed' || owed.value.state === 'pending') {
    try {
      await deps.store.outbox.replace(
        { ...owed.value, state: 'pending', attempts: 0, notBefore: now },
        owed.eTag,
      );
    } catch (e) {
      // Someone pressed it at the same moment: their attempt is the one that goes.
      if (!isStoreError(e, 'stale')) throw e;
    }
  }
  await audit(deps, actor, 'repost-panel', c.id, `${c.ref} round ${c.round} owed to the panel chat again`);
  const state = (await deliver(deps, [id])).get(id);
  const after = (await loadCase(deps, caseId)).value;
  if (state === 'sent') return showCase(ctx, after, { text: "Posted to the panel's chat.", tone: 'good' });
  return showCase(ctx, after, {
    text:
      state === 'failed'
        ? "The panel's chat still cannot be reached. Check the bot is in that chat (type 'panel here' there), then try again."
        : `Not posted yet.${reachedLine({ sent: 0, sending: 0, later: 1 }, 'The panel')}`,
    tone: 'warning',
  });
};
