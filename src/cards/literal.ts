// People's own words, shown exactly as typed: the one place where card text is made safe to show (docs/design.md,
// "User text renders literally").
//
// Teams reads markdown in a TextBlock and in a FactSet's titles and values, so the templates use neither: every piece
// of text is a TextRun in a RichTextBlock, which no client parses, and facts are rows of TextRuns. Backslash escapes
// would not do instead: Teams clients have honoured them differently (some show the backslashes), so text in a
// TextRun needs no escaping and looks the same everywhere. Two places that are not text blocks are still drawn as
// markdown by the Adaptive Cards renderer Teams builds on: an input's error message, and the labels of radio buttons
// and check boxes (an expanded choice set). Only those are backslash-escaped, and they normally carry the bot's own
// wording, which has nothing to escape.
//
// Clients may also turn plain text into something live whatever the element: a bare address (https://…, www.…,
// evil.example) into a link, `{{DATE(…)}}` into a date, `&lt;` into `<`. A WORD JOINER (U+2060), which is invisible
// and joins rather than breaks, goes after the colon of a scheme, after a dot that starts a host name's next label,
// between two opening braces and after the ampersand of an entity: a reader sees exactly what was typed, and no
// client finds a link in it. A copy and paste carries the joiner along; that is the price of no live links.
//
// Input values, choice values, ids and button data are never touched: what a person typed goes back as typed.

/** Invisible, zero-width, and does not allow a line break: U+2060 WORD JOINER. */
export const WORD_JOINER = '\u2060';

// A full stop, or one of the stops that host names accept in its place.
const STOP = '[.\\u3002\\uFF0E\\uFF61]';

/** Breaks what a client could auto-link or expand, invisibly. Idempotent: a second pass changes nothing. */
export function unlinked(text: string): string {
  return (
    text
      // A scheme: the colon after a letter, before anything but a space (http:, https:, mailto:, tel:, javascript:).
      .replace(/(?<=[\p{L}\p{Cf}]):(?=[^\s\u2060])/gu, `:${WORD_JOINER}`)
      // A host name: a stop between a character and a label of two or more letters (evil.example, www.x, co.uk),
      // or an invisible character. "e.g." and "£45.00" are left alone: no host ends in one letter or a digit.
      .replace(new RegExp(`(?<=\\S)(${STOP})(?=\\p{L}{2}|(?!\\u2060)\\p{Cf})`, 'gu'), `$1${WORD_JOINER}`)
      // The host's date and time functions, {{DATE(…)}} and {{TIME(…)}}.
      .replace(/\{(?=\{)/g, `{${WORD_JOINER}`)
      // An HTML entity, &lt; or &#60;.
      .replace(/&(?=#?[\p{L}\p{N}])/gu, `&${WORD_JOINER}`)
  );
}

/**
 * Escapes what markdown would act on, for the few places a client reads markdown: emphasis, links, code, HTML and
 * autolinks anywhere, and headings, quotes and list markers at the start of a line.
 */
export function markdownEscaped(text: string): string {
  return text
    .replace(/[\\`*_~[\]<]/g, '\\$&')
    .replace(/^([ \t]*)([#>+=-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
}

/** Text shown where a client may read markdown. */
const asMarkdown = (s: unknown) => (typeof s === 'string' ? unlinked(markdownEscaped(s)) : s);
/** Text shown as it is. */
const asText = (s: unknown) => (typeof s === 'string' ? unlinked(s) : s);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** How each kind of element shows its text; any property not named here is left exactly as it is. */
function shown(node: Obj): Obj {
  const type = typeof node.type === 'string' ? node.type : '';
  const out: Obj = { ...node };
  const set = (key: string, f: (s: unknown) => unknown) => {
    if (typeof out[key] === 'string') out[key] = f(out[key]) as Json;
  };
  if (type === 'TextRun') set('text', asText);
  // Not used by the templates (see above); escaped all the same, should one ever appear.
  if (type === 'TextBlock') set('text', asMarkdown);
  if (type === 'FactSet' && Array.isArray(out.facts))
    out.facts = out.facts.map((f) =>
      f && typeof f === 'object' && !Array.isArray(f)
        ? { ...f, title: asMarkdown(f.title) as Json, value: asMarkdown(f.value) as Json }
        : f,
    );
  if (type.startsWith('Input.')) {
    set('label', asText);
    set('placeholder', asText);
    set('errorMessage', asMarkdown);
    // Input.Toggle's title is drawn as a check box's label.
    set('title', asMarkdown);
    if (Array.isArray(out.choices)) {
      const title = out.style === 'expanded' ? asMarkdown : asText;
      out.choices = out.choices.map((c) =>
        c && typeof c === 'object' && !Array.isArray(c) ? { ...c, title: title(c.title) as Json } : c,
      );
    }
  }
  if (type.startsWith('Action.')) set('title', asText);
  return out;
}

/** The card with every piece of text a person reads made literal; values, ids and button data are untouched. */
export function shownLiterally(node: Json): Json {
  if (Array.isArray(node)) return node.map(shownLiterally);
  if (node === null || typeof node !== 'object') return node;
  const out: Obj = {};
  // Button data goes back to the bot as it is; everything else may hold elements and actions.
  for (const [k, v] of Object.entries(node)) out[k] = k === 'data' ? v : shownLiterally(v);
  return shown(out);
}
