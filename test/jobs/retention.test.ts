// The retention job: closed cases are kept until the pupil's date of birth plus the retention period (31 years by
// default), taking the latest date of birth the year group allows; then the case and every record that belongs to it
// are deleted, and the audit trail keeps a line for it that names no one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { birthRange, keepUntil } from '../../src/app/privacy/pupil';
import { CASE_COLLECTIONS, formatRetention, runRetention } from '../../src/jobs/retention';
import { parseRetentionArgs } from '../../src/jobs/retention-cli';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { COLLECTION_NAMES, type Store } from '../../src/store/store';
import type { AppDeps } from '../../src/app/ports';
import { filesOf } from '../../src/app/files/services';
import type { MemoryDocuments } from '../../src/store/local-documents';
import type { CaseRecord } from '../../src/domain';
import { P, startHarness, textOf, type Harness } from '../support/harness';
import {
  PUPIL,
  RecordingNotifier,
  appDeps,
  caseRecord,
  packageRecord,
  proposalRecord,
  reviewRecord,
  voteRecord,
} from '../support/records';

const ROOT = path.resolve(__dirname, '..', '..');

describe('how long a closed case is kept', () => {
  it('takes the dates of birth a year group holds in the school year the case was raised', () => {
    assert.deepEqual(birthRange('Reception', '2026-11-02'), { earliest: '2021-09-01', latest: '2022-08-31' });
    assert.deepEqual(birthRange('Year 4', '2026-11-02'), { earliest: '2017-09-01', latest: '2018-08-31' });
    // July is still the school year that began the September before.
    assert.deepEqual(birthRange('Year 4', '2027-07-20'), { earliest: '2017-09-01', latest: '2018-08-31' });
    assert.deepEqual(birthRange('Year 13', '2026-09-01'), { earliest: '2008-09-01', latest: '2009-08-31' });
    // A nursery may take two-year-olds, so its latest date of birth is the latest of all.
    assert.equal(birthRange('Nursery', '2026-11-02').latest, '2025-08-31');
  });

  it('keeps a Year 4 case raised in 2026 until 31 August 2049, and a Reception case four years longer', () => {
    assert.equal(keepUntil(caseRecord({ id: 'c1' }), 31), '2049-08-31');
    const reception = caseRecord({
      id: 'c2',
      request: { ...caseRecord({ id: 'c2' }).request, yearGroup: 'Reception' },
    });
    assert.equal(keepUntil(reception, 31), '2053-08-31');
    assert.equal(keepUntil(reception, 25), '2047-08-31');
  });

  it('reads the period from EIP_RETENTION_YEARS_AFTER_DOB, 31 years unless set, and refuses nonsense', () => {
    assert.equal(loadConfig({}).retentionYearsAfterDob, 31);
    assert.equal(loadConfig({ EIP_RETENTION_YEARS_AFTER_DOB: '40' }).retentionYearsAfterDob, 40);
    for (const bad of ['0', '-3', '2.5', 'forever', '1000'])
      assert.throws(
        () => loadConfig({ EIP_RETENTION_YEARS_AFTER_DOB: bad }),
        (e: unknown) =>
          e instanceof ConfigError && /EIP_RETENTION_YEARS_AFTER_DOB must be a whole number/.test(e.message),
        bad,
      );
  });
});

/** Every record in every collection, by collection, for "nothing else changed" assertions. */
async function snapshot(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of COLLECTION_NAMES) out[name] = (await store[name].find()).map((r) => r.value.id).sort();
  return out;
}

describe('the retention job', () => {
  let store: SqliteStore;
  let deps: AppDeps;
  const at = (day: string) => new Date(`${day}T12:00:00Z`);

  /** A case with a record in every collection that belongs to a case, and a line in the audit trail. */
  async function fullCase(id: string, over: Partial<CaseRecord>) {
    const c = caseRecord({ round: 1, budgetYear: '2026-27', ...over, id });
    await store.cases.create(c);
    await store.consents.create({
      id,
      caseId: id,
      givenBy: 'Jo Price (mother)',
      date: '2026-10-20',
      method: 'in-writing',
      recordedBy: P.megan.aadObjectId,
      recordedAt: c.raisedAt,
    });
    await store.assessments.create({
      id,
      caseId: id,
      observedOn: '2026-11-20',
      findings: `${PUPIL} settles with adult support.`,
      needsIdentified: 'Regulation.',
      recordedBy: P.adele.aadObjectId,
      recordedAt: '2026-11-20T10:00:00.000Z',
    });
    await store.proposals.create(proposalRecord(c, '2026-12-04'));
    await store.votes.create({ ...voteRecord(c, P.alex.aadObjectId), comment: `Good plan for ${PUPIL}.` });
    await store.decisions.create({
      id: `${id}:r1`,
      caseId: id,
      round: 1,
      outcome: 'approved',
      tally: { approve: 2, decline: 0, changes: 0 },
      voters: [P.alex.aadObjectId, P.lynne.aadObjectId],
      decidedAt: '2026-11-30T10:00:00.000Z',
    });
    await store.packages.create(packageRecord(id, 1, { name: 'Oakwood Counselling Service' }, 45_000));
    await store.spends.create({
      id: `${id}:s1`,
      caseId: id,
      packageId: `${id}:p1`,
      budgetYear: '2026-27',
      type: 'counselling',
      invoiceRef: 'INV-1',
      amountPence: 45_000,
      sessionsDelivered: 10,
      deliveredOn: '2027-03-01',
      recordedBy: P.adele.aadObjectId,
      recordedAt: '2027-03-01T10:00:00.000Z',
    });
    await store.reviews.create(reviewRecord(id, 'final', '2027-03-19', 'done'));
    await store.reminders.create({
      id: `review-due:${id}:2027-03-19:adele`,
      kind: 'review-due',
      caseId: id,
      to: P.adele.aadObjectId,
      due: '2027-03-19',
      status: 'sent',
      claimedAt: '2027-03-16T08:00:00.000Z',
    });
    // A document kept with the case (its bytes in storage), and a transfer to the school the child moved to.
    const bytes = Buffer.from(`%PDF-1.4 support plan for ${PUPIL}\n%%EOF\n`);
    const { location } = await filesOf(deps).documents.put(
      c.ref,
      `${PUPIL} plan.pdf`,
      bytes,
      'application/pdf',
    );
    await store.files.create({
      id: `${id}:f1`,
      caseId: id,
      name: `${PUPIL} plan.pdf`,
      kind: 'support-plan',
      size: bytes.length,
      sha256: 'b'.repeat(64),
      ext: 'pdf',
      addedBy: P.megan.aadObjectId,
      addedAt: '2026-11-03T10:00:00.000Z',
      location,
    });
    await store.transfers.create({
      id,
      caseId: id,
      fromSchoolId: 'oakfield-primary',
      toSchoolId: 'hillcrest-academy',
      consent: { givenBy: 'Jo Price (mother)', date: '2027-03-10', method: 'meeting' },
      summary: {
        tried: `${PUPIL} had a calm corner.`,
        worked: 'Counselling.',
        outcomes: 'Settled.',
        needs: 'SEMH.',
      },
      fileIds: [`${id}:f1`],
      transferredBy: P.adele.aadObjectId,
      transferredAt: '2027-03-21T10:00:00.000Z',
    });
    await store.outbox.create({
      id: `close:${id}:megan`,
      state: 'sent',
      caseId: id,
      message: { text: `About ${PUPIL}` },
      attempts: 1,
      notBefore: '2027-03-20T10:00:00.000Z',
      createdAt: '2027-03-20T10:00:00.000Z',
    });
    await store.audit.append({
      at: '2027-03-20T10:00:00.000Z',
      actor: P.adele.aadObjectId,
      action: 'close',
      caseId: id,
      detail: `${c.ref} closed: needs-met`,
      before: 'commissioned',
      after: 'closed',
      outcome: 'done',
    });
    return c;
  }

  const closed = {
    status: 'closed' as const,
    closureReason: 'needs-met' as const,
    closedAt: '2027-03-20T10:00:00.000Z',
  };

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    deps = appDeps(store, new RecordingNotifier());
    // Year 4 in 2026-27, closed: kept until 31 August 2049.
    await fullCase('c1', closed);
    // Reception in 2026-27, closed: kept until 31 August 2053.
    await fullCase('c2', {
      ...closed,
      request: { ...caseRecord({ id: 'c2' }).request, yearGroup: 'Reception' },
    });
    // Year 4, still open (commissioned): never deleted, however old.
    await fullCase('c3', { status: 'commissioned' });
  });
  afterEach(async () => store.close());

  it('lists the closed cases past their period in a dry run, and deletes nothing', async () => {
    const before = await snapshot(store);
    const trail = (await store.audit.list()).length;
    const report = await runRetention(deps, { dryRun: true, by: 'cli:test', now: at('2049-09-01') });
    assert.deepEqual(
      report.due.map((i) => [i.ref, i.about, i.closedOn, i.keptUntil, i.records, i.deleted]),
      [
        [
          'EIP-2026-0001',
          'Individual pupil, Year 4',
          '2027-03-20',
          '2049-08-31',
          1 + CASE_COLLECTIONS.length,
          false,
        ],
      ],
    );
    assert.equal(report.closedKept, 1);
    assert.deepEqual(await snapshot(store), before, 'nothing deleted');
    assert.equal((await store.audit.list()).length, trail, 'nothing audited as deleted');
    assert.equal(
      formatRetention(report),
      [
        "Retention as of Wed 1 Sept 2049: closed cases are kept until the pupil's date of birth + 31 years (dry run: nothing was deleted)",
        '  would delete   EIP-2026-0001 (Individual pupil, Year 4), closed 2027-03-20, kept until 2049-08-31, 13 records',
        '1 closed case is still within the period.',
        '',
      ].join('\n'),
    );
  });

  it('keeps a case on the last day of its period', async () => {
    const report = await runRetention(deps, { dryRun: false, by: 'cli:test', now: at('2049-08-31') });
    assert.deepEqual(report.due, []);
    assert.ok(await store.cases.get('c1'));
  });

  it('deletes an old closed case and every record it has, leaving open and younger cases and the audit trail', async () => {
    const before = await snapshot(store);
    const trailBefore = await store.audit.list();
    const report = await runRetention(deps, { dryRun: false, by: 'cli:test', now: at('2049-09-01') });
    assert.deepEqual(
      report.due.map((i) => [i.ref, i.deleted]),
      [['EIP-2026-0001', true]],
    );
    const after = await snapshot(store);
    for (const name of ['cases', ...CASE_COLLECTIONS]) {
      assert.ok(
        after[name]!.every((id) => !id.startsWith('c1') && !id.includes(':c1:')),
        `nothing of c1 is left in ${name}`,
      );
      assert.deepEqual(
        after[name],
        before[name]!.filter((id) => !id.startsWith('c1') && !id.includes(':c1:')),
        `every other record in ${name} is kept`,
      );
    }
    // The audit trail is never deleted: what was there is still there, and the deletion is added.
    const trail = await store.audit.list();
    assert.deepEqual(trail.slice(0, trailBefore.length), trailBefore);
    const added = trail.slice(trailBefore.length);
    assert.equal(added.length, 1);
    const [entry] = added;
    assert.equal(entry!.action, 'retention-delete');
    assert.equal(entry!.caseId, 'c1');
    assert.equal(entry!.actor, 'cli:test');
    assert.equal(entry!.before, 'closed');
    assert.equal(entry!.after, 'deleted');
    assert.equal(entry!.outcome, 'done');
    assert.match(
      entry!.detail,
      /^EIP-2026-0001 deleted with its 12 records: closed 2027-03-20, kept until 2049-08-31 .*; 1 document deleted from storage for good \(no recycle-bin copy is kept\)$/,
    );
    // The document's bytes went with it; the other cases' documents are kept.
    const documents = filesOf(deps).documents as MemoryDocuments;
    assert.deepEqual([...documents.files.keys()].map((k) => k.split('/')[0]).sort(), [
      'EIP-2026-0002',
      'EIP-2026-0003',
    ]);
    const words = JSON.stringify(entry);
    for (const part of ['Sam', 'Okonkwo', 'Price', 'settles', 'Good plan'])
      assert.ok(!words.includes(part), `the audit entry holds no ${part}`);

    // A second run finds nothing more to do.
    const again = await runRetention(deps, { dryRun: false, by: 'cli:test', now: at('2049-09-01') });
    assert.deepEqual(again.due, []);
  });

  it('deletes by the configured period', async () => {
    const report = await runRetention(
      { ...deps, privacy: { exportsDir: os.tmpdir(), retentionYearsAfterDob: 25 } },
      { dryRun: false, by: 'cli:test', now: at('2047-09-01') },
    );
    assert.deepEqual(
      report.due.map((i) => i.ref),
      ['EIP-2026-0001', 'EIP-2026-0002'],
    );
    assert.deepEqual(
      (await store.cases.find()).map((c) => c.value.id),
      ['c3'],
    );
  });

  it('leaves a case that was reopened after the list was made', async () => {
    const cases = store.cases;
    const find = cases.find.bind(cases);
    // As if the co-ordinator reopened c1 between the list and its deletion.
    cases.find = async (where) => {
      const found = await find(where);
      if (where?.status === 'closed') {
        const c1 = (await cases.get('c1'))!;
        await cases.replace(
          { ...c1.value, status: 'commissioned', reopenedAt: '2049-09-01T10:00:00.000Z' },
          c1.eTag,
        );
      }
      return found;
    };
    const report = await runRetention(deps, { dryRun: false, by: 'cli:test', now: at('2049-09-01') });
    assert.deepEqual(
      report.due.map((i) => [i.ref, i.deleted]),
      [['EIP-2026-0001', false]],
    );
    assert.ok(await store.consents.get('c1'), 'its records are kept');
    assert.ok(!(await store.audit.list()).some((a) => a.action === 'retention-delete'));
  });
});

describe('the retention command line', () => {
  let dir: string;
  const cli = (args: string[]) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(Microsoft|EIP_|NODE_ENV|PORT)/.test(k)),
    );
    return spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/jobs/retention-cli.ts', ...args],
      {
        cwd: ROOT,
        env: {
          ...clean,
          EIP_DIRECTORY: path.join(ROOT, 'test', 'fixtures', 'directory.json'),
          EIP_DATA_DIR: dir,
          // A year after the latest date of birth: every closed case raised before 2020 is past it.
          EIP_RETENTION_YEARS_AFTER_DOB: '1',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-retention-'));
    const store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    await store.cases.create(
      caseRecord({ id: 'c1', status: 'closed', closedAt: '2027-03-20T10:00:00.000Z' }),
    );
    await store.consents.create({
      id: 'c1',
      caseId: 'c1',
      givenBy: 'Jo Price (mother)',
      date: '2026-10-20',
      method: 'in-writing',
      recordedBy: P.megan.aadObjectId,
      recordedAt: '2026-11-02T09:00:00.000Z',
    });
    await store.cases.create(caseRecord({ id: 'c2' }));
    await store.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists in a dry run, then deletes, naming cases by reference only', async function () {
    this.timeout(120_000);
    const dry = cli(['--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /would delete {3}EIP-2026-0001 \(Individual pupil, Year 4\), closed 2027-03-20, kept until 2019-08-31, 2 records/,
    );
    assert.doesNotMatch(dry.stdout, /EIP-2026-0002|Sam|Okonkwo/);
    let store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    assert.equal((await store.cases.find()).length, 2);
    await store.close();

    const real = cli([]);
    assert.equal(real.status, 0, real.stderr);
    assert.match(real.stdout, /deleted {8}EIP-2026-0001/);
    store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    assert.deepEqual(
      (await store.cases.find()).map((c) => c.value.id),
      ['c2'],
    );
    assert.equal((await store.consents.find()).length, 0);
    const [entry] = await store.audit.list('c1');
    assert.equal(entry?.action, 'retention-delete');
    assert.match(entry!.actor, /^cli:/);
    await store.close();
  });

  it('refuses an argument it does not know, with the usage', () => {
    assert.deepEqual(parseRetentionArgs(['--dry-run', '--json']), { dryRun: true, json: true });
    assert.throws(
      () => parseRetentionArgs(['--everything']),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === '--everything is not understood. usage: npm run retention -- [--dry-run] [--json]',
    );
  });
});

describe("the admin's retention command", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: () => new Date('2049-09-01T09:00:00Z') });
    for (const p of [P.megan, P.isaiah]) await h.say(p, 'hello');
    await h.bot.store.cases.create(
      caseRecord({
        id: 'c1',
        status: 'closed',
        closureReason: 'needs-met',
        closedAt: '2027-03-20T10:00:00.000Z',
      }),
    );
    await h.bot.store.cases.create(
      caseRecord({
        id: 'c2',
        status: 'closed',
        closedAt: '2027-03-20T10:00:00.000Z',
        request: { ...caseRecord({ id: 'c2' }).request, yearGroup: 'Reception' },
      }),
    );
  });
  after(async () => h.stop());

  it('shows an admin the dry run, by reference, and deletes nothing', async () => {
    const [card] = await h.say(P.isaiah, 'retention');
    const text = textOf(card);
    assert.match(text, /1 closed case is past the retention period/);
    assert.match(text, /date of birth \+ 31 years/);
    assert.match(text, /This is a dry run: nothing was deleted\. 1 closed case is still within the period\./);
    assert.match(
      text,
      /EIP-2026-0001\nIndividual pupil, Year 4; closed Sat 20 Mar 2027; kept until Tue 31 Aug 2049; 1 record$/,
    );
    assert.match(text, /run "npm run retention" on the server/);
    assert.doesNotMatch(text, /Sam|Okonkwo|EIP-2026-0002/);
    assert.equal((await h.bot.store.cases.find()).length, 2);
    assert.ok(
      (await h.bot.store.audit.list()).some((a) => a.action === 'retention-dry-run' && a.outcome === 'done'),
    );
  });

  it('refuses anyone else, and audits the refusal', async () => {
    const [card] = await h.say(P.megan, 'retention');
    assert.match(textOf(card), /Only an LA administrator can see which closed cases are due for deletion\./);
    const refused = (await h.bot.store.audit.list()).filter((a) => a.outcome === 'refused');
    assert.deepEqual(
      refused.map((a) => [a.actor, a.action, a.detail]),
      [[P.megan.aadObjectId, 'retention', 'forbidden']],
    );
  });
});
