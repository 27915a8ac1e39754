// Outcome reviews: an interim review six weeks into the support and a final one at the date the panel approved.
import { z } from 'zod';
import { addDays } from './dates';
import { EipError, type FieldProblem } from './errors';
import { PROGRESS_LEVELS, type ProgressLevel, type ReviewKind } from './types';
import { LIMITS, day, oneOf, parseWith, text } from './validation';

export const INTERIM_AFTER_DAYS = 42;
const MAX_OUTCOMES = 6;

/** The review dates of newly commissioned support: interim at week 6 (when that is before the final review). */
export function reviewDatesFor(firstStart: string, finalDue: string): { kind: ReviewKind; due: string }[] {
  const interim = addDays(firstStart, INTERIM_AFTER_DAYS);
  return [
    ...(interim < finalDue ? [{ kind: 'interim' as const, due: interim }] : []),
    { kind: 'final', due: finalDue },
  ];
}

/** The proposal's expected outcomes, one per line (bullets and numbering dropped), so each can be rated. */
export function expectedOutcomes(outcomes: string): string[] {
  const lines = outcomes
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter(Boolean);
  if (lines.length === 0) return [outcomes.trim()];
  if (lines.length > MAX_OUTCOMES)
    return [...lines.slice(0, MAX_OUTCOMES - 1), lines.slice(MAX_OUTCOMES - 1).join('; ')];
  return lines;
}

export const REVIEW_DATE_LABELS: Record<ReviewKind, string> = {
  interim: 'Interim review date',
  final: 'Final review date',
};

/** New dates for the reviews still open: not before the support starts, the final one last, within two years. */
export function parseReviewDates(
  input: unknown,
  open: readonly ReviewKind[],
  firstStart: string,
): Partial<Record<ReviewKind, string>> {
  const shape: Record<string, z.ZodType> = {};
  for (const kind of open) {
    shape[kind] = day
      .refine((d) => d >= firstStart, {
        error: `A review cannot be before the support starts (${firstStart}).`,
      })
      .refine((d) => d <= addDays(firstStart, 730), { error: 'Keep reviews within two years of the start.' });
  }
  const v = parseWith(z.object(shape), input, REVIEW_DATE_LABELS) as Partial<Record<ReviewKind, string>>;
  if (v.interim && v.final && v.interim >= v.final) {
    throw new EipError('invalid_input', undefined, [
      { field: REVIEW_DATE_LABELS.interim, message: 'The interim review must come before the final review.' },
    ]);
  }
  return v;
}

export interface OutcomeInput {
  progress: { outcome: string; level: ProgressLevel }[];
  measure?: string;
  baseline?: number;
  end?: number;
  notes: string;
}

export const outcomeLabels = (n: number): Record<string, string> => {
  const labels: Record<string, string> = {
    measure: 'Measure (optional)',
    baseline: 'Baseline score',
    end: 'End score',
    notes: 'Notes agreed with the SENCo',
  };
  for (let j = 1; j <= n; j += 1) labels[`progress${j}`] = `Outcome ${j}: progress`;
  return labels;
};

const score = z
  .union([z.string(), z.number()])
  .optional()
  .transform((x) => (x === undefined ? '' : String(x).trim()))
  .refine((x) => x === '' || (/^\d{1,4}(\.\d)?$/.test(x) && Number(x) <= 1000), {
    error: 'Enter a score from 0 to 1000, or leave it blank.',
  })
  .transform((x) => (x === '' ? undefined : Number(x)));

/** Progress against each expected outcome, optional scores on a named measure, and notes agreed with the SENCo. */
export function parseOutcome(input: unknown, outcomes: readonly string[]): OutcomeInput {
  const shape: Record<string, z.ZodType> = {
    measure: text(LIMITS.name, false).default(''),
    baseline: score,
    end: score,
    notes: text(LIMITS.text),
  };
  outcomes.forEach((_, n) => {
    shape[`progress${n + 1}`] = oneOf(PROGRESS_LEVELS, 'how far this outcome was met');
  });
  const labels = outcomeLabels(outcomes.length);
  const v = parseWith(z.object(shape), input, labels) as Record<string, unknown>;
  const measure = v.measure as string;
  const baseline = v.baseline as number | undefined;
  const end = v.end as number | undefined;
  const problems: FieldProblem[] = [];
  if ((baseline !== undefined || end !== undefined) && measure === '')
    problems.push({ field: labels.measure!, message: 'Name the measure the scores come from, such as SDQ.' });
  if (measure !== '' && baseline === undefined && end === undefined)
    problems.push({
      field: labels.baseline!,
      message: 'Enter at least one score for the measure, or clear it.',
    });
  if (problems.length) throw new EipError('invalid_input', undefined, problems);
  return {
    progress: outcomes.map((outcome, n) => ({ outcome, level: v[`progress${n + 1}`] as ProgressLevel })),
    ...(measure ? { measure } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(end !== undefined ? { end } : {}),
    notes: v.notes as string,
  };
}
