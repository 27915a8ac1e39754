// School days: weekdays that are not bank holidays in England and fall inside the LA's terms. Reminders and
// deadlines count in these, so a half term or Christmas never eats into a panel's time to decide.
import Holidays from 'date-holidays';
import { addDays, isWeekday } from './dates';
import type { Term } from './directory';

const ENGLAND = new Holidays('GB', 'ENG');
const byYear = new Map<number, ReadonlySet<string>>();

/** England's bank holidays in a calendar year (substitute days included), from the date-holidays data. */
export function bankHolidays(year: number): ReadonlySet<string> {
  let days = byYear.get(year);
  if (!days) {
    days = new Set(
      ENGLAND.getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    byYear.set(year, days);
  }
  return days;
}

export const isBankHoliday = (day: string): boolean => bankHolidays(Number(day.slice(0, 4))).has(day);

/** Far enough for any deadline or reminder; a loop that goes further has been given nonsense. */
const MAX_STEPS = 3660;

/**
 * The LA's calendar. Inside the span its terms cover, only days in a term count; outside it (a year whose terms
 * the admin has not entered yet) every weekday that is not a bank holiday does.
 */
export class SchoolCalendar {
  private readonly terms: readonly Term[];

  constructor(terms: readonly Term[] = []) {
    this.terms = [...terms].sort((a, b) => a.start.localeCompare(b.start));
  }

  isSchoolDay(day: string): boolean {
    if (!isWeekday(day) || isBankHoliday(day)) return false;
    const first = this.terms[0];
    const last = this.terms[this.terms.length - 1];
    if (!first || !last || day < first.start || day > last.end) return true;
    return this.terms.some((t) => t.start <= day && day <= t.end);
  }

  /** The school day n school days after (or, for negative n, before) this day. */
  addSchoolDays(day: string, n: number): string {
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let d = day;
    for (let i = 0; left > 0; i += 1) {
      if (i > MAX_STEPS) throw new RangeError(`no ${n} school days from ${day} within ten years`);
      d = addDays(d, step);
      if (this.isSchoolDay(d)) left -= 1;
    }
    return d;
  }

  /** How many school days come after a and on or before b (0 when b is not after a). */
  schoolDaysBetween(a: string, b: string): number {
    let n = 0;
    for (let d = addDays(a, 1), i = 0; d <= b; d = addDays(d, 1), i += 1) {
      if (i > MAX_STEPS) break;
      if (this.isSchoolDay(d)) n += 1;
    }
    return n;
  }

  /** This day if it is a school day, or the next one. */
  onOrAfter(day: string): string {
    return this.isSchoolDay(day) ? day : this.addSchoolDays(day, 1);
  }

  /** The term a day falls in, if the admin has entered it. */
  termOf(day: string): Term | undefined {
    return this.terms.find((t) => t.start <= day && day <= t.end);
  }
}
