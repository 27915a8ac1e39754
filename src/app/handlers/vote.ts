import {
  EipError,
  STATUS_LABELS,
  assertMay,
  financialYearOf,
  formatPence,
  hasRole,
  isOwnSchool,
  londonDate,
  decide,
  parseVote,
  runningFor,
  seatsOf,
  showDate,
  standingInFor,
  tally,
  type CaseRecord,
  type DecisionRecord,
  type OwedMessage,
  type Person,
  type ProposalRecord,
  type Seat,
  type SubstitutionRecord,
} from '../../domain';
import { action, noticeCard, type CardAction, type Tone } from '../../cards';
import { isStoreError, type Stored } from '../../store/store';
import { panelRef } from '../action-data';
import { coordinatorIds } from '../messenger';
import { updatePanelCard } from '../outbox/messages';
import { owedWith } from '../outbox/outbox';
import { oweFor, sendTold } from './case-step';
import { audit, decisionId, loadCase, proposalId, voteId } from '../records';
import { CHOICE_WORDS, aboutCase, openCaseAction, tallyText, voterName } from '../views';
import type { AppDeps } from '../ports';
import { holdBudget, releaseBudget } from '../budget/holds';
import { drawPanelCard, panelCardFor, panelContext } from './panel-card';
import { holdsSeatOn, mayOpen } from './my-cases';
import type { Ctx, Handler } from './context';
import { substitutions } from '../panel/state';

/**
 * The seat this vote goes in: the one the button names (a substitute's view names the absent member's), or the
 * first of the voter's seats with no vote yet, their own first. The seats come from the directory and the stored
 * substitutions, never from the card: a card can only choose among seats the voter holds today.
 */
async function seatFor(
  ctx: Ctx,
  c: CaseRecord,
  round: number,
  subs: readonly SubstitutionRecord[],
): Promise<Seat> {
  const { deps, actor, req } = ctx;
  const me = actor.person;
  const today = londonDate(deps.now());
  const seats = seatsOf(me, deps.directory.people, subs, c.schoolId, today);
  const named = typeof req.data.for === 'string' ? req.data.for.toLowerCase() : undefined;
  const seat = named && seats.find((s) => s.member.aadObjectId.toLowerCase() === named);
  if (seat) return seat;
  // A head standing in for a member is conflicted on their own school's cases, as a member is.
  if (isOwnSchool(me, c)) throw new EipError('conflict_of_interest');
  if (named) {
    const member = deps.directory.person(named);
    throw new EipError(
      'forbidden',
      member && member.schoolId === c.schoolId
        ? `You can't vote for ${member.name} on this case: their school raised it.`
        : `You don't hold ${member?.name ?? 'that member'}'s vote today.`,
    );
  }
  if (seats.length === 0) {
    const away = runningFor(subs, me.aadObjectId, today);
    if (away)
      throw new EipError(
        'forbidden',
        `You can't vote while you're away: ${deps.directory.person(away.substitute)?.name ?? 'your substitute'} votes in your place until ${showDate(away.to)}. End your absence from "I'm away" to vote yourself.`,
      );
    throw new EipError(
      'forbidden',
      hasRole(me, 'panel')
        ? 'Only members of the EIP panel can vote.'
        : "Only members of the EIP panel, or a head standing in for one, can vote; you don't hold a panel member's vote on this case today.",
    );
  }
  const cast = await Promise.all(
    seats.map((s) => deps.store.votes.get(voteId(c.id, round, s.member.aadObjectId))),
  );
  return seats.find((_, i) => !cast[i]) ?? seats[0]!;
}

/** A substitute's vote is taken while the case is before the panel, as a member's is (assertMay's status rule). */
function assertBeforePanel(c: CaseRecord): void {
  if (c.status !== 'proposed')
    throw new EipError(
      'moved_on',
      `${c.ref} has moved on: it is now ${STATUS_LABELS[c.status].toLowerCase()}, so it can no longer be voted on.`,
    );
}

/** "approve", or "approve for Grace Adeyemi" when a substitute voted. */
const forWhom = (seat: Seat) => (seat.substituted ? ` for ${seat.member.name}` : '');
const seatId = (seat: Seat): Person['aadObjectId'] => seat.member.aadObjectId;

async function loadProposal(deps: AppDeps, caseId: string, round: number): Promise<Stored<ProposalRecord>> {
  const p = await deps.store.proposals.get(proposalId(caseId, round));
  if (!p) throw new EipError('not_found');
  return p;
}

const decisionYear = (d: DecisionRecord) => financialYearOf(londonDate(new Date(d.decidedAt)));

/**
 * Moves the case to the decision's outcome if it is still before the panel in that round. Answers 'moved' only for
 * the write that moved it, so exactly one request announces the decision; repeating it is harmless. 'elsewhere'
 * means the case left the panel another way first (withdrawn, say).
 */
async function applyDecision(
  deps: AppDeps,
  caseId: string,
  decision: DecisionRecord,
  owed: readonly OwedMessage[],
): Promise<'moved' | 'already' | 'elsewhere'> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await loadCase(deps, caseId);
    const before = current.value.status === 'proposed' && current.value.round === decision.round;
    if (!before)
      return current.value.round === decision.round && current.value.status === decision.outcome
        ? 'already'
        : 'elsewhere';
    // The announcements are written with the decision's effect on the case, so a crash cannot lose them.
    const outbox = await owedWith(deps, current.value.outbox, owed);
    try {
      await deps.store.cases.replace(
        {
          ...current.value,
          status: decision.outcome,
          ...(decision.outcome === 'approved' ? { budgetYear: decisionYear(decision) } : {}),
          updatedAt: decision.decidedAt,
          outbox,
        },
        current.eTag,
      );
      return 'moved';
    } catch (e) {
      if (!isStoreError(e, 'stale')) throw e;
    }
  }
  throw new EipError('moved_on', 'The case kept changing while the decision was recorded. Please try again.');
}

/** What happens next, as each side reads it. */
const NEXT: Record<DecisionRecord['outcome'], { school: string; coordinator: string }> = {
  approved: {
    school:
      'What happens next: the EIP co-ordinator puts the support in place with the provider and tells you what starts when.',
    coordinator: 'Next: commission the packages with the providers.',
  },
  declined: {
    school:
      'What happens next: the EIP co-ordinator will talk to you about other support, then close the case.',
    coordinator: 'Next: talk to the school about other support, then close the case with a reason.',
  },
  changes_requested: {
    school: 'What happens next: the EIP co-ordinator revises the proposal and sends it back to the panel.',
    coordinator: "Next: revise the proposal with the panel's comments and send it again.",
  },
};

/**
 * What the decision owes: the school and the co-ordinator are told what the panel decided, with the panel's comments
 * and what happens next, and the panel chat's card shows the decision.
 */
async function announcements(deps: AppDeps, c: CaseRecord, decision: DecisionRecord): Promise<OwedMessage[]> {
  const { outcome } = decision;
  const owe = oweFor(`${decision.id}:decision`, decision.decidedAt);
  const over = decision.overBudgetPence;
  const said =
    outcome === 'changes_requested'
      ? over
        ? `The panel voted to approve (${tallyText(decision.tally)}), but the proposal is ${formatPence(over)} more than the budget still available this year, so it comes back for changes.`
        : `The panel asks for changes to the proposal (${tallyText(decision.tally)}).`
      : `The panel has ${STATUS_LABELS[outcome].toLowerCase()} the proposal (${tallyText(decision.tally)}).`;
  const counted = (await deps.store.votes.find({ caseId: c.id, round: decision.round }))
    .map((v) => v.value)
    .filter((v) => decision.voters.includes(v.voter) && v.comment);
  // The school reads the panel's comments unattributed; the co-ordinator sees who said what.
  const forSchool = counted.map((v) => `• ${v.comment}`).join('\n');
  const forCoordinator = counted.map((v) => `• ${voterName(deps.directory, v)}: ${v.comment}`).join('\n');
  const tone: Tone = outcome === 'approved' ? 'good' : outcome === 'declined' ? 'attention' : 'warning';
  const notice = (next: string, comments: string, actions: CardAction[]) =>
    noticeCard({
      title: `${c.ref}: ${STATUS_LABELS[outcome]}`,
      facts: aboutCase(c),
      text: `${said}${comments ? " The panel's comments:" : ''}`,
      ...(comments ? { quote: comments } : {}),
      after: next,
      tone,
      actions,
    });
  const nextAction =
    outcome === 'changes_requested'
      ? action('Revise proposal', 'showForm', { caseId: c.id, form: 'propose' })
      : outcome === 'approved'
        ? action('Commission packages', 'showForm', { caseId: c.id, form: 'commission' })
        : action('Close case', 'showForm', { caseId: c.id, form: 'close' });
  return [
    ...owe.people([c.raisedBy], notice(NEXT[outcome].school, forSchool, openCaseAction(c))),
    ...owe.people(
      coordinatorIds(deps),
      notice(NEXT[outcome].coordinator, forCoordinator, [nextAction, ...openCaseAction(c)]),
    ),
    updatePanelCard(decision.id, c.id, decision.round, decision.decidedAt),
  ];
}

/**
 * Once the quorum is reached: one decision record per round (the first writer wins), then the case moves on and
 * the decision is announced once. A decision found already recorded is applied again (it may have been cut short),
 * and a vote it did not count is refused.
 */
async function settle(ctx: Ctx, c: CaseRecord, proposal: ProposalRecord, myVote: string): Promise<void> {
  const { deps } = ctx;
  const votes = (await deps.store.votes.find({ caseId: c.id, round: proposal.round })).map((v) => v.value);
  const outcome = decide(
    votes.map((v) => v.choice),
    deps.directory.panel,
  );
  if (!outcome) return;
  const decidedAt = deps.now().toISOString();
  const year = financialYearOf(londonDate(new Date(decidedAt)));
  const me = ctx.actor.person.aadObjectId;
  // An approval holds the money first: if the year's allocation cannot cover it, the decision is changes requested.
  const held =
    outcome === 'approved' ? await holdBudget(deps, year, c.id, proposal.totalPence, me) : undefined;
  let decision: DecisionRecord = {
    id: decisionId(c.id, proposal.round),
    caseId: c.id,
    round: proposal.round,
    outcome: held && !held.ok ? 'changes_requested' : outcome,
    tally: tally(votes.map((v) => v.choice)),
    voters: votes.map((v) => v.voter),
    decidedAt,
    ...(held && !held.ok ? { overBudgetPence: held.shortPence } : {}),
  };
  let created: Stored<DecisionRecord> | undefined;
  try {
    created = await deps.store.decisions.create(decision);
  } catch (e) {
    if (!isStoreError(e, 'exists')) throw e;
    decision = (await deps.store.decisions.get(decision.id))!.value;
  }
  // Another request recorded a different decision first: what this one held is not needed.
  if (held?.ok && decision.outcome !== 'approved' && held.before === undefined)
    await releaseBudget(deps, year, c.id, me);
  const owed = await announcements(deps, c, decision);
  const applied = await applyDecision(deps, c.id, decision, owed);
  if (applied === 'moved') {
    await audit(
      deps,
      ctx.actor,
      'decide',
      c.id,
      `${c.ref} ${decision.outcome} (${tallyText(decision.tally)})${decision.overBudgetPence ? `, over budget by ${decision.overBudgetPence}p` : ''}`,
      { before: 'proposed', after: decision.outcome },
    );
    deps.log.info({ ref: c.ref, outcome: decision.outcome }, 'panel decided');
    await sendTold(ctx, c.id, { all: owed });
  }
  if (applied === 'elsewhere') {
    // The case left the panel before this decision could take effect: it is no decision at all.
    if (created) await deps.store.decisions.remove(decision.id, created.eTag);
    if (held?.ok && held.before === undefined) await releaseBudget(deps, year, c.id, me);
    throw new EipError('moved_on', `${c.ref} left the panel a moment before your vote.`);
  }
  if (!decision.voters.includes(myVote)) {
    throw new EipError('moved_on', `The panel decided on ${c.ref} a moment before your vote.`);
  }
}

const REFUSALS_SHOWN_ON_CARD = new Set([
  'conflict_of_interest',
  'already_voted',
  'moved_on',
  'forbidden',
  'invalid_input',
]);

/** A panel member votes. Refusals come back on the panel card itself, so nobody loses the case from view. */
export const vote: Handler = async (ctx) => {
  const { deps, actor, req } = ctx;
  const { caseId, round } = panelRef(req.data);
  const stored = await loadCase(deps, caseId);
  const proposal = (await loadProposal(deps, caseId, round)).value;
  const me = actor.person;
  try {
    if (round !== stored.value.round)
      throw new EipError('moved_on', 'This proposal has been replaced by a revised one.');
    // A head not on the panel votes only in a seat they hold today as a substitute (from the stored substitutions and
    // the directory, never the card); seatFor says why not when they hold none on this case.
    const subs = await substitutions(deps);
    const standingIn =
      !hasRole(me, 'panel') && standingInFor(subs, me.aadObjectId, londonDate(deps.now())).length > 0;
    if (!standingIn) assertMay(me, 'vote', stored.value);
    const seat = await seatFor(ctx, stored.value, round, subs);
    // Permission before status (as assertMay): only someone holding a seat here learns the case has moved on.
    if (standingIn) assertBeforePanel(stored.value);
    const v = parseVote(req.data);
    const id = voteId(caseId, round, seatId(seat));
    const castAt = deps.now().toISOString();
    // The panel chat's card is brought up to date: owed with the vote, so a crash cannot lose it.
    const owed = [updatePanelCard(id, caseId, round, castAt)];
    try {
      await deps.store.votes.create({
        id,
        caseId,
        round,
        voter: seatId(seat),
        ...(seat.substituted ? { castBy: me.aadObjectId } : {}),
        choice: v.choice,
        comment: v.comment,
        castAt,
        outbox: owed,
      });
    } catch (e) {
      if (isStoreError(e, 'exists'))
        throw new EipError(
          'already_voted',
          seat.substituted ? `${seat.member.name}'s vote on this proposal has already been cast.` : undefined,
        );
      throw e;
    }
    await audit(
      deps,
      actor,
      'vote',
      caseId,
      `${stored.value.ref} round ${round}: ${v.choice}${seat.substituted ? ` (as substitute for ${seatId(seat)})` : ''}`,
    );
    try {
      await settle(ctx, stored.value, proposal, seatId(seat));
    } catch (e) {
      // The panel decided a moment before this vote: it was not counted, so it is not kept either.
      if (e instanceof EipError && e.code === 'moved_on') {
        const mine = await deps.store.votes.get(id);
        if (mine) await deps.store.votes.remove(id, mine.eTag);
      }
      throw e;
    }
    await sendTold(ctx, caseId, { panel: owed });
    const after = (await loadCase(deps, caseId)).value;
    const drawn = await panelContext(deps, after, proposal.round);
    return drawPanelCard(deps, drawn, proposal, me, {
      text: `Thank you: your vote to ${CHOICE_WORDS[v.choice]}${forWhom(seat)} is recorded.`,
      tone: 'good',
    });
  } catch (e) {
    if (!(e instanceof EipError) || !REFUSALS_SHOWN_ON_CARD.has(e.code)) throw e;
    // Someone who may not see the case at all gets the refusal alone, not the card.
    if (!mayOpen(me, stored.value) && !(await holdsSeatOn(deps, me, stored.value, round))) throw e;
    const text =
      e.code === 'invalid_input' ? e.problems.map((p) => `${p.field}: ${p.message}`).join(' ') : e.message;
    return panelCardFor(deps, (await loadCase(deps, caseId)).value, proposal, me, { text, tone: 'warning' });
  }
};

/** Per-user refresh: each member sees their own vote, or why they cannot vote. */
export const panelRefresh: Handler = async ({ deps, actor, req }) => {
  const { caseId, round } = panelRef(req.data);
  const c = (await loadCase(deps, caseId)).value;
  if (!mayOpen(actor.person, c) && !(await holdsSeatOn(deps, actor.person, c, round)))
    throw new EipError('forbidden', 'Only the panel, the co-ordinator and the school can see this case.');
  return panelCardFor(deps, c, (await loadProposal(deps, caseId, round)).value, actor.person);
};
