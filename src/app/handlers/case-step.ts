// The shape every case action shares: check the person may act on the case as it stands, parse their answers,
// write with optimistic concurrency, audit, tell whoever acts next, and show the case again.
import { assertMay, targetOf, type CaseRecord } from '../../domain';
import type { Card, CaseForm, Tone } from '../../cards';
import { caseRef } from '../action-data';
import { ACTION_OF_FORM, valuesOf } from '../forms';
import { formFor } from '../form-for';
import { audit, loadCase, saveCase } from '../records';
import { showCase } from './open-case';
import { orRefill, today, type Ctx, type Handler } from './context';

export interface Step<I> {
  form: CaseForm;
  /** Parses the form's answers; throws invalid_input to show the form again. */
  parse(data: Record<string, unknown>, today: string, c: CaseRecord, ctx: Ctx): I | Promise<I>;
  /** Checks that depend on more than the case, before anything is written. */
  precheck?(ctx: Ctx, c: CaseRecord): Promise<void>;
  apply(c: CaseRecord, input: I): CaseRecord;
  /**
   * Writes the records the step adds (an assessment, a proposal) before the case itself, so a case never moves on
   * without them; answers how to remove them again if the case cannot be saved.
   */
  prepare?(ctx: Ctx, next: CaseRecord, input: I): Promise<() => Promise<void>>;
  /** What the audit trail says (never a pupil's name). */
  detail(c: CaseRecord, input: I): string;
  /**
   * Tells people; answers the banner for the person who acted. `revert` puts the case back as it was and removes
   * what `prepare` wrote, for a step that cannot finish (the panel's chat unreachable, say).
   */
  after(
    ctx: Ctx,
    saved: CaseRecord,
    input: I,
    revert: () => Promise<void>,
  ): Promise<{ text: string; tone: Tone }>;
}

export function caseStep<I>(step: Step<I>): Handler {
  const actionName = ACTION_OF_FORM[step.form];
  return async (ctx) => {
    const { deps, actor, req } = ctx;
    const { caseId } = caseRef(req.data);
    const stored = await loadCase(deps, caseId);
    const c = stored.value;
    assertMay(actor.person, actionName, c);
    return orRefill(
      async (): Promise<Card> => {
        const input = await step.parse(req.data, today(ctx), c, ctx);
        await step.precheck?.(ctx, c);
        const next = { ...step.apply(c, input), status: targetOf(actionName, c) };
        const undo = (await step.prepare?.(ctx, next, input)) ?? (async () => undefined);
        let saved;
        try {
          saved = await saveCase(deps, stored, next);
        } catch (e) {
          await undo();
          throw e;
        }
        await audit(deps, actor, actionName, c.id, step.detail(saved.value, input), {
          before: c.status,
          after: saved.value.status,
        });
        deps.log.info({ ref: c.ref, action: actionName, status: saved.value.status }, 'case moved');
        const revert = async () => {
          await saveCase(deps, saved, c);
          await undo();
          await audit(deps, actor, `${actionName}-undone`, c.id, `${c.ref} put back to ${c.status}`, {
            before: saved.value.status,
            after: c.status,
          });
        };
        const banner = await step.after(ctx, saved.value, input, revert);
        return showCase(ctx, saved.value, banner);
      },
      (problems) => formFor(ctx, step.form, c, { values: valuesOf(req.data), problems }),
    );
  };
}

/** How the person who acted learns whether the next person was reached. */
export const reachedLine = (reached: number, who: string) =>
  reached > 0 ? ` ${who} has been told.` : ` ${who} will see it under My cases next time they open EIP bot.`;
