// Substitutes: a panel member away for a period names another head on the panel to vote in their place. Pure rules:
// which substitutions run on a day, who holds which seat on a case, and what may be named.
import { hasRole } from './case-machine';
import { isIsoDate, showDate } from './dates';
import type { Directory } from './directory';
import type { FieldProblem } from './errors';
import type { Person, SubstitutionRecord } from './types';

const lower = (id: string) => id.toLowerCase();

/** Running on this day: started, not past its last day, and not ended early. */
export const isRunning = (s: SubstitutionRecord, day: string): boolean =>
  !s.endedAt && s.from <= day && day <= s.to;

/** Over: past its last day, or ended early. Its open votes go back to the member. */
export const isOver = (s: SubstitutionRecord, day: string): boolean => s.endedAt !== undefined || s.to < day;

/** The substitution of this member that runs on this day, if any. */
export const runningFor = (subs: readonly SubstitutionRecord[], member: string, day: string) =>
  subs.find((s) => lower(s.member) === lower(member) && isRunning(s, day));

/**
 * One place on the panel for a case: a member whose school did not raise it, and who votes in it today (the member,
 * or their substitute). `voter` is absent when the member is away and their substitute's own school raised the case:
 * the conflict-of-interest rule applies to both schools.
 */
export interface Seat {
  member: Person;
  voter?: Person;
  /** The member is away and `voter` stands in for them. */
  substituted: boolean;
}

/** The seats on a case raised by this school, as they stand today. */
export function seatsFor(
  people: readonly Person[],
  subs: readonly SubstitutionRecord[],
  schoolId: string,
  day: string,
): Seat[] {
  const person = (id: string) => people.find((p) => lower(p.aadObjectId) === lower(id));
  return people
    .filter((p) => hasRole(p, 'panel') && p.schoolId !== schoolId)
    .map((member) => {
      const s = runningFor(subs, member.aadObjectId, day);
      if (!s) return { member, voter: member, substituted: false };
      const sub = person(s.substitute);
      const ok = sub && hasRole(sub, 'panel') && sub.schoolId !== schoolId;
      return { member, ...(ok ? { voter: sub } : {}), substituted: true };
    });
}

/** The seats this person votes in today on a case raised by this school: their own first, then those they hold. */
export function seatsOf(
  person: Person,
  people: readonly Person[],
  subs: readonly SubstitutionRecord[],
  schoolId: string,
  day: string,
): Seat[] {
  const me = lower(person.aadObjectId);
  return seatsFor(people, subs, schoolId, day)
    .filter((s) => s.voter && lower(s.voter.aadObjectId) === me)
    .sort((a, b) => Number(a.substituted) - Number(b.substituted));
}

/** What a member (or an admin for them) asks for. */
export interface SubstitutionInput {
  member: string;
  substitute: string;
  from: string;
  to: string;
}

const overlaps = (s: SubstitutionRecord, from: string, to: string) =>
  !s.endedAt && s.from <= to && from <= s.to;

/**
 * Checks a substitution before it is stored. The substitute must be another head on the panel, in the directory; the
 * dates must run forwards and not start in the past; the member may not already be away then, nor be standing in for
 * someone else then (a substitute cannot name a substitute), and the substitute may not be away then themselves.
 */
export function checkSubstitution(
  input: SubstitutionInput,
  ctx: { directory: Pick<Directory, 'person'>; existing: readonly SubstitutionRecord[]; today: string },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const member = ctx.directory.person(input.member);
  if (!member || !hasRole(member, 'panel'))
    problems.push({
      field: 'Panel member',
      message: 'Only a member of the EIP panel can name a substitute.',
    });
  const sub = ctx.directory.person(input.substitute);
  if (!input.substitute) problems.push({ field: 'Substitute', message: 'Choose a substitute.' });
  else if (!sub) problems.push({ field: 'Substitute', message: 'That person is not in the EIP directory.' });
  else if (!hasRole(sub, 'head') || !hasRole(sub, 'panel'))
    problems.push({ field: 'Substitute', message: `${sub.name} is not a head teacher on the EIP panel.` });
  else if (member && lower(sub.aadObjectId) === lower(member.aadObjectId))
    problems.push({ field: 'Substitute', message: 'Choose someone other than the member who is away.' });
  const datesOk = isIsoDate(input.from) && isIsoDate(input.to);
  if (!isIsoDate(input.from)) problems.push({ field: 'From', message: 'Enter the first day away.' });
  if (!isIsoDate(input.to)) problems.push({ field: 'Until', message: 'Enter the last day away.' });
  if (datesOk && input.to < input.from)
    problems.push({
      field: 'Until',
      message: `The last day (${showDate(input.to)}) is before the first (${showDate(input.from)}).`,
    });
  if (datesOk && input.from < ctx.today)
    problems.push({ field: 'From', message: `${showDate(input.from)} is in the past.` });
  if (problems.length || !member || !sub) return problems;
  const m = lower(member.aadObjectId);
  const s = lower(sub.aadObjectId);
  const clash = ctx.existing.find((x) => lower(x.member) === m && overlaps(x, input.from, input.to));
  if (clash)
    problems.push({
      field: 'From',
      message: `${member.name} is already away from ${showDate(clash.from)} to ${showDate(clash.to)}; the dates overlap.`,
    });
  const standing = ctx.existing.find((x) => lower(x.substitute) === m && overlaps(x, input.from, input.to));
  if (standing)
    problems.push({
      field: 'Substitute',
      message: `${member.name} is standing in for someone else from ${showDate(standing.from)} to ${showDate(standing.to)}, and a substitute cannot name a substitute.`,
    });
  const away = ctx.existing.find((x) => lower(x.member) === s && overlaps(x, input.from, input.to));
  if (away)
    problems.push({
      field: 'Substitute',
      message: `${sub.name} is away themselves from ${showDate(away.from)} to ${showDate(away.to)}.`,
    });
  return problems;
}
