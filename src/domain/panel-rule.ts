// The panel's decision rule: a quorum of votes, then a simple majority; anything short of a majority means changes requested.
import { EipError } from './errors';
import { hasRole } from './case-machine';
import { seatsFor } from './substitutes';
import type { DecisionOutcome, Person, SubstitutionRecord, Tally, VoteChoice } from './types';

export interface PanelRule {
  quorum: number;
  /** With panel cycles: school days between a meeting's cut-off for papers and the meeting (see meetings.ts). */
  cutOffSchoolDays?: number;
}

export const DEFAULT_PANEL_RULE: PanelRule = { quorum: 3 };

export function tally(choices: readonly VoteChoice[]): Tally {
  const t: Tally = { approve: 0, decline: 0, changes: 0 };
  for (const c of choices) t[c] += 1;
  return t;
}

/** The outcome once the quorum is reached, or undefined while votes are still needed. */
export function decide(choices: readonly VoteChoice[], rule: PanelRule): DecisionOutcome | undefined {
  if (choices.length < rule.quorum) return undefined;
  const t = tally(choices);
  const half = choices.length / 2;
  if (t.approve > half) return 'approved';
  if (t.decline > half) return 'declined';
  return 'changes_requested';
}

/** Panel members who may vote on a case raised by this school. */
export function eligibleVoters(people: readonly Person[], schoolId: string): Person[] {
  return people.filter((p) => hasRole(p, 'panel') && p.schoolId !== schoolId);
}

/**
 * Refuses to send a proposal to a panel that could never reach its quorum on it. Counts seats with someone to vote
 * in them today (see seatsFor: an absent member's seat always has a voter, the substitute or the member).
 */
export function assertQuorumReachable(
  people: readonly Person[],
  schoolId: string,
  rule: PanelRule,
  substitutions: readonly SubstitutionRecord[] = [],
  day = '',
): void {
  const n = seatsFor(people, substitutions, schoolId, day).filter((s) => s.voter).length;
  if (n < rule.quorum) {
    throw new EipError(
      'quorum_unreachable',
      `Only ${n} panel member${n === 1 ? '' : 's'} may vote on this case (the others' schools raised it), fewer than the quorum of ${rule.quorum}. Ask the admin to add panel members or change the quorum.`,
    );
  }
}
