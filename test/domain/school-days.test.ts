// School days and London dates: the arithmetic every deadline and reminder counts in.
import assert from 'node:assert/strict';
import { SchoolCalendar, isBankHoliday, londonDate } from '../../src/domain';
import { fixtureDirectory } from '../support/records';

describe('school days', () => {
  const calendar = new SchoolCalendar(fixtureDirectory().terms);
  const noTerms = new SchoolCalendar();

  it('counts Christmas Day and the Boxing Day substitute (Mon 28 Dec 2026) as bank holidays, not school days', () => {
    assert.equal(isBankHoliday('2026-12-25'), true);
    assert.equal(isBankHoliday('2026-12-28'), true);
    // Without term dates only weekends and bank holidays are skipped: Thu 24 Dec, then Tue 29 Dec.
    assert.equal(noTerms.addSchoolDays('2026-12-24', 1), '2026-12-29');
    assert.equal(noTerms.schoolDaysBetween('2026-12-24', '2026-12-31'), 3);
  });

  it('skips the Christmas holiday between terms: the day after Fri 18 Dec 2026 is Tue 5 Jan 2027', () => {
    assert.equal(calendar.addSchoolDays('2026-12-18', 1), '2027-01-05');
    assert.equal(calendar.addSchoolDays('2027-01-05', -1), '2026-12-18');
    assert.equal(calendar.isSchoolDay('2027-01-04'), false, 'a weekday, but not in a term');
  });

  it('skips a bank holiday inside a term (the early May bank holiday, Mon 3 May 2027)', () => {
    assert.equal(calendar.termOf('2027-05-03')?.name, 'Summer 2027 (first half)');
    assert.equal(calendar.isSchoolDay('2027-05-03'), false);
    assert.equal(calendar.addSchoolDays('2027-04-30', 1), '2027-05-04');
    assert.equal(calendar.schoolDaysBetween('2027-04-30', '2027-05-07'), 4);
  });

  it('skips the October half term, the week the clocks go back', () => {
    // Thu 22 Oct, Fri 23 Oct (1); half term 26-30 Oct; Mon 2 Nov (2).
    assert.equal(calendar.addSchoolDays('2026-10-22', 2), '2026-11-02');
    assert.equal(calendar.addSchoolDays('2026-11-02', -1), '2026-10-23');
    assert.equal(calendar.schoolDaysBetween('2026-10-21', '2026-11-03'), 4);
    // A panel deadline five school days after a Friday proposal lands on the Friday after half term.
    assert.equal(calendar.addSchoolDays('2026-10-23', 5), '2026-11-06');
  });

  it('takes the London date across the October clock change (BST ends 01:00 UTC on Sun 25 Oct 2026)', () => {
    // Still BST: half past eleven UTC on Saturday is half past midnight on Sunday in London.
    assert.equal(londonDate(new Date('2026-10-24T23:30:00Z')), '2026-10-25');
    assert.equal(londonDate(new Date('2026-10-25T00:59:59Z')), '2026-10-25');
    // GMT from then on: London and UTC agree, so Sunday night stays Sunday until midnight.
    assert.equal(londonDate(new Date('2026-10-25T23:30:00Z')), '2026-10-25');
    assert.equal(londonDate(new Date('2026-10-25T23:59:59Z')), '2026-10-25');
    assert.equal(londonDate(new Date('2026-10-26T00:00:00Z')), '2026-10-26');
  });

  it('takes the London date across the March clock change (BST starts 01:00 UTC on Sun 28 Mar 2027)', () => {
    assert.equal(londonDate(new Date('2027-03-27T23:30:00Z')), '2027-03-27', 'GMT: Saturday night');
    assert.equal(londonDate(new Date('2027-03-28T23:30:00Z')), '2027-03-29', 'BST: already Monday');
  });

  it('counts from the London date of a late-evening proposal, not the UTC one', () => {
    // 23:30 on Fri 23 Oct in London is 22:30 UTC; the deadline counts from the Friday.
    const sent = londonDate(new Date('2026-10-23T22:30:00Z'));
    assert.equal(sent, '2026-10-23');
    assert.equal(calendar.addSchoolDays(sent, 5), '2026-11-06');
    // Ten minutes past midnight on Sat 24 Oct in London (23:10 UTC on the Friday) counts from the Saturday.
    const late = londonDate(new Date('2026-10-23T23:10:00Z'));
    assert.equal(late, '2026-10-24');
    assert.equal(calendar.addSchoolDays(late, 1), '2026-11-02');
  });
});
