// The 20-documents-a-case limit when two documents reach the same case at the same moment: both find room before
// either is written, so the count is taken again after the write, and the later one takes itself away again (its
// record and its bytes) and tells its sender; the earlier one stays. The race is made certain by holding the first
// document's write in the store while the second is kept.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { filesOf } from '../../../src/app/files/services';
import { MemoryDocuments } from '../../../src/store/local-documents';
import { textOf } from '../../support/harness';
import { PEOPLE, Stages, holdingStore, removeWorldFiles, warningOf } from '../../support/world';
import { pdf } from './support';

const { megan, adele } = PEOPLE;

describe('the limit of 20 documents a case, with two sent at the same moment', function () {
  this.timeout(60_000);
  const stages = new Stages();
  after(() => removeWorldFiles());

  it('keeps the one written first and takes the other away again, telling its sender', async () => {
    let gated: ReturnType<typeof holdingStore> | undefined;
    const { w, caseId } = await stages.world('submitted', { store: (s) => (gated = holdingStore(s)) });
    try {
      for (let i = 0; i < 19; i++)
        await w.store.files.create({
          id: `${caseId}:f${i}`,
          caseId,
          name: `doc ${i}.pdf`,
          kind: 'other',
          size: 10,
          sha256: String(i).padStart(64, '0'),
          ext: 'pdf',
          addedBy: megan.aadObjectId,
          addedAt: '2026-11-20T10:00:00.000Z',
          location: `EIP-2026-0001/doc${i}.pdf`,
        });
      const services = filesOf(w.deps);
      const hold = (owner: string, name: string, bytes: Buffer) =>
        services.pending.hold({
          owner,
          name,
          bytes,
          ext: 'pdf',
          mime: 'application/pdf',
          sha256: createHash('sha256').update(bytes).digest('hex'),
        }).token;
      const fromMegan = hold(megan.aadObjectId, 'Support plan.pdf', pdf('plan'));
      const fromAdele = hold(adele.aadObjectId, 'Observation notes.pdf', pdf('notes'));

      // Megan's document is checked and its bytes stored, then its record's write waits in the store...
      const held = gated!.holdNextWrite('files');
      const megans = w.press(megan, 'attachFile', { upload: fromMegan, caseId, kind: 'support-plan' });
      await held.caught;
      // ...while Adele's is kept: the 20th.
      const adeles = await w.press(adele, 'attachFile', {
        upload: fromAdele,
        caseId,
        kind: 'observation-notes',
      });
      assert.match(textOf(adeles), /Observation notes\.\u2060?pdf is kept with EIP-2026-0001/);
      held.release();

      // Megan's write goes on, finds it is the 21st, and undoes itself.
      const answer = await megans;
      assert.ok(warningOf(answer) !== undefined, 'a refusal');
      assert.match(
        textOf(answer),
        /EIP-2026-0001 reached 20 documents, the most a case may, while yours was being kept: another document was added at the same moment\. Yours was not kept\./,
      );
      const kept = (await w.store.files.find({ caseId })).map((s) => s.value);
      assert.equal(kept.length, 20);
      assert.ok(kept.some((f) => f.name === 'Observation notes.pdf'));
      assert.equal(
        kept.some((f) => f.name === 'Support plan.pdf'),
        false,
      );
      // Only Adele's bytes are in storage (the 19 before were recorded without bytes here).
      const documents = services.documents as MemoryDocuments;
      const adelesRecord = kept.find((f) => f.name === 'Observation notes.pdf')!;
      assert.deepEqual([...documents.files.keys()], [adelesRecord.location]);
      assert.deepEqual(documents.files.get(adelesRecord.location), pdf('notes'));
      // The refusal is audited, and no document added for Megan.
      const audit = await w.store.audit.list(caseId);
      assert.equal(audit.filter((e) => e.action === 'add-file').length, 1, "one document added: Adele's");
      assert.ok(audit.some((e) => e.outcome === 'refused' && e.actor === megan.aadObjectId));
    } finally {
      await w.close();
    }
  });
});
