import { EipError, assertMay, formatPence, maySeeNamed } from '../../domain';
import { caseCard, type Card } from '../../cards';
import { ACTION_OF_FORM, proposalValues } from '../forms';
import { formFor } from '../form-for';
import { audit, loadCase, loadCaseFile } from '../records';
import { caseView } from '../views';
import { caseRef, formRef } from '../action-data';
import { mayOpen } from './my-cases';
import { today, type Ctx, type Handler } from './context';
import type { CaseRecord } from '../../domain';
import type { Tone } from '../../cards';

/** The case card for this viewer. Every read of a named record is audited. */
export async function showCase(
  ctx: Ctx,
  c: CaseRecord,
  banner?: { text: string; tone: Tone },
): Promise<Card> {
  const { deps, actor } = ctx;
  if (!mayOpen(actor.person, c))
    throw new EipError('forbidden', "That case belongs to another school, so you can't open it.");
  // Reading the case's records and auditing the read go together.
  const [file] = await Promise.all([
    loadCaseFile(deps, c),
    maySeeNamed(actor.person, c) ? audit(deps, actor, 'view', c.id, `${c.ref} opened`) : undefined,
  ]);
  const view = caseView(actor.person, file, deps.directory, today(ctx));
  return caseCard({ ...view, ...(banner ? { banner } : {}) });
}

export const openCase: Handler = async (ctx) => {
  const { caseId } = caseRef(ctx.req.data);
  return showCase(ctx, (await loadCase(ctx.deps, caseId)).value);
};

/** Opens the form behind a case button, if the case still waits on this person. */
export const showForm: Handler = async (ctx) => {
  const { form, caseId, review } = formRef(ctx.req.data);
  const c = (await loadCase(ctx.deps, caseId)).value;
  assertMay(ctx.actor.person, ACTION_OF_FORM[form], c);
  if (maySeeNamed(ctx.actor.person, c))
    await audit(ctx.deps, ctx.actor, 'view', c.id, `${c.ref} form ${form} opened`);
  if (form === 'propose' && c.status === 'changes_requested') {
    // A revision starts from the proposal the panel saw, with what the panel said above it.
    const file = await loadCaseFile(ctx.deps, c);
    const comments = file.votes
      .filter((vote) => vote.comment)
      .map((vote) => `${ctx.deps.directory.person(vote.voter)?.name ?? 'A panel member'}: ${vote.comment}`);
    const over = file.decision?.overBudgetPence;
    const lead = [
      ...(over ? [`The panel approved, but the budget was ${formatPence(over)} short.`] : []),
      ...(comments.length ? ['The panel said:', ...comments] : []),
    ];
    return formFor(ctx, form, c, { values: file.proposal ? proposalValues(file.proposal) : {}, lead });
  }
  return formFor(ctx, form, c, { values: review ? { review } : {} });
};
