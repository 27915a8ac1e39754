// Reminders, derived from the stored records: which are due on a given day, to whom, and under which key. Nothing
// here remembers anything between sweeps. The sweep records each reminder under its key as it sends it, so a key
// planned again (the same day, after a restart, by a second instance) is never sent twice.
import { addDays, daysBetween, londonDate } from './dates';
import type { ReminderRules } from './directory';
import { OPEN_BEFORE_COMMISSIONING, hasRole } from './case-machine';
import { seatsFor } from './substitutes';
import type { SchoolCalendar } from './school-days';
import {
  INTERVENTION_TYPES,
  type CaseRecord,
  type CaseStatus,
  type DecisionRecord,
  type InterventionType,
  type PackageRecord,
  type Person,
  type ProposalRecord,
  type ProviderRecord,
  type ReminderKind,
  type ReminderRecord,
  type ReviewKind,
  type ReviewRecord,
  type SubstitutionRecord,
  type VoteRecord,
} from './types';

/** The records reminders are derived from. */
export interface ReminderRecords {
  cases: readonly CaseRecord[];
  proposals: readonly ProposalRecord[];
  votes: readonly VoteRecord[];
  decisions: readonly DecisionRecord[];
  reviews: readonly ReviewRecord[];
  /** Panel members away: their substitutes are reminded in their place (none when absent). */
  substitutions?: readonly SubstitutionRecord[];
}

export interface ReminderPlanInput extends ReminderRecords {
  people: readonly Person[];
  rules: ReminderRules;
  calendar: SchoolCalendar;
  /** The London date the plan is for (YYYY-MM-DD). */
  today: string;
}

interface DueBase {
  /** The reminder's key: kind, case, due point and recipient. Sending records it, so it goes once. */
  key: string;
  /** The recipient's Entra object id, lower-case. */
  to: string;
  /** The due point this reminder is for: the latest one on or before today. */
  due: string;
}

/** A reminder due to one person today. */
export type DueReminder =
  | (DueBase & {
      kind: 'review-due';
      caseId: string;
      review: ReviewKind;
      reviewDue: string;
      /** The school's copy, for whoever raised the case; the co-ordinator's is the one with the form. */
      copy: boolean;
    })
  | (DueBase & {
      kind: 'vote-pending';
      caseId: string;
      round: number;
      deadline: string;
      /** A substitute's reminder: the absent member whose vote they hold. */
      forMember?: string;
    })
  | (DueBase & { kind: 'deadline-passed'; caseId: string; round: number; deadline: string })
  | (DueBase & { kind: 'triage-waiting'; caseId: string; since: string })
  | (DueBase & { kind: 'providers-meeting'; month: string })
  /** The co-ordinator's list of children in the last year of their phase: once each summer term. */
  | (DueBase & { kind: 'transitions'; year: string });

/**
 * The deadline a proposal was first sent with: kept when it moves. Proposals carried before this was recorded had
 * their meeting's date as their first deadline. Whenever the deadline differs, reminder keys carry the new date, so a
 * fresh vote reminder and overdue notice go for it.
 */
export const firstDeadlineOf = (p: Pick<ProposalRecord, 'deadline' | 'firstDeadline' | 'meetingId'>) =>
  p.firstDeadline ?? p.meetingId ?? p.deadline;

/** A proposal moved to be decided at another meeting (its date, and which meeting it is on), its first deadline kept. */
export const proposalMovedTo = (
  p: ProposalRecord,
  date: string,
  meetingId: string | undefined,
): ProposalRecord => ({
  ...p,
  deadline: date,
  ...(meetingId !== undefined ? { meetingId } : {}),
  firstDeadline: firstDeadlineOf(p),
});

/** Days before a review is due that the first reminder goes. */
export const REVIEW_NOTICE_DAYS = 3;

/**
 * The latest review reminder point on or before today: three days before the review is due, the day itself, then
 * every seven days while it is overdue. Only the latest counts, so a sweep after downtime sends one reminder, not
 * every point it missed.
 */
export function reviewPoint(due: string, today: string): string | undefined {
  const first = addDays(due, -REVIEW_NOTICE_DAYS);
  if (today < first) return undefined;
  if (today < due) return first;
  return addDays(due, 7 * Math.floor(daysBetween(due, today) / 7));
}

/** The day members who have not voted are reminded: so many school days before the panel's deadline. */
export const voteReminderDay = (deadline: string, rules: ReminderRules, calendar: SchoolCalendar) =>
  calendar.addSchoolDays(deadline, -rules.voteReminderSchoolDays);

/** The London date a case last entered triage. */
export const triageSince = (c: CaseRecord) => londonDate(new Date(c.submittedAt ?? c.raisedAt));

/** The first day a request has waited more than the allowed school days for triage. */
export const triageOverdueDay = (since: string, rules: ReminderRules, calendar: SchoolCalendar) =>
  calendar.addSchoolDays(since, rules.triageSchoolDays + 1);

/**
 * This month's providers' meeting day, once it has come. The day is used as it is, school day or not (the LA's
 * officers meet in school holidays too); the scheduled sweeps run on weekdays, so a day at a weekend has its agenda
 * on the first sweep after it, the Monday. Last month's is never caught up: an agenda for a meeting that has been
 * and gone helps nobody.
 */
export function meetingDay(today: string, rules: ReminderRules): string | undefined {
  const day = `${today.slice(0, 7)}-${String(rules.providersMeetingDay).padStart(2, '0')}`;
  return today >= day ? day : undefined;
}

const lower = (id: string) => id.toLowerCase();

/** Records keyed by case and round, so each case finds its own in one step however many cases there are. */
function byRound<T extends { caseId: string; round: number }>(records: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of records) {
    const key = `${r.caseId}:${r.round}`;
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

/** Everything due today, to whom. The sweep sends those it has not recorded yet. */
export function planReminders(input: ReminderPlanInput): DueReminder[] {
  const { today, rules, calendar, people } = input;
  const coordinators = people.filter((p) => hasRole(p, 'coordinator')).map((p) => lower(p.aadObjectId));
  const caseById = new Map(input.cases.map((c) => [c.id, c]));
  const out: DueReminder[] = [];

  for (const r of input.reviews) {
    const c = caseById.get(r.caseId);
    if (r.status !== 'open' || c?.status !== 'commissioned') continue;
    const point = reviewPoint(r.due, today);
    if (!point) continue;
    const to = new Set(coordinators);
    const copyTo = lower(c.raisedBy);
    for (const person of [...to, ...(to.has(copyTo) ? [] : [copyTo])]) {
      out.push({
        kind: 'review-due',
        key: `review-due:${c.id}:${r.kind}:${point}:${person}`,
        caseId: c.id,
        to: person,
        due: point,
        review: r.kind,
        reviewDue: r.due,
        copy: !to.has(person),
      });
    }
  }

  const proposals = byRound(input.proposals);
  const decisions = byRound(input.decisions);
  const votes = byRound(input.votes);
  for (const c of input.cases) {
    if (c.status !== 'proposed') continue;
    const round = `${c.id}:${c.round}`;
    const p = proposals.get(round)?.[0];
    if (!p?.deadline) continue;
    if (decisions.has(round)) continue;
    const voted = new Set((votes.get(round) ?? []).map((v) => lower(v.voter)));
    const remindOn = voteReminderDay(p.deadline, rules, calendar);
    // Carried over to a later meeting, the proposal has a new deadline, and its reminders are owed again.
    const by = p.deadline !== firstDeadlineOf(p) ? `:by:${p.deadline}` : '';
    // Members are reminded only of a card they can vote on: one that has reached the panel chat.
    // A member away is not reminded: whoever holds their vote today is, under a key of their own.
    if (today >= remindOn && p.panelMessageId) {
      for (const seat of seatsFor(people, input.substitutions ?? [], c.schoolId, today)) {
        const member = lower(seat.member.aadObjectId);
        if (voted.has(member) || !seat.voter) continue;
        const person = lower(seat.voter.aadObjectId);
        out.push({
          kind: 'vote-pending',
          key: `vote-pending:${c.id}:r${c.round}${by}:${person}${seat.substituted ? `:for:${member}` : ''}`,
          caseId: c.id,
          to: person,
          due: remindOn,
          round: c.round,
          deadline: p.deadline,
          ...(seat.substituted ? { forMember: member } : {}),
        });
      }
    }
    const passed = addDays(p.deadline, 1);
    if (today >= passed) {
      for (const person of coordinators) {
        out.push({
          kind: 'deadline-passed',
          key: `deadline-passed:${c.id}:r${c.round}${by}:${person}`,
          caseId: c.id,
          to: person,
          due: passed,
          round: c.round,
          deadline: p.deadline,
        });
      }
    }
  }

  for (const c of input.cases) {
    if (c.status !== 'submitted') continue;
    const since = triageSince(c);
    const point = triageOverdueDay(since, rules, calendar);
    if (today < point) continue;
    for (const person of coordinators) {
      out.push({
        kind: 'triage-waiting',
        key: `triage-waiting:${c.id}:${since}:${person}`,
        caseId: c.id,
        to: person,
        due: point,
        since,
      });
    }
  }

  const meeting = meetingDay(today, rules);
  if (meeting) {
    const month = meeting.slice(0, 7);
    for (const person of coordinators) {
      out.push({
        kind: 'providers-meeting',
        key: `providers-meeting:${month}:${person}`,
        to: person,
        due: meeting,
        month,
      });
    }
  }
  return out;
}

/** Statuses whose current proposal may still be commissioned as it stands. */
const OPEN_PROPOSAL_STATUSES: readonly CaseStatus[] = ['proposed', 'approved', 'changes_requested'];

export interface AgendaInput {
  today: string;
  cases: readonly CaseRecord[];
  proposals: readonly ProposalRecord[];
  packages: readonly PackageRecord[];
  reviews: readonly ReviewRecord[];
  providers: readonly ProviderRecord[];
  reminders: readonly ReminderRecord[];
  people: readonly Person[];
  /** Lower-case ids of the people the bot holds a conversation reference for. */
  reachable: ReadonlySet<string>;
  /** When the previous agenda went out (ISO); reminders that could not be delivered since then are listed. */
  since?: string;
}

export interface UnreachablePerson {
  /** Entra object id, lower-case. */
  person: string;
  /** True when the bot has no way to reach them at all: they have never opened a chat with it. */
  noChat: boolean;
  /** Reminders that could not be delivered to them since the previous agenda. */
  missed: number;
}

/** The providers' meeting agenda, as records; the view pseudonymises it. */
export interface Agenda {
  /** Cases not yet commissioned, neither closed nor declined, oldest first. */
  waiting: CaseRecord[];
  /** Packages of commissioned cases by provider, in name order. */
  packages: { provider: string; count: number; agreedPence: number }[];
  /** Open reviews past their due date, oldest first. */
  overdue: { case: CaseRecord; review: ReviewKind; due: string }[];
  /** Intervention types no active provider in the directory offers. */
  uncovered: InterventionType[];
  /** Open packages and proposals with a provider typed in, not from the directory. */
  offDirectory: { case: CaseRecord; type: InterventionType; provider: string }[];
  unreachable: UnreachablePerson[];
}

/**
 * Who must be reachable for reminders to work: co-ordinators, panel members, and whoever raised a case that is
 * still open (they get review copies). Other people in the directory are told nothing by reminders, so a missing
 * chat does not matter for them.
 */
export function needReminders(people: readonly Person[], cases: readonly CaseRecord[]): string[] {
  const ids = new Set(
    people.filter((p) => hasRole(p, 'coordinator', 'panel')).map((p) => lower(p.aadObjectId)),
  );
  for (const c of cases) if (c.status !== 'closed' && c.status !== 'declined') ids.add(lower(c.raisedBy));
  return [...ids];
}

export function planAgenda(input: AgendaInput): Agenda {
  const { today } = input;
  const caseById = new Map(input.cases.map((c) => [c.id, c]));
  const commissioned = (caseId: string) => caseById.get(caseId)?.status === 'commissioned';

  const waiting = input.cases
    .filter((c) => OPEN_BEFORE_COMMISSIONING.includes(c.status))
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));

  const active = input.packages.filter((p) => commissioned(p.caseId));
  const byProvider = new Map<string, { provider: string; count: number; agreedPence: number }>();
  for (const p of active) {
    const row = byProvider.get(p.providerName) ?? { provider: p.providerName, count: 0, agreedPence: 0 };
    row.count += 1;
    row.agreedPence += p.agreedPence;
    byProvider.set(p.providerName, row);
  }
  const packages = [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider));

  const overdue = input.reviews
    .filter((r) => r.status === 'open' && r.due < today)
    .flatMap((r) => {
      const c = caseById.get(r.caseId);
      return c && c.status !== 'closed' ? [{ case: c, review: r.kind, due: r.due }] : [];
    })
    .sort((a, b) => a.due.localeCompare(b.due));

  const offered = new Set(input.providers.filter((p) => p.active).flatMap((p) => p.services));
  const uncovered = INTERVENTION_TYPES.filter((t) => t !== 'other' && !offered.has(t));

  const offDirectory: Agenda['offDirectory'] = [];
  for (const p of active) {
    const c = caseById.get(p.caseId);
    if (c && !p.providerId) offDirectory.push({ case: c, type: p.type, provider: p.providerName });
  }
  const proposals = byRound(input.proposals);
  for (const c of input.cases) {
    if (!OPEN_PROPOSAL_STATUSES.includes(c.status)) continue;
    const p = proposals.get(`${c.id}:${c.round}`)?.[0];
    for (const i of p?.interventions ?? [])
      if (!i.providerId) offDirectory.push({ case: c, type: i.type, provider: i.provider });
  }

  const unreachable = new Map<string, UnreachablePerson>();
  for (const r of input.reminders) {
    if (r.status !== 'unreachable' || (input.since !== undefined && r.claimedAt <= input.since)) continue;
    const id = lower(r.to);
    const row = unreachable.get(id) ?? { person: id, noChat: !input.reachable.has(id), missed: 0 };
    row.missed += 1;
    unreachable.set(id, row);
  }
  for (const id of needReminders(input.people, input.cases)) {
    if (!input.reachable.has(id) && !unreachable.has(id))
      unreachable.set(id, { person: id, noChat: true, missed: 0 });
  }

  return {
    waiting,
    packages,
    overdue,
    uncovered,
    offDirectory,
    unreachable: [...unreachable.values()],
  };
}

/** The order a sweep sends in: the agenda last, so it lists whoever this same sweep could not reach. */
export const SEND_ORDER: readonly ReminderKind[] = [
  'triage-waiting',
  'vote-pending',
  'deadline-passed',
  'review-due',
  'providers-meeting',
  'transitions',
];
