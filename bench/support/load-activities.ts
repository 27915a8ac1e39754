// What a load run sends, request after request: the floor's echo press, or the panel vote of voter i % 50 on case
// i / 50 (of the cases seeded before the panel), so each voter votes once a case and the 50th vote decides it.
import { P } from '../../test/support/harness';
import { QUORUM, member, press } from './world';

/** The voters on every bench case: the fixture's two panel members outside Oakfield, and the extra members. */
export const voter = (n: number) => (n === 0 ? P.alex : n === 1 ? P.lynne : member(n - 1));

/** The i-th vote: who votes, on which seeded case. */
export const voteActivity = (connector: string, cases: string[], i: number) => {
  const caseId = cases[Math.floor(i / QUORUM) % cases.length]!;
  return press(connector, voter(i % QUORUM), 'vote', { caseId, round: 1, choice: 'approve' }, 'panel');
};

export function loadActivity(kind: string, connector: string, offset: number) {
  const cases = (process.env.BENCH_CASES ?? '').split(',').filter(Boolean);
  let i = offset;
  const make = () => {
    const n = i;
    i += 1;
    if (kind === 'vote') return voteActivity(connector, cases, n);
    return press(connector, P.alex, 'help', {}, 'panel');
  };
  return Object.assign(make, { count: () => i - offset });
}
