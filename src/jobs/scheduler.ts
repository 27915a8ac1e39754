// Runs the reminder sweep on a timetable inside the bot process: once at start, then hourly on weekdays in the
// working day, London time. The sweep keeps nothing in memory, so a missed tick costs nothing but time.
import { Cron } from 'croner';
import type { AppDeps } from '../app/ports';
import { withCorrelation } from '../logger';
import { runReminderSweep } from './reminder-sweep';

/** Hourly, on the hour, 07:00 to 18:00 on weekdays. */
export const SWEEP_PATTERN = '0 7-18 * * 1-5';

export interface Scheduler {
  /** Stops the timetable and waits for a sweep under way to finish, so the store can be closed after it. */
  stop(): Promise<void>;
}

export function scheduleReminders(deps: AppDeps): Scheduler {
  let running: Promise<void> | undefined;
  const sweep = () => {
    // One sweep at a time in this process (the start-up one may still be running at the first tick).
    if (running) return running;
    // Its failure too is logged under the sweep's correlation id.
    running = withCorrelation(() =>
      runReminderSweep(deps)
        .then(() => undefined)
        .catch((e: unknown) => {
          deps.log.error(
            { err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) },
            'reminder sweep failed',
          );
        }),
    ).finally(() => {
      running = undefined;
    });
    return running;
  };
  const job = new Cron(SWEEP_PATTERN, { timezone: 'Europe/London', protect: true }, sweep);
  void sweep();
  return {
    async stop() {
      job.stop();
      await running;
    },
  };
}
