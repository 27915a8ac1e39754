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

/** A button. `style` follows Adaptive Cards: positive (green) or destructive (red). */
export interface CardAction {
  title: string;
  verb: Verb;
  data: ActionData;
  style?: 'default' | 'positive' | 'destructive';
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
