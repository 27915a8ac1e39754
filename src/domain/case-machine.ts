// The case lifecycle: which action moves a case from which status, and who may take it.
import { EipError } from './errors';
import type { CaseRecord, CaseStatus, Person, Role } from './types';

export const CASE_ACTIONS = [
  'return',
  'resubmit',
  'accept',
  'assess',
  'propose',
  'vote',
  'commission',
  'spend',
  'review',
  'outcome',
  'close',
  'reopen',
  'withdraw',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

interface Rule {
  from: readonly CaseStatus[];
  /** Who may act: a role, and whether they must belong to the school that raised the case. */
  by: readonly Role[];
  ownSchool: boolean;
}

/** Statuses of a case still on its way to support: it may be withdrawn, and it is on the providers' waiting list. */
export const OPEN_BEFORE_COMMISSIONING: readonly CaseStatus[] = [
  'submitted',
  'returned',
  'accepted',
  'assessed',
  'proposed',
  'approved',
  'changes_requested',
];

export const RULES: Record<CaseAction, Rule> = {
  return: { from: ['submitted'], by: ['coordinator'], ownSchool: false },
  resubmit: { from: ['returned'], by: ['senco', 'head'], ownSchool: true },
  accept: { from: ['submitted'], by: ['coordinator'], ownSchool: false },
  assess: { from: ['accepted'], by: ['coordinator'], ownSchool: false },
  propose: { from: ['assessed', 'changes_requested'], by: ['coordinator'], ownSchool: false },
  vote: { from: ['proposed'], by: ['panel'], ownSchool: false },
  commission: { from: ['approved'], by: ['coordinator'], ownSchool: false },
  spend: { from: ['commissioned'], by: ['coordinator'], ownSchool: false },
  review: { from: ['commissioned'], by: ['coordinator'], ownSchool: false },
  outcome: { from: ['commissioned'], by: ['coordinator'], ownSchool: false },
  close: { from: ['commissioned', 'declined'], by: ['coordinator'], ownSchool: false },
  reopen: { from: ['closed'], by: ['coordinator'], ownSchool: false },
  withdraw: { from: OPEN_BEFORE_COMMISSIONING, by: ['senco', 'head'], ownSchool: true },
};

/** Where each action leaves the case (voting is decided by the panel rule, not here). */
const TARGET: Record<Exclude<CaseAction, 'vote'>, CaseStatus | 'unchanged' | 'closed-from'> = {
  return: 'returned',
  resubmit: 'submitted',
  accept: 'accepted',
  assess: 'assessed',
  propose: 'proposed',
  commission: 'commissioned',
  spend: 'unchanged',
  review: 'unchanged',
  outcome: 'unchanged',
  close: 'closed',
  reopen: 'closed-from',
  withdraw: 'closed',
};

/** The status an action leaves this case in: recording spend or outcomes keeps it; reopening goes back. */
export function targetOf(action: Exclude<CaseAction, 'vote'>, c: CaseRecord): CaseStatus {
  const t = TARGET[action];
  if (t === 'unchanged') return c.status;
  if (t === 'closed-from') return c.closedFrom ?? 'commissioned';
  return t;
}

export const hasRole = (p: Person, ...roles: Role[]): boolean => roles.some((r) => p.roles.includes(r));

export const isOwnSchool = (p: Person, c: Pick<CaseRecord, 'schoolId'>): boolean =>
  p.schoolId !== undefined && p.schoolId === c.schoolId;

/** May this person see the case with the pupil's name? Only the school's SENCo and head, and the co-ordinator. */
export function maySeeNamed(p: Person, c: Pick<CaseRecord, 'schoolId'>): boolean {
  return hasRole(p, 'coordinator') || (hasRole(p, 'senco', 'head') && isOwnSchool(p, c));
}

/** May this person raise a request for their school? */
export function mayRaise(p: Person): boolean {
  return hasRole(p, 'senco', 'head') && p.schoolId !== undefined;
}

function permitted(p: Person, action: CaseAction, c: CaseRecord): boolean {
  const rule = RULES[action];
  if (!hasRole(p, ...rule.by)) return false;
  if (rule.ownSchool && !isOwnSchool(p, c)) return false;
  if (action === 'vote' && isOwnSchool(p, c)) return false;
  return true;
}

/**
 * Checks that this person may take this action on the case as it now stands; throws the refusal they should see.
 * Permission is checked before status, so someone who could never act is not told about the case's progress.
 */
export function assertMay(p: Person, action: CaseAction, c: CaseRecord): void {
  const rule = RULES[action];
  if (action === 'vote' && hasRole(p, 'panel') && isOwnSchool(p, c)) {
    throw new EipError('conflict_of_interest');
  }
  if (!permitted(p, action, c)) {
    throw new EipError('forbidden', forbiddenReason(action));
  }
  if (!rule.from.includes(c.status)) {
    throw new EipError(
      'moved_on',
      `${c.ref} has moved on: it is now ${STATUS_LABELS[c.status].toLowerCase()}, so it can no longer be ${ACTION_PAST[action]}.`,
    );
  }
  if (action === 'reopen' && c.reopenedAt) {
    throw new EipError(
      'moved_on',
      `${c.ref} has been reopened once already, so it cannot be reopened again.`,
    );
  }
  if (action === 'reopen' && c.closureReason === 'withdrawn') {
    throw new EipError(
      'moved_on',
      `${c.ref} was withdrawn by the school; the school can raise a new request.`,
    );
  }
}

/** The actions this person could take on the case right now: what is waiting on them. */
export function actionsFor(p: Person, c: CaseRecord): CaseAction[] {
  return CASE_ACTIONS.filter(
    (a) =>
      RULES[a].from.includes(c.status) &&
      permitted(p, a, c) &&
      !(a === 'reopen' && (c.reopenedAt || c.closureReason === 'withdrawn')),
  );
}

/** The actions that someone else takes next, as a short phrase for the work tray. */
export function waitingOn(c: Pick<CaseRecord, 'status'>): string {
  return WAITING_ON[c.status];
}

function forbiddenReason(action: CaseAction): string {
  switch (RULES[action].by[0]) {
    case 'coordinator':
      return 'Only the EIP co-ordinator can do that.';
    case 'panel':
      return 'Only members of the EIP panel can vote.';
    default:
      return "Only the SENCo or head teacher of the pupil's school can do that.";
  }
}

export const STATUS_LABELS: Record<CaseStatus, string> = {
  submitted: 'Submitted',
  returned: 'Returned with a question',
  accepted: 'Accepted',
  assessed: 'Assessed',
  proposed: 'With the panel',
  approved: 'Approved',
  declined: 'Declined',
  changes_requested: 'Changes requested',
  commissioned: 'Commissioned',
  closed: 'Closed',
};

const WAITING_ON: Record<CaseStatus, string> = {
  submitted: 'the co-ordinator to triage',
  returned: 'the school to answer',
  accepted: 'the co-ordinator to observe and assess',
  assessed: 'the co-ordinator to write a proposal',
  proposed: 'the panel to decide',
  approved: 'the co-ordinator to commission',
  declined: 'the co-ordinator to close',
  changes_requested: 'the co-ordinator to revise the proposal',
  commissioned: 'the provider to deliver and the co-ordinator to review',
  closed: 'nobody',
};

const ACTION_PAST: Record<CaseAction, string> = {
  return: 'returned',
  resubmit: 'resubmitted',
  accept: 'accepted',
  assess: 'assessed',
  propose: 'proposed',
  vote: 'voted on',
  commission: 'commissioned',
  spend: 'charged',
  review: 'rescheduled',
  outcome: 'reviewed',
  close: 'closed',
  reopen: 'reopened',
  withdraw: 'withdrawn',
};
