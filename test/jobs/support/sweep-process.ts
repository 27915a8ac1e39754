// One bot process's reminder sweep, on a shared SQLite file: it opens the store, says "ready", sweeps when told
// to go, and prints the cards it sent as one JSON line.
import { londonNoon, runReminderSweep } from '../../../src/jobs/reminder-sweep';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { RecordingNotifier, appDeps } from '../../support/records';

const [file, day] = process.argv.slice(2);
if (!file || !day) throw new Error('usage: sweep-process FILE YYYY-MM-DD');
const store = new SqliteStore(file);
const notifier = new RecordingNotifier();
const deps = appDeps(store, notifier);
process.stdin.once('data', () => {
  runReminderSweep(deps, { now: londonNoon(day) })
    .then(async (report) => {
      await store.close();
      const sent = report.reminders.filter((r) => r.outcome === 'sent').map((r) => r.key);
      process.stdout.write(`${JSON.stringify({ sent, cards: notifier.sent.length })}\n`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
});
process.stdout.write('ready\n');
