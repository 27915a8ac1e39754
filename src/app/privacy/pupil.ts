// Who a case is about, from what it holds: a pupil's name, school, and year group on the day it was raised. No date
// of birth is held, so the year group (England's school years run 1 September to 31 August) stands in for it, both to
// tell one pupil's cases from another's and to decide how long a closed case is kept.
import { YEAR_GROUPS, londonDate, type CaseRecord, type YearGroup } from '../../domain';

/** The school year a day falls in, by the calendar year it starts: 2026-11-02 is in 2026 (2026-27). */
export function schoolYearOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 9 ? year : year - 1;
}

/** The dates of birth a pupil in a year group may have, in a given school year. */
export interface BirthRange {
  earliest: string;
  latest: string;
}

/**
 * The dates of birth of the children in a year group in the school year `day` falls in. A Reception class in 2026-27
 * holds children born 1 September 2021 to 31 August 2022, Year 1 a year before, and so on. A nursery may take a child
 * from the term after they turn two, so its range runs to 31 August of the year before the school year starts. A
 * pupil taught below their age group was born earlier still, so `latest` is the latest plausible date of birth.
 */
export function birthRange(group: YearGroup, day: string): BirthRange {
  const start = schoolYearOf(day);
  if (group === 'Nursery') return { earliest: `${start - 4}-09-01`, latest: `${start - 1}-08-31` };
  // Reception is stage 0, Year 1 stage 1 … Year 13 stage 13.
  const stage = YEAR_GROUPS.indexOf(group) - 1;
  return { earliest: `${start - 5 - stage}-09-01`, latest: `${start - 4 - stage}-08-31` };
}

/** The dates of birth the case's pupil (or, for a whole class, its children) may have. */
export const birthRangeOf = (c: CaseRecord): BirthRange =>
  birthRange(c.request.yearGroup, londonDate(new Date(c.raisedAt)));

/** Adds whole years to a date (YYYY-MM-DD); 29 February becomes 28 February in a year without one. */
export function addYears(day: string, years: number): string {
  const year = Number(day.slice(0, 4)) + years;
  const rest = day.slice(4);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return rest === '-02-29' && !leap ? `${year}-02-28` : `${year}${rest}`;
}

/**
 * The last day a closed case is kept: its pupil's date of birth plus the retention period. Without a date of birth,
 * the latest the pupil (or the youngest child of a class) can have been born, so the file is kept longest.
 */
export const keepUntil = (c: CaseRecord, yearsAfterDob: number): string =>
  addYears(birthRangeOf(c).latest, yearsAfterDob);

/** A name as it is compared: case, accents, apostrophes, hyphens and spacing set aside. */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’'`]/g, '')
    .replace(/[\s,.-]+/g, ' ')
    .trim();
}

/** Two ranges of dates overlap, once the first is widened by `slackYears` at both ends. */
const overlaps = (a: BirthRange, b: BirthRange, slackYears = 0): boolean =>
  addYears(a.earliest, -slackYears) <= b.latest && b.earliest <= addYears(a.latest, slackYears);

/**
 * Whether another case is about the same pupil: `same` when it names them, at the same school, in the same school
 * cohort; `possible` when it names them but at another school, or a year either side (a pupil who moved school, or
 * is taught out of their year group), which a person must check; otherwise `no`. Whole-class cases name nobody.
 */
export function samePupil(subject: CaseRecord, other: CaseRecord): 'same' | 'possible' | 'no' {
  const a = subject.request;
  const b = other.request;
  if (a.kind !== 'individual' || b.kind !== 'individual' || !a.pupilName || !b.pupilName) return 'no';
  if (nameKey(a.pupilName) !== nameKey(b.pupilName)) return 'no';
  const ra = birthRangeOf(subject);
  const rb = birthRangeOf(other);
  if (subject.schoolId === other.schoolId && overlaps(ra, rb)) return 'same';
  return overlaps(ra, rb, 1) ? 'possible' : 'no';
}
