// Opens any case form, fresh or refilled after a refusal. Forms after the panel's decision need more than the case
// (providers, packages, reviews), so each capability builds its own; this is the one place that knows them all.
import type { Card } from '../cards';
import type { CaseForm } from '../cards';
import type { CaseRecord, FieldProblem } from '../domain';
import { caseForm, type Values } from './forms';
import { subjectFor } from './views';
import type { Ctx } from './handlers/context';
import { commissionForm, spendForm } from './commissioning/forms';
import { outcomeForm, reviewsForm } from './reviews/forms';
import { closeForm, reopenForm } from './closure/forms';
import { providerDirectory } from './providers/directory';

export interface FormState {
  values?: Values;
  problems?: FieldProblem[];
  /** Lines shown above the fields, such as the panel's comments on a proposal to revise. */
  lead?: string[];
}

export async function formFor(ctx: Ctx, form: CaseForm, c: CaseRecord, state: FormState = {}): Promise<Card> {
  const subject = subjectFor(ctx.actor.person, c);
  const { values = {}, problems = [], lead = [] } = state;
  switch (form) {
    case 'commission':
      return commissionForm(ctx, c, subject, values, problems);
    case 'spend':
      return spendForm(ctx, c, subject, values, problems);
    case 'moveReviews':
      return reviewsForm(ctx, c, subject, values, problems);
    case 'recordOutcome':
      return outcomeForm(ctx, c, subject, values, problems);
    case 'close':
      return closeForm(ctx, c, subject, values, problems);
    case 'reopen':
      return reopenForm(ctx, c, subject, values, problems);
    case 'propose':
      return caseForm(form, c, subject, values, problems, lead, await providerDirectory(ctx.deps));
    default:
      return caseForm(form, c, subject, values, problems, lead);
  }
}
