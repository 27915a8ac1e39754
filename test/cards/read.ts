// Reads a card the way a person does: text blocks as lines, facts as "title=value", with the invisible word joiners
// that stop auto-linking (src/cards/literal.ts) left out, as a reader never sees them; and finds what a client could
// still read as markdown or turn into a link.
import assert from 'node:assert/strict';
import { WORD_JOINER } from '../../src/cards/literal';
import { ZWSP } from '../../src/cards/breakable';

export type Node = Record<string, unknown>;

/** Every object in a card, depth first. */
export function nodes(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const v of value) nodes(v, out);
  else if (value !== null && typeof value === 'object') {
    out.push(value as Node);
    for (const v of Object.values(value)) nodes(v, out);
  }
  return out;
}

export const ofType = (card: unknown, type: string) => nodes(card).filter((n) => n.type === type);

/** Text as a reader sees it: the word joiners are invisible, and so are the places a long word may wrap. */
export const read = (text: unknown) => String(text).split(WORD_JOINER).join('').split(ZWSP).join('');

/** Each text run's text, as read. */
export const textRuns = (card: unknown) => ofType(card, 'TextRun').map((n) => read(n.text));

/** The text of a RichTextBlock, its runs side by side. */
export const lineOf = (block: Node) => (block.inlines as Node[]).map((i) => read(i.text)).join('');

/** Each RichTextBlock as the line a reader sees. */
export const lines = (card: unknown) => ofType(card, 'RichTextBlock').map(lineOf);

/** A fact: a row of two columns, the title and the value, each one block of text. */
function factOf(n: Node): string | undefined {
  if (n.type !== 'ColumnSet') return undefined;
  const cols = n.columns as Node[] | undefined;
  if (cols?.length !== 2) return undefined;
  const [title, value] = cols.map((c) => c.items as Node[]);
  if (title?.length !== 1 || value?.length !== 1) return undefined;
  if (title[0]!.type !== 'RichTextBlock' || value[0]!.type !== 'RichTextBlock') return undefined;
  return `${lineOf(title[0]!)}=${lineOf(value[0]!)}`;
}

/** Each group of facts (a Container of fact rows) as "title=value" lines. */
export const factGroups = (card: unknown) =>
  ofType(card, 'Container')
    .map((c) => (c.items as Node[]).map(factOf))
    .filter((g) => g.length > 0 && g.every((f) => f !== undefined)) as string[][];

/** Where a piece of text sits on a card, and whether a client may read it as markdown there. */
export interface Place {
  node: Node;
  key: string;
  text: string;
  markdown: boolean;
}

/** Every piece of text a person reads on the card, with where it is. */
export function shownText(card: unknown): Place[] {
  const out: Place[] = [];
  const add = (node: Node, key: string, markdown: boolean) => {
    if (typeof node[key] === 'string') out.push({ node, key, text: node[key], markdown });
  };
  for (const node of nodes(card)) {
    const type = typeof node.type === 'string' ? node.type : '';
    if (type === 'TextRun') add(node, 'text', false);
    if (type === 'TextBlock') add(node, 'text', true);
    if (type === 'FactSet')
      for (const f of node.facts as Node[]) {
        add(f, 'title', true);
        add(f, 'value', true);
      }
    if (type.startsWith('Input.')) {
      add(node, 'label', false);
      add(node, 'placeholder', false);
      add(node, 'errorMessage', true);
      add(node, 'title', true);
      for (const c of (node.choices as Node[] | undefined) ?? []) add(c, 'title', node.style === 'expanded');
    }
    if (type.startsWith('Action.')) add(node, 'title', false);
  }
  return out;
}

/** What is sent back as typed, and shown in an input as typed: input and choice values, button data. */
export function values(card: unknown): string[] {
  const out: string[] = [];
  for (const node of nodes(card)) {
    const type = typeof node.type === 'string' ? node.type : '';
    if (type.startsWith('Input.') && typeof node.value === 'string') out.push(node.value);
    if (type === 'Input.ChoiceSet')
      for (const c of node.choices as Node[]) if (typeof c.value === 'string') out.push(c.value);
    if (type.startsWith('Action.'))
      for (const v of Object.values((node.data ?? {}) as Node)) if (typeof v === 'string') out.push(v);
  }
  return out;
}

export const MARKDOWN_ESCAPE = /\\[!-/:-@[-`{-~]/g;
/** Markdown text as a client that reads markdown shows it: each backslash escape stands for its character. */
export const unescaped = (s: string) => s.replace(MARKDOWN_ESCAPE, (e) => e[1]!);

/** What a reader sees at a place. */
export const seen = (p: Place) => read(p.markdown ? unescaped(p.text) : p.text);

/** What a client could turn into a link, a date or markup, were it there. */
export const LIVE: [string, RegExp][] = [
  ['a scheme (http://, mailto:, tel:)', /[\p{L}\p{Cf}]:[^\s\u2060]/u],
  ['a host name (evil.example, www.evil)', /\S[.\u3002\uFF0E\uFF61]\p{L}{2}/u],
  ["the host's {{DATE()}} function", /\{\{/],
  ['an HTML entity', /&#?[\p{L}\p{N}]/u],
];

/** Asserts no element on the card is read as markdown, and nothing shown on it could become a link or a date. */
export function assertNothingLive(card: unknown, name = 'the card'): void {
  const markdownElements = nodes(card).filter((n) => n.type === 'TextBlock' || n.type === 'FactSet');
  assert.deepEqual(markdownElements, [], `${name}: no TextBlock or FactSet`);
  for (const p of shownText(card)) {
    const where = `${name}: ${String(p.node.type ?? 'choice')}.${p.key} ${JSON.stringify(p.text)}`;
    // Where a client still reads markdown, everything markdown would act on is escaped: each escape stands for
    // one literal character, from which no markdown rule can start.
    if (p.markdown) {
      const bare = p.text.replace(MARKDOWN_ESCAPE, '\u0001');
      assert.doesNotMatch(bare, /[\\`*_~[\]<]/, `${where}: unescaped markdown`);
      assert.doesNotMatch(bare, /^[ \t]*([#>+=-]|\d+[.)])/m, `${where}: a line read as markdown`);
    }
    for (const [what, live] of LIVE) assert.doesNotMatch(p.text, live, `${where}: ${what} left live`);
  }
}
