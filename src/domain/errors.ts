// Every refusal the product can give, with the words a busy head teacher or SENCo will read.

export const ERROR_CATALOGUE = {
  invalid_input: 'Some answers need another look.',
  not_in_directory: "You're not in the EIP directory yet. Ask the LA's SEND team to add you.",
  forbidden: "That isn't open to you.",
  private_only: 'For privacy, cases and requests open only in your 1:1 chat with EIP bot.',
  not_found: "We couldn't find that case.",
  moved_on: 'This case has moved on since that card was sent.',
  already_voted: "You've already voted on this proposal.",
  conflict_of_interest: "You can't vote on this case: your school raised it.",
  quorum_unreachable: 'The panel cannot reach its quorum on this case.',
  consent_required: 'Parental consent must be recorded before an individual request can be submitted.',
  not_local: 'That command only works in local mode.',
  not_reachable: "That person hasn't opened a chat with EIP bot yet.",
  unknown_command: "Sorry, I didn't understand that.",
  file_refused: "That file can't be kept with a case.",
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** A problem with one field, named as the card labels it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The one error type the domain throws; the bot boundary turns it into a friendly card. */
export class EipError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  constructor(code: ErrorCode, detail?: string, problems: FieldProblem[] = []) {
    super(detail ?? ERROR_CATALOGUE[code]);
    this.name = 'EipError';
    this.code = code;
    this.problems = problems;
  }

  /** The catalogue's headline for this error. */
  get title(): string {
    return ERROR_CATALOGUE[this.code];
  }
}

export const isEipError = (e: unknown): e is EipError => e instanceof EipError;
