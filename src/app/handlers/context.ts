import { EipError, londonDate } from '../../domain';
import type { Card } from '../../cards';
import type { Actor } from '../identity';
import type { ActionRequest, AppDeps } from '../ports';

export interface Ctx {
  deps: AppDeps;
  actor: Actor;
  req: ActionRequest;
}

/** One handler per card verb: it answers with the card that replaces the one pressed. */
export type Handler = (ctx: Ctx) => Promise<Card>;

export const today = (ctx: Ctx) => londonDate(ctx.deps.now());

/** Runs a form's submission; if the answers are refused, shows the form again with them and what to fix. */
export async function orRefill(
  submit: () => Promise<Card>,
  refill: (problems: EipError['problems']) => Card | Promise<Card>,
): Promise<Card> {
  try {
    return await submit();
  } catch (e) {
    if (e instanceof EipError && e.code === 'invalid_input') return refill(e.problems);
    throw e;
  }
}
