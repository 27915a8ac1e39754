// The SharePoint lists the store keeps its records in, as data: `npm run provision` creates them from this table,
// the store checks them against it when it opens, and maps records to list items by it.
//
// Every record list holds the record as JSON in `data` (the one source of truth, read back exactly), its id in
// `eipId` (unique: a create is a claim), a fresh `idempotencyKey` per write (unique: a write retried after a lost
// response can recognise itself), and typed, indexed copies of the fields that queries filter on or that officers
// sort, filter and export by. Columns typed `dateTime` are for people; the store never filters on them.
import {
  CASE_STATUSES,
  CONSENT_METHODS,
  INTERVENTION_TYPES,
  PHASES,
  RATE_UNITS,
  REMINDER_KINDS,
  REVIEW_KINDS,
  VOTE_CHOICES,
} from '../../domain/types';
import type { CollectionName } from '../store';

export type ColumnType = 'text' | 'note' | 'number' | 'dateTime' | 'choice' | 'boolean';

export interface ColumnSpec {
  /** The column's internal name; for a record column, also the record's top-level field it copies. */
  name: string;
  type: ColumnType;
  /** Queries filter on it (Graph refuses to filter on a column that is not indexed). */
  indexed?: boolean;
  /** enforceUniqueValues: creating a second item with the same value fails, which makes a create a claim. */
  unique?: boolean;
  choices?: readonly string[];
  /** Written by the store itself rather than copied from a record field. */
  managed?: boolean;
}

export type ListRole = 'records' | 'audit' | 'claims' | 'counters' | 'schools' | 'people';

export interface ListSpec {
  /** The store's name for it: the collection name for records. */
  key: string;
  displayName: string;
  description: string;
  role: ListRole;
  /** The record field shown as the item's Title (SharePoint's required column); the record id if absent. */
  title?: string;
  columns: readonly ColumnSpec[];
}

export { COLLECTION_NAMES, type CollectionName } from '../store';

const t = (name: string, indexed = false): ColumnSpec => ({
  name,
  type: 'text',
  ...(indexed && { indexed }),
});
const n = (name: string, indexed = false): ColumnSpec => ({
  name,
  type: 'number',
  ...(indexed && { indexed }),
});
const d = (name: string, indexed = false): ColumnSpec => ({
  name,
  type: 'dateTime',
  ...(indexed && { indexed }),
});
const c = (name: string, choices: readonly string[], indexed = false): ColumnSpec => ({
  name,
  type: 'choice',
  choices,
  ...(indexed && { indexed }),
});
const b = (name: string, indexed = false): ColumnSpec => ({
  name,
  type: 'boolean',
  ...(indexed && { indexed }),
});
const note = (name: string): ColumnSpec => ({ name, type: 'note' });
const key = (name: string): ColumnSpec => ({
  name,
  type: 'text',
  indexed: true,
  unique: true,
  managed: true,
});

export const ID_COLUMN = 'eipId';
export const DATA_COLUMN = 'data';
export const KEY_COLUMN = 'idempotencyKey';

/** What every record list starts with. */
const RECORD: readonly ColumnSpec[] = [
  key(ID_COLUMN),
  { ...note(DATA_COLUMN), managed: true },
  key(KEY_COLUMN),
];

const records = (name: CollectionName, label: string, columns: ColumnSpec[], title?: string): ListSpec => ({
  key: name,
  displayName: `EIP ${label}`,
  description: `EIP bot: ${label.toLowerCase()}. Written by the bot; the data column is the record.`,
  role: 'records',
  ...(title !== undefined && { title }),
  columns: [...RECORD, ...columns],
});

export const LISTS: readonly ListSpec[] = [
  records(
    'cases',
    'Cases',
    [
      t('ref', true),
      t('schoolId', true),
      c('status', CASE_STATUSES, true),
      n('round'),
      t('budgetYear', true),
      d('raisedAt'),
      d('submittedAt', true),
      d('observationDate'),
      d('closedAt'),
      d('updatedAt'),
    ],
    'ref',
  ),
  records('consents', 'Consents', [
    t('caseId', true),
    d('date'),
    c('method', CONSENT_METHODS),
    d('recordedAt'),
  ]),
  records('assessments', 'Assessments', [t('caseId', true), d('observedOn'), d('recordedAt')]),
  records('proposals', 'Proposals', [
    t('caseId', true),
    n('round', true),
    n('totalPence'),
    d('reviewDate', true),
    d('deadline', true),
    d('proposedAt'),
  ]),
  records('votes', 'Votes', [
    t('caseId', true),
    n('round', true),
    t('voter', true),
    c('choice', VOTE_CHOICES, true),
    d('castAt'),
  ]),
  records('decisions', 'Decisions', [
    t('caseId', true),
    n('round', true),
    c('outcome', ['approved', 'declined', 'changes_requested']),
    d('decidedAt'),
  ]),
  records('conversations', 'Conversations', [
    c('kind', ['person', 'panel'], true),
    t('teamsUserId'),
    d('updatedAt'),
  ]),
  records('settings', 'Settings', []),
  records(
    'providers',
    'Providers',
    [t('name'), b('active', true), n('ratePence'), c('rateUnit', RATE_UNITS), t('contact'), d('updatedAt')],
    'name',
  ),
  records('budgets', 'Budgets', [n('allocationPence'), d('updatedAt')]),
  records('packages', 'Packages', [
    t('caseId', true),
    t('budgetYear', true),
    c('type', INTERVENTION_TYPES),
    t('providerId', true),
    t('providerName'),
    n('agreedPence'),
    d('startDate'),
    d('endDate', true),
  ]),
  records('spends', 'Spend', [
    t('caseId', true),
    t('packageId', true),
    t('budgetYear', true),
    c('type', INTERVENTION_TYPES),
    t('invoiceRef'),
    n('amountPence'),
    d('deliveredOn'),
  ]),
  records('reviews', 'Reviews', [
    t('caseId', true),
    c('kind', REVIEW_KINDS),
    c('status', ['open', 'done'], true),
    d('due', true),
    d('updatedAt'),
  ]),
  records('reminders', 'Reminders', [
    c('kind', REMINDER_KINDS, true),
    t('caseId', true),
    t('to'),
    d('due', true),
    c('status', ['sending', 'sent', 'unreachable'], true),
    d('claimedAt'),
    d('sentAt'),
  ]),
  records('outbox', 'Outbox', [
    c('state', ['pending', 'sending', 'sent', 'failed'], true),
    t('caseId', true),
    n('attempts'),
    d('notBefore'),
    d('createdAt'),
    d('sentAt'),
  ]),
  records('meetings', 'Panel meetings', [
    d('date', true),
    d('cutOff'),
    c('status', ['scheduled', 'agenda-sent', 'summarised'], true),
    t('setBy'),
    d('setAt'),
  ]),
  records('substitutions', 'Panel substitutes', [
    t('member', true),
    t('substitute', true),
    d('from'),
    d('to'),
    t('setBy'),
    d('setAt'),
    d('endedAt'),
  ]),
  records('files', 'Files', [
    t('caseId', true),
    t('kind'),
    t('name'),
    n('size'),
    t('sha256'),
    t('addedBy'),
    d('addedAt'),
  ]),
  records('transfers', 'Transfers', [
    t('caseId', true),
    t('fromSchoolId', true),
    t('toSchoolId', true),
    d('transferredAt'),
  ]),
  {
    key: 'audit',
    displayName: 'EIP Audit',
    description: 'EIP bot: who did what to which case. Append-only.',
    role: 'audit',
    title: 'action',
    columns: [
      { ...note(DATA_COLUMN), managed: true },
      key(KEY_COLUMN),
      d('at'),
      t('actor'),
      t('action'),
      t('caseId', true),
      note('detail'),
      note('before'),
      note('after'),
      c('outcome', ['done', 'refused']),
    ],
  },
  {
    key: 'claims',
    displayName: 'EIP Claims',
    description: 'EIP bot: keys claimed once, so that each reminder goes out once.',
    role: 'claims',
    columns: [key('claimKey'), key(KEY_COLUMN), d('claimedAt')],
  },
  {
    key: 'counters',
    displayName: 'EIP Counters',
    description: 'EIP bot: named counters, such as the case reference number of each year.',
    role: 'counters',
    columns: [key('counterName'), key(KEY_COLUMN), { ...n('value'), managed: true }],
  },
  {
    key: 'schools',
    displayName: 'EIP Schools',
    description: 'EIP directory: the schools of the partnership.',
    role: 'schools',
    title: 'name',
    columns: [key('schoolId'), c('phase', PHASES, true)],
  },
  {
    key: 'people',
    displayName: 'EIP People',
    description: 'EIP directory: people and their roles (roles separated by semicolons, e.g. "head;panel").',
    role: 'people',
    title: 'name',
    columns: [key('aadObjectId'), t('email'), t('roles'), t('schoolId', true)],
  },
];

export const listSpec = (listKey: string): ListSpec => {
  const spec = LISTS.find((l) => l.key === listKey);
  if (!spec) throw new Error(`no SharePoint list is defined for ${listKey}`);
  return spec;
};

/** How a column is described, e.g. "text, indexed, unique". */
export const describeColumn = (col: ColumnSpec): string =>
  [col.type, col.indexed || col.unique ? 'indexed' : '', col.unique ? 'unique' : '']
    .filter(Boolean)
    .join(', ');

/**
 * SharePoint compares text case-insensitively, also in unique columns and filters. Key columns therefore hold the
 * key with each capital letter (and the escape character) escaped, so that two keys differing only in case stay
 * distinct. Lower-case keys, which is every key the bot makes, are stored as they are.
 */
export const keyValue = (k: string): string => k.replace(/[A-Z^]/g, (ch) => `^${ch.toLowerCase()}`);
