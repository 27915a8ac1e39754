// The panel's decision rule: a quorum, then a strict majority; anything else sends the proposal back for changes.
import assert from 'node:assert/strict';
import { EipError } from '../../src/domain/errors';
import {
  DEFAULT_PANEL_RULE,
  assertQuorumReachable,
  decide,
  eligibleVoters,
  tally,
} from '../../src/domain/panel-rule';
import type { Person, Role, VoteChoice } from '../../src/domain/types';

const rule = { quorum: 3 };

const member = (name: string, schoolId: string, roles: Role[] = ['panel']): Person => ({
  aadObjectId: `id-${name}`,
  name,
  email: `${name}@example.com`,
  roles,
  schoolId,
});

describe('panel rule', () => {
  describe('decide', () => {
    it('waits for more votes while the quorum is not reached', () => {
      assert.equal(decide([], rule), undefined);
      assert.equal(decide(['approve'], rule), undefined);
      assert.equal(decide(['approve', 'approve'], rule), undefined);
    });

    it('approves when a strict majority approves', () => {
      assert.equal(decide(['approve', 'approve', 'decline'], rule), 'approved');
      assert.equal(decide(['approve', 'approve', 'approve'], rule), 'approved');
    });

    it('declines when a strict majority declines', () => {
      assert.equal(decide(['decline', 'changes', 'decline'], rule), 'declined');
    });

    it('asks for changes when a majority asks for changes', () => {
      assert.equal(decide(['changes', 'changes', 'approve'], rule), 'changes_requested');
    });

    it('treats a 2–2 tie as changes requested', () => {
      assert.equal(decide(['approve', 'approve', 'decline', 'decline'], rule), 'changes_requested');
    });

    it('treats a three-way split (1/1/1) as changes requested', () => {
      assert.equal(decide(['approve', 'decline', 'changes'], rule), 'changes_requested');
    });

    it('counts every vote when more than the quorum have voted', () => {
      const five: VoteChoice[] = ['approve', 'decline', 'approve', 'decline', 'approve'];
      assert.equal(decide(five, rule), 'approved');
      const fiveDeclined: VoteChoice[] = ['approve', 'decline', 'decline', 'changes', 'decline'];
      assert.equal(decide(fiveDeclined, rule), 'declined');
      const noMajority: VoteChoice[] = ['approve', 'approve', 'decline', 'changes', 'changes'];
      assert.equal(decide(noMajority, rule), 'changes_requested');
    });

    it('decides on a single vote when the quorum is one', () => {
      assert.equal(decide(['decline'], { quorum: 1 }), 'declined');
    });

    it('uses a default quorum of three', () => {
      assert.equal(DEFAULT_PANEL_RULE.quorum, 3);
      assert.equal(decide(['approve', 'approve'], DEFAULT_PANEL_RULE), undefined);
    });

    it('tallies each choice', () => {
      assert.deepEqual(tally(['approve', 'decline', 'approve', 'changes']), {
        approve: 2,
        decline: 1,
        changes: 1,
      });
      assert.deepEqual(tally([]), { approve: 0, decline: 0, changes: 0 });
    });
  });

  describe('who may vote', () => {
    const people = [
      member('lynne', 'oakfield-primary'),
      member('patti', 'brookside-primary'),
      member('alex', 'hillcrest-academy'),
      member('isaiah', 'riverside-school'),
      member('megan', 'oakfield-primary', ['senco']),
    ];

    it('excludes panel members whose own school raised the case', () => {
      const names = eligibleVoters(people, 'oakfield-primary').map((p) => p.name);
      assert.deepEqual(names, ['patti', 'alex', 'isaiah']);
    });

    it('excludes people who are not on the panel', () => {
      const names = eligibleVoters(people, 'riverside-school').map((p) => p.name);
      assert.deepEqual(names, ['lynne', 'patti', 'alex']);
    });

    it('lets a proposal go to a panel that can reach its quorum', () => {
      assert.doesNotThrow(() => assertQuorumReachable(people, 'oakfield-primary', rule));
    });

    it('refuses a proposal the panel could never decide, saying how many may vote', () => {
      assert.throws(
        () => assertQuorumReachable(people, 'oakfield-primary', { quorum: 4 }),
        (e: unknown) => {
          assert.ok(e instanceof EipError);
          assert.equal(e.code, 'quorum_unreachable');
          assert.match(e.message, /Only 3 panel members may vote on this case/);
          assert.match(e.message, /quorum of 4/);
          return true;
        },
      );
    });

    it('says "1 panel member" when only one may vote', () => {
      const two = [member('lynne', 'oakfield-primary'), member('patti', 'brookside-primary')];
      assert.throws(
        () => assertQuorumReachable(two, 'oakfield-primary', rule),
        (e: unknown) => {
          assert.ok(e instanceof EipError);
          assert.equal(e.code, 'quorum_unreachable');
          assert.match(e.message, /Only 1 panel member may vote/);
          return true;
        },
      );
    });
  });
});
