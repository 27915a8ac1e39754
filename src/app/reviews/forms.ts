// Outcome reviews: moving their dates, and recording progress against each expected outcome.
import {
  EipError,
  LIMITS,
  PROGRESS_LEVELS,
  PROGRESS_LABELS,
  REVIEW_DATE_LABELS,
  REVIEW_KINDS,
  expectedOutcomes,
  outcomeLabels,
  showDate,
  type CaseRecord,
  type ReviewKind,
  type ReviewRecord,
} from '../../domain';
import { action, formCard, type Field } from '../../cards';
import type { CaseFormBuilder } from '../form-for';
import { currentProposal } from '../records';
import type { AppDeps } from '../ports';

const back = (c: CaseRecord) => action('Back to case', 'openCase', { caseId: c.id });

export const REVIEW_NAMES: Record<ReviewKind, string> = { interim: 'Interim review', final: 'Final review' };

export async function reviewsOf(deps: AppDeps, caseId: string): Promise<ReviewRecord[]> {
  return (await deps.store.reviews.find({ caseId }))
    .map((r) => r.value)
    .sort((a, b) => REVIEW_KINDS.indexOf(a.kind) - REVIEW_KINDS.indexOf(b.kind));
}

/** The review an outcome is for: the one named, or the next one still open. */
export async function reviewToRecord(deps: AppDeps, c: CaseRecord, kind?: string): Promise<ReviewRecord> {
  const reviews = await reviewsOf(deps, c.id);
  const review = kind ? reviews.find((r) => r.kind === kind) : reviews.find((r) => r.status === 'open');
  if (!review) throw new EipError('moved_on', `${c.ref} has no outcome review waiting to be recorded.`);
  if (review.status === 'done')
    throw new EipError('moved_on', `The ${review.kind} review of ${c.ref} is recorded already.`);
  return review;
}

export const reviewsForm: CaseFormBuilder = async (ctx, c, subject, values, problems) => {
  const reviews = await reviewsOf(ctx.deps, c.id);
  const fields: Field[] = reviews.map((r): Field =>
    r.status === 'done'
      ? { kind: 'note', label: `${REVIEW_NAMES[r.kind]}: recorded (was due ${showDate(r.due)}).` }
      : {
          kind: 'date',
          id: r.kind,
          label: REVIEW_DATE_LABELS[r.kind],
          required: true,
          value: values[r.kind] ?? r.due,
        },
  );
  return formCard({
    title: 'Move the review dates',
    subtitle: `${c.ref} · ${subject}. The school is told the new dates.`,
    problems,
    fields,
    actions: [action('Save review dates', 'moveReviews', { caseId: c.id }, 'positive'), back(c)],
  });
};

export const outcomeForm: CaseFormBuilder = async (ctx, c, subject, values, problems) => {
  const review = await reviewToRecord(ctx.deps, c, values.review);
  const outcomes = expectedOutcomes((await currentProposal(ctx.deps, c)).outcomes);
  const labels = outcomeLabels(outcomes.length);
  const v = (id: string) => values[id] ?? '';
  const levels = PROGRESS_LEVELS.map((l) => ({ title: PROGRESS_LABELS[l], value: l }));
  return formCard({
    title: `Record the ${review.kind} review`,
    subtitle: `${c.ref} · ${subject}. Due ${showDate(review.due)}.`,
    problems,
    fields: [
      { kind: 'heading', label: 'Progress against each expected outcome' },
      ...outcomes.flatMap((o, n): Field[] => [
        { kind: 'note', label: `${n + 1}. ${o}` },
        {
          kind: 'choice',
          id: `progress${n + 1}`,
          label: labels[`progress${n + 1}`]!,
          choices: levels,
          required: true,
          value: v(`progress${n + 1}`),
        },
      ]),
      { kind: 'heading', label: 'Scores (optional)' },
      {
        kind: 'text',
        id: 'measure',
        label: labels.measure!,
        maxLength: LIMITS.name,
        placeholder: 'e.g. SDQ total difficulties, or Boxall profile',
        value: v('measure'),
      },
      { kind: 'number', id: 'baseline', label: labels.baseline!, min: 0, max: 1000, value: v('baseline') },
      { kind: 'number', id: 'end', label: labels.end!, min: 0, max: 1000, value: v('end') },
      { kind: 'heading', label: 'Notes' },
      {
        kind: 'text',
        id: 'notes',
        label: labels.notes!,
        multiline: true,
        maxLength: LIMITS.text,
        required: true,
        value: v('notes'),
      },
    ],
    actions: [
      action('Save review', 'recordOutcome', { caseId: c.id, review: review.kind }, 'positive'),
      back(c),
    ],
  });
};
