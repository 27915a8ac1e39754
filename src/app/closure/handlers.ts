// Closing: a reason and a note; money committed but not spent goes back to the year's budget. Reopening, once,
// takes the money back again if it is still there.
import {
  CLOSURE_LABELS,
  EipError,
  STATUS_LABELS,
  formatPence,
  parseClosure,
  parseReopen,
} from '../../domain';
import { noticeCard } from '../../cards';
import { holdBudget, undoHold } from '../budget/holds';
import { caseStep, reachedLine } from '../handlers/case-step';
import { aboutCase, openCaseAction } from '../views';
import { caseMoney } from '../records';

export const close = caseStep({
  form: 'close',
  parse: async (data, _today, c, ctx) => {
    const input = parseClosure(data);
    const { spent } = await caseMoney(ctx.deps, c.id);
    return { ...input, spent, at: ctx.deps.now().toISOString() };
  },
  apply: (c, i) => ({
    ...c,
    closureReason: i.reason,
    closureNote: i.note,
    closedFrom: c.status,
    closedAt: i.at,
  }),
  prepare: async ({ deps, actor }, c, i) => {
    const year = c.budgetYear;
    if (!year || c.closedFrom !== 'commissioned') return async () => undefined;
    // What the case keeps committed is what it spent; the rest is available again.
    const by = actor.person.aadObjectId;
    const held = await holdBudget(deps, year, c.id, i.spent, by, true);
    const before = held.ok ? held.before : undefined;
    return undoHold(deps, c, year, before, by);
  },
  detail: (c, i) => `${c.ref} closed: ${i.reason}`,
  tell: (_ctx, c, i, owe) => ({
    school: owe.people(
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} closed`,
        facts: [...aboutCase(c), { title: 'Reason', value: CLOSURE_LABELS[i.reason] }],
        text: 'The EIP co-ordinator has closed the case with this note:',
        quote: i.note,
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: (_ctx, _c, i, reach) => ({
    text: `Case closed: ${CLOSURE_LABELS[i.reason].toLowerCase()}.${reachedLine(reach.school, 'The school')}`,
    tone: 'good',
  }),
});

export const reopen = caseStep({
  form: 'reopen',
  parse: async (data, _today, c, ctx) => {
    const input = parseReopen(data);
    const { agreed, spent } = await caseMoney(ctx.deps, c.id);
    return { ...input, need: Math.max(agreed, spent), at: ctx.deps.now().toISOString() };
  },
  apply: (c, i) => {
    const { closureReason: _r, closureNote: _n, closedAt: _a, ...rest } = c;
    return { ...rest, reopenReason: i.reason, reopenedAt: i.at };
  },
  prepare: async ({ deps, actor }, c, i) => {
    const year = c.budgetYear;
    if (!year || c.status !== 'commissioned') return async () => undefined;
    const by = actor.person.aadObjectId;
    const held = await holdBudget(deps, year, c.id, i.need, by);
    if (!held.ok) {
      throw new EipError(
        'moved_on',
        `Reopening needs ${formatPence(i.need)} committed again in ${year}, but only ${formatPence(held.availablePence)} is available. Nothing has changed.`,
      );
    }
    return undoHold(deps, c, year, held.before, by);
  },
  detail: (c) => `${c.ref} reopened to ${c.status}`,
  tell: (_ctx, c, i, owe) => ({
    school: owe.people(
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} reopened`,
        facts: aboutCase(c),
        text: `The EIP co-ordinator has reopened the case (${STATUS_LABELS[c.status].toLowerCase()}):`,
        quote: i.reason,
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: (_ctx, _c, _i, reach) => ({
    text: `Case reopened.${reachedLine(reach.school, 'The school')}`,
    tone: 'good',
  }),
});
