// Evidence documents in SharePoint mode: the "EIP Evidence" library, a folder per case reference, items named by a
// random id and their type (never the sender's file name), uploaded simply or, above 4 MB, through a resumable upload
// session; throttling, failures and lost answers injected by the local Graph server do not lose a document or store
// it twice; deleting is for good (no recycle bin). Then the whole flow through the bot: a file sent in the 1:1 chat
// ends up in the library, and opening it grants read access to that one item to the person who opened it alone.
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
import { filesOf } from '../../src/app/files/services';
import { runRetention } from '../../src/jobs/retention';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { RecordingNotifier, appDeps, caseRecord } from '../support/records';
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

  it('keeps a small document in one request, in the case’s folder, and reads and deletes it for good', async () => {
    const server = await servers.start();
    const docs = await library(server);
    const bytes = pdf('small');
    const put = await docs.put('EIP-2026-0001', 'Sam Okonkwo-Price plan.pdf', bytes, 'application/pdf');
    assert.equal(server.slicesReceived, 0, 'no upload session for a small file');
    const [item, ...more] = server.libraryItems(EVIDENCE_LIBRARY);
    assert.equal(more.length, 0);
    assert.match(item!.path, /^EIP-2026-0001\/[0-9a-f]{32}\.pdf$/, 'the sender’s name is not in the library');
    assert.match(put.webUrl ?? '', /\/EIP%20Evidence\/EIP-2026-0001\/[0-9a-f]{32}\.pdf$/);
    assert.deepEqual(await docs.get(put.location), bytes);
    await docs.remove(put.location);
    assert.equal(await docs.get(put.location), undefined);
    assert.deepEqual(server.libraryItems(EVIDENCE_LIBRARY), []);
    assert.deepEqual(server.recycleBin(EVIDENCE_LIBRARY), [], 'nothing waits in the recycle bin');
    assert.ok(server.log.some((e) => e.method === 'POST' && e.path.endsWith('/permanentDelete')));
    await docs.remove(put.location); // already gone: no error
  });

  it('uploads a large document through an upload session, in slices', async () => {
    const server = await servers.start();
    const docs = await library(server);
    const bytes = bigPdf(SIMPLE_UPLOAD_MAX * 2 + 12_345, 'L');
    const put = await docs.put('EIP-2026-0002', 'Sam EP report.pdf', bytes, 'application/pdf');
    assert.ok(server.slicesReceived >= 3, `${server.slicesReceived} slices`);
    // The session's body names the same item as its path (Graph answers 400 otherwise), and that is no person's name.
    const [item] = server.libraryItems(EVIDENCE_LIBRARY);
    assert.match(item!.path, /^EIP-2026-0002\/[0-9a-f]{32}\.pdf$/);
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
    assert.equal(items.length, 2);
    assert.ok(items.every((i) => /^EIP-2026-0003\/[0-9a-f]{32}\.pdf$/.test(i.path)));
    assert.equal(sha((await docs.get(a.location))!), sha(large));
    assert.deepEqual(await docs.get(b.location), small);
  });

  it('deletes a closed case’s documents from the library for good when its retention period ends', async () => {
    const server = await servers.start();
    const docs = await library(server);
    const store = new SqliteStore(':memory:');
    try {
      const deps = appDeps(store, new RecordingNotifier());
      filesOf(deps).documents = docs;
      const c = caseRecord({ id: 'c1', status: 'closed', closedAt: '2027-03-20T10:00:00.000Z' });
      await store.cases.create(c);
      const bytes = pdf('retained');
      const { location, webUrl } = await docs.put(c.ref, 'Sam plan.pdf', bytes, 'application/pdf');
      await store.files.create({
        id: 'c1:f1',
        caseId: 'c1',
        name: 'Sam plan.pdf',
        kind: 'support-plan',
        size: bytes.length,
        sha256: sha(bytes),
        ext: 'pdf',
        addedBy: P.megan.aadObjectId,
        addedAt: '2026-11-03T10:00:00.000Z',
        location,
        ...(webUrl ? { webUrl } : {}),
      });
      const report = await runRetention(deps, {
        dryRun: false,
        by: 'cli:test',
        now: new Date('2049-09-01T12:00:00Z'),
      });
      assert.deepEqual(
        report.due.map((i) => i.deleted),
        [true],
      );
      assert.deepEqual(server.libraryItems(EVIDENCE_LIBRARY), []);
      assert.deepEqual(server.recycleBin(EVIDENCE_LIBRARY), [], 'no copy waits in the recycle bin');
      const [entry] = (await store.audit.list('c1')).filter((e) => e.action === 'retention-delete');
      assert.match(
        entry!.detail,
        /1 document deleted from storage for good \(no recycle-bin copy is kept\)$/,
      );
    } finally {
      await store.close();
    }
  });

  it('refuses an upload session whose body names another item than its path, as Graph does', async () => {
    const server = await servers.start();
    await library(server);
    const client = clientFor(server);
    const drives = (await client.api(`/sites/${server.siteId}/drives`).get()) as {
      value: { id: string; name: string }[];
    };
    const drive = drives.value.find((d) => d.name === EVIDENCE_LIBRARY)!.id;
    await assert.rejects(
      client
        .api(`/drives/${drive}/root:/EIP-2026-0009/1234-plan.pdf:/createUploadSession`)
        .post({ item: { name: 'plan.pdf' } }),
      (e: { statusCode?: number; message?: string }) =>
        e.statusCode === 400 && /Name from path does not match name from body/.test(e.message ?? ''),
    );
    assert.equal(server.openSessions(), 0);
  });

  it('takes a file sent to the bot into the library, and opens it for each person by a grant of their own', async () => {
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
      const grants = () => server.libraryItems(EVIDENCE_LIBRARY)[0]!.grants;
      const linkOf = (card: Record<string, unknown>) =>
        ((card.actions ?? []) as { type: string; url?: string }[]).find((a) => a.type === 'Action.OpenUrl')
          ?.url;

      // Someone who may not open it (a panel member) is refused and granted nothing.
      const refused = await h.press(P.alex, 'openFile', { fileId: f!.id, caseId: 'c1' });
      assert.match(
        plain(textOf(refused)),
        /Only the case's school and the co-ordinator can open this document/,
      );
      assert.equal(linkOf(refused), undefined);
      assert.deepEqual(grants(), []);

      // The SENCo opens it: read access to this one item for her alone, signed in, for a day; the item's own link.
      const open = await h.press(P.megan, 'openFile', { fileId: f!.id, caseId: 'c1' });
      const url = linkOf(open);
      assert.equal(url, f!.webUrl);
      assert.match(
        url ?? '',
        /^https:\/\/contoso\.sharepoint\.com\/sites\/eip\/EIP%20Evidence\/EIP-2026-0001\/[0-9a-f]{32}\.pdf$/,
      );
      assert.deepEqual(
        grants().map((g) => ({ ...g, id: '' })),
        [
          {
            id: '',
            recipient: { objectId: P.megan.aadObjectId },
            roles: ['read'],
            requireSignIn: true,
            sendInvitation: false,
            expirationDateTime: '2026-12-01T10:00:00.000Z',
          },
        ],
      );
      assert.match(
        plain(textOf(open)),
        /when you are signed in: you may read this one document there until Tue 1 Dec 2026 10:00 UTC/,
      );

      // A site permission without full control: the open is refused with what to do, and no link is given.
      server.refuseSharing = true;
      const denied = await h.press(P.patti, 'openFile', { fileId: f!.id, caseId: 'c1' });
      assert.match(
        plain(textOf(denied)),
        /not yet allowed to share documents.*needs full control of the EIP site/,
      );
      assert.equal(linkOf(denied), undefined);
      server.refuseSharing = false;

      // Her head teacher opens it too: a grant for exactly him, beside hers.
      await h.press(P.patti, 'openFile', { fileId: f!.id, caseId: 'c1' });
      assert.deepEqual(
        grants().map((g) => g.recipient.objectId),
        [P.megan.aadObjectId, P.patti.aadObjectId],
      );
      const opens = (await h.bot.store.audit.list('c1')).filter((e) => e.action === 'open-file');
      assert.deepEqual(
        opens.map((e) => e.actor),
        [P.megan.aadObjectId, P.patti.aadObjectId],
      );
      assert.ok(
        opens.every((e) => /read access to it granted to them alone until 2026-12-01T10:00/.test(e.detail)),
      );
      assert.ok(opens.every((e) => !/Provision map\.pdf/.test(e.detail)));
    } finally {
      await h.stop();
      await host.stop();
    }
  });
});
