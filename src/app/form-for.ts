// Opens any case form, fresh or refilled after a refusal. Forms after the panel's decision need more than the case
// (providers, packages, reviews), so each capability builds its own; this is the one place that knows them all.
import type { Card, CaseForm } from '../cards';
import type { CaseRecord, FieldProblem } from '../domain';
import { caseForm, type EarlyForm, type Values } from './forms';
import { subjectFor } from './views';
import type { Ctx } from './handlers/context';
import { commissionForm, spendForm } from './commissioning/forms';
import { outcomeForm, reviewsForm } from './reviews/forms';
import { closeForm, reopenForm } from './closure/forms';
import { providerDirectory } from './providers/directory';

/** A form that needs more than the case to build: it loads what it shows. */
export type CaseFormBuilder = (
  ctx: Ctx,
  c: CaseRecord,
  subject: string,
  values: Values,
  problems: FieldProblem[],
) => Promise<Card>;

export interface FormState {
  values?: Values;
  problems?: FieldProblem[];
  /** Lines shown above the fields, such as the panel's comments on a proposal to revise. */
  lead?: string[];
}

/** The forms after the panel's decision, each built by its capability. */
const LATER_FORMS: Record<Exclude<CaseForm, EarlyForm>, CaseFormBuilder> = {
  commission: commissionForm,
  spend: spendForm,
  moveReviews: reviewsForm,
  recordOutcome: outcomeForm,
  close: closeForm,
  reopen: reopenForm,
};

const isEarly = (form: CaseForm): form is EarlyForm => !(form in LATER_FORMS);

export async function formFor(ctx: Ctx, form: CaseForm, c: CaseRecord, state: FormState = {}): Promise<Card> {
  const subject = subjectFor(ctx.actor.person, c);
  const { values = {}, problems = [], lead = [] } = state;
  if (!isEarly(form)) return LATER_FORMS[form](ctx, c, subject, values, problems);
  const providers = form === 'propose' ? await providerDirectory(ctx.deps) : [];
  return caseForm(form, c, subject, values, problems, lead, providers);
}
