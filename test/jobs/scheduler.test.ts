// The bot's own timetable for the sweep: once at start, then hourly through the working day on weekdays, London time.
import assert from 'node:assert/strict';
import { Cron } from 'croner';
import { SWEEP_PATTERN, scheduleReminders } from '../../src/jobs/scheduler';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { P, textOf } from '../support/harness';
import { RecordingNotifier, appDeps, caseRecord, reachable } from '../support/records';

describe('the reminder timetable', () => {
  it('sweeps once at start, and stopping waits for that sweep to finish', async () => {
    const store = new SqliteStore(':memory:');
    await reachable(store, P.adele.aadObjectId);
    await store.cases.create(caseRecord({ id: 'c1' }));
    const notifier = new RecordingNotifier();
    const scheduler = scheduleReminders(appDeps(store, notifier, new Date('2026-11-10T12:00:00Z')));
    await scheduler.stop();
    assert.match(
      textOf(notifier.to(P.adele.aadObjectId)[0]),
      /EIP-2026-0001 has waited 6 school days for triage/,
    );
    await store.close();
  });

  it('runs hourly from 07:00 to 18:00 London time on weekdays, in GMT and in BST', () => {
    const timetable = new Cron(SWEEP_PATTERN, { timezone: 'Europe/London', paused: true });
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    // Friday evening in November (GMT): the next runs are Monday morning.
    assert.deepEqual(
      timetable.nextRuns(3, new Date('2026-11-13T18:30:00Z')).map((d) => [d.toISOString(), london.format(d)]),
      [
        ['2026-11-16T07:00:00.000Z', 'Mon 07:00'],
        ['2026-11-16T08:00:00.000Z', 'Mon 08:00'],
        ['2026-11-16T09:00:00.000Z', 'Mon 09:00'],
      ],
    );
    // A Tuesday evening in June (BST): the last run is 18:00 London, 17:00 UTC; the next is 07:00 on Wednesday.
    assert.deepEqual(
      timetable.nextRuns(2, new Date('2027-06-15T16:30:00Z')).map((d) => london.format(d)),
      ['Tue 18:00', 'Wed 07:00'],
    );
    timetable.stop();
  });
});
