// Keeps a pupil's name out of text that leaves the school's own view (panel cards, reports): a safeguard for when
// someone has typed the name into free text despite the form's advice.
//
// Text is compared in a folded form (case, accents, apostrophes and invisible characters set aside) and each match
// is replaced in the text as typed, so the words around a name are never changed. How far inside a word a name part
// is looked for depends on its length, since short parts are also pieces of ordinary words ("Al" in "also", "Sam" in
// "same", "King" in "working"):
// - every part of two letters or more, as a word of its own; digits do not count as part of a word ("Jo2");
// - parts of three letters or more also where a word is written in pieces: a capital starting a new piece
//   ("ZebedeeQuuxley", "SamPrice"), a word made of the name's parts run together ("zebedeequuxley"), and with a
//   plural ending ("the Quuxleys", kept as "[pupil]s");
// - parts of six letters or more anywhere inside a word ("superzebedee"), where a chance match is rare.

const PUPIL = '[pupil]';

/** Name parts of at least this many letters are looked for where a word is written in pieces, or with a plural. */
export const IN_WORD_LETTERS = 3;
/** Name parts of at least this many letters are looked for anywhere inside a word. */
export const ANYWHERE_LETTERS = 6;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const APOSTROPHES = /[’‘ʼ`´]/g;

/** One character as it is compared: lower case (by way of upper case, so "ß" is "ss"), no accents, one apostrophe. */
const foldChar = (ch: string) =>
  ch
    .normalize('NFD')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .replace(APOSTROPHES, "'");

/** Text folded for comparing, with where each folded unit came from in the text as typed. */
function fold(text: string): { folded: string; from: number[]; capital: boolean[] } {
  let folded = '';
  const from: number[] = [];
  const capital: boolean[] = [];
  let at = 0;
  for (const ch of text) {
    // Plain ASCII, most of any text, folds by lower-casing alone.
    const ascii = ch < '\u0080';
    const f = ascii ? (ch === '`' ? "'" : ch.toLowerCase()) : foldChar(ch);
    const upper = ascii ? ch >= 'A' && ch <= 'Z' : /\p{Lu}|\p{Lt}/u.test(ch.normalize('NFD').charAt(0));
    for (let i = 0; i < f.length; i += 1) {
      from.push(at);
      capital.push(upper && i === 0);
    }
    folded += f;
    at += ch.length;
  }
  return { folded, from, capital };
}

const letters = (s: string) => (s.match(/\p{L}/gu) ?? []).length;

/** The parts of a name, folded, longest first: each word, and the pieces of a word split at its punctuation. */
function nameParts(pupilName: string): string[] {
  const words = pupilName.split(/[\s,]+/).filter(Boolean);
  // "O'Neil" is also looked for as "O'Neil", "Neil" and "ONeil"; "Okonkwo-Price" as each half and both run together.
  const pieces = words.flatMap((w) => {
    const split = w.split(/[^\p{L}\p{M}\p{N}]+/u);
    return [w, split.join(''), ...split];
  });
  const folded = pieces.map((p) => fold(p).folded.replace(/^'+|'+$/g, ''));
  return [...new Set(folded.filter((p) => letters(p) >= 2))].sort((a, b) => b.length - a.length);
}

interface Matcher {
  whole: RegExp;
  plural?: RegExp;
  runTogether?: RegExp;
  piece?: RegExp;
  anywhere?: RegExp;
}

const alternation = (parts: string[]) => parts.map(escape).join('|');

/** An English plural ending: "es" after s, x, z, ch or sh ("the Joneses"), otherwise "s" (so "times" is not "Tim"). */
const PLURAL = '(?:(?<=[sxz]|ch|sh)es|s)';

/** The last name's matcher: a card redacts many texts for the same pupil in a row. */
let last: { pupilName: string; matcher: Matcher | undefined } | undefined;

function matcherFor(pupilName: string): Matcher | undefined {
  if (last?.pupilName !== pupilName) last = { pupilName, matcher: matcher(pupilName) };
  return last.matcher;
}

function matcher(pupilName: string): Matcher | undefined {
  const parts = nameParts(pupilName);
  if (parts.length === 0) return undefined;
  const all = alternation(parts);
  const longer = parts.filter((p) => /^\p{L}+$/u.test(p) && p.length >= IN_WORD_LETTERS);
  const longest = parts.filter((p) => /^\p{L}+$/u.test(p) && p.length >= ANYWHERE_LETTERS);
  const plain = parts.filter((p) => /^\p{L}+$/u.test(p));
  const l = alternation(longer);
  return {
    whole: new RegExp(`(?<!\\p{L})(?:${all})(?!\\p{L})`, 'gu'),
    ...(longer.length
      ? {
          plural: new RegExp(`(?<!\\p{L})(?:${l})(?=${PLURAL}(?!\\p{L}))`, 'gu'),
          runTogether: new RegExp(`^((?:${alternation(plain)})*(?:${l}))${PLURAL}?$`, 'u'),
          piece: new RegExp(`^(${l})${PLURAL}?$`, 'u'),
        }
      : {}),
    ...(longest.length ? { anywhere: new RegExp(alternation(longest), 'gu') } : {}),
  };
}

/** Where a word written in pieces starts a new piece: at a capital after a small letter, or before "Ab" in "ABc". */
function pieceStarts(start: number, end: number, capital: boolean[]): number[] {
  const starts = [start];
  for (let i = start + 1; i < end; i += 1) {
    const newPiece = capital[i] && (!capital[i - 1] || (i + 1 < end && !capital[i + 1]));
    if (newPiece) starts.push(i);
  }
  return [...starts, end];
}

/** The stretches of folded text that are the pupil's name, as [start, end) pairs. */
function matches(folded: string, capital: boolean[], m: Matcher): [number, number][] {
  const found: [number, number][] = [];
  const all = (re: RegExp) => {
    for (const x of folded.matchAll(re)) found.push([x.index, x.index + x[0].length]);
  };
  all(m.whole);
  if (m.plural) all(m.plural);
  if (m.anywhere) all(m.anywhere);
  if (!m.runTogether || !m.piece) return found;
  // Within each word: the name's parts run together, or a piece of a word written in pieces. The first group is
  // the name; a plural ending after it stays.
  const inWord = (re: RegExp, start: number, end: number) => {
    const x = re.exec(folded.slice(start, end));
    if (x) found.push([start, start + x[1]!.length]);
    return x !== null;
  };
  for (const w of folded.matchAll(/\p{L}+/gu)) {
    const [start, end] = [w.index, w.index + w[0].length];
    if (inWord(m.runTogether, start, end)) continue;
    const starts = pieceStarts(start, end, capital);
    for (let i = 0; i + 1 < starts.length; i += 1) inWord(m.piece, starts[i]!, starts[i + 1]!);
  }
  return found;
}

/** Replaces each part of the pupil's name, in any case, accented or not, with "[pupil]" (see the rules above). */
export function redactName(text: string, pupilName: string | undefined): string {
  if (!pupilName) return text;
  const m = matcherFor(pupilName);
  if (!m) return text;
  const { folded, from, capital } = fold(text);
  const at = (i: number) => (i < from.length ? from[i]! : text.length);
  const spans = matches(folded, capital, m)
    .map(([a, b]): [number, number] => [at(a), at(b)])
    .sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let out = '';
  let done = 0;
  for (const [a, b] of spans) {
    if (b <= done) continue;
    out += a > done ? text.slice(done, a) + PUPIL : out.endsWith(PUPIL) ? '' : PUPIL;
    done = b;
  }
  out += text.slice(done);
  // "Sam Taylor" becomes one "[pupil]", not two.
  return out.replace(/\[pupil\](?:[ \t]+\[pupil\])+/g, PUPIL);
}
