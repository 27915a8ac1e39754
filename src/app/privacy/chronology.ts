// A case's audit trail in plain words, for its History card and for a subject access export: when (London time), who
// (by their directory name), what, and how the case's status changed. Opening a case is summarised per person rather
// than listed, so the steps stay readable.
import { STATUS_LABELS, type AuditEntry, type CaseStatus, type Directory } from '../../domain';

const WHEN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Fri 27 Nov 2026, 10:00": an instant as the clock on a London wall showed it. */
export function londonTime(iso: string): string {
  const part = Object.fromEntries(WHEN.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute}`;
}

export const NO_LONGER_IN_DIRECTORY = 'someone no longer in the directory';

/** Who the audit trail says acted, by name: someone acting as another (local mode) is named too. */
export function whoDid(actor: string, directory: Directory): string {
  const name = (id: string) => directory.person(id)?.name ?? NO_LONGER_IN_DIRECTORY;
  const acting = /^(\S+) \(by (\S+)\)$/.exec(actor);
  if (acting) return `${name(acting[1]!)} (played by ${name(acting[2]!)} in local mode)`;
  if (actor.startsWith('cli:')) return `the command line on the server (${actor.slice(4)})`;
  return name(actor);
}

/** What each audited action means, in the words a co-ordinator would use. */
const ACTION_WORDS: Record<string, string> = {
  submit: 'Request submitted',
  return: 'Returned to the school with a question',
  resubmit: 'School answered and resubmitted',
  accept: 'Accepted, observation planned',
  assess: 'Assessment recorded',
  propose: 'Proposal sent to the panel',
  vote: 'Panel member voted',
  decide: 'Panel decided',
  commission: 'Packages commissioned',
  spend: 'Spend recorded',
  review: 'Review dates moved',
  outcome: 'Outcome review recorded',
  close: 'Case closed',
  reopen: 'Case reopened',
  withdraw: 'Request withdrawn by the school',
  view: 'Opened the case',
  history: 'Looked at its history',
  'subject-access': 'Subject access export made',
  'retention-delete': 'Deleted at the end of its retention period',
  'add-file': 'Document added',
  'open-file': 'Opened a document',
  'list-files': 'Listed its documents',
  transfer: 'Transferred to a new school, with consent',
  'view-transfer': 'Opened the transfer',
  'withdraw-transfer': 'Transfer withdrawn',
};

/** What a refused button or command was for. */
const TRIED_WORDS: Record<string, string> = {
  openCase: 'open the case',
  showForm: 'open a form on the case',
  returnCase: 'return it with a question',
  resubmit: 'resubmit it',
  accept: 'accept it',
  assess: 'record the assessment',
  propose: 'send a proposal',
  withdraw: 'withdraw it',
  vote: 'vote',
  panelView: 'see the panel card',
  commission: 'commission packages',
  spend: 'record spend',
  moveReviews: 'move review dates',
  recordOutcome: 'record an outcome review',
  close: 'close it',
  reopen: 'reopen it',
  history: 'see its history',
  attachFile: 'add a document',
  caseFiles: 'list its documents',
  openFile: 'open a document',
  transferForm: 'transfer it',
  transfer: 'transfer it',
  openTransfer: 'open the transfer',
  withdrawTransferForm: 'withdraw the transfer',
  withdrawTransfer: 'withdraw the transfer',
};

/** Why it was refused. */
const REFUSAL_WORDS: Record<string, string> = {
  forbidden: 'not theirs to do',
  moved_on: 'the case had moved on',
  private_only: 'tried outside a 1:1 chat',
  not_found: 'not found',
  already_voted: 'had voted already',
  conflict_of_interest: 'their school raised it',
  invalid_input: 'answers needed another look',
  not_in_directory: 'not in the directory',
  quorum_unreachable: 'the panel could not reach its quorum',
  consent_required: 'no parental consent recorded',
  file_refused: 'the file was refused',
};

const statusWords = (s: string) =>
  s in STATUS_LABELS ? STATUS_LABELS[s as CaseStatus] : s === 'deleted' ? 'Deleted' : s;

/** "Submitted → Accepted"; "stayed Commissioned" for a step that keeps the status; nothing for a case's creation. */
export function changeOf(e: Pick<AuditEntry, 'before' | 'after'>): string {
  if (e.before && e.after)
    return e.before === e.after
      ? `stayed ${statusWords(e.after)}`
      : `${statusWords(e.before)} → ${statusWords(e.after)}`;
  return '';
}

/** What an entry records, in words. */
export function whatWasDone(e: AuditEntry): string {
  if (e.outcome === 'refused') {
    const tried = TRIED_WORDS[e.action] ?? ACTION_WORDS[e.action]?.toLowerCase() ?? e.action;
    return `Refused: tried to ${tried} (${REFUSAL_WORDS[e.detail] ?? e.detail})`;
  }
  const undone = /^(.*)-undone$/.exec(e.action);
  if (undone) return `${ACTION_WORDS[undone[1]!] ?? undone[1]}: undone, as the step could not finish`;
  return ACTION_WORDS[e.action] ?? e.action;
}

export interface ChronologyLine {
  at: string;
  when: string;
  who: string;
  what: string;
  change: string;
  refused: boolean;
}

/** How often one person opened the case, and when last. */
export interface ReadLine {
  who: string;
  times: number;
  last: string;
}

export interface Chronology {
  lines: ChronologyLine[];
  reads: ReadLine[];
}

/** Reads that are summarised, not listed: opening the case, or a form on it, and looking at its history. */
const READS = new Set(['view', 'history', 'list-files', 'view-transfer']);

/** The audit trail of one case, oldest first, as lines and a summary of who opened it. */
export function chronology(entries: readonly AuditEntry[], directory: Directory): Chronology {
  const lines: ChronologyLine[] = [];
  const reads = new Map<string, ReadLine>();
  for (const e of [...entries].sort((a, b) => a.at.localeCompare(b.at))) {
    const who = whoDid(e.actor, directory);
    if (e.outcome !== 'refused' && READS.has(e.action)) {
      const seen = reads.get(who) ?? { who, times: 0, last: '' };
      reads.set(who, { who, times: seen.times + 1, last: londonTime(e.at) });
      continue;
    }
    lines.push({
      at: e.at,
      when: londonTime(e.at),
      who,
      what: whatWasDone(e),
      change: changeOf(e),
      refused: e.outcome === 'refused',
    });
  }
  return { lines, reads: [...reads.values()] };
}
