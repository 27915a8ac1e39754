// When a child moves on: the year group they are in today, the summer term, the last year of each phase, and which
// cases may be transferred or are on the co-ordinator's transition list.
import assert from 'node:assert/strict';
import {
  LAST_YEARS,
  isSummerTerm,
  isTransitionDue,
  mayTransferNow,
  yearGroupNow,
  type CaseRecord,
} from '../../src/domain';
import { caseRecord, fixtureDirectory } from '../support/records';

const TERMS = fixtureDirectory().terms;
/** Raised in Year 6 in November 2026 at a primary school. */
const year6 = (over: Partial<CaseRecord> = {}) =>
  caseRecord({
    id: 'c1',
    status: 'commissioned',
    ...over,
    request: { ...caseRecord({ id: 'c1' }).request, yearGroup: 'Year 6', ...over.request },
  });

describe('transitions', () => {
  describe('yearGroupNow', () => {
    it('is the year group the request named until the next September, then one more each September', () => {
      const c = year6({ request: { ...year6().request, yearGroup: 'Year 4' } });
      assert.equal(yearGroupNow(c, '2026-11-02'), 'Year 4');
      assert.equal(yearGroupNow(c, '2027-08-31'), 'Year 4', 'the last day of the school year');
      assert.equal(yearGroupNow(c, '2027-09-01'), 'Year 5');
      assert.equal(yearGroupNow(c, '2029-09-01'), 'Year 7');
    });

    it('moves Reception on to Year 1, and has no year group past Year 13', () => {
      const reception = year6({ request: { ...year6().request, yearGroup: 'Reception' } });
      assert.equal(yearGroupNow(reception, '2027-09-05'), 'Year 1');
      const sixth = year6({ request: { ...year6().request, yearGroup: 'Year 13' } });
      assert.equal(yearGroupNow(sixth, '2027-09-05'), undefined);
    });

    it('counts a request raised in the summer in the school year it was raised in', () => {
      const c = year6({ raisedAt: '2027-07-20T09:00:00.000Z' });
      assert.equal(yearGroupNow(c, '2027-09-06'), 'Year 7');
    });
  });

  describe('isSummerTerm', () => {
    it('is true from the first summer term to the last, half term included, by the directory', () => {
      assert.equal(isSummerTerm('2027-04-12', TERMS), true);
      assert.equal(isSummerTerm('2027-06-01', TERMS), true, 'the summer half term');
      assert.equal(isSummerTerm('2027-07-21', TERMS), true);
    });

    it('is false before and after it, and in other terms', () => {
      assert.equal(isSummerTerm('2027-04-11', TERMS), false, 'the Easter holiday');
      assert.equal(isSummerTerm('2027-07-22', TERMS), false, 'the summer holiday');
      assert.equal(isSummerTerm('2027-03-01', TERMS), false, 'the spring term');
      assert.equal(isSummerTerm('2026-11-10', TERMS), false, 'the autumn term');
    });

    it('falls back to 15 April to 31 July when the directory has no summer term that year', () => {
      assert.equal(isSummerTerm('2028-04-14', TERMS), false);
      assert.equal(isSummerTerm('2028-04-15', TERMS), true);
      assert.equal(isSummerTerm('2028-07-31', []), true);
      assert.equal(isSummerTerm('2028-08-01', []), false);
    });
  });

  describe('LAST_YEARS', () => {
    it('names the year each kind of school moves children on from', () => {
      assert.deepEqual(LAST_YEARS['early-years'], ['Nursery', 'Reception']);
      assert.deepEqual(LAST_YEARS.primary, ['Year 6']);
      assert.deepEqual(LAST_YEARS.secondary, ['Year 11', 'Year 13']);
      assert.deepEqual(LAST_YEARS.special, ['Reception', 'Year 6', 'Year 11', 'Year 13']);
    });
  });

  describe('isTransitionDue', () => {
    const day = '2027-06-15';
    it('lists an open Year 6 case at a primary school, and one closed within the year', () => {
      assert.equal(isTransitionDue(year6(), 'primary', day), true);
      assert.equal(
        isTransitionDue(year6({ status: 'closed', closedAt: '2026-12-01T10:00:00.000Z' }), 'primary', day),
        true,
      );
    });

    it('does not list a Year 5 child, a case closed over a year ago, a class request, or another phase', () => {
      const year5 = year6({ request: { ...year6().request, yearGroup: 'Year 5' } });
      assert.equal(isTransitionDue(year5, 'primary', day), false);
      const old = year6({
        raisedAt: '2025-11-02T09:00:00.000Z',
        request: { ...year6().request, yearGroup: 'Year 5' },
        status: 'closed',
        closedAt: '2026-05-01T10:00:00.000Z',
      });
      assert.equal(yearGroupNow(old, day), 'Year 6');
      assert.equal(isTransitionDue(old, 'primary', day), false);
      const cls = year6({ request: { ...year6().request, kind: 'class', className: '6B' } });
      assert.equal(isTransitionDue(cls, 'primary', day), false);
      assert.equal(
        isTransitionDue(year6(), 'secondary', day),
        false,
        'Year 6 is not the last at a secondary',
      );
      assert.equal(isTransitionDue(year6(), 'early-years', day), false);
    });
  });

  describe('mayTransferNow', () => {
    it('allows a case closed because the child moved school, in any term', () => {
      const moved = year6({
        request: { ...year6().request, yearGroup: 'Year 4' },
        status: 'closed',
        closureReason: 'moved-school',
        closedAt: '2026-11-20T10:00:00.000Z',
      });
      assert.equal(mayTransferNow(moved, 'primary', '2026-11-25', TERMS), true);
    });

    it('allows a last-year case in the summer term only', () => {
      assert.equal(mayTransferNow(year6(), 'primary', '2027-06-15', TERMS), true);
      assert.equal(mayTransferNow(year6(), 'primary', '2027-03-01', TERMS), false);
    });

    it('refuses an open Year 4 case, a case closed for another reason, and a class request', () => {
      const year4 = year6({ request: { ...year6().request, yearGroup: 'Year 4' } });
      assert.equal(mayTransferNow(year4, 'primary', '2027-06-15', TERMS), false);
      const met = year6({
        request: { ...year6().request, yearGroup: 'Year 4' },
        status: 'closed',
        closureReason: 'needs-met',
        closedAt: '2027-05-20T10:00:00.000Z',
      });
      assert.equal(mayTransferNow(met, 'primary', '2027-06-15', TERMS), false);
      const cls = year6({
        request: { ...year6().request, kind: 'class', className: '6B' },
        status: 'closed',
        closureReason: 'moved-school',
      });
      assert.equal(mayTransferNow(cls, 'primary', '2027-06-15', TERMS), false);
    });
  });
});
