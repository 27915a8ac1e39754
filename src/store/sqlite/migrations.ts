// Schema migrations for the embedded store, applied in order; PRAGMA user_version records how far a file has come.
import { COLLECTION_NAMES } from '../store';

export const TABLES = COLLECTION_NAMES;
export type TableName = (typeof TABLES)[number];

const documentTable = (t: TableName) =>
  `CREATE TABLE ${t} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, version INTEGER NOT NULL);`;

/** Append only: never edit a migration that has shipped. */
export const MIGRATIONS: readonly string[] = [
  [
    ...(
      [
        'cases',
        'consents',
        'assessments',
        'proposals',
        'votes',
        'decisions',
        'conversations',
        'settings',
      ] as const
    ).map(documentTable),
    "CREATE INDEX cases_school ON cases (json_extract(data, '$.schoolId'));",
    "CREATE INDEX cases_status ON cases (json_extract(data, '$.status'));",
    "CREATE INDEX consents_case ON consents (json_extract(data, '$.caseId'));",
    "CREATE INDEX assessments_case ON assessments (json_extract(data, '$.caseId'));",
    "CREATE INDEX proposals_case ON proposals (json_extract(data, '$.caseId'));",
    "CREATE INDEX votes_case ON votes (json_extract(data, '$.caseId'));",
    "CREATE INDEX decisions_case ON decisions (json_extract(data, '$.caseId'));",
    'CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, case_id TEXT, detail TEXT NOT NULL);',
    'CREATE INDEX audit_case ON audit (case_id);',
    'CREATE TABLE claims (key TEXT PRIMARY KEY, at TEXT NOT NULL);',
    'CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);',
  ].join('\n'),
  // After the panel: providers, budgets, packages, spend, outcome reviews and the reminders sent.
  [
    ...(['providers', 'budgets', 'packages', 'spends', 'reviews', 'reminders'] as const).map(documentTable),
    "CREATE INDEX packages_case ON packages (json_extract(data, '$.caseId'));",
    "CREATE INDEX packages_year ON packages (json_extract(data, '$.budgetYear'));",
    "CREATE INDEX spends_case ON spends (json_extract(data, '$.caseId'));",
    "CREATE INDEX spends_year ON spends (json_extract(data, '$.budgetYear'));",
    "CREATE INDEX reviews_case ON reviews (json_extract(data, '$.caseId'));",
    "CREATE INDEX reviews_status ON reviews (json_extract(data, '$.status'));",
    "CREATE INDEX reminders_status ON reminders (json_extract(data, '$.status'));",
  ].join('\n'),
  // Trust: the outbox of messages owed after a saved change, and an audit trail with before, after and refusals.
  [
    documentTable('outbox'),
    "CREATE INDEX outbox_state ON outbox (json_extract(data, '$.state'));",
    "CREATE INDEX outbox_case ON outbox (json_extract(data, '$.caseId'));",
    'ALTER TABLE audit ADD COLUMN before_state TEXT;',
    'ALTER TABLE audit ADD COLUMN after_state TEXT;',
    'ALTER TABLE audit ADD COLUMN outcome TEXT;',
  ].join('\n'),
  // Scale: a school's open cases (the work tray of a SENCo or head) by school and status together.
  "CREATE INDEX cases_school_status ON cases (json_extract(data, '$.schoolId'), json_extract(data, '$.status'));",
  // Panel cycles and substitutes: meeting dates with their cut-offs, and members away with who votes for them.
  [
    ...(['meetings', 'substitutions'] as const).map(documentTable),
    "CREATE INDEX meetings_status ON meetings (json_extract(data, '$.status'));",
    "CREATE INDEX substitutions_member ON substitutions (json_extract(data, '$.member'));",
  ].join('\n'),
  // The child's file: evidence documents kept with a case, and cases transferred to the school a child moves to.
  [
    documentTable('files'),
    documentTable('transfers'),
    "CREATE INDEX files_case ON files (json_extract(data, '$.caseId'));",
    "CREATE INDEX transfers_case ON transfers (json_extract(data, '$.caseId'));",
    "CREATE INDEX transfers_to ON transfers (json_extract(data, '$.toSchoolId'));",
  ].join('\n'),
];
