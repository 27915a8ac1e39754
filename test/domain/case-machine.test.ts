// Who may move a case on, from which status, and who may see the pupil's name.
import assert from 'node:assert/strict';
import {
  CASE_ACTIONS,
  RULES,
  actionsFor,
  assertMay,
  maySeeNamed,
  mayRaise,
  waitingOn,
  type CaseAction,
} from '../../src/domain/case-machine';
import { EipError } from '../../src/domain/errors';
import {
  CASE_STATUSES,
  type CaseRecord,
  type CaseStatus,
  type Person,
  type Role,
} from '../../src/domain/types';

const OWN = 'oakfield-primary';
const OTHER = 'brookside-primary';

const person = (roles: Role[], schoolId?: string): Person => ({
  aadObjectId: `id-${roles.join('-')}-${schoolId ?? 'la'}`,
  name: `A ${roles.join(' ')}`,
  email: 'someone@example.com',
  roles,
  ...(schoolId !== undefined ? { schoolId } : {}),
});

const coordinator = person(['coordinator']);
const senco = person(['senco'], OWN);
const head = person(['head'], OWN);
const otherSenco = person(['senco'], OTHER);
const otherHead = person(['head'], OTHER);
const panel = person(['panel'], OTHER);
const ownPanel = person(['panel'], OWN);
const admin = person(['admin']);

const aCase = (status: CaseStatus): CaseRecord => ({
  id: 'case-1',
  ref: 'EIP-2026-0042',
  schoolId: OWN,
  raisedBy: senco.aadObjectId,
  raisedAt: '2026-11-20T10:00:00.000Z',
  status,
  request: {
    kind: 'individual',
    pupilName: 'Sam Price',
    yearGroup: 'Year 4',
    needs: ['semh'],
    tried: 'A calm corner.',
    asked: 'Counselling.',
  },
  round: 0,
  updatedAt: '2026-11-20T10:00:00.000Z',
});

/** Someone the rule lets take this action on a case raised by OWN. */
function permittedFor(action: CaseAction): Person {
  const by = RULES[action].by;
  if (by.includes('coordinator')) return coordinator;
  if (by.includes('panel')) return panel;
  return senco;
}

function refusalCode(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof EipError, `expected an EipError, got ${String(e)}`);
    return e.code;
  }
}

const COORDINATOR_ONLY: CaseAction[] = ['return', 'accept', 'assess', 'propose', 'commission', 'close'];

describe('case machine', () => {
  describe('which status each action may be taken from', () => {
    for (const action of CASE_ACTIONS) {
      for (const status of CASE_STATUSES) {
        const allowed = RULES[action].from.includes(status);
        it(`${allowed ? 'allows' : 'refuses as moved on'} "${action}" on a ${status} case`, () => {
          const code = refusalCode(() => assertMay(permittedFor(action), action, aCase(status)));
          assert.equal(code, allowed ? undefined : 'moved_on');
        });
      }
    }

    it('lets the co-ordinator accept a submitted request', () => {
      assert.doesNotThrow(() => assertMay(coordinator, 'accept', aCase('submitted')));
    });

    it('tells the co-ordinator a case already with the panel has moved on when they try to accept it from an old card', () => {
      assert.throws(
        () => assertMay(coordinator, 'accept', aCase('proposed')),
        (e: unknown) => {
          assert.ok(e instanceof EipError);
          assert.equal(e.code, 'moved_on');
          assert.equal(
            e.message,
            'EIP-2026-0042 has moved on: it is now with the panel, so it can no longer be accepted.',
          );
          return true;
        },
      );
    });

    it('refuses a vote once the panel has decided', () => {
      assert.throws(() => assertMay(panel, 'vote', aCase('approved')), { code: 'moved_on' });
    });

    it('lets the school withdraw a request that is approved but not yet commissioned', () => {
      assert.doesNotThrow(() => assertMay(senco, 'withdraw', aCase('approved')));
    });

    it('refuses to withdraw a request once it is commissioned', () => {
      assert.throws(() => assertMay(senco, 'withdraw', aCase('commissioned')), { code: 'moved_on' });
    });

    it('lets the co-ordinator revise and re-propose after the panel asks for changes', () => {
      assert.doesNotThrow(() => assertMay(coordinator, 'propose', aCase('changes_requested')));
    });

    it('lets the co-ordinator close a declined case', () => {
      assert.doesNotThrow(() => assertMay(coordinator, 'close', aCase('declined')));
    });
  });

  describe('who may act', () => {
    for (const action of COORDINATOR_ONLY) {
      for (const [who, p] of [
        ['a SENCo', senco],
        ['a head teacher', head],
        ['a panel member', panel],
        ['an admin', admin],
      ] as const) {
        it(`refuses "${action}" from ${who}: only the co-ordinator may do it`, () => {
          const status = RULES[action].from[0]!;
          assert.throws(
            () => assertMay(p, action, aCase(status)),
            (e: unknown) => {
              assert.ok(e instanceof EipError);
              assert.equal(e.code, 'forbidden');
              assert.equal(e.message, 'Only the EIP co-ordinator can do that.');
              return true;
            },
          );
        });
      }
    }

    it('checks permission before status, so a SENCo is not told how far another step has gone', () => {
      assert.throws(() => assertMay(senco, 'accept', aCase('closed')), { code: 'forbidden' });
    });

    for (const action of ['resubmit', 'withdraw'] as const) {
      const status = RULES[action].from[0]!;
      it(`lets the SENCo of the case's own school ${action}`, () => {
        assert.doesNotThrow(() => assertMay(senco, action, aCase(status)));
      });
      it(`lets the head teacher of the case's own school ${action}`, () => {
        assert.doesNotThrow(() => assertMay(head, action, aCase(status)));
      });
      it(`refuses "${action}" from another school's SENCo`, () => {
        assert.throws(
          () => assertMay(otherSenco, action, aCase(status)),
          (e: unknown) => {
            assert.ok(e instanceof EipError);
            assert.equal(e.code, 'forbidden');
            assert.match(e.message, /SENCo or head teacher of the pupil's school/);
            return true;
          },
        );
      });
      it(`refuses "${action}" from another school's head teacher`, () => {
        assert.throws(() => assertMay(otherHead, action, aCase(status)), { code: 'forbidden' });
      });
      it(`refuses "${action}" from the co-ordinator, panel and admin`, () => {
        for (const p of [coordinator, panel, admin]) {
          assert.throws(() => assertMay(p, action, aCase(status)), { code: 'forbidden' });
        }
      });
    }

    it('lets a panel member from another school vote', () => {
      assert.doesNotThrow(() => assertMay(panel, 'vote', aCase('proposed')));
    });

    it('declines a vote from a panel member whose school raised the case', () => {
      assert.throws(
        () => assertMay(ownPanel, 'vote', aCase('proposed')),
        (e: unknown) => {
          assert.ok(e instanceof EipError);
          assert.equal(e.code, 'conflict_of_interest');
          assert.equal(e.message, "You can't vote on this case: your school raised it.");
          return true;
        },
      );
    });

    it('declines a conflicted vote even after the case has moved on, rather than revealing its progress', () => {
      assert.throws(() => assertMay(ownPanel, 'vote', aCase('approved')), { code: 'conflict_of_interest' });
    });

    it('refuses a vote from someone who is not on the panel', () => {
      for (const p of [coordinator, senco, otherSenco, admin]) {
        assert.throws(
          () => assertMay(p, 'vote', aCase('proposed')),
          (e: unknown) => {
            assert.ok(e instanceof EipError);
            assert.equal(e.code, 'forbidden');
            assert.equal(e.message, 'Only members of the EIP panel can vote.');
            return true;
          },
        );
      }
    });

    it('lets a person with several roles act under each of them', () => {
      const sencoAndPanel = person(['senco', 'panel'], OWN);
      assert.doesNotThrow(() => assertMay(sencoAndPanel, 'withdraw', aCase('proposed')));
      assert.throws(() => assertMay(sencoAndPanel, 'vote', aCase('proposed')), {
        code: 'conflict_of_interest',
      });
    });
  });

  describe("who may see the pupil's name", () => {
    const c = aCase('submitted');

    it('shows the name to the co-ordinator', () => {
      assert.equal(maySeeNamed(coordinator, c), true);
    });

    it("shows the name to the SENCo and head teacher of the pupil's school", () => {
      assert.equal(maySeeNamed(senco, c), true);
      assert.equal(maySeeNamed(head, c), true);
    });

    it("hides the name from another school's SENCo and head teacher", () => {
      assert.equal(maySeeNamed(otherSenco, c), false);
      assert.equal(maySeeNamed(otherHead, c), false);
    });

    it('hides the name from the LA admin', () => {
      assert.equal(maySeeNamed(admin, c), false);
    });

    it('hides the name from panel members, even one from the same school', () => {
      assert.equal(maySeeNamed(panel, c), false);
      assert.equal(maySeeNamed(ownPanel, c), false);
    });

    it('hides the name from a SENCo-role person with no school', () => {
      assert.equal(maySeeNamed(person(['senco']), c), false);
    });
  });

  describe('who may raise a request', () => {
    it('lets a SENCo or head teacher with a school raise a request', () => {
      assert.equal(mayRaise(senco), true);
      assert.equal(mayRaise(head), true);
    });

    it('refuses the co-ordinator, panel-only members and admins', () => {
      assert.equal(mayRaise(coordinator), false);
      assert.equal(mayRaise(panel), false);
      assert.equal(mayRaise(admin), false);
    });
  });

  describe('what waits on whom', () => {
    it('offers the co-ordinator return and accept on a submitted request', () => {
      assert.deepEqual(actionsFor(coordinator, aCase('submitted')), ['return', 'accept']);
    });

    it('offers the SENCo only withdraw while a request waits for triage', () => {
      assert.deepEqual(actionsFor(senco, aCase('submitted')), ['withdraw']);
    });

    it('offers the SENCo resubmit and withdraw on a returned request', () => {
      assert.deepEqual(actionsFor(senco, aCase('returned')), ['resubmit', 'withdraw']);
    });

    it('offers a panel member a vote on a proposed case, and a conflicted member nothing', () => {
      assert.deepEqual(actionsFor(panel, aCase('proposed')), ['vote']);
      assert.deepEqual(actionsFor(ownPanel, aCase('proposed')), []);
    });

    it("offers another school's SENCo and the admin nothing", () => {
      for (const status of CASE_STATUSES) {
        assert.deepEqual(actionsFor(otherSenco, aCase(status)), []);
        assert.deepEqual(actionsFor(admin, aCase(status)), []);
      }
    });

    it('offers only the co-ordinator anything on a closed case: reopening it, once', () => {
      for (const p of [senco, head, panel, admin]) assert.deepEqual(actionsFor(p, aCase('closed')), []);
      assert.deepEqual(actionsFor(coordinator, aCase('closed')), ['reopen']);
      assert.deepEqual(
        actionsFor(coordinator, { ...aCase('closed'), reopenedAt: '2027-01-05T10:00:00.000Z' }),
        [],
      );
      assert.deepEqual(actionsFor(coordinator, { ...aCase('closed'), closureReason: 'withdrawn' }), []);
    });

    it('offers exactly the actions assertMay would allow, for every status and person', () => {
      for (const status of CASE_STATUSES) {
        for (const p of [coordinator, senco, head, otherSenco, panel, ownPanel, admin]) {
          const allowed = CASE_ACTIONS.filter(
            (a) => refusalCode(() => assertMay(p, a, aCase(status))) === undefined,
          );
          assert.deepEqual(actionsFor(p, aCase(status)), allowed, `${p.name} on a ${status} case`);
        }
      }
    });

    it('says who the case is waiting on, for every status', () => {
      assert.equal(waitingOn({ status: 'submitted' }), 'the co-ordinator to triage');
      assert.equal(waitingOn({ status: 'returned' }), 'the school to answer');
      assert.equal(waitingOn({ status: 'proposed' }), 'the panel to decide');
      assert.equal(waitingOn({ status: 'closed' }), 'nobody');
      for (const status of CASE_STATUSES) {
        const phrase = waitingOn({ status });
        assert.equal(typeof phrase, 'string');
        assert.ok(phrase.length > 0, `a phrase for ${status}`);
      }
    });
  });
});
