import {
  CASE_STATUSES,
  hasRole,
  isOwnSchool,
  londonDate,
  runningFor,
  seatsOf,
  showDate,
  standingInFor,
  type CaseRecord,
  type Person,
  type ReviewRecord,
  type SubstitutionRecord,
} from '../../domain';
import { action, casesCard, type Card } from '../../cards';
import { audit, proposalId, voteId } from '../records';
import { substitutions } from '../panel/state';
import { caseRow } from '../views';
import type { Handler } from './context';
import type { AppDeps } from '../ports';
import type { Actor } from '../identity';
import { receivedRows } from '../transitions/handlers';

const MAX_ROWS = 25;

/** Which cases a person may see at all. */
export function mayOpen(p: Person, c: CaseRecord): boolean {
  if (hasRole(p, 'coordinator', 'admin')) return true;
  if (hasRole(p, 'senco', 'head') && isOwnSchool(p, c)) return true;
  return hasRole(p, 'panel') && c.round > 0;
}

/**
 * May this person see a proposal's pseudonymised panel card, and vote from it, without being on the panel: a head
 * standing in today for a panel member, on a case in this round whose member's seat they hold, while it is before
 * the panel (or, once decided, if they voted in it). From the stored substitutions and the directory, never the card;
 * and only the panel card: the named case stays behind `mayOpen`. When the substitution ends, so does this.
 */
export async function holdsSeatOn(
  deps: AppDeps,
  p: Person,
  c: CaseRecord,
  round = c.round,
  /** The stored substitutions, when the caller has read them already (the work tray, for each proposal). */
  stored?: readonly SubstitutionRecord[],
): Promise<boolean> {
  if (c.round === 0 || round !== c.round) return false;
  const today = londonDate(deps.now());
  const subs = stored ?? (await substitutions(deps));
  const held = seatsOf(p, deps.directory.people, subs, c.schoolId, today).filter((s) => s.substituted);
  if (held.length === 0) return false;
  if (c.status === 'proposed') return true;
  const me = p.aadObjectId.toLowerCase();
  return (await deps.store.votes.find({ caseId: c.id, round })).some(
    (v) => v.value.castBy?.toLowerCase() === me,
  );
}

/** The statuses the work tray lists: every case not closed. */
const OPEN_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed');

/**
 * The open cases a person may be shown, by indexed queries on status (and school), so the tray's cost follows the
 * open caseload, not the years of closed history.
 */
async function visibleCases(deps: AppDeps, p: Person, held: Set<string>): Promise<CaseRecord[]> {
  const cases = deps.store.cases;
  const byStatus = async (schoolId?: string) =>
    (await Promise.all(OPEN_STATUSES.map((status) => cases.find({ status, schoolId })))).flat();
  if (hasRole(p, 'coordinator', 'admin')) return (await byStatus()).map((s) => s.value);
  const seen = new Map<string, CaseRecord>();
  if (hasRole(p, 'senco', 'head') && p.schoolId) {
    for (const s of await byStatus(p.schoolId)) seen.set(s.value.id, s.value);
  }
  if (hasRole(p, 'panel'))
    for (const s of await cases.find({ status: 'proposed' })) seen.set(s.value.id, s.value);
  else {
    const subs = await substitutions(deps);
    if (standingInFor(subs, p.aadObjectId, londonDate(deps.now())).length) {
      // A head standing in for a panel member: the proposals whose seat they hold (their own school's are seen above).
      for (const s of await cases.find({ status: 'proposed' }))
        if (!seen.has(s.value.id) && (await holdsSeatOn(deps, p, s.value, s.value.round, subs))) {
          seen.set(s.value.id, s.value);
          held.add(s.value.id);
        }
    }
  }
  return [...seen.values()];
}

interface PanelLine {
  text: string;
  mine: boolean;
  /** For a case seen only through a seat held as a substitute: its row opens the panel card, not the case. */
  panelOnly?: { round: number };
}

/**
 * A panel member's line for each case before the panel: the votes waiting on them (their own, and those they hold
 * as a substitute), or that they have voted or are away, with the meeting the case is on (or the date to decide by).
 */
async function panelLines(
  deps: AppDeps,
  p: Person,
  cases: readonly CaseRecord[],
  today: string,
): Promise<Map<string, PanelLine>> {
  const before = cases.filter((c) => c.status === 'proposed');
  const subs = await substitutions(deps);
  const out = new Map<string, PanelLine>();
  await Promise.all(
    before.map(async (c) => {
      const seats = seatsOf(p, deps.directory.people, subs, c.schoolId, today);
      const [proposal, ...cast] = await Promise.all([
        deps.store.proposals.get(proposalId(c.id, c.round)),
        ...seats.map((s) => deps.store.votes.get(voteId(c.id, c.round, s.member.aadObjectId))),
      ]);
      const when = proposal?.value.meetingId
        ? ` · panel meeting ${showDate(proposal.value.deadline ?? proposal.value.meetingId)}`
        : proposal?.value.deadline
          ? ` · decide by ${showDate(proposal.value.deadline)}`
          : '';
      // A head standing in (not on the panel) sees this case only as the panel does.
      const panelOnly = !mayOpen(p, c) ? { panelOnly: { round: c.round } } : {};
      const waiting = seats.filter((_, i) => !cast[i]);
      const held = waiting.filter((s) => s.substituted).map((s) => s.member.name);
      const own = waiting.some((s) => !s.substituted);
      if (waiting.length) {
        const text = own
          ? `Waiting on your vote in the panel's chat${held.length ? ` (and ${held.join(' and ')}'s, as substitute)` : ''}`
          : `Waiting on your vote for ${held.join(' and ')}, as substitute: open it to vote`;
        out.set(c.id, { text: `${text}${when}`, mine: true, ...panelOnly });
        return;
      }
      const away = runningFor(subs, p.aadObjectId, today);
      if (away && !isOwnSchool(p, c))
        out.set(c.id, {
          text: `You're away: ${deps.directory.person(away.substitute)?.name ?? 'your substitute'} votes for you${when}`,
          mine: false,
        });
      else if (seats.length)
        out.set(c.id, {
          text: `You have voted; waiting on the panel to decide${when}`,
          mine: false,
          ...panelOnly,
        });
    }),
  );
  return out;
}

/** The work tray: open cases first, those waiting on this person at the top. */
export async function workTray(deps: AppDeps, actor: Actor): Promise<Card> {
  const p = actor.person;
  // A case is listed if this person may open it, or (a head standing in) holds a seat on it today.
  const held = new Set<string>();
  const all = (await visibleCases(deps, p, held)).filter((c) => mayOpen(p, c) || held.has(c.id));
  const open = all.filter((c) => c.status !== 'closed');
  // The next outcome review of each commissioned case, so a review falling due shows as waiting on the co-ordinator.
  const next = new Map<string, ReviewRecord>();
  if (open.some((c) => c.status === 'commissioned')) {
    for (const { value: r } of await deps.store.reviews.find({ status: 'open' })) {
      const seen = next.get(r.caseId);
      if (!seen || r.due < seen.due) next.set(r.caseId, r);
    }
  }
  const today = londonDate(deps.now());
  const votes =
    hasRole(p, 'panel') || held.size > 0
      ? await panelLines(deps, p, open, today)
      : new Map<string, PanelLine>();
  const rows = open
    .map((c) => {
      const row = caseRow(p, c, next.get(c.id), today);
      const line = votes.get(c.id);
      if (!line) return row;
      // A row seen only through a held seat opens the panel's pseudonymised card, never the case.
      const opens = line.panelOnly
        ? { open: action('Open', 'panelView', { caseId: c.id, round: line.panelOnly.round }) }
        : {};
      return { ...row, waiting: line.text, mine: line.mine, ...opens };
    })
    // References are ASCII ("EIP-2026-0042"): a plain comparison orders them, many times faster than localeCompare.
    .sort((a, b) => Number(b.mine) - Number(a.mine) || (a.ref < b.ref ? 1 : a.ref > b.ref ? -1 : 0));
  const mine = rows.filter((r) => r.mine).length;
  // Cases transferred to the viewer's school: their own section, each opening the transfer only.
  const received = await receivedRows(deps, p, today);
  await audit(
    deps,
    actor,
    'list-cases',
    undefined,
    `${rows.length} open cases listed${received.length ? `, ${received.length} transferred in` : ''}`,
  );
  return casesCard({
    title: 'My cases',
    summary:
      rows.length === 0
        ? 'No open cases for you yet.'
        : `${rows.length} open case${rows.length === 1 ? '' : 's'}, ${mine} waiting on you${rows.length > MAX_ROWS ? `. Showing the first ${MAX_ROWS}.` : '.'}`,
    rows: rows.slice(0, MAX_ROWS),
    ...(received.length ? { received } : {}),
    actions: [action('Help', 'help')],
  });
}

export const myCases: Handler = async ({ deps, actor }) => workTray(deps, actor);
