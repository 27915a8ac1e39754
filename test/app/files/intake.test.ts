// Evidence files sent to the bot in the 1:1 chat: accepted by their content (PDF, Word, Excel, PNG, JPEG), kept
// with the case the sender chooses, and every bad file, name or choice answered clearly with nothing stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES, type FileRecord } from '../../../src/domain';
import { P, TENANT, button, startHarness, textOf as cardText, type Harness } from '../../support/harness';
import { caseRecord, proposalRecord } from '../../support/records';
import { FileHost, cfb, docx, exe, fileActivity, jpeg, pdf, plain, png, sendFile, xlsx } from './support';

const textOf = (card: unknown) => plain(cardText(card));

const NOW = new Date('2026-11-30T10:00:00Z');

describe('evidence files sent to the bot', function () {
  this.timeout(60_000);
  let h: Harness;
  let host: FileHost;

  beforeEach(async () => {
    host = new FileHost();
    await host.start();
    h = await startHarness({ now: () => NOW });
    await h.bot.store.cases.create(caseRecord({ id: 'c1' }));
    await h.bot.store.cases.create(caseRecord({ id: 'c2', schoolId: 'brookside-primary' }));
  });
  afterEach(async () => {
    await h.stop();
    await host.stop();
  });

  const files = async () => (await h.bot.store.files.find()).map((s) => s.value);
  const stored = () => {
    const root = path.join(h.dataDir, 'files');
    return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String) : [];
  };

  /** Sends a file and keeps it with case c1 as a support plan; answers the card that came back. */
  async function attach(name: string, bytes: Buffer, data: Record<string, unknown> = {}) {
    const card = await sendFile(h, P.megan, name, host.put(`/${encodeURIComponent(name)}`, bytes));
    const keep = button(card, 'Keep with this case');
    return h.press(P.megan, 'attachFile', { ...keep.data, caseId: 'c1', kind: 'support-plan', ...data });
  }

  it('asks which case and what kind, then keeps the file with that case and records it', async () => {
    const bytes = pdf();
    const card = await sendFile(h, P.megan, 'Support plan Sam.pdf', host.put('/plan.pdf', bytes));
    const text = textOf(card);
    assert.match(text, /Keep this document with a case/);
    assert.match(text, /Support plan Sam\.pdf · PDF/);
    assert.match(text, /EIP-2026-0001: Sam Okonkwo-Price, Year 4/);
    assert.doesNotMatch(text, /EIP-2026-0002/, "another school's case is not offered");
    for (const kind of [
      'SEN support plan',
      'Provision map',
      'Professional report',
      'Observation notes',
      'Other',
    ])
      assert.match(text, new RegExp(kind));
    const after = await h.press(P.megan, 'attachFile', {
      ...button(card, 'Keep with this case').data,
      caseId: 'c1',
      kind: 'provision-map',
    });
    assert.match(textOf(after), /Support plan Sam\.pdf is kept with EIP-2026-0001 as provision map/);
    assert.match(textOf(after), /Documents \(1\)/);
    const [f, ...more] = await files();
    assert.equal(more.length, 0);
    assert.deepEqual({ ...f, location: undefined }, {
      id: `c1:f${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`,
      caseId: 'c1',
      name: 'Support plan Sam.pdf',
      kind: 'provision-map',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ext: 'pdf',
      addedBy: P.megan.aadObjectId,
      addedAt: NOW.toISOString(),
      location: undefined,
    } satisfies Omit<FileRecord, 'location'> & { location: undefined });
    assert.deepEqual(fs.readFileSync(path.join(h.dataDir, 'files', f!.location)), bytes);
    assert.match(f!.location, /^EIP-2026-0001\//, 'one folder per case reference');
    const trail = await h.bot.store.audit.list('c1');
    const added = trail.find((e) => e.action === 'add-file');
    assert.ok(added, 'the addition is audited');
    assert.doesNotMatch(JSON.stringify(trail), /Sam|Support plan Sam/, 'never the name in the audit');
  });

  it('accepts Word, Excel, PNG and JPEG by their content', async () => {
    const kinds: [string, Buffer, string][] = [
      ['notes.docx', docx(), 'docx'],
      ['costed map.xlsx', xlsx(), 'xlsx'],
      ['drawing.png', png(), 'png'],
      ['photo.jpg', jpeg(), 'jpg'],
    ];
    for (const [name, bytes] of kinds)
      assert.match(textOf(await attach(name, bytes)), /is kept with EIP-2026-0001/);
    assert.deepEqual((await files()).map((f) => f.ext).sort(), kinds.map((k) => k[2]).sort());
  });

  const refusedCases: [string, string, () => Buffer, RegExp][] = [
    ['a renamed executable', 'report.pdf', exe, /Only PDF, Word \(\.docx\), Excel \(\.xlsx\), PNG and JPEG/],
    [
      'an old-style Word file',
      'plan.doc',
      cfb,
      /old-style Word or Excel file \(\.doc or \.xls\) or a password-protected document.*Save it as \.docx or \.xlsx without a password \(or as a PDF\)/,
    ],
    [
      'a password-protected Word file (a CFB container too)',
      'plan.docx',
      cfb,
      /or a password-protected document.*without a password/,
    ],
    ['plain text named .pdf', 'notes.pdf', () => Buffer.from('just some words'), /Only PDF/],
    ['an empty file', 'empty.pdf', () => Buffer.alloc(0), /The file is empty/],
    [
      'a file too large',
      'big.pdf',
      () => Buffer.concat([pdf(), Buffer.alloc(MAX_FILE_BYTES)]),
      /larger than 25 MB/,
    ],
  ];
  for (const [what, name, bytes, message] of refusedCases) {
    it(`refuses ${what} with a clear card and stores nothing`, async () => {
      const card = await sendFile(h, P.megan, name, host.put('/f', bytes));
      assert.match(textOf(card), /That file can't be kept with a case/);
      assert.match(textOf(card), message);
      assert.deepEqual(await files(), []);
      assert.deepEqual(stored(), []);
      // Nothing waits for a case either: there is no file to keep.
      const again = await h.press(P.megan, 'attachFile', {
        upload: 'x'.repeat(22),
        caseId: 'c1',
        kind: 'other',
      });
      assert.match(textOf(again), /no longer waiting/);
      assert.deepEqual(await files(), []);
    });
  }

  const hostileNames: [string, string, RegExp][] = [
    ['a path', '../../etc/passwd.pdf', /contains a path/],
    ['a Windows path', 'C:\\Users\\x\\plan.pdf', /contains a path/],
    ['control characters', 'plan\u0007\u001b[31m.pdf', /hidden control characters/],
    ['a right-to-left override', 'plan\u202Efdp.exe', /hidden control characters/],
    ['300 characters', `${'a'.repeat(296)}.pdf`, /too long \(at most 150 characters/],
    ['140 accented letters (280 bytes)', `${'é'.repeat(140)}.pdf`, /too long/],
    ['a full stop at the end', 'plan.pdf.', /ends with a full stop/],
    ['the prefix of an Office temporary copy', '~$plan.docx', /temporary copies/],
    ['a device name', 'CON.pdf', /one Windows keeps for itself/],
    ['a device name in lower case', 'lpt1', /one Windows keeps for itself/],
    ['SharePoint’s own "_vti_"', 'plan_vti_x.pdf', /SharePoint keeps for itself/],
    ['SharePoint’s own ".lock"', 'plan.lock', /SharePoint keeps for itself/],
    ['SharePoint’s own "desktop.ini"', 'Desktop.ini', /SharePoint keeps for itself/],
  ];
  for (const [what, name, message] of hostileNames) {
    it(`refuses a file name with ${what}, before downloading anything`, async () => {
      const card = await sendFile(h, P.megan, name, host.put('/f', pdf()));
      assert.match(textOf(card), message);
      assert.deepEqual(host.downloads, []);
      assert.deepEqual(await files(), []);
    });
  }

  it('keeps the same file sent twice only once, found by its hash whatever its name', async () => {
    await attach('plan.pdf', pdf('same'));
    const second = await attach('plan (copy).pdf', pdf('same'));
    assert.match(textOf(second), /already keeps this document \(the same file, by its content\).*plan\.pdf/);
    assert.equal((await files()).length, 1);
    assert.equal(stored().filter((p) => p.endsWith('.pdf')).length, 1);
  });

  it('asks again when no case is chosen, and stores nothing until one is', async () => {
    const card = await sendFile(h, P.megan, 'plan.pdf', host.put('/plan.pdf', pdf()));
    const keep = button(card, 'Keep with this case');
    const again = await h.press(P.megan, 'attachFile', { ...keep.data, kind: 'support-plan' });
    assert.match(textOf(again), /Case: Choose the case this document belongs to/);
    assert.deepEqual(await files(), []);
    const done = await h.press(P.megan, 'attachFile', { ...keep.data, caseId: 'c1', kind: 'support-plan' });
    assert.match(textOf(done), /is kept with EIP-2026-0001/);
  });

  it('refuses a case of another school chosen by a crafted button, and stores nothing', async () => {
    const card = await sendFile(h, P.megan, 'plan.pdf', host.put('/plan.pdf', pdf()));
    const answer = await h.press(P.megan, 'attachFile', {
      ...button(card, 'Keep with this case').data,
      caseId: 'c2',
      kind: 'other',
    });
    assert.match(textOf(answer), /belongs to another school/);
    assert.deepEqual(await files(), []);
  });

  it('refuses a 21st document on a case', async () => {
    for (let i = 0; i < 20; i++)
      await h.bot.store.files.create({
        id: `c1:f${i}`,
        caseId: 'c1',
        name: `doc ${i}.pdf`,
        kind: 'other',
        size: 10,
        sha256: String(i).padStart(64, '0'),
        ext: 'pdf',
        addedBy: P.megan.aadObjectId,
        addedAt: NOW.toISOString(),
        location: `EIP-2026-0001/doc${i}.pdf`,
      });
    const answer = await attach('one more.pdf', pdf('21st'));
    assert.match(textOf(answer), /already keeps 20 documents, the most a case may/);
    assert.equal((await files()).length, 20);
    assert.deepEqual(stored(), []);
  });

  it('downloads only from the allowed hosts', async () => {
    const card = await sendFile(h, P.megan, 'plan.pdf', 'http://169.254.169.254/latest/meta-data/plan.pdf');
    assert.match(textOf(card), /comes from a place EIP bot does not download from/);
    assert.deepEqual(await files(), []);
  });

  it('takes documents only from a SENCo or the co-ordinator, and only in the 1:1 chat', async () => {
    const fromHead = await sendFile(h, P.patti, 'plan.pdf', host.put('/plan.pdf', pdf()));
    assert.match(textOf(fromHead), /Only a school's SENCo or the EIP co-ordinator can add documents/);
    assert.deepEqual(host.downloads, []);
    const fromAdele = await sendFile(h, P.adele, 'obs.pdf', host.put('/obs.pdf', pdf('obs')));
    assert.match(textOf(fromAdele), /EIP-2026-0002/, 'the co-ordinator may add to any case');
  });
});

describe('who is told what of the documents', function () {
  this.timeout(60_000);
  let h: Harness;
  let host: FileHost;
  beforeEach(async () => {
    host = new FileHost();
    await host.start();
    h = await startHarness({ now: () => NOW });
    await h.bot.store.cases.create(caseRecord({ id: 'c1' }));
  });
  afterEach(async () => {
    await h.stop();
    await host.stop();
  });

  async function keep(name: string, bytes: Buffer) {
    const card = await sendFile(h, P.megan, name, host.put(`/${encodeURIComponent(name)}`, bytes));
    await h.press(P.megan, 'attachFile', {
      ...button(card, 'Keep with this case').data,
      caseId: 'c1',
      kind: 'other',
    });
  }

  it('opens a document for the SENCo through a link of their own, and audits each open', async () => {
    await keep('Sam report.pdf', pdf('report'));
    const list = await h.press(P.megan, 'caseFiles', { caseId: 'c1' });
    assert.match(textOf(list), /Sam report\.pdf/);
    assert.match(textOf(list), /Other · PDF · 1 KB · added Mon 30 Nov 2026 by Megan Bowen/);
    const open = await h.press(P.megan, 'openFile', button(list, 'Open').data);
    const url = (open.actions as { type: string; url?: string }[]).find(
      (a) => a.type === 'Action.OpenUrl',
    )!.url!;
    assert.match(url, new RegExp(`^${h.bot.url}/exports/[A-Za-z0-9_-]{43}$`));
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; /);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf('report'));
    await h.press(P.adele, 'openFile', button(list, 'Open').data);
    const opens = (await h.bot.store.audit.list('c1')).filter((e) => e.action === 'open-file');
    assert.deepEqual(
      opens.map((e) => e.actor),
      [P.megan.aadObjectId, P.adele.aadObjectId],
    );
    assert.ok(opens.every((e) => !/Sam/.test(e.detail)));
  });

  it('tells the panel only how many documents there are, never their names', async () => {
    await keep('Sam report.pdf', pdf('one'));
    await keep('Sam plan.pdf', pdf('two'));
    await keep('Sam map.pdf', pdf('three'));
    const c = (await h.bot.store.cases.get('c1'))!;
    await h.bot.store.cases.replace({ ...c.value, status: 'proposed', round: 1 }, c.eTag);
    await h.bot.store.proposals.create(proposalRecord({ ...c.value, round: 1 }, '2026-12-11'));
    const panel = textOf(await h.press(P.alex, 'panelView', { caseId: 'c1', round: 1 }, 'panel'));
    assert.match(panel, /3 documents with the co-ordinator/);
    assert.doesNotMatch(panel, /Sam|report\.pdf/);
    const asPanel = textOf(await h.press(P.alex, 'openCase', { caseId: 'c1' }));
    assert.match(asPanel, /3 documents with the co-ordinator/);
    assert.doesNotMatch(asPanel, /report\.pdf|Documents \(/);
    assert.match(textOf(await h.press(P.alex, 'caseFiles', { caseId: 'c1' })), /Only the case's school/);
  });

  it('refuses a file sent in a group chat, as it would anything with a name in it', async () => {
    const mark = h.connector.mark();
    const activity = fileActivity(h, P.megan, 'plan.pdf', host.put('/plan.pdf', pdf()));
    await h.post({
      ...activity,
      conversation: {
        id: 'panel-group-chat',
        conversationType: 'groupChat',
        isGroup: true,
        tenantId: TENANT,
      },
    });
    const [card] = h.connector.cardsIn('panel-group-chat', mark);
    assert.match(textOf(card), /For privacy/);
    assert.deepEqual(host.downloads, []);
    assert.deepEqual((await h.bot.store.files.find()).length, 0);
  });
});
