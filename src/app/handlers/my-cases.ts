import {
  CASE_STATUSES,
  hasRole,
  isOwnSchool,
  londonDate,
  type CaseRecord,
  type Person,
  type ReviewRecord,
} from '../../domain';
import { action, casesCard, type Card } from '../../cards';
import { audit } from '../records';
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

/** The statuses the work tray lists: every case not closed. */
const OPEN_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed');

/**
 * The open cases a person may be shown, by indexed queries on status (and school), so the tray's cost follows the
 * open caseload, not the years of closed history.
 */
async function visibleCases(deps: AppDeps, p: Person): Promise<CaseRecord[]> {
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
  return [...seen.values()];
}

/** The work tray: open cases first, those waiting on this person at the top. */
export async function workTray(deps: AppDeps, actor: Actor): Promise<Card> {
  const p = actor.person;
  const all = (await visibleCases(deps, p)).filter((c) => mayOpen(p, c));
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
  const rows = open
    .map((c) => caseRow(p, c, next.get(c.id), today))
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
