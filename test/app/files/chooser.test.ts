// Which case a sent file belongs to: the chooser lists open cases first, the most recently active first, then closed
// ones; any case the sender may add to can be chosen by typing its reference, and a reference they may not add to
// reads as one that does not exist.
import assert from 'node:assert/strict';
import { P, button, startHarness, textOf as cardText, type Harness } from '../../support/harness';
import { caseRecord } from '../../support/records';
import { FileHost, pdf, plain, sendFile } from './support';

const textOf = (card: unknown) => plain(cardText(card));
const NOW = new Date('2026-11-30T10:00:00Z');

/** The case choices on a card, in order: their titles. */
function choicesOf(card: unknown): string[] {
  const found: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'Input.ChoiceSet' && o.id === 'caseId')
      for (const c of o.choices as { title: string }[]) found.push(plain(c.title));
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

describe('choosing the case for a sent file', function () {
  this.timeout(60_000);
  let h: Harness;
  let host: FileHost;

  beforeEach(async () => {
    host = new FileHost();
    await host.start();
    h = await startHarness({ now: () => NOW });
    // 120 cases at Oakfield: the oldest (by reference) still open and active yesterday, most others closed.
    for (let i = 1; i <= 120; i++) {
      const open = i <= 3;
      await h.bot.store.cases.create(
        caseRecord({
          id: `c${i}`,
          status: open ? 'accepted' : 'closed',
          ...(open
            ? {}
            : { closureReason: 'needs-met', closedAt: `2026-${i % 2 ? '10' : '11'}-01T10:00:00.000Z` }),
          updatedAt: open ? `2026-11-2${i}T10:00:00.000Z` : '2026-11-01T10:00:00.000Z',
        }),
      );
    }
    await h.bot.store.cases.create(
      caseRecord({ id: 'c500', schoolId: 'brookside-primary', status: 'accepted' }),
    );
  });
  afterEach(async () => {
    await h.stop();
    await host.stop();
  });

  const send = (p = P.adele) => sendFile(h, p, 'Notes.pdf', host.put('/n.pdf', pdf('notes')));
  const kept = async () => (await h.bot.store.files.find()).map((s) => s.value.caseId);

  it("lists the co-ordinator's open cases first, the most recently active first, then closed ones", async () => {
    const choices = choicesOf(await send());
    assert.equal(choices.length, 100);
    // Brookside's open case was last active when it was raised (2 Nov): after Oakfield's three.
    assert.deepEqual(
      choices.slice(0, 4).map((t) => t.split(':')[0]),
      ['EIP-2026-0003', 'EIP-2026-0002', 'EIP-2026-0001', 'EIP-2026-0500'],
    );
    // Then the closed ones, the most recently closed first: those closed on 1 November before those closed in October.
    assert.equal(choices[4]!.split(':')[0], 'EIP-2026-0120');
    assert.equal(choices[63]!.split(':')[0], 'EIP-2026-0119');
  });

  it('keeps the file with a case typed by its reference, written loosely', async () => {
    const card = await send();
    assert.match(textOf(card), /Or type a reference, e\.g\. EIP-2026-0042/);
    assert.ok(!choicesOf(card).some((t) => t.startsWith('EIP-2026-0005')), 'not in the list');
    const done = await h.press(P.adele, 'attachFile', {
      ...button(card, 'Keep with this case').data,
      caseRef: ' eip-2026-5 ',
      kind: 'other',
    });
    assert.match(textOf(done), /is kept with EIP-2026-0005/);
    assert.deepEqual(await kept(), ['c5']);
  });

  it('asks again for a reference that is unknown, malformed or not theirs, and stores nothing', async () => {
    const card = await send(P.megan);
    const keep = button(card, 'Keep with this case').data;
    for (const [caseRef, message] of [
      ['EIP-2026-0999', /There is no case EIP-2026-0999 that you can add documents to/],
      ['EIP-2026-0500', /There is no case EIP-2026-0500 that you can add documents to/],
      ['case 12', /Type a reference as it is written on the case, e\.g\. EIP-2026-0042/],
    ] as const) {
      const again = await h.press(P.megan, 'attachFile', { ...keep, caseRef, kind: 'other' });
      assert.match(textOf(again), message, caseRef);
      assert.match(textOf(again), /Keep this document with a case/, 'the form comes back');
    }
    const both = await h.press(P.megan, 'attachFile', {
      ...keep,
      caseId: 'c2',
      caseRef: 'EIP-2026-0001',
      kind: 'other',
    });
    assert.match(textOf(both), /not both/);
    assert.deepEqual(await kept(), []);
  });
});
