// Accessibility over every card in the catalogue (test/cards/catalogue.ts): every input has a label a screen reader
// announces, every image has alt text, no colour or tone is the only sign of what something means, ids are unique so
// Show more reveals the right text, and the cards that benefit say a short summary (`speak`) first, never a pupil's
// name where the panel or a group chat hears it.
import assert from 'node:assert/strict';
import { caseCard, panelCard, type Card } from '../../src/cards';
import { caseData, catalogue, panel } from './catalogue';
import { nodes, read, type Node } from './read';

/** Everything a person reads inside a node: its text runs, an input's label, a button's title. */
function wordsIn(node: Node): string {
  return nodes(node)
    .flatMap((n) => [n.type === 'TextRun' || n.type === 'TextBlock' ? n.text : undefined])
    .filter((t): t is string => typeof t === 'string')
    .map(read)
    .join(' ')
    .trim();
}

/** Tones that mean something (a warning, a success); "default" and "emphasis" are only shading. */
const MEANINGFUL = new Set(['good', 'attention', 'warning', 'accent', 'dark', 'light']);
const toneOf = (n: Node) =>
  [n.style, n.color].find((t): t is string => typeof t === 'string' && MEANINGFUL.has(t.toLowerCase()));

describe('accessibility, over every card', () => {
  const entries = catalogue();

  for (const { name, card } of entries) {
    describe(`the ${name} card`, () => {
      const all = nodes(card);

      it('labels every input', () => {
        for (const n of all.filter((x) => typeof x.type === 'string' && x.type.startsWith('Input.'))) {
          assert.equal(typeof n.label, 'string', `${String(n.id)} has a label`);
          assert.ok(read(n.label).trim().length > 1, `${String(n.id)}'s label says something`);
        }
      });

      it('gives every image alt text', () => {
        for (const n of all.filter((x) => x.type === 'Image'))
          assert.ok(typeof n.altText === 'string' && n.altText.trim(), `${String(n.url)} has altText`);
      });

      it('says in words what every colour or tone means', () => {
        for (const n of all) {
          const tone = toneOf(n);
          if (!tone || (typeof n.type === 'string' && n.type.startsWith('Action.'))) continue;
          assert.match(wordsIn(n), /\p{L}{2}/u, `a ${String(n.type)} in ${tone} says what it means in words`);
        }
      });

      it('gives every button a title', () => {
        for (const n of all.filter((x) => typeof x.type === 'string' && x.type.startsWith('Action.')))
          assert.match(read(n.title), /\p{L}{2}/u, `a ${String(n.type)} has a title`);
      });

      it('uses each element id once, and every Show more finds its text', () => {
        const ids = all
          .filter((n) => typeof n.type === 'string' && !n.type.startsWith('Action.') && n.id !== undefined)
          .map((n) => String(n.id));
        assert.deepEqual(
          ids.filter((id, i) => ids.indexOf(id) !== i),
          [],
          'no id used twice',
        );
        for (const t of all.filter((n) => n.type === 'Action.ToggleVisibility'))
          for (const target of t.targetElements as string[])
            assert.ok(ids.includes(target), `${String(t.title)} targets ${target}, which is on the card`);
      });
    });
  }

  it('has a short spoken summary on the case, panel, notice and form cards', () => {
    const spoken = (c: Card) => (typeof c.speak === 'string' ? c.speak : '');
    for (const template of ['case', 'panel', 'notice', 'form', 'cases', 'help', 'files'])
      for (const { name, card } of entries.filter((e) => e.template === template))
        assert.match(spoken(card), /\p{L}{3}.*\./u, `${name} has speak`);
  });

  it('says which case and where it stands on the case card', () => {
    const speak = String(caseCard(caseData).speak);
    assert.equal(speak, `Case EIP-2026-0042. ${caseData.statusLine}. Waiting on you.`);
  });

  it('says the reference, votes and outcome on the panel card, and nothing of who the case is about', () => {
    const speak = String(panelCard(panel).speak);
    assert.equal(
      speak,
      'For the panel: EIP-2026-0042. 1 approve · 0 decline · 0 changes (3 needed). Approved. You voted to approve.',
    );
    assert.equal(speak.includes(panel.subject), false);
  });

  it('names a refusal, an inactive provider and work waiting on the reader in words, not colour alone', () => {
    const text = (name: string) => wordsIn(entries.find((e) => e.name === name)!.card as unknown as Node);
    assert.match(text('history'), /Refused: tried to accept/);
    assert.match(text('providers'), /Inactive/);
    assert.match(text('cases'), /Waiting on you/);
  });
});
