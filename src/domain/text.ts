// Cleans what people type before it is checked or stored. Every parser of card input (src/domain/validation.ts) and
// the directory's names go through normaliseText, so no stored text carries control characters, right-to-left
// overrides or invisible characters that could hide a name, disguise one, or break a card or a report.

/** Line breaks in their many spellings: CR LF, CR, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR. */
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

/** C0 and C1 control characters, including NUL and ESC, but not tab or newline (they are dealt with per field). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Characters that are invisible or reorder what is shown: bidirectional marks, embeddings, overrides and isolates
 * (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069); zero-width space, joiners and no-break space (U+200B–U+200D,
 * U+2060, U+FEFF); the invisible operators and deprecated format characters beside them (U+2061–U+206F); and the
 * soft hyphen and Mongolian vowel separator, which hide inside a word without showing.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;

/** Half of a UTF-16 surrogate pair without its other half: not a character at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface NormaliseOptions {
  /** Keep line breaks and tabs, for a multi-line answer. A one-line answer has them turned into spaces. */
  multiline?: boolean;
}

/**
 * Text as it will be stored: composed (NFC), without control, bidirectional-override or zero-width characters,
 * with line breaks written "\n" (kept only in multi-line text), trimmed. Everything else stays as typed.
 */
export function normaliseText(value: string, options: NormaliseOptions = {}): string {
  const multiline = options.multiline ?? true;
  const cleaned = value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '');
  return (multiline ? cleaned : cleaned.replace(/[\n\t]/g, ' ')).normalize('NFC').trim();
}

/**
 * Whether text has a letter that shows. Letters Unicode counts as ignorable (the Hangul fillers, which render as
 * nothing) do not count.
 */
export const hasLetters = (s: string): boolean => /(?!\p{Default_Ignorable_Code_Point})\p{L}/u.test(s);

/** Whether text has a letter or a digit that shows, as a class's name such as "6" or "4B" does. */
export const hasLettersOrDigits = (s: string): boolean =>
  /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}]/u.test(s);
