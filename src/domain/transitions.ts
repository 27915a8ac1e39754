// A case following a child to the next setting: the transfer record, when a transfer may be made, and which
// children the co-ordinator is reminded of in the summer term. Pure.
import { z } from 'zod';
import { addDays } from './dates';
import type { Term } from './directory';
import { CONSENT_MAX_AGE_DAYS, LIMITS, day, name, oneOf, parseWith, text } from './validation';
import {
  CONSENT_METHODS,
  YEAR_GROUPS,
  type CaseRecord,
  type ConsentMethod,
  type OwedMessage,
  type Phase,
  type YearGroup,
} from './types';

/** The parents' consent to this transfer: who gave it, when, and how. A transfer is refused without it. */
export interface TransferConsent {
  givenBy: string;
  date: string;
  method: ConsentMethod;
}

/** What was learned, for the receiving school: in the co-ordinator's words. */
export interface TransitionSummary {
  tried: string;
  worked: string;
  outcomes: string;
  needs: string;
}

/** A case transferred to the school the child moves to. One per case: its id is the case's. */
export interface TransferRecord {
  id: string;
  caseId: string;
  fromSchoolId: string;
  toSchoolId: string;
  consent: TransferConsent;
  summary: TransitionSummary;
  /** The case's documents the co-ordinator chose to send: the receiving school sees these and no others. */
  fileIds: string[];
  transferredBy: string;
  transferredAt: string;
  /**
   * The messages the transfer owes (the receiving school told), written in the same write as the transfer itself and
   * then copied to the outbox: a crash between the two delays the message, never loses it (see src/app/outbox).
   */
  outbox?: OwedMessage[];
  /**
   * Set when the co-ordinator withdraws the transfer (sent to the wrong school, say): from then the receiving school
   * sees nothing of it. The record itself is removed once the message saying so is in the outbox.
   */
  withdrawnAt?: string;
  withdrawnBy?: string;
}

/** A transfer that stands: made, and not withdrawn. */
export const isLiveTransfer = <T extends Pick<TransferRecord, 'withdrawnAt'>>(t: T | undefined): t is T =>
  t !== undefined && !t.withdrawnAt;

/**
 * The year groups that end a phase, by the kind of school: an early-years setting's children move on from Nursery
 * or Reception, a primary's from Year 6, a secondary's from Year 11 (and its sixth form's from Year 13); a special
 * school's at each of those points.
 */
export const LAST_YEARS: Record<Phase, readonly YearGroup[]> = {
  'early-years': ['Nursery', 'Reception'],
  primary: ['Year 6'],
  secondary: ['Year 11', 'Year 13'],
  special: ['Reception', 'Year 6', 'Year 11', 'Year 13'],
};

/** The academic year (its starting calendar year) a date falls in: September to August. */
export const academicYearOf = (isoDate: string): number => {
  const y = Number(isoDate.slice(0, 4));
  return Number(isoDate.slice(5, 7)) >= 9 ? y : y - 1;
};

/**
 * The year group a child is in today, from the year group the request named when it was raised: one more for each
 * September since. A class request's year group moves on the same way. Past Year 13 there is none.
 */
export function yearGroupNow(
  c: Pick<CaseRecord, 'raisedAt' | 'request'>,
  today: string,
): YearGroup | undefined {
  const moved = academicYearOf(today) - academicYearOf(c.raisedAt.slice(0, 10));
  return YEAR_GROUPS[YEAR_GROUPS.indexOf(c.request.yearGroup) + Math.max(0, moved)];
}

export const isLastYearOfPhase = (phase: Phase | undefined, year: YearGroup | undefined): boolean =>
  year !== undefined && (LAST_YEARS[phase ?? 'special'] as readonly string[]).includes(year);

/**
 * Whether a day is in the summer term: within a directory term named "Summer…" or between two of them (the half
 * term), in the same calendar year; with no summer terms in the directory, from 15 April to 31 July.
 */
export function isSummerTerm(day: string, terms: readonly Term[]): boolean {
  const year = day.slice(0, 4);
  const summer = terms.filter((t) => /summer/i.test(t.name) && t.start.slice(0, 4) === year);
  if (!summer.length) return day >= `${year}-04-15` && day <= `${year}-07-31`;
  const from = summer.map((t) => t.start).sort()[0]!;
  const to = summer.map((t) => t.end).sort()[summer.length - 1]!;
  return day >= from && day <= to;
}

/** A closed case counts as recent for a year after it closed. */
export const RECENT_DAYS = 365;

/** Open, or closed within the last year. */
export function isOpenOrRecent(c: Pick<CaseRecord, 'status' | 'closedAt'>, today: string): boolean {
  if (c.status !== 'closed') return true;
  if (!c.closedAt) return false;
  const days = (Date.parse(`${today}T12:00:00Z`) - Date.parse(c.closedAt)) / 86_400_000;
  return days <= RECENT_DAYS;
}

/** A child for whom a transition is due: an individual case, open or recent, in the last year of its school's phase. */
export function isTransitionDue(
  c: Pick<CaseRecord, 'status' | 'closedAt' | 'raisedAt' | 'request'>,
  phase: Phase | undefined,
  today: string,
): boolean {
  return (
    c.request.kind === 'individual' &&
    isOpenOrRecent(c, today) &&
    isLastYearOfPhase(phase, yearGroupNow(c, today))
  );
}

/**
 * Whether the co-ordinator may transfer this case now: it was closed because the child moved school, or the child is
 * in the last year of a phase and it is the summer term. Consent is checked with the transfer's answers.
 */
export function mayTransferNow(
  c: Pick<CaseRecord, 'status' | 'closedAt' | 'closureReason' | 'raisedAt' | 'request'>,
  phase: Phase | undefined,
  today: string,
  terms: readonly Term[],
): boolean {
  if (c.request.kind !== 'individual') return false;
  if (c.status === 'closed' && c.closureReason === 'moved-school') return true;
  return isSummerTerm(today, terms) && isTransitionDue(c, phase, today);
}

export const TRANSFER_LABELS: Record<string, string> = {
  toSchoolId: 'Receiving school',
  consentGivenBy: 'Consent given by',
  consentDate: 'Date consent given',
  consentMethod: 'How consent was given',
  tried: 'What was tried',
  worked: 'What worked',
  outcomes: 'Outcomes',
  needs: 'Current needs',
  fileIds: 'Documents to send',
};

export interface TransferInput {
  toSchoolId: string;
  consent: TransferConsent;
  summary: TransitionSummary;
  fileIds: string[];
}

/**
 * The co-ordinator's transfer answers. Without the parents' consent to the transfer (who, when, how) it is refused,
 * field by field; the school must be another one in the directory, and the documents the case's own.
 */
export function parseTransfer(
  input: unknown,
  today: string,
  schools: readonly string[],
  files: readonly string[],
): TransferInput {
  const schema = z.object({
    toSchoolId: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z
        .string({ error: 'Choose the school the child is moving to.' })
        .refine((s) => schools.includes(s), { error: 'Choose the school the child is moving to.' }),
    ),
    consentGivenBy: name(LIMITS.name, {
      missing: "Record who gave the parents' consent to the transfer. No transfer is made without it.",
      unreadable: 'The name must contain letters.',
    }),
    consentDate: day
      .refine((d) => d <= today, { error: 'The date consent was given cannot be in the future.' })
      .refine((d) => d >= addDays(today, -CONSENT_MAX_AGE_DAYS), {
        error: 'Consent must have been given in the last 12 months. Confirm it with the family again.',
      }),
    consentMethod: oneOf(CONSENT_METHODS, 'how consent was given'),
    tried: text(LIMITS.text),
    worked: text(LIMITS.text),
    outcomes: text(LIMITS.text),
    needs: text(LIMITS.text),
    fileIds: z.preprocess(
      (v) => (v === undefined || v === null ? '' : v),
      z
        .string({ error: 'Choose from the list of documents.' })
        .transform((s) => [
          ...new Set(
            s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          ),
        ])
        .refine((ids) => ids.every((id) => files.includes(id)), {
          error: 'Choose from the list of documents.',
        }),
    ),
  });
  const v = parseWith(schema, input, TRANSFER_LABELS);
  return {
    toSchoolId: v.toSchoolId,
    consent: { givenBy: v.consentGivenBy, date: v.consentDate, method: v.consentMethod },
    summary: { tried: v.tried, worked: v.worked, outcomes: v.outcomes, needs: v.needs },
    fileIds: v.fileIds,
  };
}

/**
 * The transition reminders due today: in the summer term, one to each co-ordinator, once a year (the key names the
 * year), when any child with an open or recent case is in the last year of their phase.
 */
export function transitionReminders(
  today: string,
  terms: readonly Term[],
  coordinators: readonly string[],
  children: number,
): { kind: 'transitions'; key: string; to: string; due: string; year: string }[] {
  if (!children || !isSummerTerm(today, terms)) return [];
  const year = today.slice(0, 4);
  return coordinators.map((id) => {
    const to = id.toLowerCase();
    return { kind: 'transitions', key: `transitions:${year}:${to}`, to, due: today, year };
  });
}
