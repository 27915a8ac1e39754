// What panel cycles and substitutes read from the store: the meeting dates and the substitutions. Both are short
// lists (a school year's meetings, a year's absences), read whole.
import {
  DEFAULT_CUT_OFF_SCHOOL_DAYS,
  londonDate,
  type MeetingRecord,
  type SubstitutionRecord,
} from '../../domain';
import type { AppDeps } from '../ports';

/** The meetings set, in date order; one cancelled (or moved away from) is no longer a meeting. */
export async function meetings(deps: AppDeps): Promise<MeetingRecord[]> {
  return (await deps.store.meetings.find())
    .map((m) => m.value)
    .filter((m) => !m.cancelledAt)
    .sort((a, b) => a.date.localeCompare(b.date));
}

export async function substitutions(deps: AppDeps): Promise<SubstitutionRecord[]> {
  return (await deps.store.substitutions.find()).map((s) => s.value);
}

/** School days from a meeting's cut-off to the meeting: the directory's panel setting, or the default. */
export const cutOffSchoolDays = (deps: AppDeps) =>
  deps.directory.panel.cutOffSchoolDays ?? DEFAULT_CUT_OFF_SCHOOL_DAYS;

export const todayOf = (deps: AppDeps) => londonDate(deps.now());

/** A person's name from the directory, for cards (never for the audit trail, which keeps ids). */
export const nameOf = (deps: AppDeps, id: string) =>
  deps.directory.person(id)?.name ?? 'someone no longer in the directory';
