// Long words on a card (src/cards/long-text.ts): a school's 2,000 characters show as a few lines with Show more, the
// whole text waits in a hidden block, the case's status and buttons stay above it; short text shows whole.
import assert from 'node:assert/strict';
import { caseCard, formCard, noticeCard, panelCard, type Card } from '../../src/cards';
import { caseData, form, LONG_TEXT, notice, panel } from './catalogue';
import { lineOf, nodes, read, type Node } from './read';

const byId = (card: Card, id: string) => nodes(card).find((n) => n.id === id);
const toggles = (card: Card) => nodes(card).filter((n) => n.type === 'Action.ToggleVisibility');

/** Asserts the text with this id shows as an excerpt with Show more, and the whole of it is one press away. */
function assertFolded(card: Card, textId: string, text: string): void {
  const excerpt = byId(card, `${textId}-excerpt`);
  const full = byId(card, `${textId}-full`);
  assert.ok(excerpt && full, `${textId}: an excerpt and the full text`);
  assert.notEqual(excerpt.isVisible, false, 'the excerpt shows');
  const shown = lineOf(excerpt);
  assert.ok(shown.endsWith('…') && shown.length <= 241, `a few lines, not ${shown.length} characters`);
  assert.ok(text.startsWith(shown.slice(0, -1)), 'the excerpt is the start of the text');
  assert.equal(full.isVisible, false, 'the full text is hidden until asked for');
  assert.equal(lineOf(full), text, 'the full text, whole and exactly as typed');
  const more = byId(card, `${textId}-more`);
  const less = byId(card, `${textId}-less`);
  assert.notEqual(more?.isVisible, false);
  assert.equal(less?.isVisible, false);
  const targets = [`${textId}-excerpt`, `${textId}-full`, `${textId}-more`, `${textId}-less`];
  for (const [set, title] of [
    [more, 'Show more'],
    [less, 'Show less'],
  ] as const) {
    const action = (set!.actions as Node[])[0]!;
    assert.equal(action.type, 'Action.ToggleVisibility');
    assert.equal(read(action.title), title);
    assert.deepEqual(action.targetElements, targets);
  }
}

describe('long text on a card', () => {
  it("folds a case's 2,000-character sections, keeping the status and buttons at the top", () => {
    const card = caseCard({
      ...caseData,
      sections: [
        { heading: 'What the school has tried already', text: LONG_TEXT },
        { heading: 'What the school is asking for', text: `${LONG_TEXT.slice(0, 1999)}!` },
      ],
    });
    assert.equal(LONG_TEXT.length, 2000);
    assertFolded(card, 'section-1', LONG_TEXT);
    assertFolded(card, 'section-2', `${LONG_TEXT.slice(0, 1999)}!`);
    assert.equal(toggles(card).length, 4);
    const body = card.body as Node[];
    const at = (pred: (n: Node) => boolean) => body.findIndex((b) => nodes(b).some(pred));
    const status = at((n) => n.type === 'TextRun' && read(n.text) === caseData.statusLine);
    const buttons = at((n) => n.type === 'Action.Execute');
    const sections = at((n) => n.id === 'section-1-excerpt');
    assert.ok(status >= 0 && status < sections, 'the status comes before the long text');
    assert.ok(buttons >= 0 && buttons < sections, 'the buttons come before the long text');
    assert.deepEqual(
      nodes(body[buttons]).flatMap((n) => (n.type === 'Action.Execute' ? [read(n.title)] : [])),
      ['Accept', 'Return with a question'],
    );
  });

  it('shows short text whole, with no toggle', () => {
    const card = caseCard(caseData);
    assert.equal(toggles(card).length, 0);
    assert.equal(byId(card, 'section-1-excerpt'), undefined);
    assert.equal(byId(card, 'section-1-full')?.isVisible, true);
    assert.equal(lineOf(byId(card, 'section-1-full')!), 'A calm corner.');
  });

  it('folds text of many short lines, as it would run down a phone', () => {
    const lines = Array.from({ length: 8 }, (_, i) => `- outcome ${i + 1}`).join('\n');
    const card = caseCard({ ...caseData, sections: [{ heading: 'Outcomes', text: lines }] });
    assertFolded(card, 'section-1', lines);
    assert.equal(
      lineOf(byId(card, 'section-1-excerpt')!),
      '- outcome 1\n- outcome 2\n- outcome 3\n- outcome 4…',
    );
  });

  it("folds the panel's long rationale, the co-ordinator's long question and a form's long note", () => {
    assertFolded(
      panelCard({ ...panel, sections: [{ heading: 'Rationale', text: LONG_TEXT }] }),
      'section-1',
      LONG_TEXT,
    );
    assertFolded(noticeCard({ ...notice, quote: LONG_TEXT }), 'quote', LONG_TEXT);
    const withNotes = formCard({
      ...form,
      fields: [{ kind: 'note', label: 'Short note.' }, { kind: 'note', label: LONG_TEXT }, ...form.fields],
    });
    assertFolded(withNotes, 'note-2', LONG_TEXT);
    assert.equal(byId(withNotes, 'note-1-full')?.isVisible, true);
    assert.equal(toggles(withNotes).length, 2);
  });
});
