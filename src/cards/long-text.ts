// People's long words on a card: a school's 2,000 characters would push a case's status and buttons off a phone's
// screen, so text past a few lines shows as an excerpt with a "Show more" toggle (Action.ToggleVisibility) that
// reveals the whole, exactly as typed. Short text shows whole, with no toggle. The templates draw it with the same
// four elements each time (cards/case.json's sections, say): the excerpt, the full text (hidden while long), and the
// Show more and Show less buttons, all with ids made from `textId`, which must be unique on the card.

/** Text longer than this, or on more lines than MAX_LINES, is shown as an excerpt first. */
export const MAX_CHARS = 400;
export const MAX_LINES = 6;
/** About how much of it the excerpt keeps: four lines of a phone's card. */
const EXCERPT_CHARS = 240;
const EXCERPT_LINES = 4;

/** What the templates read for one piece of someone's text. */
export interface LongText {
  /** The whole text, shown literally. */
  text: string;
  /** Unique on the card: the excerpt, full text and toggles are `${textId}-excerpt`, `-full`, `-more`, `-less`. */
  textId: string;
  /** The first few lines, cut at a word and ended with "…"; empty when the text is short. */
  excerpt: string;
  long: boolean;
}

/** The first lines of a long text, cut between words. */
function excerptOf(text: string): string {
  let cut = text.split('\n').slice(0, EXCERPT_LINES).join('\n');
  if (cut.length > EXCERPT_CHARS) {
    cut = cut.slice(0, EXCERPT_CHARS);
    const space = cut.search(/\s\S*$/);
    if (space > EXCERPT_CHARS / 2) cut = cut.slice(0, space);
  }
  return `${cut.trimEnd()}…`;
}

/** Someone's text, ready for a template's long-text elements. */
export function longText(textId: string, text: string): LongText {
  const long = text.length > MAX_CHARS || text.split('\n').length > MAX_LINES;
  return { text, textId, excerpt: long ? excerptOf(text) : '', long };
}
