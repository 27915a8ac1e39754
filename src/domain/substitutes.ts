// Substitutes: a panel member away for a period names another head, one not on the panel, to vote in their place.
// Nobody votes twice: a panel member already has a vote, so cannot hold another's, and a head holds one seat at a time.
// Pure rules: which substitutions run on a day, who holds which seat on a case, and what may be named.
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

/** Who may stand in for a panel member: a head who is not on the panel (so has no vote of their own). */
export const mayStandIn = (p: Person): boolean => hasRole(p, 'head') && !hasRole(p, 'panel');

/** The substitutions this person stands in for that run on this day (one at most when named through the form). */
export const standingInFor = (subs: readonly SubstitutionRecord[], person: string, day: string) =>
  subs.filter((s) => lower(s.substitute) === lower(person) && isRunning(s, day));

/** The substitution of this member that runs on this day, if any. */
export const runningFor = (subs: readonly SubstitutionRecord[], member: string, day: string) =>
  subs.find((s) => lower(s.member) === lower(member) && isRunning(s, day));

/**
 * One place on the panel for a case: a member whose school did not raise it, and who votes in it today (the member,
 * or their substitute). Every seat has a voter: when the substitute cannot vote on this case (their own school
 * raised it, or they have since joined the panel or left the directory), the seat stays with the absent member for
 * this case, so the panel is never a vote short. The conflict-of-interest rule applies to both schools.
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
      // Checked again today against the directory: a substitute since put on the panel has a vote of their own.
      const ok = sub && mayStandIn(sub) && sub.schoolId !== schoolId;
      return ok ? { member, voter: sub, substituted: true } : { member, voter: member, substituted: false };
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
 * Checks a substitution before it is stored. The substitute must be another head in the directory who is not on the
 * panel (a panel member already has a vote, and would vote twice); the dates must run forwards and not start in the
 * past; the member may not already be away then, nor be standing in for someone else then (a substitute cannot name
 * a substitute); and the substitute may not already be standing in for another member then.
 */
export function checkSubstitution(
  input: SubstitutionInput,
  ctx: { directory: Pick<Directory, 'person'>; existing: readonly SubstitutionRecord[]; today: string },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const member = ctx.directory.person(input.member);
  const datesOk = isIsoDate(input.from) && isIsoDate(input.to);
  const standing =
    member && datesOk
      ? ctx.existing.find(
          (x) => lower(x.substitute) === lower(member.aadObjectId) && overlaps(x, input.from, input.to),
        )
      : undefined;
  if (standing)
    problems.push({
      field: 'Panel member',
      message: `${member!.name} is standing in for ${ctx.directory.person(standing.member)?.name ?? 'a panel member'} from ${showDate(standing.from)} to ${showDate(standing.to)}, and a substitute cannot name a substitute.`,
    });
  else if (!member || !hasRole(member, 'panel'))
    problems.push({
      field: 'Panel member',
      message: 'Only a member of the EIP panel can name a substitute.',
    });
  const sub = ctx.directory.person(input.substitute);
  if (!input.substitute) problems.push({ field: 'Substitute', message: 'Choose a substitute.' });
  else if (!sub) problems.push({ field: 'Substitute', message: 'That person is not in the EIP directory.' });
  else if (member && lower(sub.aadObjectId) === lower(member.aadObjectId))
    problems.push({ field: 'Substitute', message: 'Choose someone other than the member who is away.' });
  else if (hasRole(sub, 'panel'))
    problems.push({
      field: 'Substitute',
      message: `${sub.name} is on the panel and already has a vote; name a head who is not on the panel, so no one votes twice.`,
    });
  else if (!hasRole(sub, 'head'))
    problems.push({
      field: 'Substitute',
      message: `${sub.name} is not a head teacher in the EIP directory.`,
    });
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
  const busy = ctx.existing.find((x) => lower(x.substitute) === s && overlaps(x, input.from, input.to));
  if (busy)
    problems.push({
      field: 'Substitute',
      message: `${sub.name} is already standing in for ${ctx.directory.person(busy.member)?.name ?? 'another member'} from ${showDate(busy.from)} to ${showDate(busy.to)}; a head holds one seat at a time, so no one votes twice.`,
    });
  return problems;
}
