// The reminder sweep: works out from the stored records which reminders are due, claims each one under its key,
// sends it, and records that it went. Nothing is kept in memory between sweeps, so a restart, downtime, or two
// instances sharing one store neither lose a reminder nor send one twice.
import {
  SchoolCalendar,
  londonDate,
  type CaseRecord,
  type ReminderKind,
  type ReminderRecord,
} from '../domain';
import { SEND_ORDER, planReminders, type DueReminder } from '../domain/reminders';
import type { Card } from '../cards';
import { tellPerson } from '../app/messenger';
import type { AppDeps } from '../app/ports';
import { agendaCardFor } from '../app/reminders/agenda';
import { runPanelCycle } from '../app/panel/cycle';
import { caseReminderCard } from '../app/reminders/cards';
import { pseudonym } from '../app/views';
import { transitionsCard, transitionsDue } from '../app/transitions/handlers';
import { isSummerTerm, transitionReminders } from '../domain/transitions';
import { isStoreError, type ConversationRecord, type Stored } from '../store/store';

/** A claim older than this was left by a sweep that stopped between claiming and sending; a later sweep sends it. */
export const STALE_CLAIM_MS = 10 * 60_000;

export interface SweepOptions {
  /** The sweep's clock; the app's by default. */
  now?: Date;
  /** List what would be sent, without claiming or sending anything. */
  dryRun?: boolean;
}

export type SweepOutcome = 'would-send' | 'sent' | 'unreachable';

/** One reminder a sweep acted on, as a report may show it: by case reference, never a pupil's name. */
export interface SweepEntry {
  key: string;
  kind: ReminderKind;
  ref?: string;
  /** "Individual pupil, Year 4" or "Whole class, Year 4". */
  about?: string;
  to: string;
  toName: string;
  due: string;
  outcome: SweepOutcome;
}

export interface SweepReport {
  /** The London date the sweep ran as of. */
  today: string;
  dryRun: boolean;
  reminders: SweepEntry[];
}

const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** Noon in London on a day, GMT or BST: the moment a sweep "as of" that day runs at. */
export function londonNoon(day: string): Date {
  const utcNoon = new Date(`${day}T12:00:00Z`);
  return new Date(utcNoon.getTime() - (Number(LONDON_HOUR.format(utcNoon)) - 12) * 3_600_000);
}

const ageMs = (iso: string, now: Date) => now.getTime() - Date.parse(iso);

/**
 * Whether this sweep may send a planned reminder: nobody has claimed it; or a claim was abandoned mid-send; or the
 * person could not be reached then and has opened a chat with the bot since.
 */
function mayTake(
  prior: ReminderRecord | undefined,
  conversation: ConversationRecord | undefined,
  now: Date,
): boolean {
  if (!prior) return true;
  if (prior.status === 'sending') return ageMs(prior.claimedAt, now) > STALE_CLAIM_MS;
  if (prior.status === 'unreachable')
    return conversation !== undefined && conversation.updatedAt > prior.claimedAt;
  return false;
}

/** Claims a reminder for this sweep: an atomic create, or a take-over by eTag. Undefined when another sweep won. */
async function claim(
  deps: AppDeps,
  d: DueReminder,
  prior: Stored<ReminderRecord> | undefined,
  now: Date,
): Promise<Stored<ReminderRecord> | undefined> {
  const record: ReminderRecord = {
    id: d.key,
    kind: d.kind,
    ...('caseId' in d ? { caseId: d.caseId } : {}),
    to: d.to,
    due: d.due,
    status: 'sending',
    claimedAt: now.toISOString(),
  };
  try {
    return prior
      ? await deps.store.reminders.replace(record, prior.eTag)
      : await deps.store.reminders.create(record);
  } catch (e) {
    if (isStoreError(e, 'exists') || isStoreError(e, 'stale') || isStoreError(e, 'missing')) return undefined;
    throw e;
  }
}

/** Runs one sweep as of a moment. */
export async function runReminderSweep(deps: AppDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const now = options.now ?? deps.now();
  const dryRun = options.dryRun ?? false;
  const today = londonDate(now);
  const { calendar } = deps.directory;
  const s = deps.store;
  // Panel cycles and substitutes first: votes handed back today are reminded today, to the member.
  if (!dryRun) {
    const panel = await runPanelCycle(deps, today);
    if (panel.length) deps.log.info({ today, panel }, 'panel cycle');
  }
  // Only the records a reminder can come from, by indexed queries, so a sweep's cost follows the open caseload and
  // not the years of history: cases awaiting triage, before the panel, or commissioned (their open reviews), and
  // the proposals, votes and decisions of the cases before the panel.
  const [submitted, proposed, commissioned, reviews, conversations, substitutions] = await Promise.all([
    s.cases.find({ status: 'submitted' }),
    s.cases.find({ status: 'proposed' }),
    s.cases.find({ status: 'commissioned' }),
    s.reviews.find({ status: 'open' }),
    s.conversations.find({ kind: 'person' }),
    s.substitutions.find(),
  ]);
  const cases = [...submitted, ...proposed, ...commissioned];
  const ofProposed = <T>(find: (caseId: string) => Promise<Stored<T>[]>) =>
    Promise.all(proposed.map((c) => find(c.value.id))).then((found) => found.flat().map((x) => x.value));
  const [proposals, votes, decisions] = await Promise.all([
    ofProposed((caseId) => s.proposals.find({ caseId })),
    ofProposed((caseId) => s.votes.find({ caseId })),
    ofProposed((caseId) => s.decisions.find({ caseId })),
  ]);
  const caseById = new Map<string, CaseRecord>(cases.map((c) => [c.value.id, c.value]));
  const reach = new Map(conversations.map((c) => [c.value.id.toLowerCase(), c.value]));
  const due = planReminders({
    today,
    calendar,
    rules: deps.directory.reminders,
    people: deps.directory.people,
    cases: cases.map((x) => x.value),
    proposals,
    votes,
    decisions,
    reviews: reviews.map((x) => x.value),
    substitutions: substitutions.map((x) => x.value),
  }).sort((a, b) => SEND_ORDER.indexOf(a.kind) - SEND_ORDER.indexOf(b.kind));
  // In the summer term, the co-ordinator's list of children moving on (all cases read only then, once a sweep).
  const moving = isSummerTerm(today, deps.directory.terms) ? await transitionsDue(deps, today) : [];
  due.push(
    ...transitionReminders(
      today,
      deps.directory.terms,
      deps.directory.withRole('coordinator').map((p) => p.aadObjectId),
      moving.length,
    ),
  );
  // What was recorded of each planned reminder, looked up by its key: not every reminder ever sent.
  const prior = new Map(
    (await Promise.all(due.map((d) => s.reminders.get(d.key)))).flatMap((r, i) =>
      r ? [[due[i]!.key, r] as const] : [],
    ),
  );

  const out: SweepEntry[] = [];
  for (const d of due) {
    const before = prior.get(d.key);
    if (!mayTake(before?.value, reach.get(d.to), now)) continue;
    const c = 'caseId' in d ? caseById.get(d.caseId) : undefined;
    const entry = {
      key: d.key,
      kind: d.kind,
      ...(c ? { ref: c.ref, about: pseudonym(c) } : {}),
      to: d.to,
      toName: deps.directory.person(d.to)?.name ?? 'someone no longer in the directory',
      due: d.due,
    };
    if (dryRun) {
      out.push({ ...entry, outcome: 'would-send' });
      continue;
    }
    const claimed = await claim(deps, d, before, now);
    if (!claimed) continue;
    let reached: boolean;
    try {
      reached = await tellPerson(deps, d.to, await cardFor(deps, d, c, today, calendar));
    } catch (e) {
      // The claim stays 'sending', so a sweep after STALE_CLAIM_MS tries again; the others go out meanwhile.
      deps.log.error(
        { reminder: d.key, err: e instanceof Error ? e.message : String(e) },
        'reminder not sent: it will be tried again',
      );
      continue;
    }
    const outcome = reached ? 'sent' : 'unreachable';
    try {
      await s.reminders.replace(
        { ...claimed.value, status: outcome, ...(reached ? { sentAt: now.toISOString() } : {}) },
        claimed.eTag,
      );
    } catch (e) {
      if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
      deps.log.warn({ reminder: d.key }, 'reminder sent, but another sweep took it over meanwhile');
    }
    deps.log.info({ reminder: d.key, outcome }, 'reminder');
    out.push({ ...entry, outcome });
  }
  deps.log.info(
    {
      today,
      dryRun,
      sent: out.filter((e) => e.outcome === 'sent').length,
      unreachable: out.filter((e) => e.outcome === 'unreachable').length,
      wouldSend: out.filter((e) => e.outcome === 'would-send').length,
    },
    'reminder sweep',
  );
  return { today, dryRun, reminders: out };
}

async function cardFor(
  deps: AppDeps,
  d: DueReminder,
  c: CaseRecord | undefined,
  today: string,
  calendar: SchoolCalendar,
): Promise<Card> {
  if (d.kind === 'providers-meeting') return agendaCardFor(deps, today, d.to);
  if (d.kind === 'transitions') {
    const viewer = deps.directory.person(d.to);
    if (!viewer) throw new Error('the co-ordinator is no longer in the directory');
    return transitionsCard(deps.directory, viewer, await transitionsDue(deps, today), today);
  }
  if (!c) throw new Error(`no case ${d.caseId}`);
  const cast = (await deps.store.votes.find({ caseId: c.id })).filter(
    (v) => v.value.round === c.round,
  ).length;
  return caseReminderCard(d, c, {
    today,
    calendar,
    votes: { cast, quorum: deps.directory.panel.quorum },
    nameOf: (id) => deps.directory.person(id)?.name ?? 'a panel member',
  });
}
