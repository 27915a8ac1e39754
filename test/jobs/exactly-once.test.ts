// Each reminder goes out exactly once: with two bot processes sharing one SQLite file, across a restart, after
// downtime, and after a sweep that stopped between claiming a reminder and sending it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { londonNoon, runReminderSweep } from '../../src/jobs/reminder-sweep';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { P, textOf } from '../support/harness';
import {
  RecordingNotifier,
  appDeps,
  caseRecord,
  proposalRecord,
  reachable,
  reviewRecord,
} from '../support/records';

const ROOT = path.resolve(__dirname, '..', '..');
const ADELE = P.adele.aadObjectId.toLowerCase();
const MEGAN = P.megan.aadObjectId.toLowerCase();

/** Commissioned cases with reviews due Fri 15 Jan 2027, requests waiting for triage, and proposals to vote on. */
async function busyStore(store: Store, cases = 8): Promise<void> {
  for (const p of [P.megan, P.adele, P.alex, P.patti, P.lynne]) await reachable(store, p.aadObjectId);
  for (let i = 1; i <= cases; i += 1) {
    await store.cases.create(caseRecord({ id: `r${i}`, status: 'commissioned', round: 1 }));
    await store.reviews.create(reviewRecord(`r${i}`, 'interim', '2027-01-15'));
    await store.cases.create(caseRecord({ id: `t${i}`, submittedAt: '2027-01-05T09:00:00.000Z' }));
    const v = caseRecord({ id: `v${i}`, status: 'proposed', round: 1 });
    await store.cases.create(v);
    await store.proposals.create(proposalRecord(v, '2027-01-15'));
  }
}

/** Every key the store recorded as sent. */
const sentKeys = async (store: Store) =>
  (await store.reminders.find({ status: 'sent' })).map((r) => r.value.id).sort();

describe('reminders go out exactly once', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-once-'));
    file = path.join(dir, 'eip.sqlite');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends each reminder once when two bot processes on one SQLite file sweep at the same moment', async function () {
    this.timeout(120_000);
    const setup = new SqliteStore(file);
    await busyStore(setup);
    const planned = await runReminderSweep(appDeps(setup, new RecordingNotifier()), {
      now: londonNoon('2027-01-15'),
      dryRun: true,
    });
    await setup.close();
    // 8 reviews to Adele and Megan, 8 triage flags, 8 votes from each of Alex and Lynne, and the agenda.
    assert.equal(planned.reminders.length, 8 * 2 + 8 + 8 * 2 + 1);

    const children = [0, 1].map(() =>
      spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'test/jobs/support/sweep-process.ts', file, '2027-01-15'],
        { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
      ),
    );
    const outputs = children.map(
      (child) =>
        new Promise<{ ready: Promise<void>; result: Promise<{ sent: string[]; cards: number }> }>(
          (resolve) => {
            let buffer = '';
            let ready: () => void = () => undefined;
            let done: (r: { sent: string[]; cards: number }) => void = () => undefined;
            let failed: (e: Error) => void = () => undefined;
            const readyP = new Promise<void>((r) => (ready = r));
            const result = new Promise<{ sent: string[]; cards: number }>((r, j) => {
              done = r;
              failed = j;
            });
            child.stdout.on('data', (chunk: Buffer) => {
              buffer += chunk.toString();
              const lines = buffer.split('\n');
              buffer = lines.pop() ?? '';
              for (const line of lines) {
                if (line === 'ready') ready();
                else if (line.startsWith('{')) done(JSON.parse(line) as { sent: string[]; cards: number });
              }
            });
            child.on('exit', (code) => failed(new Error(`sweep process exited with ${code}`)));
            resolve({ ready: readyP, result });
          },
        ),
    );
    const procs = await Promise.all(outputs);
    await Promise.all(procs.map((p) => p.ready));
    for (const child of children) child.stdin.write('go\n');
    const [a, b] = await Promise.all(procs.map((p) => p.result));

    const all = [...a!.sent, ...b!.sent].sort();
    assert.equal(a!.cards + b!.cards, planned.reminders.length, 'as many cards as reminders, between them');
    assert.deepEqual(all, planned.reminders.map((r) => r.key).sort(), 'every reminder, none twice');
    const after = new SqliteStore(file);
    assert.deepEqual(await sentKeys(after), all);
    await after.close();
  });

  it('sends each reminder once when two store instances in one process sweep concurrently', async () => {
    const one = new SqliteStore(file);
    const two = new SqliteStore(file);
    await busyStore(one);
    const [n1, n2] = [new RecordingNotifier(), new RecordingNotifier()];
    const now = londonNoon('2027-01-15');
    const [r1, r2] = await Promise.all([
      runReminderSweep(appDeps(one, n1), { now }),
      runReminderSweep(appDeps(two, n2), { now }),
    ]);
    const keys = [...r1.reminders, ...r2.reminders].map((r) => r.key);
    assert.equal(new Set(keys).size, keys.length, 'no key sent by both');
    assert.equal(n1.sent.length + n2.sent.length, 8 * 2 + 8 + 8 * 2 + 1);
    assert.deepEqual(await sentKeys(two), keys.sort());
    await one.close();
    await two.close();
  });

  it('sends nothing twice after a restart between sweeps', async () => {
    const before = new SqliteStore(file);
    await busyStore(before, 2);
    const first = new RecordingNotifier();
    await runReminderSweep(appDeps(before, first), { now: londonNoon('2027-01-15') });
    assert.equal(first.sent.length, 2 * 2 + 2 + 2 * 2 + 1);
    await before.close();

    const after = new SqliteStore(file);
    const second = new RecordingNotifier();
    await runReminderSweep(appDeps(after, second), {
      now: new Date(londonNoon('2027-01-15').getTime() + 3_600_000),
    });
    assert.equal(second.sent.length, 0);
    await after.close();
  });

  it('catches up after downtime with one reminder, not one for every point it missed', async () => {
    const store = new SqliteStore(file);
    await reachable(store, P.adele.aadObjectId);
    await reachable(store, P.megan.aadObjectId);
    await store.cases.create(caseRecord({ id: 'c1', status: 'commissioned', round: 1 }));
    await store.reviews.create(reviewRecord('c1', 'interim', '2027-01-15'));
    const notifier = new RecordingNotifier();
    const deps = appDeps(store, notifier);

    // Down from before the first point (Tue 12 Jan) until Wed 20 Jan: one reminder each, for the latest point.
    await runReminderSweep(deps, { now: londonNoon('2027-01-20') });
    const reviews = notifier.sent.filter((s) => /outcome review/.test(textOf(s.card)));
    assert.equal(notifier.to(P.adele.aadObjectId).filter((c) => /outcome review/.test(textOf(c))).length, 1);
    assert.equal(notifier.to(P.megan.aadObjectId).length, 1);
    assert.equal(reviews.length, 2);
    assert.match(textOf(reviews[0]!.card), /is overdue: it was due on Fri 15 Jan 2027/);
    assert.deepEqual(
      (await store.reminders.find({ kind: 'review-due' })).map((r) => r.value.id),
      [`review-due:c1:interim:2027-01-15:${ADELE}`, `review-due:c1:interim:2027-01-15:${MEGAN}`],
    );
    const mark = notifier.sent.length;
    await runReminderSweep(deps, { now: londonNoon('2027-01-21') });
    assert.equal(notifier.sent.length, mark, 'and nothing more until the next point');
    await store.close();
  });

  it('sends a reminder that a sweep claimed but never sent, once the claim is ten minutes old', async () => {
    const store = new SqliteStore(file);
    await reachable(store, P.adele.aadObjectId);
    await store.cases.create(caseRecord({ id: 't1', submittedAt: '2026-11-25T09:00:00.000Z' }));
    const key = `triage-waiting:t1:2026-11-25:${ADELE}`;
    const crashedAt = londonNoon('2026-12-04');
    // A sweep claimed it, then its process died before sending.
    await store.reminders.create({
      id: key,
      kind: 'triage-waiting',
      caseId: 't1',
      to: ADELE,
      due: '2026-12-03',
      status: 'sending',
      claimedAt: crashedAt.toISOString(),
    });
    const notifier = new RecordingNotifier();
    const deps = appDeps(store, notifier);
    const at = (minutes: number) => new Date(crashedAt.getTime() + minutes * 60_000);

    await runReminderSweep(deps, { now: at(9) });
    assert.equal(notifier.sent.length, 0, 'nine minutes on, the claiming sweep may still be sending it');
    assert.equal((await store.reminders.get(key))?.value.status, 'sending');

    await runReminderSweep(deps, { now: at(11) });
    assert.deepEqual(
      notifier.to(P.adele.aadObjectId).map((c) => textOf(c).split('\n')[0]),
      ['EIP-2026-0001 has waited 7 school days for triage'],
    );
    assert.equal((await store.reminders.get(key))?.value.status, 'sent');

    await runReminderSweep(deps, { now: at(60) });
    assert.equal(notifier.sent.length, 1, 'sent once');
    await store.close();
  });
});
