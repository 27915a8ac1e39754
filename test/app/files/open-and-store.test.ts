// Where a document's bytes are kept and how one is opened in local mode: under a random id and the type found in its
// content (never the sender's name, which may carry the pupil's), opened through a link made for one person that
// downloads once within a few minutes, each download audited; a failing disk write logs no file name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { filesOf } from '../../../src/app/files/services';
import { Readable } from 'node:stream';
import { DOCUMENT_LINK_TTL_MS, LocalExports } from '../../../src/app/reports/delivery';
import { loggable } from '../../../src/app/router';
import { fileNameProblem } from '../../../src/domain/files';
import { P, button, startHarness, textOf as cardText, type Harness } from '../../support/harness';
import { caseRecord } from '../../support/records';
import { PEOPLE, Stages, removeWorldFiles } from '../../support/world';
import { FileHost, pdf, plain, sendFile } from './support';

const textOf = (card: unknown) => plain(cardText(card));
const PUPIL_FILE = 'Sam Okonkwo-Price EHCP.pdf';

describe('evidence documents on disk and their local links', function () {
  this.timeout(60_000);
  let h: Harness;
  let host: FileHost;
  let clock: Date;

  beforeEach(async () => {
    clock = new Date('2026-11-30T10:00:00Z');
    host = new FileHost();
    await host.start();
    h = await startHarness({ now: () => clock });
    await h.bot.store.cases.create(caseRecord({ id: 'c1' }));
  });
  afterEach(async () => {
    await h.stop();
    await host.stop();
  });

  async function keep(name: string, bytes: Buffer) {
    const card = await sendFile(h, P.megan, name, host.put('/f', bytes));
    await h.press(P.megan, 'attachFile', {
      ...button(card, 'Keep with this case').data,
      caseId: 'c1',
      kind: 'support-plan',
    });
    const [f] = (await h.bot.store.files.find({ caseId: 'c1' })).map((s) => s.value);
    return f!;
  }

  const linkOf = (card: Record<string, unknown>) =>
    (card.actions as { type: string; url?: string }[]).find((a) => a.type === 'Action.OpenUrl')!.url!;

  it('stores the bytes under a random id and the checked type, keeping the name only in the record', async () => {
    const f = await keep(PUPIL_FILE, pdf('ehcp'));
    assert.equal(f.name, PUPIL_FILE);
    assert.match(f.location, /^EIP-2026-0001\/[0-9a-f]{32}\.pdf$/);
    const onDisk = fs.readdirSync(path.join(h.dataDir, 'files'), { recursive: true }).map(String);
    assert.deepEqual(onDisk.sort(), ['EIP-2026-0001', f.location]);
    assert.ok(!onDisk.some((p) => /Sam|EHCP/.test(p)));
    // The download still carries the person's own name for the file.
    const res = await fetch(linkOf(await h.press(P.megan, 'openFile', { fileId: f.id, caseId: 'c1' })));
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /filename\*=UTF-8''Sam%20Okonkwo-Price%20EHCP\.pdf/,
    );
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf('ehcp'));
  });

  it('gives a link that downloads once, says so, and audits the download for whom it was made', async () => {
    const f = await keep(PUPIL_FILE, pdf('once'));
    const open = await h.press(P.megan, 'openFile', { fileId: f.id, caseId: 'c1' });
    assert.match(textOf(open), /A link for you, for the next 5 minutes: it downloads the document once/);
    assert.doesNotMatch(textOf(open), /only from this chat/);
    const url = linkOf(open);
    const downloads = async () =>
      (await h.bot.store.audit.list('c1')).filter((e) => e.action === 'download-file');
    assert.deepEqual(await downloads(), [], 'making the link is not a download');
    const first = await fetch(url);
    assert.equal(first.status, 200);
    assert.deepEqual(Buffer.from(await first.arrayBuffer()), pdf('once'));
    const [audited, ...more] = await downloads();
    assert.equal(more.length, 0);
    assert.equal(audited!.actor, P.megan.aadObjectId);
    assert.match(audited!.detail, /EIP-2026-0001 support-plan document downloaded/);
    assert.doesNotMatch(audited!.detail, /Sam|EHCP|\.pdf/);
    const second = await fetch(url);
    assert.equal(second.status, 404, 'the same link twice');
    await second.arrayBuffer();
    assert.equal((await downloads()).length, 1);
  });

  it('refuses a link used after its 5 minutes, and drops it', async () => {
    const f = await keep(PUPIL_FILE, pdf('late'));
    const url = linkOf(await h.press(P.megan, 'openFile', { fileId: f.id, caseId: 'c1' }));
    clock = new Date(clock.getTime() + 5 * 60_000);
    const late = await fetch(url);
    assert.equal(late.status, 404);
    await late.arrayBuffer();
    assert.ok(!(await h.bot.store.audit.list('c1')).some((e) => e.action === 'download-file'));
  });
});

describe('the local link holder', () => {
  it('holds no link past its time: each new link or fetch prunes the expired ones', async () => {
    let now = new Date('2026-11-30T10:00:00Z');
    const links = new LocalExports(() => now);
    const doc = {
      owner: 'o',
      fileName: 'x.pdf',
      contentType: 'application/pdf',
      size: 1,
      stream: () => Readable.from([Buffer.from('x')]),
      served: async () => undefined,
    };
    for (let i = 0; i < 3; i++) await links.deliverDocument(doc);
    assert.equal(links.size, 3);
    now = new Date(now.getTime() + DOCUMENT_LINK_TTL_MS);
    assert.equal(links.file('A'.repeat(43)), undefined);
    assert.equal(links.size, 0);
    const { url } = await links.deliverDocument(doc);
    assert.equal(links.size, 1);
    const token = url.split('/').pop()!;
    assert.ok(links.file(token));
    assert.equal(links.file(token), undefined, 'taken by its first fetch');
    assert.equal(links.size, 0);
  });
});

describe('a failing disk write with a pupil-named file', function () {
  this.timeout(60_000);
  const stages = new Stages();
  after(() => removeWorldFiles());

  it('logs the error by its code, never the path or the file name', async () => {
    const { w, caseId } = await stages.world('submitted');
    const services = filesOf(w.deps);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-fail-'));
    // A store that writes under the person's own file name into a folder that is not there: ENOENT, with the path.
    services.documents = {
      put: async (_ref, name, bytes) => {
        await fs.promises.writeFile(path.join(root, 'missing', name), bytes);
        return { location: name };
      },
      get: async () => undefined,
      remove: async () => undefined,
    };
    const held = services.pending.hold({
      owner: PEOPLE.megan.aadObjectId,
      name: PUPIL_FILE,
      bytes: pdf('x'),
      ext: 'pdf',
      mime: 'application/pdf',
      sha256: 'a'.repeat(64),
    });
    const card = await w.press(PEOPLE.megan, 'attachFile', { upload: held.token, caseId, kind: 'other' });
    assert.match(textOf(card), /Something went wrong on our side/);
    const logged = w.logs.join('\n');
    assert.match(logged, /unexpected error/);
    assert.match(logged, /ENOENT/);
    assert.doesNotMatch(logged, /Sam|Okonkwo|EHCP|missing/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps the message of an error that names no path', () => {
    assert.deepEqual(
      { ...(loggable(new Error('the upload answered no item id')) as object), stack: undefined },
      { name: 'Error', message: 'the upload answered no item id', stack: undefined },
    );
  });
});

describe('file names SharePoint and the disk would refuse', () => {
  it('refuses each with its own reason, and keeps the names that only look like them', () => {
    const refused: [string, RegExp][] = [
      [`${'é'.repeat(126)}.pdf`, /too long/], // 126 characters, 256 bytes
      ['plan. ', /starts or ends with a space/],
      ['plan.', /ends with a full stop/],
      ['~$plan.docx', /temporary copies/],
      ['nul', /one Windows keeps for itself/],
      ['Com9.report.pdf', /one Windows keeps for itself/],
      ['LPT3.xlsx', /one Windows keeps for itself/],
      ['notes_vti_cnf.pdf', /SharePoint keeps for itself/],
      ['report.LOCK', /SharePoint keeps for itself/],
      ['desktop.ini', /SharePoint keeps for itself/],
    ];
    for (const [name, reason] of refused) assert.match(fileNameProblem(name) ?? 'accepted', reason, name);
    for (const name of [
      `${'é'.repeat(125)}.pdf`, // 254 bytes
      'CONTRACT.pdf',
      'Console notes.pdf',
      'com10.pdf',
      'auxiliary plan.docx',
      '~plan.pdf',
      'plan.locked.pdf',
      'my desktop.ini notes.pdf',
      'Sam.v2.pdf',
    ])
      assert.equal(fileNameProblem(name), undefined, name);
  });
});
