// Subject access: an admin asks, by a case reference, for everything held about that case's pupil. The export is
// written on the server (JSON and Markdown), holds every case of that pupil and nothing of any other child, names the
// staff who acted, withholds panel members' comments, and the chat only says where it is and what it covers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ANOTHER_PUPIL,
  WITHHELD_COMMENT,
  exportSubjectAccess,
  otherPupilsRedactor,
} from '../../../src/app/privacy/subject-access';
import { filesOf } from '../../../src/app/files/services';
import { samePupil } from '../../../src/app/privacy/pupil';
import type { AppDeps } from '../../../src/app/ports';
import type { CaseRecord } from '../../../src/domain';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { P, raiseRequest, startHarness, textOf, type Harness } from '../../support/harness';
import { PUPIL, RecordingNotifier, appDeps, caseRecord, voteRecord } from '../../support/records';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A case of the pupil (or another) with its own reference and request. */
function pupilCase(
  id: string,
  ref: string,
  request: Partial<CaseRecord['request']>,
  over: Partial<CaseRecord> = {},
): CaseRecord {
  const base = caseRecord({ id });
  return { ...base, ref, ...over, request: { ...base.request, ...request } };
}

describe('who a case is about', () => {
  const sam = pupilCase('c1', 'EIP-2026-0001', {});
  it('is the same pupil with the same name at the same school in the same cohort, a year on', () => {
    const later = pupilCase(
      'c2',
      'EIP-2027-0001',
      { pupilName: 'sam okonkwo price', yearGroup: 'Year 5' },
      { raisedAt: '2027-10-04T09:00:00.000Z' },
    );
    assert.equal(samePupil(sam, later), 'same');
  });
  it('is someone to check by hand with the same name at another school, or a year group either side', () => {
    assert.equal(
      samePupil(sam, pupilCase('c3', 'EIP-2026-0003', {}, { schoolId: 'brookside-primary' })),
      'possible',
    );
    assert.equal(samePupil(sam, pupilCase('c4', 'EIP-2026-0004', { yearGroup: 'Year 5' })), 'possible');
  });
  it('is someone else with another name, a cohort years apart, or a whole class', () => {
    assert.equal(samePupil(sam, pupilCase('c5', 'EIP-2026-0005', { pupilName: 'Sam Jones' })), 'no');
    assert.equal(samePupil(sam, pupilCase('c6', 'EIP-2026-0006', { yearGroup: 'Reception' })), 'no');
    assert.equal(
      samePupil(
        sam,
        pupilCase('c7', 'EIP-2026-0007', { kind: 'class', pupilName: undefined, className: '4B' }),
      ),
      'no',
    );
  });
});

describe("another pupil's name in free text", () => {
  const redact = otherPupilsRedactor(PUPIL, ['Jamie Fox-Lee', 'Sam Jones', 'Chloé Will']);
  it('is replaced, whole or in part, with or without accents, but not the words it shares with this pupil', () => {
    assert.equal(redact('Sam argues with Jamie Fox-Lee.'), `Sam argues with ${ANOTHER_PUPIL}.`);
    assert.equal(
      redact('Sam sits with Jamie and Mr Jones; Chloe too.'),
      `Sam sits with ${ANOTHER_PUPIL} and Mr ${ANOTHER_PUPIL}; ${ANOTHER_PUPIL} too.`,
    );
    assert.equal(redact('JAMIE FOX was there.'), `${ANOTHER_PUPIL} was there.`);
  });
  it('is taken as a name only when capitalised, so everyday words stay', () => {
    assert.equal(redact('He will sit with Will.'), `He will sit with ${ANOTHER_PUPIL}.`);
  });
});

describe('a subject access export', () => {
  let store: SqliteStore;
  let deps: AppDeps;
  let dir: string;

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-sar-'));
    deps = {
      ...appDeps(store, new RecordingNotifier(), new Date('2027-11-30T12:00:00Z')),
      privacy: { exportsDir: path.join(dir, 'exports'), retentionYearsAfterDob: 31 },
    };
    // Sam's first case, closed, with an assessment, a vote with a comment, and a history.
    const first = pupilCase(
      'c1',
      'EIP-2026-0001',
      { tried: 'Sam argues with Jamie Fox-Lee at lunch; Mr Jones runs a calm corner.' },
      {
        status: 'closed',
        round: 1,
        closureReason: 'needs-met',
        closureNote: 'Sam and Jamie now play together.',
        closedAt: '2027-03-20T10:00:00.000Z',
      },
    );
    await store.cases.create(first);
    await store.consents.create({
      id: 'c1',
      caseId: 'c1',
      givenBy: 'Jo Price (mother)',
      date: '2026-10-20',
      method: 'in-writing',
      recordedBy: P.megan.aadObjectId,
      recordedAt: first.raisedAt,
    });
    await store.assessments.create({
      id: 'c1',
      caseId: 'c1',
      observedOn: '2026-11-20',
      findings: 'Sam settles with adult support; Jamie Fox-Lee unsettles him.',
      needsIdentified: 'Regulation.',
      recordedBy: P.adele.aadObjectId,
      recordedAt: '2026-11-20T10:00:00.000Z',
    });
    await store.votes.create({
      ...voteRecord(first, P.alex.aadObjectId),
      comment: "The school's own staff are weak.",
    });
    await store.audit.append({
      at: '2026-11-20T10:00:00.000Z',
      actor: P.adele.aadObjectId,
      action: 'assess',
      caseId: 'c1',
      detail: 'EIP-2026-0001 assessed',
      before: 'accepted',
      after: 'assessed',
      outcome: 'done',
    });
    // Sam again the next school year, in Year 5.
    await store.cases.create(
      pupilCase(
        'c2',
        'EIP-2027-0001',
        { yearGroup: 'Year 5', tried: 'Sam has a mentor.' },
        { raisedAt: '2027-10-04T09:00:00.000Z' },
      ),
    );
    // Other children: never in the export.
    await store.cases.create(
      pupilCase('c3', 'EIP-2026-0003', {
        pupilName: 'Jamie Fox-Lee',
        tried: 'Jamie was upset by a classmate.',
      }),
    );
    await store.cases.create(
      pupilCase('c4', 'EIP-2026-0004', {
        kind: 'class',
        pupilName: undefined,
        className: '4B',
        tried: 'The whole class is unsettled.',
      }),
    );
    await store.cases.create(
      pupilCase(
        'c5',
        'EIP-2026-0005',
        { pupilName: 'Sam Jones', yearGroup: 'Year 9' },
        { schoolId: 'hillcrest-academy' },
      ),
    );
    // The same name at another school: listed for a person to check, not exported.
    await store.cases.create(
      pupilCase(
        'c6',
        'EIP-2026-0006',
        { tried: 'Brookside tried a buddy.' },
        { schoolId: 'brookside-primary' },
      ),
    );
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds every case of the pupil, every record of them, and nothing of any other child', async () => {
    const r = await exportSubjectAccess(deps, P.isaiah.aadObjectId, 'eip-2026-0001');
    assert.equal(r.ref, 'EIP-2026-0001');
    assert.deepEqual(r.cases, ['EIP-2026-0001', 'EIP-2027-0001']);
    assert.deepEqual(r.possible, ['EIP-2026-0006']);
    assert.equal(r.records, 2 + 3, 'two cases, a consent, an assessment and a vote');
    assert.equal(path.dirname(r.files.json), path.join(dir, 'exports'));
    assert.match(
      path.basename(r.files.json),
      /^EIP-2026-0001-subject-access-2027-11-30T12-00-00-000Z\.json$/,
    );
    for (const file of [r.files.json, r.files.text])
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, `${file} is readable by the service only`);

    const json = JSON.parse(fs.readFileSync(r.files.json, 'utf8'));
    const text = fs.readFileSync(r.files.text, 'utf8');
    const [one, two] = json.cases;
    assert.equal(one.request.pupilName, PUPIL);
    assert.equal(
      one.request.tried,
      `Sam argues with ${ANOTHER_PUPIL} at lunch; Mr ${ANOTHER_PUPIL} runs a calm corner.`,
    );
    assert.equal(
      one.assessments[0].findings,
      `Sam settles with adult support; ${ANOTHER_PUPIL} unsettles him.`,
    );
    assert.equal(one.assessments[0].recordedBy, 'Adele Vance', 'staff are named');
    assert.deepEqual(one.consent[0], {
      givenBy: 'Jo Price (mother)',
      date: '2026-10-20',
      method: 'In writing',
      recordedBy: 'Megan Bowen',
      recordedAt: '2026-11-02T09:00:00.000Z',
    });
    assert.deepEqual(one.votes, [
      {
        round: 1,
        voter: 'Alex Wilber',
        choice: 'approve',
        castAt: '2026-11-30T10:00:00.000Z',
        comment: WITHHELD_COMMENT,
      },
    ]);
    assert.equal(one.closure.note, `Sam and ${ANOTHER_PUPIL} now play together.`);
    assert.deepEqual(one.history, [
      {
        when: 'Fri 20 Nov 2026, 10:00',
        who: 'Adele Vance',
        what: 'Assessment recorded',
        change: 'Accepted → Assessed',
      },
    ]);
    assert.equal(two.ref, 'EIP-2027-0001');
    assert.equal(two.request.yearGroup, 'Year 5');
    for (const [name, content] of [
      ['JSON', JSON.stringify(json)],
      ['Markdown', text],
    ] as const) {
      for (const other of [
        'Jamie',
        'Fox',
        'Jones',
        'upset by a classmate',
        'whole class is unsettled',
        'buddy',
        'staff are weak',
      ])
        assert.ok(!content.includes(other), `the ${name} export holds no "${other}"`);
      assert.ok(content.includes(PUPIL), `the ${name} export names the pupil`);
    }
    assert.match(text, /^# Subject access: what EIP bot holds about one pupil/);
    assert.match(text, /Cases: EIP-2026-0001, EIP-2027-0001\./);
    assert.match(text, /check by hand\): EIP-2026-0006/);
    assert.match(text, /\*\*Before release:\*\* only this pupil's own cases are included/);
    assert.match(text, /> Sam argues with \[another pupil\] at lunch/);
    assert.match(text, /- Round 1: Alex Wilber voted approve \[withheld/);

    // Each case's trail says an export was made, by whom, and of what: by reference only.
    for (const id of ['c1', 'c2']) {
      const [entry] = (await store.audit.list(id)).filter((a) => a.action === 'subject-access');
      assert.equal(entry?.actor, P.isaiah.aadObjectId);
      assert.equal(entry?.detail, 'export of EIP-2026-0001, EIP-2027-0001 asked on EIP-2026-0001');
    }
    assert.ok(!JSON.stringify(await store.audit.list()).includes('Sam'));
  });

  it("includes the case's documents, copied beside the export, and its transfer; never another child's", async () => {
    const documents = filesOf(deps).documents;
    const keep = async (caseId: string, ref: string, name: string, text: string) => {
      const bytes = Buffer.from(`%PDF-1.4 ${text}\n%%EOF\n`);
      const { location } = await documents.put(ref, name, bytes, 'application/pdf');
      await store.files.create({
        id: `${caseId}:f${caseId}`,
        caseId,
        name,
        kind: 'professional-report',
        size: bytes.length,
        sha256: caseId.padEnd(64, '0'),
        ext: 'pdf',
        addedBy: P.megan.aadObjectId,
        addedAt: '2026-12-01T10:00:00.000Z',
        location,
      });
      return bytes;
    };
    const sams = await keep('c1', 'EIP-2026-0001', 'EP report Sam.pdf', 'about Sam');
    await keep('c3', 'EIP-2026-0003', 'EP report Jamie.pdf', 'about Jamie');
    await store.transfers.create({
      id: 'c1',
      caseId: 'c1',
      fromSchoolId: 'oakfield-primary',
      toSchoolId: 'hillcrest-academy',
      consent: { givenBy: 'Jo Price (mother)', date: '2027-03-10', method: 'meeting' },
      summary: { tried: 'A calm corner.', worked: 'Counselling.', outcomes: 'Settled.', needs: 'SEMH.' },
      fileIds: ['c1:fc1'],
      transferredBy: P.adele.aadObjectId,
      transferredAt: '2027-03-21T10:00:00.000Z',
    });
    const r = await exportSubjectAccess(deps, P.isaiah.aadObjectId, 'EIP-2026-0001');
    assert.equal(r.records, 2 + 3 + 2, 'and the document and the transfer');
    const json = JSON.parse(fs.readFileSync(r.files.json, 'utf8'));
    const [first] = json.cases;
    assert.deepEqual(first.documents, [
      {
        name: 'EP report Sam.pdf',
        kind: 'Professional report',
        size: sams.length,
        sha256: 'c1'.padEnd(64, '0'),
        addedBy: 'Megan Bowen',
        addedAt: '2026-12-01T10:00:00.000Z',
        copy: 'EIP-2026-0001/c1_fc1-EP report Sam.pdf',
      },
    ]);
    assert.equal(first.transfer.to, 'Hillcrest Academy');
    assert.equal(first.transfer.consent.givenBy, 'Jo Price (mother)');
    assert.deepEqual(fs.readFileSync(path.join(r.documents!, first.documents[0].copy)), sams);
    const copied = fs.readdirSync(r.documents!, { recursive: true }).map(String);
    assert.ok(!copied.some((f) => f.includes('Jamie')), "another child's document is never copied");
    assert.match(fs.readFileSync(r.files.text, 'utf8'), /### Documents kept with the case/);
    assert.match(fs.readFileSync(r.files.text, 'utf8'), /### Transferred to Hillcrest Academy/);
  });

  it('notes a document storage no longer has, instead of listing a copy that is not there', async () => {
    await store.files.create({
      id: 'c1:fgone',
      caseId: 'c1',
      name: 'Lost plan.pdf',
      kind: 'support-plan',
      size: 100,
      sha256: 'f'.repeat(64),
      ext: 'pdf',
      addedBy: P.megan.aadObjectId,
      addedAt: '2026-12-01T10:00:00.000Z',
      location: 'EIP-2026-0001/nothing-here.pdf',
    });
    const r = await exportSubjectAccess(deps, P.isaiah.aadObjectId, 'EIP-2026-0001');
    const [first] = JSON.parse(fs.readFileSync(r.files.json, 'utf8')).cases;
    assert.equal(first.documents[0].copy, undefined);
    assert.match(first.documents[0].missing, /not found in storage when this export was made/);
    assert.equal(r.documents, undefined, 'no documents folder: nothing was copied');
    assert.match(
      fs.readFileSync(r.files.text, 'utf8'),
      /- SEN support plan: Lost plan\.pdf, not found in storage when this export was made/,
    );
  });

  it('includes the follow-on case a receiving school raised (by its linkedFrom), whatever name it was given', async () => {
    // Raised at Hillcrest after a transfer, with the name written differently: not the same pupil by name alone.
    await store.cases.create(
      pupilCase(
        'c9',
        'EIP-2027-0009',
        { pupilName: 'Samuel Okonkwo', yearGroup: 'Year 7', tried: 'Samuel has a mentor.' },
        { schoolId: 'hillcrest-academy', raisedAt: '2027-09-20T09:00:00.000Z', linkedFrom: 'c1' },
      ),
    );
    for (const ref of ['EIP-2026-0001', 'EIP-2027-0009']) {
      const r = await exportSubjectAccess(deps, P.isaiah.aadObjectId, ref);
      assert.ok(r.cases.includes('EIP-2026-0001') && r.cases.includes('EIP-2027-0009'), `${ref}: ${r.cases}`);
      const json = JSON.parse(fs.readFileSync(r.files.json, 'utf8'));
      const follow = json.cases.find((c: { ref: string }) => c.ref === 'EIP-2027-0009');
      assert.equal(
        follow.request.tried,
        'Samuel has a mentor.',
        'its own name is not redacted as another pupil',
      );
      assert.ok(!r.possible.includes('EIP-2027-0009'));
      fs.rmSync(path.dirname(r.files.json), { recursive: true, force: true });
    }
  });

  it('never overwrites an earlier export', async () => {
    const first = await exportSubjectAccess(deps, P.isaiah.aadObjectId, 'EIP-2026-0001');
    await assert.rejects(exportSubjectAccess(deps, P.isaiah.aadObjectId, 'EIP-2026-0001'), /EEXIST/);
    assert.ok(fs.existsSync(first.files.json));
  });

  it('refuses a whole-class case, an unknown reference, and anything that is not a reference, writing nothing', async () => {
    await assert.rejects(
      exportSubjectAccess(deps, P.isaiah.aadObjectId, 'EIP-2026-0004'),
      /is a request for a whole class/,
    );
    await assert.rejects(
      exportSubjectAccess(deps, P.isaiah.aadObjectId, 'EIP-2026-0099'),
      /There is no case EIP-2026-0099\./,
    );
    await assert.rejects(exportSubjectAccess(deps, P.isaiah.aadObjectId, PUPIL), (e: Error) => {
      assert.equal(e.message, 'Give the case reference, such as: subject access EIP-2026-0001');
      return true;
    });
    assert.equal(fs.existsSync(path.join(dir, 'exports')), false);
  });
});

describe('the subject access command in the bot', () => {
  let h: Harness;
  let caseId: string;
  before(async () => {
    h = await startHarness({ now: () => new Date('2026-11-27T10:00:00Z') });
    for (const p of [P.megan, P.adele, P.isaiah]) await h.say(p, 'hello');
    caseId = await raiseRequest(h, {
      kind: 'individual',
      pupilName: PUPIL,
      yearGroup: 'Year 4',
      needs: 'semh',
      tried: 'Sam has a calm corner.',
      asked: 'Counselling.',
      consentGivenBy: 'Jo Price (mother)',
      consentDate: '2026-11-20',
      consentMethod: 'in-writing',
    });
  });
  after(async () => h.stop());

  it("tells the admin where the export is and what it covers, without the child's details", async () => {
    const [card] = await h.say(P.isaiah, 'subject access EIP-2026-0001');
    // Read as a person reads it: the word joiners that stop a client linking "x.json" are invisible.
    const text = textOf(card).replace(/\u2060/g, '');
    assert.match(text, /Subject access export for the pupil of EIP-2026-0001/);
    // The case, its consent, and the co-ordinator's notice of it (held in the outbox).
    assert.match(text, /1 case \(EIP-2026-0001\), 3 records with their history/);
    const exports = path.join(h.dataDir, 'exports');
    const files = fs.readdirSync(exports).sort();
    assert.equal(files.length, 2);
    for (const f of files) assert.ok(text.includes(path.join(exports, f)), `the card gives the path of ${f}`);
    assert.doesNotMatch(text, /Sam|Okonkwo|calm corner|Jo Price/);
    assert.match(fs.readFileSync(path.join(exports, files[1]!), 'utf8'), /Sam has a calm corner/);
    const [entry] = (await h.bot.store.audit.list(caseId)).filter((a) => a.action === 'subject-access');
    assert.equal(entry?.actor, P.isaiah.aadObjectId);
  });

  it('refuses anyone but an admin, and any chat but a 1:1, and audits the refusal', async () => {
    const before = fs.readdirSync(path.join(h.dataDir, 'exports')).length;
    const [coordinator] = await h.say(P.adele, 'subject access EIP-2026-0001');
    assert.match(textOf(coordinator), /Only an LA administrator can export what is held about a pupil\./);
    const [group] = await h.say(P.isaiah, 'subject access EIP-2026-0001', 'panel');
    assert.match(textOf(group), /only in your 1:1 chat/);
    assert.equal(fs.readdirSync(path.join(h.dataDir, 'exports')).length, before, 'nothing written');
    const refused = (await h.bot.store.audit.list()).filter(
      (a) => a.outcome === 'refused' && a.action === 'subject access',
    );
    assert.deepEqual(
      refused.map((a) => [a.actor, a.detail]),
      [
        [P.adele.aadObjectId, 'forbidden'],
        [P.isaiah.aadObjectId, 'private_only'],
      ],
    );
  });
});

describe('the subject access command line', () => {
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-sar-cli-'));
    const store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    await store.cases.create(caseRecord({ id: 'c1' }));
    await store.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the export under EIP_DATA_DIR/exports and prints where, without the pupil', async function () {
    this.timeout(120_000);
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(Microsoft|EIP_|NODE_ENV|PORT)/.test(k)),
    );
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/jobs/privacy-cli.ts', 'sar', 'EIP-2026-0001'],
      {
        cwd: ROOT,
        env: {
          ...clean,
          EIP_DIRECTORY: path.join(ROOT, 'test', 'fixtures', 'directory.json'),
          EIP_DATA_DIR: dir,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Subject access export for the pupil of EIP-2026-0001: 1 case, 1 record\./);
    const [, readable] = /readable: (.*)/.exec(r.stdout) ?? [];
    assert.equal(path.dirname(readable!), path.join(dir, 'exports'));
    assert.match(fs.readFileSync(readable!, 'utf8'), new RegExp(PUPIL));
    assert.doesNotMatch(r.stdout, /Sam|Okonkwo/);
    const store = new SqliteStore(path.join(dir, 'eip.sqlite'));
    const [entry] = await store.audit.list('c1');
    assert.equal(entry?.action, 'subject-access');
    assert.match(entry!.actor, /^cli:/);
    await store.close();
  });
});
