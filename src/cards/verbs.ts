// Card verbs, declared once: builders put them on buttons and the router dispatches on them.

export const VERBS = [
  'help',
  'myCases',
  'newRequest',
  'submitRequest',
  'openCase',
  'showForm',
  'returnCase',
  'resubmit',
  'accept',
  'assess',
  'propose',
  'withdraw',
  'vote',
  'panelView',
  'commission',
  'spend',
  'moveReviews',
  'recordOutcome',
  'close',
  'reopen',
  'budget',
  'budgetForm',
  'saveBudget',
  'providers',
  'providerForm',
  'saveProvider',
  'setProviderActive',
  'agenda',
  'repostPanel',
  'history',
  'reportForm',
  'report',
  'reportCsv',
  'meetingForm',
  'saveMeeting',
  'awayForm',
  'saveAway',
  'endAway',
  'attachFile',
  'caseFiles',
  'openFile',
  'transferForm',
  'transfer',
  'openTransfer',
  'transitions',
  'withdrawTransferForm',
  'withdrawTransfer',
  'cancelMeeting',
  'moveMeeting',
] as const;
export type Verb = (typeof VERBS)[number];

/** Verbs a group chat may use: the pseudonymised panel card and the menu. Everything else is for 1:1 chats only. */
export const GROUP_VERBS: readonly Verb[] = ['vote', 'panelView', 'help'];

/** Verbs whose buttons send the card's inputs; any other button ignores them, so Cancel is never blocked by them. */
export const SUBMIT_VERBS: readonly Verb[] = [
  'submitRequest',
  'returnCase',
  'resubmit',
  'accept',
  'assess',
  'propose',
  'withdraw',
  'vote',
  'commission',
  'spend',
  'moveReviews',
  'recordOutcome',
  'close',
  'reopen',
  'saveBudget',
  'saveProvider',
  'report',
  'saveMeeting',
  'saveAway',
  'attachFile',
  'transfer',
  'cancelMeeting',
  'moveMeeting',
];

export const isVerb = (v: unknown): v is Verb =>
  typeof v === 'string' && (VERBS as readonly string[]).includes(v);

/** The forms a case card can open; each is submitted with the verb of the same action. */
export const CASE_FORMS = [
  'returnCase',
  'resubmit',
  'accept',
  'assess',
  'propose',
  'withdraw',
  'commission',
  'spend',
  'moveReviews',
  'recordOutcome',
  'close',
  'reopen',
] as const;
export type CaseForm = (typeof CASE_FORMS)[number];

export type ActionData = Record<string, string | number>;

/**
 * A button. `style` follows Adaptive Cards: positive (green) or destructive (red). `mode` too (Adaptive Cards 1.5):
 * a secondary button goes into the card's "…" overflow menu, so a card with many buttons keeps its main ones in a row
 * that fits a desktop card instead of clipping their titles; primary (the default) is drawn as a button.
 */
export interface CardAction {
  title: string;
  verb: Verb;
  data: ActionData;
  style?: 'default' | 'positive' | 'destructive';
  mode?: 'primary' | 'secondary';
}

export const action = (
  title: string,
  verb: Verb,
  data: ActionData = {},
  style: CardAction['style'] = 'default',
): CardAction => ({
  title,
  verb,
  data,
  style,
});

/** The same button, in the "…" overflow menu. */
export const secondary = (a: CardAction): CardAction => ({ ...a, mode: 'secondary' });

/**
 * A row of buttons a desktop card (about 500 px) cannot draw without clipping their titles: this many buttons, or
 * titles this long in all, counting each button's padding and gap as ROW_PADDING_CHARS characters (Teams' 14 px
 * semibold runs at about 8.5 px a character; the card has about 470 px for its row).
 */
export const CROWDED_ROW = 4;
export const ROW_CHARS = 52;
const ROW_PADDING_CHARS = 4;
const crowded = (actions: readonly CardAction[]) =>
  actions.length >= CROWDED_ROW ||
  actions.reduce((n, a) => n + a.title.length + ROW_PADDING_CHARS, 0) > ROW_CHARS;

/**
 * Buttons that take the reader somewhere else rather than doing the card's work (documents, history, help, my cases,
 * a transfer), and the rarer changes on the panel forms (cancelling a meeting, ending an absence). In a crowded row
 * these go into the "…" menu so the card's own steps stay visible as buttons.
 */
export const LESS_USED_VERBS: readonly Verb[] = [
  'caseFiles',
  'openFile',
  'transferForm',
  'openTransfer',
  'history',
  'help',
  'myCases',
  'cancelMeeting',
  'endAway',
];

/**
 * A row of buttons as it is drawn: in a crowded row (CROWDED_ROW buttons or ROW_CHARS of titles) the less used ones
 * (LESS_USED_VERBS) become secondary, into the "…" menu, unless a builder chose their mode itself; at least one button
 * stays primary. A row that fits is left as it is.
 */
export function tidyRow(actions: readonly CardAction[]): CardAction[] {
  if (!crowded(actions)) return [...actions];
  const out = actions.map((a) =>
    a.mode === undefined && LESS_USED_VERBS.includes(a.verb) ? secondary(a) : a,
  );
  if (out.every((a) => a.mode === 'secondary')) return out.map((a, i) => (i ? a : { ...a, mode: 'primary' }));
  return out;
}
