// Panel cycles: meeting dates with a cut-off for papers so many school days before, set one by one or from a rule
// such as "every third Wednesday in term". Pure rules: which meeting a proposal goes to, and what an admin may set.
import { addDays, isIsoDate, showDate } from './dates';
import type { FieldProblem } from './errors';
import type { SchoolCalendar } from './school-days';
import type { MeetingRecord } from './types';

/** School days between the cut-off for papers and the meeting, unless the directory's panel section says otherwise. */
export const DEFAULT_CUT_OFF_SCHOOL_DAYS = 5;

/** The cut-off for a meeting: so many school days before it. */
export const cutOffFor = (date: string, calendar: SchoolCalendar, schoolDays: number): string =>
  calendar.addSchoolDays(date, -schoolDays);

const byDate = (a: MeetingRecord, b: MeetingRecord) => a.date.localeCompare(b.date);

/** Panel cycles are in use while a meeting is still to come; without one, each proposal is voted on as it arrives. */
export const cyclesOn = (meetings: readonly MeetingRecord[], today: string): boolean =>
  meetings.some((m) => m.date >= today);

/**
 * The meeting a proposal sent today goes to: the first whose cut-off is still ahead. A proposal sent on the cut-off
 * day or later waits for the next meeting, so the agenda sent on cut-off day is complete.
 */
export function meetingFor(meetings: readonly MeetingRecord[], today: string): MeetingRecord | undefined {
  return [...meetings].sort(byDate).find((m) => m.cutOff > today);
}

/** The meeting before this one, whose undecided proposals this one carries over. */
export function meetingBefore(
  meetings: readonly MeetingRecord[],
  m: MeetingRecord,
): MeetingRecord | undefined {
  return [...meetings]
    .sort(byDate)
    .filter((x) => x.date < m.date)
    .pop();
}

/** What an admin asks for: a date, and a cut-off of their own if they want one. */
export interface MeetingInput {
  date: string;
  cutOff?: string;
  /** The admin has seen the warning that the date is not a school day, and wants it anyway. */
  confirmed?: boolean;
}

export interface MeetingCheck {
  /** The meeting as it would be stored (without who set it), when there are no problems. */
  meeting?: Pick<MeetingRecord, 'id' | 'date' | 'cutOff' | 'nonSchoolDay'>;
  problems: FieldProblem[];
  /** Set when the only thing in the way is a date that is not a school day: allowed once confirmed. */
  warning?: string;
}

/** Checks a meeting date an admin sets. Nothing here writes; the caller stores it when there are no problems. */
export function checkMeeting(
  input: MeetingInput,
  ctx: {
    today: string;
    calendar: SchoolCalendar;
    cutOffSchoolDays: number;
    existing: readonly MeetingRecord[];
  },
): MeetingCheck {
  const problems: FieldProblem[] = [];
  const date = input.date.trim();
  if (!isIsoDate(date)) return { problems: [{ field: 'Meeting date', message: 'Enter a date.' }] };
  if (date < ctx.today)
    problems.push({ field: 'Meeting date', message: `${showDate(date)} is in the past.` });
  if (ctx.existing.some((m) => m.date === date))
    problems.push({ field: 'Meeting date', message: `A meeting is already set for ${showDate(date)}.` });
  let cutOff = cutOffFor(date, ctx.calendar, ctx.cutOffSchoolDays);
  if (input.cutOff !== undefined && input.cutOff.trim() !== '') {
    const own = input.cutOff.trim();
    if (!isIsoDate(own)) problems.push({ field: 'Cut-off', message: 'Enter a date, or leave it empty.' });
    else if (own >= date)
      problems.push({
        field: 'Cut-off',
        message: `The cut-off (${showDate(own)}) must come before the meeting (${showDate(date)}).`,
      });
    else cutOff = own;
  }
  if (problems.length) return { problems };
  const nonSchoolDay = !ctx.calendar.isSchoolDay(date);
  if (nonSchoolDay && !input.confirmed)
    return {
      problems: [],
      warning: `${showDate(date)} is not a school day (a weekend, a bank holiday or a school holiday). Set it anyway?`,
    };
  return {
    meeting: { id: date, date, cutOff, ...(nonSchoolDay ? { nonSchoolDay: true } : {}) },
    problems: [],
  };
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  other: 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  sixth: 6,
  '6th': 6,
};
/** Enough meetings for a school year at any sensible rhythm; a rule that makes more is a mistake. */
const MAX_MEETINGS = 40;

/**
 * The dates a rule makes, from the day after today (or its own "from") to its "until" (or the end of the directory's
 * last term, or a year):
 * - "every third Wednesday in term": every three weeks, on Wednesdays ("every Wednesday", "every other Tuesday");
 * - "third Wednesday of each month": monthly ("first", "second" … "last").
 * Days that are not school days are left out, so a rhythm runs through term time only. Answers the dates, or why the
 * rule cannot be read.
 */
export function datesFromRule(
  rule: string,
  today: string,
  calendar: SchoolCalendar,
  lastTermEnd?: string,
): { dates: string[] } | { problem: string } {
  const text = rule.toLowerCase().replace(/\s+/g, ' ').trim();
  const from = /\bfrom (\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
  const until = /\b(?:until|to|till) (\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
  if ((from && !isIsoDate(from)) || (until && !isIsoDate(until)))
    return { problem: 'Write dates in the rule as YYYY-MM-DD.' };
  const start = from && from > today ? from : addDays(today, 1);
  const end = until ?? (lastTermEnd && lastTermEnd > start ? lastTermEnd : addDays(start, 365));
  if (end < start) return { problem: 'The rule ends before it starts.' };
  const every = /^every (?:(\w+) )?(monday|tuesday|wednesday|thursday|friday)s?\b/.exec(text);
  const monthly =
    /^(?:the )?(\w+) (monday|tuesday|wednesday|thursday|friday) of (?:each|every|the) month\b/.exec(text);
  const out: string[] = [];
  if (every) {
    const weeks = every[1] === undefined ? 1 : (ORDINALS[every[1]] ?? Number(every[1]));
    if (!Number.isInteger(weeks) || weeks < 1)
      return { problem: `"${every[1]}" is not a number of weeks: try "every third Wednesday".` };
    const dow = WEEKDAYS.indexOf(every[2] as (typeof WEEKDAYS)[number]);
    let d = start;
    while (new Date(`${d}T00:00:00Z`).getUTCDay() !== dow) d = addDays(d, 1);
    for (; d <= end; d = addDays(d, 7 * weeks)) if (calendar.isSchoolDay(d)) out.push(d);
  } else if (monthly) {
    const nth = monthly[1] === 'last' ? -1 : ORDINALS[monthly[1]!];
    if (nth === undefined || nth > 5)
      return { problem: `"${monthly[1]}" is not first, second, third, fourth or last.` };
    const dow = WEEKDAYS.indexOf(monthly[2] as (typeof WEEKDAYS)[number]);
    for (let month = start.slice(0, 7); `${month}-01` <= end; month = addDays(`${month}-28`, 7).slice(0, 7)) {
      const days: string[] = [];
      for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1))
        if (new Date(`${d}T00:00:00Z`).getUTCDay() === dow) days.push(d);
      const d = nth === -1 ? days[days.length - 1] : days[nth - 1];
      if (d && d >= start && d <= end && calendar.isSchoolDay(d)) out.push(d);
    }
  } else {
    return {
      problem:
        'Write the rule like "every third Wednesday in term" or "third Wednesday of each month", with "until YYYY-MM-DD" if you like.',
    };
  }
  if (out.length === 0) return { problem: 'The rule makes no school-day dates in that period.' };
  if (out.length > MAX_MEETINGS)
    return {
      problem: `The rule makes ${out.length} meetings; set an "until" date to make ${MAX_MEETINGS} or fewer.`,
    };
  return { dates: out };
}
