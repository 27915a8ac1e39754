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

/**
 * Panel cycles are in use once any meeting has been set (and not cancelled): after the last one, proposals wait for
 * the admin to set the next rather than quietly going back to being voted on as they arrive. Without any meeting set,
 * each proposal is voted on as it arrives.
 */
export const cyclesOn = (meetings: readonly MeetingRecord[]): boolean => meetings.length > 0;

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
  const own = input.cutOff !== undefined && input.cutOff.trim() !== '' ? input.cutOff.trim() : undefined;
  if (own !== undefined) {
    if (!isIsoDate(own)) problems.push({ field: 'Cut-off', message: 'Enter a date, or leave it empty.' });
    else if (own >= date)
      problems.push({
        field: 'Cut-off',
        message: `The cut-off (${showDate(own)}) must come before the meeting (${showDate(date)}).`,
      });
    else cutOff = own;
  }
  if (problems.length) return { problems };
  // The cut-off must still be ahead (or today): a meeting whose papers have already closed could take nothing.
  if (cutOff < ctx.today)
    return {
      problems: [
        own
          ? { field: 'Cut-off', message: `The cut-off (${showDate(cutOff)}) is in the past.` }
          : {
              field: 'Meeting date',
              message: `The cut-off for papers would be ${showDate(cutOff)} (${ctx.cutOffSchoolDays} school days before), which has passed. Choose a later date, or give a cut-off from today on.`,
            },
      ],
    };
  // Each proposal has one meeting to go to: a cut-off must come after the meeting before, and this meeting must
  // come before the next one's cut-off.
  const before = [...ctx.existing]
    .sort(byDate)
    .filter((m) => m.date < date)
    .pop();
  if (before && cutOff <= before.date)
    return {
      problems: [
        {
          field: own ? 'Cut-off' : 'Meeting date',
          message: `The cut-off for papers (${showDate(cutOff)}) must come after the meeting before it, on ${showDate(before.date)}, so each proposal goes to one meeting.`,
        },
      ],
    };
  const after = [...ctx.existing].sort(byDate).find((m) => m.date > date);
  if (after && after.cutOff <= date)
    return {
      problems: [
        {
          field: 'Meeting date',
          message: `The next meeting, on ${showDate(after.date)}, has its cut-off on ${showDate(after.cutOff)}: a meeting on ${showDate(date)} would overlap it. Choose an earlier date.`,
        },
      ],
    };
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

const dayOfWeek = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

/** The Monday of a day's week. */
const mondayOf = (d: string) => addDays(d, -((dayOfWeek(d) + 6) % 7));

/** A week with at least one school day in it: a term week. A week of half term or holiday has none. */
const isTermWeek = (d: string, calendar: SchoolCalendar) => {
  const monday = mondayOf(d);
  return [0, 1, 2, 3, 4].some((i) => calendar.isSchoolDay(addDays(monday, i)));
};

/** What a rule needs besides the date: the calendar, how the cut-off is worked out, and where the terms end. */
export interface RuleContext {
  today: string;
  calendar: SchoolCalendar;
  cutOffSchoolDays: number;
  /** The end of the last term in the directory: a rule runs no further (August is not term time). */
  lastTermEnd?: string;
}

/** The dates a rule makes, and what the admin should be told about dates it moved or left out. */
export interface RuleDates {
  dates: string[];
  /** One sentence each: dates moved off a holiday, left out, or where the rule stopped. */
  notes: string[];
}

/**
 * The dates a rule makes, from the day after today (or its own "from") to its "until" (or the end of the directory's
 * last term, or a year when no terms are entered), and never past the last term in the directory:
 * - "every third Wednesday in term": every third term week, on Wednesdays ("every Wednesday", "every other
 *   Tuesday"). Weeks of half term and holidays are not counted, so a one-week half term adds one week to the gap,
 *   not three. A day in a term week that is not a school day (a bank holiday, an INSET day at a term's edge) moves
 *   to the next school day that week, or the one before it.
 * - "third Wednesday of each month": monthly ("first", "second" … "last"). A day in a holiday moves to the same
 *   weekday a week later if that is a school day in the same month; otherwise that month has no meeting.
 * The first meeting is the first whose cut-off is still ahead. Answers the dates with notes naming every date moved
 * or left out, or why the rule cannot be read.
 */
export function datesFromRule(rule: string, ctx: RuleContext): RuleDates | { problem: string } {
  const { today, calendar, lastTermEnd } = ctx;
  const text = rule.toLowerCase().replace(/\s+/g, ' ').trim();
  const from = /\bfrom (\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
  const until = /\b(?:until|to|till) (\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
  if ((from && !isIsoDate(from)) || (until && !isIsoDate(until)))
    return { problem: 'Write dates in the rule as YYYY-MM-DD.' };
  const start = from && from > today ? from : addDays(today, 1);
  const notes: string[] = [];
  if (lastTermEnd && start > lastTermEnd)
    return {
      problem: `The last term in the directory ends on ${showDate(lastTermEnd)}. Add the next terms to the directory before setting meetings after it.`,
    };
  let end = until ?? lastTermEnd ?? addDays(start, 365);
  if (lastTermEnd && end > lastTermEnd) {
    notes.push(
      `The rule stops at the end of the last term in the directory, ${showDate(lastTermEnd)}; add later terms to the directory to set meetings after it.`,
    );
    end = lastTermEnd;
  }
  if (end < start) return { problem: 'The rule ends before it starts.' };
  const every = /^every (?:(\w+) )?(monday|tuesday|wednesday|thursday|friday)s?\b/.exec(text);
  const monthly =
    /^(?:the )?(\w+) (monday|tuesday|wednesday|thursday|friday) of (?:each|every|the) month\b/.exec(text);
  // Candidate days in order, each already moved off a non-school day where the rule allows.
  const candidates: string[] = [];
  if (every) {
    const weeks = every[1] === undefined ? 1 : (ORDINALS[every[1]] ?? Number(every[1]));
    if (!Number.isInteger(weeks) || weeks < 1)
      return { problem: `"${every[1]}" is not a number of weeks: try "every third Wednesday".` };
    const dow = WEEKDAYS.indexOf(every[2] as (typeof WEEKDAYS)[number]);
    let d = start;
    while (dayOfWeek(d) !== dow) d = addDays(d, 1);
    // Term weeks counted since the first meeting; undefined until the first meeting is found.
    let count: number | undefined;
    for (; d <= end; d = addDays(d, 7)) {
      if (!isTermWeek(d, calendar)) continue;
      if (count !== undefined && ++count % weeks !== 0) continue;
      const day = schoolDayInWeek(d, calendar);
      if (day !== d) notes.push(`${showDate(d)} is not a school day: moved to ${showDate(day)}.`);
      if (day > end) break;
      if (count === undefined) {
        const cutOff = cutOffFor(day, calendar, ctx.cutOffSchoolDays);
        if (cutOff <= today) {
          notes.push(`${showDate(day)} left out: its cut-off for papers, ${showDate(cutOff)}, has passed.`);
          continue;
        }
        count = 0;
      }
      candidates.push(day);
    }
  } else if (monthly) {
    const nth = monthly[1] === 'last' ? -1 : ORDINALS[monthly[1]!];
    if (nth === undefined || nth > 5)
      return { problem: `"${monthly[1]}" is not first, second, third, fourth or last.` };
    const dow = WEEKDAYS.indexOf(monthly[2] as (typeof WEEKDAYS)[number]);
    for (let month = start.slice(0, 7); `${month}-01` <= end; month = addDays(`${month}-28`, 7).slice(0, 7)) {
      const days: string[] = [];
      for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1))
        if (dayOfWeek(d) === dow) days.push(d);
      const d = nth === -1 ? days[days.length - 1] : days[nth - 1];
      if (!d || d < start || d > end) continue;
      if (calendar.isSchoolDay(d)) {
        candidates.push(d);
        continue;
      }
      const later = days.find((x) => x > d && calendar.isSchoolDay(x));
      if (later && later <= end) {
        notes.push(`${showDate(d)} is not a school day: moved to ${showDate(later)}.`);
        candidates.push(later);
      } else notes.push(`${showDate(d)} left out: it is not a school day, and no later one that month is.`);
    }
  } else {
    return {
      problem:
        'Write the rule like "every third Wednesday in term" or "third Wednesday of each month", with "until YYYY-MM-DD" if you like.',
    };
  }
  const dates: string[] = [];
  for (const d of candidates) {
    if (every || dates.length) {
      dates.push(d);
      continue;
    }
    // A monthly rule starts at the first meeting whose cut-off is still ahead.
    const cutOff = cutOffFor(d, calendar, ctx.cutOffSchoolDays);
    if (cutOff <= today)
      notes.push(`${showDate(d)} left out: its cut-off for papers, ${showDate(cutOff)}, has passed.`);
    else dates.push(d);
  }
  if (dates.length === 0) return { problem: 'The rule makes no school-day dates in that period.' };
  if (dates.length > MAX_MEETINGS)
    return {
      problem: `The rule makes ${dates.length} meetings; set an "until" date to make ${MAX_MEETINGS} or fewer.`,
    };
  return { dates, notes };
}

/** A day in a term week that is not a school day moves to the next school day that week, or else the one before. */
function schoolDayInWeek(d: string, calendar: SchoolCalendar): string {
  if (calendar.isSchoolDay(d)) return d;
  const monday = mondayOf(d);
  const week = [0, 1, 2, 3, 4].map((i) => addDays(monday, i)).filter((x) => calendar.isSchoolDay(x));
  return week.find((x) => x > d) ?? week.filter((x) => x < d).pop() ?? d;
}
