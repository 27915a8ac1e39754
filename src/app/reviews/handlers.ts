// Outcome reviews: the co-ordinator moves their dates or records what the support achieved; the school is copied.
import { z } from 'zod';
import {
  type ReviewKind,
  EipError,
  PROGRESS_LABELS,
  REVIEW_KINDS,
  expectedOutcomes,
  parseOutcome,
  parseReviewDates,
  showDate,
} from '../../domain';
import { noticeCard } from '../../cards';
import { caseStep, reachedLine, type Told } from '../handlers/case-step';
import { currentProposal, putRecord, undoAll } from '../records';
import { aboutCase, openCaseAction, withoutStop } from '../views';
import { REVIEW_NAMES, reviewToRecord, reviewsOf } from './forms';

export const moveReviews = caseStep({
  form: 'moveReviews',
  parse: async (data, _today, c, ctx) => {
    const reviews = await reviewsOf(ctx.deps, c.id);
    const open = reviews.filter((r) => r.status === 'open');
    if (open.length === 0) throw new EipError('moved_on', `${c.ref} has no reviews left to move.`);
    const packages = (await ctx.deps.store.packages.find({ caseId: c.id })).map((p) => p.value);
    const firstStart = packages.map((p) => p.startDate).sort()[0] ?? c.raisedAt.slice(0, 10);
    const dates = parseReviewDates(
      data,
      open.map((r) => r.kind),
      firstStart,
    );
    const done = reviews.find((r) => r.status === 'done' && r.kind === 'interim');
    if (done && dates.final && dates.final <= done.due) {
      throw new EipError('invalid_input', undefined, [
        { field: 'Final review date', message: 'The final review must come after the interim review.' },
      ]);
    }
    const moved = open
      .filter((r) => dates[r.kind] && dates[r.kind] !== r.due)
      .map((r) => ({
        ...r,
        due: dates[r.kind]!,
        updatedBy: ctx.actor.person.aadObjectId,
        updatedAt: ctx.deps.now().toISOString(),
      }));
    return { moved };
  },
  apply: (c) => c,
  prepare: async ({ deps }, _c, i) => {
    const undo: (() => Promise<void>)[] = [];
    for (const r of i.moved) undo.push(await putRecord(deps, deps.store.reviews, r));
    return undoAll(undo);
  },
  detail: (c, i) =>
    `${c.ref} reviews moved: ${i.moved.map((r) => `${r.kind} ${r.due}`).join(', ') || 'none'}`,
  tell: (_ctx, c, i, owe): Told =>
    i.moved.length === 0
      ? {}
      : {
          school: owe.people(
            [c.raisedBy],
            noticeCard({
              title: `${c.ref}: review dates moved`,
              facts: aboutCase(c),
              text: `The EIP co-ordinator has moved the outcome reviews. ${movedLine(i.moved)}.`,
              actions: openCaseAction(c),
            }),
          ),
        },
  after: (_ctx, _c, i, reach) =>
    i.moved.length === 0
      ? { text: 'The review dates are unchanged.', tone: 'default' }
      : {
          text: `Review dates saved. ${movedLine(i.moved)}.${reachedLine(reach.school, 'The school')}`,
          tone: 'good',
        },
});

const movedLine = (moved: readonly { kind: ReviewKind; due: string }[]) =>
  moved.map((r) => `${REVIEW_NAMES[r.kind]}: ${showDate(r.due)}`).join('; ');

const reviewKind = (data: Record<string, unknown>) => {
  const r = z.object({ review: z.enum(REVIEW_KINDS) }).safeParse(data);
  if (!r.success) throw new EipError('moved_on', 'That card is out of date. Open the case and try again.');
  return r.data.review;
};

export const recordOutcome = caseStep({
  form: 'recordOutcome',
  parse: async (data, _today, c, ctx) => {
    const review = await reviewToRecord(ctx.deps, c, reviewKind(data));
    const outcomes = expectedOutcomes((await currentProposal(ctx.deps, c)).outcomes);
    const outcome = parseOutcome(data, outcomes);
    const at = ctx.deps.now().toISOString();
    const by = ctx.actor.person.aadObjectId;
    return {
      review: {
        ...review,
        status: 'done' as const,
        outcome: { ...outcome, recordedBy: by, recordedAt: at },
        updatedBy: by,
        updatedAt: at,
      },
    };
  },
  apply: (c) => c,
  prepare: async ({ deps }, _c, i) => putRecord(deps, deps.store.reviews, i.review),
  detail: (c, i) =>
    `${c.ref} ${i.review.kind} review recorded: ${i.review.outcome.progress.map((p) => p.level).join(', ')}`,
  tell: (_ctx, c, i, owe) => {
    const o = i.review.outcome;
    const lines = [
      ...o.progress.map((p) => `• ${withoutStop(p.outcome)}: ${PROGRESS_LABELS[p.level]}`),
      ...(o.measure
        ? [`• ${o.measure}: ${o.baseline ?? 'no baseline'} at the start, ${o.end ?? 'no score'} at review`]
        : []),
      `Notes: ${o.notes}`,
    ].join('\n');
    return {
      school: owe.people(
        [c.raisedBy],
        noticeCard({
          title: `${c.ref}: ${i.review.kind} review recorded`,
          facts: aboutCase(c),
          text: 'The EIP co-ordinator has recorded the outcomes agreed with you:',
          quote: lines,
          actions: openCaseAction(c),
        }),
      ),
    };
  },
  after: (_ctx, _c, i, reach) => {
    const next = i.review.kind === 'final' ? ' When the school agrees, close the case with a reason.' : '';
    return { text: `Review saved.${next}${reachedLine(reach.school, 'The school')}`, tone: 'good' };
  },
});
