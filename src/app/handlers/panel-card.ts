// The panel's card of a proposal: everything it shows is read once, in parallel, and each copy (the one everyone
// shares, and each member's own view) is drawn from that read.
import {
  hasRole,
  londonDate,
  seatsFor,
  runningFor,
  seatsOf,
  type CaseRecord,
  type Person,
  type ProposalRecord,
  type SubstitutionRecord,
} from '../../domain';
import { panelCard, type Card, type Tone } from '../../cards';
import { budgetNow } from '../budget/holds';
import { teamsUserIds, voterIds } from '../messenger';
import type { AppDeps } from '../ports';
import { loadCaseFile, type CaseFile } from '../records';
import { panelView, type BudgetNow, type Standing } from '../views';
import { substitutions } from '../panel/state';

/** What every copy of a proposal's panel card is drawn from, read once and in parallel. */
export interface PanelContext {
  file: CaseFile;
  budget: BudgetNow;
  userIds: string[];
  /** Panel members away, and who votes for them. */
  subs: SubstitutionRecord[];
}

export async function panelContext(deps: AppDeps, c: CaseRecord, round: number): Promise<PanelContext> {
  const [file, budget, members, subs] = await Promise.all([
    loadCaseFile(deps, c, round),
    budgetNow(deps),
    voterIds(deps, c.schoolId),
    substitutions(deps),
  ]);
  // Heads standing in for a member today refresh to their own view too, when they are in the panel's chat.
  const standIns = seatsFor(deps.directory.people, subs, c.schoolId, londonDate(deps.now()))
    .filter((s) => s.substituted && s.voter && !hasRole(s.voter, 'panel'))
    .map((s) => s.voter!.aadObjectId);
  const userIds = standIns.length
    ? [...new Set([...members, ...(await teamsUserIds(deps, standIns))])]
    : members;
  return { file, budget, userIds, subs };
}

/** The panel card for one viewer (or, without one, the copy everyone shares). */
export function drawPanelCard(
  deps: AppDeps,
  ctx: PanelContext,
  proposal: ProposalRecord,
  viewer?: Person,
  note?: { text: string; tone: Tone },
): Card {
  const today = londonDate(deps.now());
  // A panel member's own view knows the seats they vote in today, or that someone else holds their vote.
  const standing: Standing | undefined =
    viewer && ctx.subs.length
      ? {
          seats: seatsOf(viewer, deps.directory.people, ctx.subs, ctx.file.case.schoolId, today),
          away: runningFor(ctx.subs, viewer.aadObjectId, today),
        }
      : undefined;
  const view = panelView({ ...ctx.file, proposal }, deps.directory, viewer, note, ctx.budget, standing);
  return panelCard({ ...view, userIds: ctx.userIds });
}

export async function panelCardFor(
  deps: AppDeps,
  c: CaseRecord,
  proposal: ProposalRecord,
  viewer?: Person,
  note?: { text: string; tone: Tone },
): Promise<Card> {
  return drawPanelCard(deps, await panelContext(deps, c, proposal.round), proposal, viewer, note);
}
