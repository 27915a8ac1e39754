// Keeps a pupil's name out of text that leaves the school's own view (panel cards, reports): a safeguard for when
// someone has typed the name into free text despite the form's advice.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const stripAccents = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');

/** Ways a name part is commonly typed: with or without accents, with either apostrophe. */
function spellings(w: string): string[] {
  const plain = stripAccents(w);
  return [...new Set([w, plain].flatMap((x) => [x, x.replace(/'/g, '’'), x.replace(/’/g, "'")]))];
}

/** Replaces each part of the pupil's name, in any case, with "[pupil]" (parts of two letters or more). */
export function redactName(text: string, pupilName: string | undefined): string {
  if (!pupilName) return text;
  // A double-barrelled name is redacted whole and by each half, since people often write just one.
  const words = pupilName
    .split(/[\s,]+/)
    .flatMap((w) => [w, ...w.split(/[-'’]/)])
    .flatMap(spellings);
  const parts = [...new Set(words.map((p) => p.trim()).filter((p) => p.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  if (parts.length === 0) return text;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${parts.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  // "Sam Taylor" becomes one "[pupil]", not two.
  return text.replace(pattern, '[pupil]').replace(/\[pupil\](?:[ \t]+\[pupil\])+/g, '[pupil]');
}
