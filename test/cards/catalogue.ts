// Every card template, filled with realistic fixtures in each of its variants: the one list the schema, accessibility
// and rendering checks (test/cards/schema.test.ts, test/cards/accessibility.test.ts, test/browser/cards.browser.test.ts)
// and `npm run cards:render` go through. A template in cards/ with no entry here fails test/cards/schema.test.ts.
import {
  action,
  agendaCard,
  caseCard,
  casesCard,
  filesCard,
  formCard,
  helpCard,
  historyCard,
  ledgerCard,
  noticeCard,
  panelCard,
  providersCard,
  reportCard,
  reportFilterCard,
  withoutCharts,
  type AgendaCardData,
  type Card,
  type CaseCardData,
  type CasesCardData,
  type FormCardData,
  type HelpCardData,
  type NoticeCardData,
  type PanelCardData,
} from '../../src/cards';
import fs from 'node:fs';
import { breakable } from '../../src/cards/breakable';
import path from 'node:path';
import { caseForm, requestForm, type EarlyForm } from '../../src/app/forms';
import { fileChoiceCard, filesNotReadCard } from '../../src/app/files/handlers';
import {
  transferFormCard,
  transferViewCard,
  transitionsCard,
  withdrawTransferCard,
} from '../../src/app/transitions/handlers';
import { documentsLine } from '../../src/app/views';
import { parseDirectory, type CaseRecord, type FileRecord, type TransferRecord } from '../../src/domain';
import type { Count, Report, ReportFigures } from '../../src/domain/report-types';

/** A school's 2,000 characters, in sentences and paragraphs as a SENCo writes them. */
export const LONG_TEXT = (() => {
  const sentence =
    'Sam finds unstructured times hard and has left the classroom several times this half term after a disagreement. ';
  let s = '';
  for (let i = 0; s.length < 2000; i++) s += sentence + (i % 4 === 3 ? '\n\n' : '');
  return s.slice(0, 2000);
})();

export const help: HelpCardData = {
  name: 'Megan Bowen',
  rolesLine: 'You are the SENCo at Oakfield Primary School.',
  actingLine: 'You are acting as Megan Bowen.',
  tips: ['Raise a request for a pupil or a whole class.', 'Open your cases to see what waits on you.'],
  actions: [
    action('Raise a request for a pupil', 'newRequest', { kind: 'individual' }),
    action('My cases', 'myCases'),
  ],
};

export const notice: NoticeCardData = {
  title: 'Request submitted',
  text: 'Your reference is EIP-2026-0001.',
  quote: 'How often are the outbursts?',
  tone: 'good',
  facts: [{ title: 'Reference', value: 'EIP-2026-0001' }],
  problems: [{ field: "Pupil's name", message: 'This is required.' }],
  actions: [action('Open case', 'openCase', { caseId: 'case-1' })],
};

export const form: FormCardData = {
  title: 'Request support for a pupil',
  subtitle: 'The EIP co-ordinator reads every request.',
  problems: [{ field: "Pupil's name", message: 'Keep it to 100 characters or fewer.' }],
  fields: [
    { kind: 'heading', label: 'The pupil' },
    { kind: 'note', label: 'Individual casework needs recorded parental consent.' },
    {
      kind: 'text',
      id: 'pupilName',
      label: "Pupil's name",
      maxLength: 100,
      required: true,
      value: 'Sam Price',
    },
    {
      kind: 'text',
      id: 'tried',
      label: 'Tried',
      multiline: true,
      maxLength: 2000,
      placeholder: 'e.g. a calm corner',
    },
    { kind: 'date', id: 'consentDate', label: 'Date consent given', required: true, value: '2026-11-20' },
    {
      kind: 'choice',
      id: 'needs',
      label: 'Needs areas',
      choices: [
        { title: 'Social, emotional and mental health', value: 'semh' },
        { title: 'Communication and interaction', value: 'communication' },
      ],
      multiSelect: true,
      expanded: true,
      value: 'semh',
    },
    { kind: 'choice', id: 'yearGroup', label: 'Year group', choices: [{ title: 'Year 4', value: 'Year 4' }] },
  ],
  actions: [
    action('Submit request', 'submitRequest', { kind: 'individual' }, 'positive'),
    action('Cancel', 'help'),
  ],
};

export const caseData: CaseCardData = {
  ref: 'EIP-2026-0042',
  subject: 'Sam Price, Year 4',
  statusLine: 'Submitted · waiting on the co-ordinator to triage',
  banner: { text: 'Waiting on you', tone: 'attention' },
  facts: [
    { title: 'School', value: 'Oakfield Primary School' },
    { title: 'Needs', value: 'Social, emotional and mental health' },
  ],
  sections: [
    { heading: 'What the school has tried already', text: 'A calm corner.' },
    { heading: 'What the school is asking for', text: 'Counselling.' },
  ],
  actions: [
    action('Accept', 'showForm', { caseId: 'case-1', form: 'accept' }, 'positive'),
    action('Return with a question', 'showForm', { caseId: 'case-1', form: 'returnCase' }),
  ],
};

export const cases: CasesCardData = {
  title: 'Your cases',
  summary: '2 cases, 1 waiting on you',
  rows: [
    {
      caseId: 'case-1',
      ref: 'EIP-2026-0001',
      status: 'Submitted',
      label: 'Sam Price, Year 4',
      waiting: 'Waiting on you',
      mine: true,
    },
    {
      caseId: 'case-2',
      ref: 'EIP-2026-0002',
      status: 'With the panel',
      label: 'Class 4B',
      waiting: 'Waiting on the panel',
      mine: false,
    },
  ],
  actions: [action('Back', 'help')],
};

export const panel: PanelCardData = {
  caseId: 'case-1',
  round: 1,
  ref: 'EIP-2026-0042',
  subject: 'A Year 4 pupil at a primary school',
  facts: [
    { title: 'Total', value: '£455.00' },
    { title: 'Budget available', value: '£12,000.00' },
  ],
  sections: [{ heading: 'Rationale', text: 'Counselling addresses the anxiety seen in class.' }],
  tallyLine: '1 approve · 0 decline · 0 changes (3 needed)',
  votedLine: 'Voted: Alex Wilber',
  outcome: { text: 'Approved', tone: 'good' },
  personal: { text: 'You voted to approve.', tone: 'accent' },
  open: true,
  live: true,
  actions: [
    action('Approve', 'vote', { caseId: 'case-1', round: 1, choice: 'approve' }, 'positive'),
    action('Decline', 'vote', { caseId: 'case-1', round: 1, choice: 'decline' }, 'destructive'),
    action('Request changes', 'vote', { caseId: 'case-1', round: 1, choice: 'changes' }),
  ],
  userIds: ['29:alex', '29:lynne'],
};

export const sampleCase: CaseRecord = {
  id: 'case-1',
  ref: 'EIP-2026-0042',
  schoolId: 'oakfield-primary',
  raisedBy: '00000000-0000-0000-0000-0000000000021',
  raisedAt: '2026-11-20T10:00:00.000Z',
  status: 'returned',
  request: {
    kind: 'individual',
    pupilName: 'Sam Price',
    yearGroup: 'Year 4',
    needs: ['semh'],
    tried: 'A calm corner.',
    asked: 'Counselling.',
  },
  question: 'How often are the outbursts?',
  round: 0,
  updatedAt: '2026-11-20T10:00:00.000Z',
};

const n = (value: number): Count => ({ value, shown: String(value) });
const gbp = (pounds: number) => ({ pence: pounds * 100 });

const figures: ReportFigures = {
  requests: n(40),
  byNeed: [
    { need: 'semh', count: n(22) },
    { need: 'communication', count: n(18) },
  ],
  individual: n(30),
  wholeClass: { value: 2, shown: '<3' },
  wholeClassShare: 0.05,
  daysToDecision: { decided: 30, median: 12, p90: 27 },
  decisions: [
    { outcome: 'approved', count: n(24) },
    { outcome: 'declined', count: n(4) },
  ],
  allocation: gbp(357000),
  committed: gbp(42000),
  spent: gbp(18500),
  byIntervention: [{ type: 'counselling', committed: gbp(20000), spent: gbp(12000) }],
  byProvider: [{ provider: 'Calm Minds CIC', committed: gbp(20000), spent: gbp(12000) }],
  outcomes: {
    recorded: 12,
    progress: [{ level: 'good', count: n(7) }],
    meanScoreChange: 2.5,
    withScores: 10,
  },
  reviews: { onTime: 9, late: 3, overdue: 1 },
  closed: [{ reason: 'needs-met', count: n(6) }],
};

const laReport: Report = {
  filter: { year: '2026-27' },
  period: { label: '2026-27', from: '2026-04-01', to: '2027-03-31' },
  la: figures,
  bySchool: [
    { schoolId: 's1', school: 'Oakfield Primary School', requests: n(25) },
    { schoolId: 's2', school: 'Brookside Primary School', requests: { value: 1, shown: '<3' } },
  ],
  generatedAt: '2026-11-30T10:00:00Z',
};

const schoolReport: Report = {
  ...laReport,
  filter: { year: '2026-27', schoolId: 's1' },
  school: { schoolId: 's1', name: 'Oakfield Primary School', figures },
  bySchool: [],
};

/** The panel's agenda on cut-off day (src/app/panel/agenda.ts): pseudonymised lines, each opening its panel card. */
export const panelAgenda: AgendaCardData = {
  title: 'Panel agenda: meeting on 16 Dec 2026',
  subtitle:
    'Papers closed on 9 Dec 2026. Pupils are not named: proposals are shown by reference. Each opens its panel card, where members vote.',
  sections: [
    {
      heading: 'Proposals for this meeting (2)',
      empty: 'No new proposals.',
      rows: [
        {
          lead: 'EIP-2026-0042',
          text: 'A Year 4 pupil, primary school. £540.00',
          open: action('Open EIP-2026-0042', 'panelView', { caseId: 'case-1', round: 1 }),
        },
        {
          lead: 'EIP-2026-0043',
          text: 'A class (Year 6), primary school. £1,200.00',
          open: action('Open EIP-2026-0043', 'panelView', { caseId: 'case-2', round: 1 }),
        },
      ],
    },
    {
      heading: 'Carried over from the last meeting (1)',
      empty: 'Nothing is carried over.',
      rows: [
        {
          lead: 'EIP-2026-0039',
          text: 'A Year 9 pupil, secondary school. £2,400.00 (first on the agenda for 25 Nov 2026)',
          open: action('Open EIP-2026-0039', 'panelView', { caseId: 'case-3', round: 2 }),
        },
      ],
    },
    {
      heading: 'Budget',
      empty: '',
      rows: [
        { lead: 'Available now', text: '£12,000.00 available in 2026-27' },
        {
          lead: 'If everything on this agenda is approved',
          text: '£7,860.00 available (£4,140.00 for 3 proposals)',
        },
      ],
    },
  ],
  actions: [],
};

/** The summary after the meeting: what was decided and what is still open. */
export const panelSummary: AgendaCardData = {
  title: 'Panel meeting on 16 Dec 2026: summary',
  subtitle: 'What the panel decided on this meeting’s agenda, and what is still open. Pupils are not named.',
  sections: [
    {
      heading: 'Decided (2)',
      empty: 'Nothing on the agenda was decided.',
      rows: [
        {
          lead: 'EIP-2026-0042',
          text: 'Approved (2 approve · 0 decline · 0 changes)',
          open: action('Open EIP-2026-0042', 'panelView', { caseId: 'case-1', round: 1 }),
        },
        { lead: 'EIP-2026-0039', text: 'No decision: the case is now closed.' },
      ],
    },
    {
      heading: 'Still open (1)',
      empty: 'Nothing is left open.',
      rows: [
        {
          lead: 'EIP-2026-0043',
          text: 'A class (Year 6), primary school. £1,200.00. 1 of the 2 votes needed cast; carried over to the meeting on 13 Jan 2027.',
          open: action('Open EIP-2026-0043', 'panelView', { caseId: 'case-2', round: 1 }),
        },
      ],
    },
  ],
  actions: [],
};

/** The admin's meetings form (src/app/panel/meetings.ts). */
export const meetingsForm: FormCardData = {
  title: 'Panel meetings',
  subtitle:
    "Proposals sent before a meeting's cut-off (5 school days before it) go on its agenda; later ones wait for the next meeting. Without meetings set, each proposal is voted on as it arrives.",
  fields: [
    {
      kind: 'note',
      label: 'Set: 16 Dec 2026 (cut-off 9 Dec 2026, scheduled); 20 Jan 2027 (cut-off 13 Jan 2027, scheduled)',
    },
    { kind: 'date', id: 'date', label: 'Meeting date', value: '2026-12-16' },
    { kind: 'date', id: 'cutOff', label: 'Cut-off (leave empty to work it out)', value: '2026-12-18' },
    {
      kind: 'text',
      id: 'rule',
      label: 'Or a rule',
      maxLength: 120,
      placeholder: 'every third Wednesday in term until 2027-07-21',
    },
  ],
  actions: [action('Set meetings', 'saveMeeting', {}, 'positive'), action('Help', 'help')],
};

/** The I'm-away form (src/app/panel/away.ts), as an admin sees it: the member, a substitute, the dates. */
export const awayForm: FormCardData = {
  title: "I'm away: name a substitute",
  subtitle:
    "While you're away your substitute, a head not on the panel, votes in your place and gets your reminders; you are not reminded. Votes still open when it ends come back to you.",
  fields: [
    { kind: 'note', label: 'Set: Grace Adeyemi away 30 Nov 2026 to 18 Dec 2026, Owen Pritchard votes' },
    {
      kind: 'choice',
      id: 'member',
      label: 'Panel member who is away',
      choices: [
        { title: 'Grace Adeyemi', value: 'grace' },
        { title: 'Alex Wilber', value: 'alex' },
      ],
      value: 'grace',
    },
    {
      kind: 'choice',
      id: 'substitute',
      label: 'Substitute',
      required: true,
      choices: [
        { title: 'Owen Pritchard', value: 'owen' },
        { title: 'Lee Gu', value: 'lee' },
      ],
      value: 'owen',
    },
    { kind: 'date', id: 'from', label: 'From', required: true, value: '2026-12-01' },
    { kind: 'date', id: 'to', label: 'Until', required: true, value: '2026-11-30' },
  ],
  actions: [
    action('Name substitute', 'saveAway', {}, 'positive'),
    action('End absence: Grace, 30 Nov', 'endAway', { substitutionId: 's-1' }, 'destructive'),
    action('Help', 'help'),
  ],
};

/** `my cases` for a head standing in: the proposals waiting on the vote they hold, each opening the panel card. */
export const substituteTray: CasesCardData = {
  title: 'My cases',
  summary: '2 open cases, 2 waiting on you.',
  rows: [
    {
      caseId: 'case-1',
      ref: 'EIP-2026-0042',
      status: 'With the panel',
      label: 'A Year 4 pupil, primary school',
      waiting:
        'Waiting on your vote for Grace Adeyemi, as substitute: open it to vote · panel meeting 16 Dec 2026',
      mine: true,
      open: action('Open', 'panelView', { caseId: 'case-1', round: 1 }),
    },
    {
      caseId: 'case-2',
      ref: 'EIP-2026-0043',
      status: 'With the panel',
      label: 'A class (Year 6), primary school',
      waiting:
        'Waiting on your vote for Grace Adeyemi, as substitute: open it to vote · panel meeting 16 Dec 2026',
      mine: true,
      open: action('Open', 'panelView', { caseId: 'case-2', round: 1 }),
    },
  ],
  actions: [action('Back', 'help')],
};

/** The fixture directory (test/fixtures/directory.json): the schools a transfer form offers. */
const directory = parseDirectory(
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'directory.json'), 'utf8')),
);

/** A file name as long as a name may be (150 characters), with no space to wrap at. */
export const LONG_FILE_NAME = `${'Sam_Price_provision_map_costed_autumn_term_'.repeat(4).slice(0, 146)}.pdf`;

export const documents: FileRecord[] = [
  {
    id: 'case-1:f0123456789abcdef',
    caseId: 'case-1',
    name: 'SEN support plan - Sam.pdf',
    kind: 'support-plan',
    size: 182_000,
    sha256: '0123456789abcdef'.repeat(4),
    ext: 'pdf',
    addedBy: '00000000-0000-0000-0000-0000000000021',
    addedAt: '2026-11-20T10:05:00.000Z',
    location: 'EIP-2026-0042/SEN support plan - Sam.pdf',
  },
  {
    id: 'case-1:ffedcba9876543210',
    caseId: 'case-1',
    name: LONG_FILE_NAME,
    kind: 'provision-map',
    size: 2_400_000,
    sha256: 'fedcba9876543210'.repeat(4),
    ext: 'xlsx',
    addedBy: '00000000-0000-0000-0000-0000000000022',
    addedAt: '2026-11-21T09:00:00.000Z',
    location: 'EIP-2026-0042/provision.xlsx',
  },
];

export const transferRecord: TransferRecord = {
  id: 'case-1',
  caseId: 'case-1',
  fromSchoolId: 'oakfield-primary',
  toSchoolId: 'hillcrest-academy',
  consent: { givenBy: 'Jo Price (mother)', date: '2026-06-20', method: 'in-writing' },
  summary: {
    tried: 'A calm corner and a daily check-in.',
    worked: 'The check-in with a trusted adult.',
    outcomes: 'Fewer exits from class.',
    needs: LONG_TEXT,
  },
  fileIds: documents.map((f) => f.id),
  transferredBy: '00000000-0000-0000-0000-0000000000022',
  transferredAt: '2026-07-01T10:00:00.000Z',
};

const year6Case: CaseRecord = {
  ...sampleCase,
  status: 'closed',
  closureReason: 'moved-school',
  closedAt: '2026-06-30T10:00:00.000Z',
  request: { ...sampleCase.request, yearGroup: 'Year 6' },
  raisedAt: '2025-11-20T10:00:00.000Z',
};

/** One card to check: which template it comes from, which variant, and the card. */
export interface CatalogueEntry {
  template: string;
  name: string;
  card: Card;
}

const EARLY_FORMS: EarlyForm[] = ['returnCase', 'resubmit', 'accept', 'assess', 'propose', 'withdraw'];

/** Every template, in each of its variants, filled with the fixtures above. */
export function catalogue(): CatalogueEntry[] {
  const e = (template: string, name: string, card: Card): CatalogueEntry => ({ template, name, card });
  const longCase = {
    ...caseData,
    sections: [
      { heading: 'What the school has tried already', text: LONG_TEXT },
      { heading: 'What the school is asking for', text: LONG_TEXT },
    ],
  };
  return [
    e('help', 'help', helpCard(help)),
    e('help', 'help-not-acting', helpCard({ ...help, actingLine: undefined })),
    e('notice', 'notice', noticeCard(notice)),
    e('notice', 'notice-title-only', noticeCard({ title: 'Done' })),
    e('notice', 'files-not-read', filesNotReadCard(9, 5)),
    e('notice', 'notice-long-quote', noticeCard({ ...notice, tone: 'attention', quote: LONG_TEXT })),
    e('form', 'form', formCard(form)),
    e('form', 'form-plain', formCard({ ...form, problems: undefined, subtitle: undefined })),
    e(
      'form',
      'form-long-note',
      formCard({ ...form, fields: [{ kind: 'note', label: LONG_TEXT }, ...form.fields] }),
    ),
    e('form', 'request-individual', requestForm('individual')),
    e('form', 'request-class', requestForm('class')),
    ...EARLY_FORMS.map((f) => e('form', `case-form-${f}`, caseForm(f, sampleCase, 'Sam Price, Year 4'))),
    e('case', 'case', caseCard(caseData)),
    e('case', 'case-bare', caseCard({ ...caseData, banner: undefined, facts: [], actions: [] })),
    e('case', 'case-long-text', caseCard(longCase)),
    e('cases', 'cases', casesCard(cases)),
    e('cases', 'cases-none', casesCard({ ...cases, rows: [] })),
    e(
      'cases',
      'cases-received',
      casesCard({
        ...cases,
        received: [
          {
            caseId: 'case-9',
            ref: 'EIP-2026-0009',
            status: 'Transferred',
            label: 'Sam Price, Year 7',
            waiting: 'From Oakfield Primary School on 1 Jul 2026: a transition summary and 2 documents',
            mine: false,
          },
        ],
      }),
    ),
    e('panel', 'panel', panelCard(panel)),
    e('panel', 'panel-round-2', panelCard({ ...panel, round: 2, outcome: undefined })),
    e(
      'panel',
      'panel-decided',
      panelCard({ ...panel, open: false, live: false, personal: undefined, votedLine: '' }),
    ),
    e(
      'panel',
      'panel-long-text',
      panelCard({ ...panel, sections: [{ heading: 'Rationale', text: LONG_TEXT }] }),
    ),
    e(
      'providers',
      'providers',
      providersCard({
        title: 'Providers',
        summary: '2 providers, 1 active',
        banner: { text: 'Saved Calm Minds CIC.', tone: 'good' },
        rows: [true, false].map((active) => ({
          name: active ? 'Calm Minds CIC' : 'Talk Together Ltd',
          contact: 'bookings@calmminds.example · 01234 567890',
          services: 'Counselling, play therapy',
          rate: '£45.00 a session',
          active,
          actions: [
            action('Edit', 'providerForm', { providerId: active ? 'calm' : 'talk' }),
            active
              ? action(
                  'Deactivate',
                  'setProviderActive',
                  { providerId: 'calm', active: 'false' },
                  'destructive',
                )
              : action('Reactivate', 'setProviderActive', { providerId: 'talk', active: 'true' }),
          ],
        })),
        actions: [action('Add provider', 'providerForm', {}, 'positive'), action('Back', 'help')],
      }),
    ),
    e(
      'history',
      'history',
      historyCard({
        ref: 'EIP-2026-0042',
        subject: 'Sam Price, Year 4',
        statusLine: 'Accepted · waiting on the co-ordinator to assess',
        note: 'Showing the latest 2 of 40 steps.',
        rows: [
          {
            when: '20 Nov 2026 10:00',
            who: 'Megan Bowen',
            what: 'Raised the request',
            change: 'Submitted',
            refused: false,
          },
          {
            when: '21 Nov 2026 09:12',
            who: 'Megan Bowen',
            what: 'Refused: tried to accept the case (not the co-ordinator)',
            change: '',
            refused: true,
          },
        ],
        reads: [{ who: 'Adele Vance', times: 3, last: '27 Nov 2026' }],
        actions: [action('Open case', 'openCase', { caseId: 'case-1' }), action('My cases', 'myCases')],
      }),
    ),
    e(
      'agenda',
      'agenda',
      agendaCard({
        title: "Providers' meeting agenda",
        subtitle: 'Week of 30 November 2026',
        sections: [
          {
            heading: 'Reviews due',
            empty: 'None due.',
            rows: [{ lead: 'EIP-2026-0042', text: 'Calm Minds CIC, review due 3 Dec 2026' }],
          },
          { heading: 'Overdue reviews', empty: 'None overdue.', rows: [] },
        ],
        actions: [action('Back', 'help')],
      }),
    ),
    e(
      'ledger',
      'ledger',
      ledgerCard({
        title: 'Budget 2026-27',
        subtitle: 'Allocation set by the LA',
        banner: { text: 'Over 90% committed.', tone: 'warning' },
        figures: [
          { title: 'Allocation', value: '£357,000.00' },
          { title: 'Committed', value: '£42,000.00' },
        ],
        sections: [
          {
            heading: 'Overspent commissions',
            rows: [{ title: 'EIP-2026-0042', value: 'Overspent by £45.00' }],
            empty: 'None.',
            attention: true,
          },
          { heading: 'Spending this month', rows: [], empty: 'No spending recorded this month.' },
        ],
        actions: [action('Set allocation', 'budgetForm', { year: '2026-27' }), action('Back', 'help')],
      }),
    ),
    e('report', 'report-la', reportCard({ report: laReport, actions: [action('Back', 'help')] })),
    e('report', 'report-school', reportCard({ report: schoolReport, actions: [action('Back', 'help')] })),
    e(
      'report',
      'report-without-charts',
      withoutCharts(reportCard({ report: laReport, actions: [action('Back', 'help')] })),
    ),
    e(
      'reportFilter',
      'report-filter',
      reportFilterCard({
        years: ['2026-27', '2025-26'],
        terms: ['Autumn 2026'],
        schools: [{ id: 's1', name: 'Oakfield Primary School' }],
        phases: [{ id: 'primary', name: 'Primary' }],
        problems: [{ field: 'Year', message: 'Choose a year.' }],
      }),
    ),
    e('reportFilter', 'report-filter-school', reportFilterCard({ years: ['2026-27'], terms: [] })),
    e(
      'files',
      'files',
      filesCard({
        title: 'Documents: EIP-2026-0042',
        subtitle: 'Sam Price, Year 4',
        text: '2 of at most 20. To add one, send the file to EIP bot in this chat.',
        rows: documents.map((f) => ({
          name: f.name,
          line: `Provision map · Excel · 2.3 MB · added 21 Nov 2026 by Adele Vance`,
          open: { fileId: f.id, caseId: f.caseId },
        })),
        actions: [
          action('Back to the case', 'openCase', { caseId: 'case-1' }),
          action('My cases', 'myCases'),
        ],
      }),
    ),
    e(
      'files',
      'files-none',
      filesCard({
        title: 'Documents: EIP-2026-0042',
        text: 'None yet. To add one, send the file to EIP bot in this chat (PDF, Word, Excel, PNG or JPEG, up to 25 MB).',
        rows: [],
        actions: [action('Back to the case', 'openCase', { caseId: 'case-1' })],
      }),
    ),
    e(
      'form',
      'file-choice',
      fileChoiceCard(
        { token: 'tok', name: LONG_FILE_NAME, ext: 'pdf', size: 182_000 },
        [
          { id: 'case-1', title: 'EIP-2026-0042: Sam Price, Year 4' },
          { id: 'case-2', title: 'EIP-2026-0043: Class 4B' },
        ],
        { kind: 'support-plan' },
        [{ field: 'Case', message: 'Choose the case this document belongs to.' }],
      ),
    ),
    e('form', 'transfer', transferFormCard(directory, year6Case, documents)),
    e(
      'form',
      'transfer-no-documents',
      transferFormCard(directory, year6Case, [], { consentGivenBy: 'Jo Price' }, [
        { field: 'Date consent given', message: 'This is required.' },
      ]),
    ),
    e(
      'case',
      'case-documents',
      caseCard({
        ...caseData,
        facts: [
          ...caseData.facts,
          { title: 'Follows', value: 'A case transferred from the previous school' },
        ],
        sections: [
          ...caseData.sections,
          {
            heading: `Documents (${documents.length})`,
            text: documents.map((f) => `${breakable(f.name)} (Support plan)`).join('\n'),
          },
        ],
        actions: [
          action(`Documents (${documents.length})`, 'caseFiles', { caseId: 'case-1' }),
          action('Transfer to new school', 'transferForm', { caseId: 'case-1' }),
          ...caseData.actions,
        ],
      }),
    ),
    e(
      'case',
      'case-documents-count',
      caseCard({ ...caseData, facts: [...caseData.facts, { title: 'Evidence', value: documentsLine(3) }] }),
    ),
    e(
      'case',
      'transfer-view',
      transferViewCard(
        directory,
        {
          aadObjectId: 'x',
          name: 'Hillcrest SENCo',
          email: 'x@example.com',
          roles: ['senco'],
          schoolId: 'hillcrest-academy',
        },
        year6Case,
        transferRecord,
        documents,
        '2026-09-10',
      ),
    ),
    e('notice', 'withdraw-transfer-confirm', withdrawTransferCard(directory, year6Case, transferRecord)),
    e(
      'cases',
      'transitions',
      transitionsCard(
        directory,
        { aadObjectId: 'c', name: 'Adele Vance', email: 'a@example.com', roles: ['coordinator'] },
        [year6Case, { ...year6Case, id: 'case-2', ref: 'EIP-2026-0043', status: 'commissioned' }],
        '2026-06-10',
      ),
    ),
    e(
      'panel',
      'panel-documents',
      panelCard({ ...panel, facts: [...panel.facts, { title: 'Evidence', value: documentsLine(3) }] }),
    ),
    // Panel cycles and substitutes (src/app/panel): the agenda on cut-off day and the summary after the meeting
    // (the agenda template, each line opening its panel card), the admin's meetings form, the I'm-away form, a vote
    // cast by a substitute on the panel card, and the work tray of a head standing in (rows open the panel card).
    e('agenda', 'panel-agenda', agendaCard(panelAgenda)),
    e(
      'agenda',
      'panel-agenda-empty',
      agendaCard({
        ...panelAgenda,
        sections: panelAgenda.sections.map((s) => (s.heading === 'Budget' ? s : { ...s, rows: [] })),
      }),
    ),
    e('agenda', 'panel-summary', agendaCard(panelSummary)),
    e('form', 'meetings-form', formCard(meetingsForm)),
    e(
      'form',
      'meetings-form-refused',
      formCard({
        ...meetingsForm,
        problems: [{ field: 'Cut-off', message: 'The cut-off must come before the meeting on 16 Dec 2026.' }],
      }),
    ),
    e(
      'form',
      'meetings-form-change',
      formCard({
        ...meetingsForm,
        fields: [
          ...meetingsForm.fields,
          {
            kind: 'choice',
            id: 'meetingId',
            label: 'Change a meeting',
            choices: [
              { title: 'Wed 16 Dec 2026', value: '2026-12-16' },
              { title: 'Wed 20 Jan 2027', value: '2027-01-20' },
            ],
            value: '',
          },
          { kind: 'date', id: 'moveTo', label: 'Move it to', value: '' },
        ],
        actions: [
          action('Set meetings', 'saveMeeting', {}, 'positive'),
          action('Move meeting', 'moveMeeting'),
          action('Cancel meeting', 'cancelMeeting', {}, 'destructive'),
          action('Help', 'help'),
        ],
      }),
    ),
    e(
      'notice',
      'meeting-not-a-school-day',
      noticeCard({
        title: 'That day is not a school day',
        text: 'Saturday 19 Dec 2026 is not a school day. Set the meeting anyway?',
        tone: 'warning',
        actions: [
          action('Set it anyway', 'saveMeeting', { date: '2026-12-19', confirm: 'yes' }, 'positive'),
          action('Choose another date', 'meetingForm'),
        ],
      }),
    ),
    e('form', 'away-form', formCard(awayForm)),
    e(
      'form',
      'away-form-refused',
      formCard({
        ...awayForm,
        problems: [
          { field: 'Until', message: 'The last day comes before the first.' },
          { field: 'Substitute', message: 'Owen Pritchard is already away then.' },
        ],
      }),
    ),
    e(
      'panel',
      'panel-substitute-vote',
      panelCard({
        ...panel,
        votedLine: 'Voted: Alex Wilber; Owen Pritchard, for Grace Adeyemi',
        tallyLine: '2 approve · 0 decline · 0 changes (3 needed)',
        outcome: undefined,
        personal: {
          text: "Owen Pritchard, you hold Grace Adeyemi's vote while they are away: these buttons vote for Grace Adeyemi.",
          tone: 'default',
        },
        facts: [...panel.facts, { title: 'Panel meeting', value: '16 Dec 2026 (decide by then)' }],
      }),
    ),
    e('cases', 'cases-substitute', casesCard(substituteTray)),
  ];
}
