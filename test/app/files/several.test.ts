// Several files sent at once: each is read and gets a card of its own, any beyond what may wait at once are named in
// a note, and a card whose file is no longer waiting says so when pressed, and stores nothing.
import assert from 'node:assert/strict';
import {
  P,
  button,
  personalChat,
  startHarness,
  textOf as cardText,
  type Harness,
} from '../../support/harness';
import { caseRecord } from '../../support/records';
import { FileHost, fileActivity, pdf, plain } from './support';

const textOf = (card: unknown) => plain(cardText(card));
const NOW = new Date('2026-11-30T10:00:00Z');

describe('several files sent to the bot at once', function () {
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

  /** Sends these files in one message; answers the cards that came back, in order. */
  async function sendMany(names: string[]): Promise<Record<string, unknown>[]> {
    const activities = names.map((n, i) => fileActivity(h, P.megan, n, host.put(`/f${i}`, pdf(n))));
    const mark = h.connector.mark();
    const r = await h.post({ ...activities[0]!, attachments: activities.flatMap((a) => a.attachments) });
    assert.ok(r.status < 300);
    return h.connector.cardsIn(personalChat(P.megan), mark);
  }

  const keep = (card: Record<string, unknown>, kind = 'support-plan') =>
    h.press(P.megan, 'attachFile', { ...button(card, 'Keep with this case').data, caseId: 'c1', kind });
  const files = async () => (await h.bot.store.files.find({ caseId: 'c1' })).map((s) => s.value.name).sort();

  it('answers each of three files with a card of its own, and keeps each one chosen', async () => {
    const cards = await sendMany(['Plan.pdf', 'Map.pdf', 'Report.pdf']);
    assert.deepEqual(
      cards.map((c) => /(\w+)\.pdf · PDF/.exec(textOf(c))?.[1]),
      ['Plan', 'Map', 'Report'],
    );
    // Kept in any order: every card still works.
    for (const i of [2, 0, 1]) assert.match(textOf(await keep(cards[i]!)), /is kept with EIP-2026-0001/);
    assert.deepEqual(await files(), ['Map.pdf', 'Plan.pdf', 'Report.pdf']);
  });

  it('reads at most five from one message and says how many were not read', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Doc ${i + 1}.pdf`);
    const [note, ...cards] = await sendMany(names);
    assert.match(textOf(note), /2 of your 7 files were not read/);
    assert.match(textOf(note), /only the first 5 were read.*send the other 2 again/s);
    assert.equal(cards.length, 5);
    assert.match(textOf(cards[4]), /Doc 5\.pdf/);
    assert.deepEqual(host.downloads.length, 5, 'the other two are not downloaded');
  });

  it('tells the sender, when they press Keep on a file that is no longer waiting, to send it again; nothing is stored', async () => {
    const [first] = await sendMany(['First.pdf']);
    // Five more files sent after it: the oldest waiting file (the first) lets go.
    await sendMany(['A.pdf', 'B.pdf', 'C.pdf', 'D.pdf', 'E.pdf']);
    const answer = textOf(await keep(first!));
    assert.match(answer, /That file is no longer waiting for a case, so nothing was kept/);
    assert.match(answer, /Send it again in this chat/);
    assert.deepEqual(await files(), []);
  });
});
