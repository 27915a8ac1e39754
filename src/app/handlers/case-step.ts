// The shape every case action shares: check the person may act on the case as it stands, parse their answers,
// write with optimistic concurrency (with the messages the change owes: see ../outbox), audit, tell whoever acts
// next, and show the case again.
import { randomUUID } from 'node:crypto';
import { assertMay, targetOf, type CaseRecord, type OwedMessage } from '../../domain';
import type { Card, CaseForm, Tone } from '../../cards';
import { postPanelCard, tellEach } from '../outbox/messages';
import { deliver, enqueue, reachOf, reachable, settleOwed, type Reach } from '../outbox/outbox';
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
   * Who is told what once the change is saved, in named groups ("school", "panel"). The messages are written with
   * the change itself, so a crash can delay them but never lose them.
   */
  tell?(ctx: Ctx, next: CaseRecord, input: I, owe: Owe): Told | Promise<Told>;
  /** The banner for the person who acted, knowing how many of each group were reached. */
  after(
    ctx: Ctx,
    saved: CaseRecord,
    input: I,
    reach: Record<string, Reach>,
  ): { text: string; tone: Tone } | Promise<{ text: string; tone: Tone }>;
}

export type Told = Record<string, OwedMessage[]>;

/** Builds the messages one change owes, each keyed by the change so it can only be owed once. */
export interface Owe {
  /** A card to each of these people's 1:1 chats. */
  people(to: readonly string[], card: Card): OwedMessage[];
  /** The proposal of this round, posted to the panel chat. */
  panelCard(caseId: string, round: number): OwedMessage;
}

export function oweFor(change: string, at: string): Owe {
  return {
    people: (to, card) => tellEach(change, at, to, card),
    panelCard: (caseId, round) => postPanelCard(caseId, round, at),
  };
}

/** Saves what a change owes and sends it; answers, per group, how many were reached now and how many are owed. */
export async function sendTold(ctx: Ctx, caseId: string, told: Told): Promise<Record<string, Reach>> {
  const owed = Object.values(told).flat();
  const pump = ctx.deps.outbox;
  if (pump) {
    // The person who acted is answered now; the messages, saved with the change, go out straight after.
    // Copied to the outbox first, so the case card can tell a message on its way from one that failed.
    const groups = Object.entries(told);
    const [created, ...reaches] = await Promise.all([
      enqueue(ctx.deps, owed, caseId),
      ...groups.map(([, v]) => reachable(ctx.deps, v)),
    ]);
    pump.later(() =>
      deliver(
        ctx.deps,
        owed.map((o) => o.id),
        created as Awaited<ReturnType<typeof enqueue>>,
      ),
    );
    pump.kick();
    return Object.fromEntries(groups.map(([k], i) => [k, reaches[i] as Reach]));
  }
  let states = new Map<string, 'pending'>();
  try {
    states = (await settleOwed(ctx.deps, owed, caseId)) as typeof states;
  } catch (e) {
    // The change is saved and so are its messages: the dispatcher sends them when the store answers again.
    ctx.deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'messages left owed');
    states = new Map(owed.map((o) => [o.id, 'pending']));
  }
  return Object.fromEntries(Object.entries(told).map(([k, v]) => [k, reachOf(v, states)]));
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
        const owe = oweFor(`${c.id}:${actionName}:${randomUUID().slice(0, 8)}`, deps.now().toISOString());
        const told = (await step.tell?.(ctx, next, input, owe)) ?? {};
        let saved;
        try {
          saved = await saveCase(deps, stored, next, Object.values(told).flat());
        } catch (e) {
          await undo();
          throw e;
        }
        deps.log.info({ ref: c.ref, action: actionName, status: saved.value.status }, 'case moved');
        // The audit entry and the outbox copy are independent writes: made together, they cost one round trip.
        const [, reach] = await Promise.all([
          audit(deps, actor, actionName, c.id, step.detail(saved.value, input), {
            before: c.status,
            after: saved.value.status,
          }),
          sendTold(ctx, c.id, told),
        ]);
        const banner = await step.after(ctx, saved.value, input, reach);
        return showCase(ctx, saved.value, banner);
      },
      (problems) => formFor(ctx, step.form, c, { values: valuesOf(req.data), problems }),
    );
  };
}

/** How the person who acted learns whether the next person was reached. */
export const reachedLine = (reach: Reach | undefined, who: string) =>
  reach && reach.sent > 0
    ? ` ${who} has been told.`
    : reach && reach.sending > 0
      ? ` ${who} is being told.`
      : reach && reach.later > 0
        ? ` ${who} will be told as soon as Teams answers.`
        : ` ${who} will see it under My cases next time they open EIP bot.`;
