// Evidence documents in SharePoint mode: the "EIP Evidence" library, a folder per case reference, uploaded simply
// or, above 4 MB, through a resumable upload session; throttling, failures and lost answers injected by the local
// Graph server do not lose a document or store it twice. Then the whole flow through the bot: a file sent in the
// 1:1 chat ends up in the library, and its open link is the item's own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  EVIDENCE_LIBRARY,
  SIMPLE_UPLOAD_MAX,
  SharePointDocuments,
  ensureEvidenceLibrary,
} from '../../src/store/sharepoint/documents';
import { P, button, startHarness, textOf } from '../support/harness';
import type { GraphServer } from '../support/graph/server';
import { caseRecord } from '../support/records';
import { FileHost, pdf, plain, sendFile } from '../app/files/support';
import { Servers, clientFor, envFor, provision } from './support/sharepoint';

/** A PDF of about this many bytes, different each time (its hash tells the copies apart). */
const bigPdf = (bytes: number, seed: string) =>
  Buffer.concat([pdf(seed), Buffer.alloc(bytes, seed.charCodeAt(0))]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('evidence documents in the SharePoint library', function () {
  this.timeout(120_000);
  const servers = new Servers();
  afterEach(() => servers.stopAll());

  async function library(server: GraphServer) {
    const client = clientFor(server);
    assert.equal(await ensureEvidenceLibrary(client, server.siteId), 'created');
    assert.equal(await ensureEvidenceLibrary(client, server.siteId), 'there already');
    return new SharePointDocuments(client, server.siteId);
  }

  it('keeps a small document in one request, in the case’s folder, and reads and deletes it', async () => {
    const server = await servers.start();
    const docs = await library(server);
    const bytes = pdf('small');
    const put = await docs.put('EIP-2026-0001', 'Support plan.pdf', bytes, 'application/pdf');
    assert.equal(server.slicesReceived, 0, 'no upload session for a small file');
    const [item, ...more] = server.libraryItems(EVIDENCE_LIBRARY);
    assert.equal(more.length, 0);
    assert.match(item!.path, /^EIP-2026-0001\/[0-9a-f]{8}-Support plan\.pdf$/);
    assert.match(put.webUrl ?? '', /\/EIP%20Evidence\/EIP-2026-0001\/[0-9a-f]{8}-Support%20plan\.pdf$/);
    assert.deepEqual(await docs.get(put.location), bytes);
    await docs.remove(put.location);
    assert.equal(await docs.get(put.location), undefined);
    assert.deepEqual(server.libraryItems(EVIDENCE_LIBRARY), []);
    await docs.remove(put.location); // already gone: no error
  });

  it('uploads a large document through an upload session, in slices', async () => {
    const server = await servers.start();
    const docs = await library(server);
    const bytes = bigPdf(SIMPLE_UPLOAD_MAX * 2 + 12_345, 'L');
    const put = await docs.put('EIP-2026-0002', 'EP report.pdf', bytes, 'application/pdf');
    assert.ok(server.slicesReceived >= 3, `${server.slicesReceived} slices`);
    assert.equal(server.openSessions(), 0);
    assert.equal(sha((await docs.get(put.location))!), sha(bytes));
  });

  it('loses nothing and stores nothing twice when Graph throttles, fails and loses answers', async () => {
    const server = await servers.start();
    const docs = await library(server);
    server.faults({
      rate: 0.3,
      statuses: [429, 503],
      retryAfterSeconds: 0.01,
      seed: 12,
      lostResponseRate: 0.25,
    });
    const large = bigPdf(SIMPLE_UPLOAD_MAX * 5 + 999, 'F');
    const small = pdf('faulty');
    const a = await docs.put('EIP-2026-0003', 'Large.pdf', large, 'application/pdf');
    const b = await docs.put('EIP-2026-0003', 'Small.pdf', small, 'application/pdf');
    server.faults();
    // The faults did reach the upload session: slices refused or their answers lost, and sent again.
    const slices = server.log.filter((e) => e.path.startsWith('/upload/') && e.method === 'PUT');
    const faulted = slices.filter((e) => [416, 429, 503, 504].includes(e.status));
    assert.ok(faulted.length >= 2, `slices answered ${slices.map((e) => e.status).join(' ')}`);
    const items = server.libraryItems(EVIDENCE_LIBRARY);
    assert.deepEqual(items.map((i) => i.path.replace(/[0-9a-f]{8}-/, '')).sort(), [
      'EIP-2026-0003/Large.pdf',
      'EIP-2026-0003/Small.pdf',
    ]);
    assert.equal(sha((await docs.get(a.location))!), sha(large));
    assert.deepEqual(await docs.get(b.location), small);
  });

  it('takes a file sent to the bot into the library, and opens it by the item’s own link', async () => {
    const server = await servers.start();
    await provision(server);
    await ensureEvidenceLibrary(clientFor(server), server.siteId);
    const host = new FileHost();
    await host.start();
    const h = await startHarness({
      now: () => new Date('2026-11-30T10:00:00Z'),
      env: { EIP_STORE: 'sharepoint', ...envFor(server) } as Record<string, string>,
    });
    try {
      await h.bot.store.cases.create(caseRecord({ id: 'c1' }));
      const bytes = bigPdf(SIMPLE_UPLOAD_MAX + 1000, 'B');
      const card = await sendFile(h, P.megan, 'Provision map.pdf', host.put('/map.pdf', bytes));
      const kept = await h.press(P.megan, 'attachFile', {
        ...button(card, 'Keep with this case').data,
        caseId: 'c1',
        kind: 'provision-map',
      });
      assert.match(plain(textOf(kept)), /Provision map\.pdf is kept with EIP-2026-0001/);
      const [item] = server.libraryItems(EVIDENCE_LIBRARY);
      assert.equal(sha(item!.bytes), sha(bytes));
      const [f] = (await h.bot.store.files.find({ caseId: 'c1' })).map((s) => s.value);
      const open = await h.press(P.megan, 'openFile', { fileId: f!.id, caseId: 'c1' });
      const url = (open.actions as { type: string; url?: string }[]).find(
        (a) => a.type === 'Action.OpenUrl',
      )?.url;
      assert.equal(url, f!.webUrl);
      assert.match(
        url ?? '',
        /^https:\/\/contoso\.sharepoint\.com\/sites\/eip\/EIP%20Evidence\/EIP-2026-0001\//,
      );
      assert.match(plain(textOf(open)), /opens in the LA's evidence library/);
      assert.ok((await h.bot.store.audit.list('c1')).some((e) => e.action === 'open-file'));
    } finally {
      await h.stop();
      await host.stop();
    }
  });
});
