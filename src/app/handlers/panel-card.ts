// The panel's card of a proposal: everything it shows is read once, in parallel, and each copy (the one everyone
// shares, and each member's own view) is drawn from that read.
import type { CaseRecord, Person, ProposalRecord } from '../../domain';
import { panelCard, type Card, type Tone } from '../../cards';
import { budgetNow } from '../budget/holds';
import { voterIds } from '../messenger';
import type { AppDeps } from '../ports';
import { loadCaseFile, type CaseFile } from '../records';
import { panelView, type BudgetNow } from '../views';

/** What every copy of a proposal's panel card is drawn from, read once and in parallel. */
export interface PanelContext {
  file: CaseFile;
  budget: BudgetNow;
  userIds: string[];
}

export async function panelContext(deps: AppDeps, c: CaseRecord, round: number): Promise<PanelContext> {
  const [file, budget, userIds] = await Promise.all([
    loadCaseFile(deps, c, round),
    budgetNow(deps),
    voterIds(deps, c.schoolId),
  ]);
  return { file, budget, userIds };
}

/** The panel card for one viewer (or, without one, the copy everyone shares). */
export function drawPanelCard(
  deps: AppDeps,
  ctx: PanelContext,
  proposal: ProposalRecord,
  viewer?: Person,
  note?: { text: string; tone: Tone },
): Card {
  const view = panelView({ ...ctx.file, proposal }, deps.directory, viewer, note, ctx.budget);
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
