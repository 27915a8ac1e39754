// A file name (or any word) longer than a phone's card is wide: names such as "Sam_Price_provision_map_….pdf" have no
// space to wrap at, and no client breaks a word by itself, so the card grows wider than the screen. A zero-width space
// (U+200B, invisible) after each 20 characters of an unbroken run gives the line a place to wrap; the text still reads
// exactly as typed. Only what is shown changes: ids, values and button data keep the name as it is.

/** Runs of this many characters with no space get a break opportunity after them. */
const RUN = 20;
export const ZWSP = '\u200b';

/** The text with a place to wrap in every run of more than 20 characters without a space. */
export const breakable = (text: string): string =>
  text.replace(new RegExp(`\\S{${RUN + 1},}`, 'gu'), (run) =>
    (run.match(new RegExp(`[^]{1,${RUN}}`, 'gu')) ?? [run]).join(ZWSP),
  );
