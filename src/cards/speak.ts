// What a screen reader says for a whole card (the card's `speak`): a short summary in the bot's own words, such as a
// case's reference and status, so a reader hears what the card is about before its details. Never a pupil's name on
// a card for the panel or a group chat. `speak` may be SSML, so the few characters SSML reads as markup are escaped;
// and, as everywhere on a card, nothing in it may become a link (literal.ts).
import { unlinked } from './literal';

const SSML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** The parts that are not empty, as sentences, made safe to speak. */
export function spoken(...parts: (string | undefined)[]): string {
  const said = parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .map((p) => (/[.!?…]$/.test(p) ? p : `${p}.`))
    .join(' ');
  return unlinked(said).replace(/[&<>]/g, (c) => SSML[c]!);
}
