// Conversation references live in the store, so a restart (or a second instance) still reaches everyone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { P, personalChat, startHarness, textOf } from '../support/harness';

describe('after a restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eip-restart-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('still tells the co-ordinator of a new request, from the reference stored before the restart', async () => {
    const first = await startHarness({ dataDir });
    await first.say(P.adele, 'hello');
    const stored = await first.bot.store.conversations.get(P.adele.aadObjectId);
    assert.equal(stored?.value.kind, 'person');
    await first.stop();

    const second = await startHarness({ dataDir });
    try {
      const mark = second.connector.mark();
      // The stored reference points at the first instance's connector; the new one stands in at a new address.
      const conv = (await second.bot.store.conversations.get(P.adele.aadObjectId))!;
      await second.bot.store.conversations.replace(
        { ...conv.value, reference: { ...conv.value.reference, serviceUrl: second.connector.url } },
        conv.eTag,
      );
      await second.press(P.megan, 'submitRequest', {
        kind: 'class',
        yearGroup: 'Year 3',
        needs: 'semh',
        tried: 'Visual timetable.',
        asked: 'Whole-class support.',
      });
      assert.match(
        textOf(second.connector.cardsIn(personalChat(P.adele), mark)),
        /New request EIP-2026-0001/,
      );
    } finally {
      await second.stop();
    }
  });
});
