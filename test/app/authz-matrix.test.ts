// The authorisation matrix: every verb, pressed by every kind of person (by role, at the case's own school or at
// another, outside the directory, or removed from it after the card was sent), is allowed or refused as
// docs/design.md and the case machine say. The table below is the specification; the tests are generated from it.
// A refusal is a plain warning, and it writes nothing and tells nobody. Then the ways in that were tried from
// outside: another school's case id, identity and money forged in card data, and buttons from an earlier status.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GROUP_VERBS, VERBS, type Verb } from '../../src/cards';
import { voteId } from '../../src/app/records';
import { filesOf } from '../../src/app/files/services';
import { buttonsOf, textOf, type TestPerson } from '../support/harness';
import {
  CLASS_REQUEST,
  COMMISSION,
  OUTCOME,
  PEOPLE,
  PROPOSAL,
  PROPOSAL_PENCE,
  Stages,
  drawEachCardOnce,
  raise,
  removeWorldFiles,
  snapshot,
  warningOf,
  worldDirectory,
  type Chat,
  type Stage,
  type World,
} from '../support/world';

/**
 * Who presses: the cases are raised by Oakfield, so "own" means Oakfield and "other" means Brookside. Everyone,
 * the stranger too, has opened a chat with the bot before (the bot keeps how to reach someone from their first
 * message, so it can reach them once they are added to the directory); a refusal must write nothing beyond that.
 */
const WHO = [
  ['SENCo, own school', PEOPLE.megan],
  ['SENCo, another school', PEOPLE.joni],
  ['head, own school', PEOPLE.lee],
  ['head, another school', PEOPLE.miriam],
  ['panel member (and head), own school', PEOPLE.patti],
  ['panel member (and head), another school', PEOPLE.alex],
  ['co-ordinator', PEOPLE.adele],
  ['admin', PEOPLE.isaiah],
  ['someone not in the directory', PEOPLE.stranger],
  ['removed from the directory after the card was sent', undefined],
] as const satisfies readonly (readonly [string, TestPerson | undefined])[];

const Y = 'allowed';
const N = 'refused';
type Cell = typeof Y | typeof N;
type Cells = [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

interface Row {
  verb: Verb;
  /** Where Megan's Oakfield case stands when the button is pressed; 'none' when no case is involved. */
  at: Stage | 'none';
  /** For showForm: the form the button opens (the data names it too). */
  form?: string;
  /** The panel's group chat for its card; otherwise the person's 1:1 chat. */
  chat?: Chat;
  /** The button's data (with the form's answers, for a button that sends them). */
  data: (caseId: string) => Record<string, unknown>;
  cells: Cells;
  /** What an allowed press shows. */
  shows: RegExp;
  /** A note an allowed card may carry for this person, in a warning's colours (why they cannot vote, say). */
  note?: RegExp;
  /** What an allowed press changed; without it, an allowed press changes no record either. */
  changed?: (w: World, caseId: string, who: TestPerson) => Promise<void>;
  /** Records the row needs beyond the stage's (a document kept with the case, a transfer), written before the press. */
  setup?: (w: World, caseId: string) => Promise<void>;
}

const status = (expected: string) => async (w: World, caseId: string) =>
  assert.equal((await w.store.cases.get(caseId))?.value.status, expected);

const ACME = {
  name: 'Acme Wellbeing Ltd',
  services: 'mentoring,counselling',
  rate: '40',
  rateUnit: 'session',
  contact: 'hello@acme.example',
};

/** A support plan kept with the case, its bytes in the world's document storage. */
async function withDocument(w: World, caseId: string): Promise<void> {
  const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
  const { location } = await filesOf(w.deps).documents.put(
    'EIP-2026-0001',
    'plan.pdf',
    bytes,
    'application/pdf',
  );
  await w.store.files.create({
    id: `${caseId}:f1`,
    caseId,
    name: 'Support plan.pdf',
    kind: 'support-plan',
    size: bytes.length,
    sha256: 'a'.repeat(64),
    ext: 'pdf',
    addedBy: PEOPLE.megan.aadObjectId,
    addedAt: '2026-11-20T10:00:00.000Z',
    location,
  });
}

/** A panel meeting set for Wed 9 Dec 2026 (cut-off Wed 2 Dec). */
async function aMeeting(w: World): Promise<void> {
  await w.store.meetings.create({
    id: '2026-12-09',
    date: '2026-12-09',
    cutOff: '2026-12-02',
    status: 'scheduled',
    setBy: PEOPLE.isaiah.aadObjectId,
    setAt: '2026-11-20T10:00:00.000Z',
  });
}

/** The closed case, closed because the child moved school, with a document. */
async function movedSchool(w: World, caseId: string): Promise<void> {
  await withDocument(w, caseId);
  const c = (await w.store.cases.get(caseId))!;
  await w.store.cases.replace({ ...c.value, closureReason: 'moved-school' }, c.eTag);
}

/** …and transferred to Brookside with its document. */
async function transferredToBrookside(w: World, caseId: string): Promise<void> {
  await movedSchool(w, caseId);
  await w.store.transfers.create({
    id: caseId,
    caseId,
    fromSchoolId: 'oakfield-primary',
    toSchoolId: 'brookside-primary',
    consent: { givenBy: 'Jo Price (mother)', date: '2026-11-20', method: 'in-writing' },
    summary: {
      tried: 'A calm corner.',
      worked: 'Counselling.',
      outcomes: 'Fewer incidents.',
      needs: 'SEMH.',
    },
    fileIds: [`${caseId}:f1`],
    transferredBy: PEOPLE.adele.aadObjectId,
    transferredAt: '2026-11-21T10:00:00.000Z',
  });
}

const TRANSFER = {
  toSchoolId: 'brookside-primary',
  consentGivenBy: 'Jo Price (mother)',
  consentDate: '2026-11-20',
  consentMethod: 'in-writing',
  tried: 'A calm corner.',
  worked: 'Counselling.',
  outcomes: 'Fewer incidents.',
  needs: 'SEMH.',
};

const SPEND = (caseId: string) => ({
  caseId,
  spendId: randomUUID(),
  packageId: `${caseId}:p1`,
  invoiceRef: 'OCS-1029',
  amount: '90',
  sessionsDelivered: '2',
  deliveredOn: '2026-11-27',
});

/** A row of the table: the verb, where the case stands, who may press it, and what pressing it does. */
const row = (verb: Verb, at: Row['at'], cells: Cells, how: Omit<Row, 'verb' | 'at' | 'cells'>): Row => ({
  verb,
  at,
  cells,
  ...how,
});

// prettier-ignore
const MATRIX: Row[] = [
  //  verb, and where the case is      SENCo       head        panel       co-   ad-   not   removed
  //                                     own   other own   other own   other ord.  min   in    since
  //                                                                                     dir.  sent
  row('help', 'none',                   [Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    N], {
    data: () => ({}),
    shows: /You're signed in as/,
  }),
  row('myCases', 'submitted',           [Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    N], {
    data: () => ({}),
    shows: /My cases/,
  }),
  row('newRequest', 'none',             [Y,    Y,    Y,    Y,    Y,    Y,    N,    N,    N,    N], {
    data: () => ({ kind: 'individual' }),
    shows: /Parental consent/,
  }),
  row('submitRequest', 'none',          [Y,    Y,    Y,    Y,    Y,    Y,    N,    N,    N,    N], {
    data: () => ({ ...CLASS_REQUEST, formId: randomUUID() }),
    shows: /Request submitted/,
    changed: async (w, _caseId, who) => {
      const [c, ...more] = await w.store.cases.find();
      assert.equal(more.length, 0);
      assert.equal(c?.value.raisedBy, who.aadObjectId);
      assert.equal(c?.value.schoolId, worldDirectory().person(who.aadObjectId)?.schoolId);
    },
  }),
  row('openCase', 'submitted',          [Y,    N,    Y,    N,    Y,    N,    Y,    Y,    N,    N], {
    data: (caseId) => ({ caseId }),
    shows: /EIP-2026-0001/,
  }),
  row('openCase', 'proposed',           [Y,    N,    Y,    N,    Y,    Y,    Y,    Y,    N,    N], {
    data: (caseId) => ({ caseId }),
    shows: /EIP-2026-0001/,
  }),
  row('showForm', 'submitted',          [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    form: 'accept',
    data: (caseId) => ({ caseId, form: 'accept' }),
    shows: /observation/i,
  }),
  row('showForm', 'submitted',          [Y,    N,    Y,    N,    Y,    N,    N,    N,    N,    N], {
    form: 'withdraw',
    data: (caseId) => ({ caseId, form: 'withdraw' }),
    shows: /Withdraw/,
  }),
  row('returnCase', 'submitted',        [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, question: 'How often?' }),
    shows: /Returned to the school/,
    changed: status('returned'),
  }),
  row('resubmit', 'returned',           [Y,    N,    Y,    N,    Y,    N,    N,    N,    N,    N], {
    data: (caseId) => ({ caseId, answer: 'Twice a week.' }),
    shows: /Resubmitted/,
    changed: status('submitted'),
  }),
  row('accept', 'submitted',            [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, observationDate: '2026-11-27' }),
    shows: /Accepted/,
    changed: status('accepted'),
  }),
  row('assess', 'accepted',             [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, observedOn: '2026-11-27', findings: 'f', needsIdentified: 'n' }),
    shows: /Assessment saved/,
    changed: status('assessed'),
  }),
  row('propose', 'assessed',            [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, ...PROPOSAL }),
    shows: /Sent to the panel's chat/,
    changed: status('proposed'),
  }),
  row('withdraw', 'submitted',          [Y,    N,    Y,    N,    Y,    N,    N,    N,    N,    N], {
    data: (caseId) => ({ caseId }),
    shows: /Request withdrawn/,
    changed: status('closed'),
  }),
  row('vote', 'proposed',               [N,    N,    N,    N,    N,    Y,    N,    N,    N,    N], {
    chat: 'panel',
    data: (caseId) => ({ caseId, round: 1, choice: 'approve' }),
    shows: /your vote to approve is recorded/,
    changed: async (w, caseId, who) =>
        assert.equal((await w.store.votes.get(voteId(caseId, 1, who.aadObjectId)))?.value.voter, who.aadObjectId),
  }),
  row('panelView', 'proposed',          [Y,    N,    Y,    N,    Y,    Y,    Y,    Y,    N,    N], {
    chat: 'panel',
    data: (caseId) => ({ caseId, round: 1 }),
    shows: /EIP-2026-0001/,
    note: /your school raised it|Only panel members can vote/,
  }),
  row('commission', 'approved',         [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, ...COMMISSION }),
    shows: /Commissioned/,
    changed: status('commissioned'),
  }),
  row('spend', 'commissioned',          [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: SPEND,
    shows: /£90\.00 recorded/,
    changed: async (w, caseId) => assert.equal((await w.store.spends.find({ caseId })).length, 1),
  }),
  row('moveReviews', 'commissioned',    [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, interim: '2027-01-19', final: '2027-03-19' }),
    shows: /Review dates saved/,
    changed: async (w, caseId) =>
        assert.equal((await w.store.reviews.get(`${caseId}:interim`))?.value.due, '2027-01-19'),
  }),
  row('recordOutcome', 'commissioned',  [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, ...OUTCOME }),
    shows: /Review saved/,
    changed: async (w, caseId) =>
        assert.equal((await w.store.reviews.get(`${caseId}:interim`))?.value.status, 'done'),
  }),
  row('close', 'commissioned',          [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, reason: 'needs-met', note: 'Done.' }),
    shows: /Case closed/,
    changed: status('closed'),
  }),
  row('reopen', 'closed',               [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId, reason: 'The school asks again.' }),
    shows: /Case reopened/,
    changed: status('commissioned'),
  }),
  row('budget', 'none',                 [N,    N,    N,    N,    N,    N,    Y,    Y,    N,    N], {
    data: () => ({}),
    shows: /Budget 2026-27/,
  }),
  row('budgetForm', 'none',             [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ({ year: '2027-28' }),
    shows: /Set the allocation for 2027-28/,
  }),
  row('saveBudget', 'none',             [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ({ year: '2027-28', allocation: '400000' }),
    shows: /The 2027-28 allocation is now £400,000\.00/,
    changed: async (w) =>
        assert.equal((await w.store.budgets.get('2027-28'))?.value.allocationPence, 40_000_000),
  }),
  row('providers', 'none',              [N,    N,    N,    N,    N,    N,    Y,    Y,    N,    N], {
    data: () => ({}),
    shows: /Oakwood Counselling Service/,
  }),
  row('providerForm', 'none',           [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ({}),
    shows: /Add a provider/,
  }),
  row('saveProvider', 'none',           [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ACME,
    shows: /Acme Wellbeing Ltd added/,
    changed: async (w) =>
        assert.ok((await w.store.providers.find()).some((p) => p.value.name === 'Acme Wellbeing Ltd')),
  }),
  row('setProviderActive', 'none',      [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ({ providerId: 'step-up-mentoring', active: 'false' }),
    shows: /Step Up Mentoring deactivated/,
    changed: async (w) =>
        assert.equal((await w.store.providers.get('step-up-mentoring'))?.value.active, false),
  }),
  row('agenda', 'none',                 [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: () => ({}),
    shows: /Providers' meeting agenda/,
  }),
  row('history', 'proposed',            [N,    N,    N,    N,    N,    N,    Y,    Y,    N,    N], {
    data: (caseId) => ({ caseId }),
    shows: /History of EIP-2026-0001/,
  }),
  row('repostPanel', 'proposed',        [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ caseId }),
    shows: /already in the panel chat/,
  }),
  // Reports: a school's people their own school's, the co-ordinator and admins any (test/app/reports has the scoping).
  row('reportForm', 'none',             [Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    N], {
    data: () => ({}),
    shows: /Show report/,
  }),
  row('report', 'none',                 [Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    N], {
    data: () => ({ year: '2026-27' }),
    shows: /Export CSV/,
  }),
  // A run this bot never made: whoever may export is told it is no longer open (the export is tested in
  // test/app/reports, where the run is real and only its owner may export it).
  // Panel cycles: only an admin sets meeting dates. Substitutes: a panel member names their own, an admin anyone's
  // (a member's choice of whose absence it is, in card data, is ignored: see the changed check).
  row('meetingForm', 'none',            [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ({}),
    shows: /Panel meetings/,
  }),
  row('saveMeeting', 'none',            [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    data: () => ({ date: '2026-12-09' }),
    shows: /Panel meeting set for Wed 9 Dec 2026/,
    changed: async (w, _caseId, who) => {
      const [m, ...more] = await w.store.meetings.find();
      assert.equal(more.length, 0);
      assert.deepEqual([m?.value.date, m?.value.setBy], ['2026-12-09', who.aadObjectId]);
    },
  }),
  // Cancelling or moving a meeting: an admin only, from the meetings form; the meeting is read from the store.
  row('cancelMeeting', 'none',          [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    setup: aMeeting,
    data: () => ({ meetingId: '2026-12-09' }),
    shows: /The meeting on Wed 9 Dec 2026 is cancelled/,
    changed: async (w) => assert.ok((await w.store.meetings.get('2026-12-09'))?.value.cancelledAt),
  }),
  row('moveMeeting', 'none',            [N,    N,    N,    N,    N,    N,    N,    Y,    N,    N], {
    setup: aMeeting,
    data: () => ({ meetingId: '2026-12-09', moveTo: '2026-12-10' }),
    shows: /has moved to Thu 10 Dec 2026/,
    changed: async (w) => assert.equal((await w.store.meetings.get('2026-12-10'))?.value.status, 'scheduled'),
  }),
  row('awayForm', 'none',               [N,    N,    N,    N,    Y,    Y,    N,    Y,    N,    N], {
    data: () => ({}),
    shows: /name a substitute/,
  }),
  row('saveAway', 'none',               [N,    N,    N,    N,    Y,    Y,    N,    Y,    N,    N], {
    data: () => ({ member: PEOPLE.alex.aadObjectId, substitute: PEOPLE.miriam.aadObjectId, from: '2026-11-30', to: '2026-12-04' }),
    shows: /Miriam Graham votes for .*from Mon 30 Nov 2026 to Fri 4 Dec 2026/,
    changed: async (w, _caseId, who) => {
      const [s, ...more] = await w.store.substitutions.find();
      assert.equal(more.length, 0);
      const member = who === PEOPLE.isaiah ? PEOPLE.alex : who;
      assert.deepEqual(
        [s?.value.member, s?.value.substitute],
        [member.aadObjectId.toLowerCase(), PEOPLE.miriam.aadObjectId.toLowerCase()],
      );
    },
  }),
  // An absence that is not (or no longer) set: the form says so to whoever may name substitutes.
  row('endAway', 'none',                [N,    N,    N,    N,    Y,    Y,    N,    Y,    N,    N], {
    data: () => ({ substitutionId: 'no-such-absence' }),
    shows: /That absence is no longer set/,
  }),
  row('reportCsv', 'none',              [Y,    Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    N], {
    data: () => ({ run: 'a-run-this-bot-never-made' }),
    note: /has moved on/,
    shows: /no longer open/,
  }),
  // Evidence documents: the named case's school (SENCo, head) and the co-ordinator; never the panel as such, never
  // an admin (documents carry names). A file a person sent waits for them alone: a button naming one this bot never
  // held tells whoever may add documents that it is no longer waiting (test/app/files has the real flow).
  row('attachFile', 'submitted',        [Y,    Y,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: (caseId) => ({ upload: 'a-file-this-bot-never-held', caseId, kind: 'other' }),
    note: /has moved on|no longer waiting/,
    shows: /no longer waiting/,
  }),
  row('caseFiles', 'submitted',         [Y,    N,    Y,    N,    Y,    N,    Y,    N,    N,    N], {
    setup: withDocument,
    data: (caseId) => ({ caseId }),
    shows: /Support plan/,
  }),
  row('openFile', 'submitted',          [Y,    N,    Y,    N,    Y,    N,    Y,    N,    N,    N], {
    setup: withDocument,
    data: (caseId) => ({ caseId, fileId: `${caseId}:f1` }),
    shows: /Open document/,
  }),
  // Sent with a transfer to Brookside: its SENCo and head may open it too.
  row('openFile', 'closed',             [Y,    Y,    Y,    Y,    Y,    Y,    Y,    N,    N,    N], {
    setup: transferredToBrookside,
    data: (caseId) => ({ caseId, fileId: `${caseId}:f1` }),
    shows: /Open document/,
  }),
  row('transferForm', 'closed',         [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    setup: movedSchool,
    data: (caseId) => ({ caseId }),
    shows: /Transfer EIP-2026-0001 to the new school/,
  }),
  row('transfer', 'closed',             [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    setup: movedSchool,
    data: (caseId) => ({ caseId, ...TRANSFER, fileIds: `${caseId}:f1` }),
    shows: /transferred to Brookside Primary School/,
    changed: async (w, caseId) =>
        assert.equal((await w.store.transfers.get(caseId))?.value.toSchoolId, 'brookside-primary'),
  }),
  // What the receiving school sees: Brookside's SENCo and head, and the co-ordinator; not the sending school.
  row('openTransfer', 'closed',         [N,    Y,    N,    Y,    N,    Y,    Y,    N,    N,    N], {
    setup: transferredToBrookside,
    data: (caseId) => ({ caseId }),
    shows: /What worked/,
  }),
  row('transitions', 'none',            [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    data: () => ({}),
    shows: /Transitions this summer/,
  }),
  // Withdrawing a transfer (sent to the wrong school): the co-ordinator alone, after a confirm step.
  row('withdrawTransferForm', 'closed', [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    setup: transferredToBrookside,
    data: (caseId) => ({ caseId }),
    shows: /Withdraw the transfer of EIP-2026-0001 to Brookside Primary School\?/,
    note: /Withdraw the transfer|will no longer see/,
  }),
  row('withdrawTransfer', 'closed',     [N,    N,    N,    N,    N,    N,    Y,    N,    N,    N], {
    setup: transferredToBrookside,
    data: (caseId) => ({ caseId }),
    shows: /transfer of EIP-2026-0001 to Brookside Primary School is withdrawn/,
    changed: async (w, caseId) => {
      assert.equal(await w.store.transfers.get(caseId), undefined);
      assert.ok((await w.store.audit.list(caseId)).some((e) => e.action === 'withdraw-transfer'));
    },
  }),
];

/** Buttons from an earlier status: each pressed, by someone who could once have pressed it, after the case moved on. */
const STALE: { verb: Verb; at: Stage; pressedBy: TestPerson; data?: Row['data']; chat?: Chat }[] = [
  { verb: 'returnCase', at: 'accepted', pressedBy: PEOPLE.adele },
  { verb: 'resubmit', at: 'accepted', pressedBy: PEOPLE.megan },
  { verb: 'accept', at: 'assessed', pressedBy: PEOPLE.adele },
  { verb: 'assess', at: 'proposed', pressedBy: PEOPLE.adele },
  { verb: 'propose', at: 'approved', pressedBy: PEOPLE.adele },
  { verb: 'withdraw', at: 'commissioned', pressedBy: PEOPLE.megan },
  { verb: 'vote', at: 'withdrawn', pressedBy: PEOPLE.alex, chat: 'panel' },
  { verb: 'commission', at: 'commissioned', pressedBy: PEOPLE.adele },
  { verb: 'spend', at: 'closed', pressedBy: PEOPLE.adele },
  { verb: 'moveReviews', at: 'closed', pressedBy: PEOPLE.adele },
  { verb: 'recordOutcome', at: 'closed', pressedBy: PEOPLE.adele },
  { verb: 'close', at: 'closed', pressedBy: PEOPLE.adele },
  { verb: 'reopen', at: 'commissioned', pressedBy: PEOPLE.adele },
  {
    verb: 'showForm',
    at: 'accepted',
    pressedBy: PEOPLE.adele,
    data: (caseId) => ({ caseId, form: 'accept' }),
  },
];

/** The plain words every refusal is given in (docs/design.md, and the catalogue in src/domain/errors.ts). */
const PLAIN_REFUSAL =
  /Only |can't|cannot|can no longer|isn't open|not in the EIP directory|has moved on|For privacy|couldn't find/;
const NOT_PLAIN = /Error|undefined|null|\[object|at .*\.ts|\bstack\b/;

describe('the authorisation matrix', () => {
  const stages = new Stages();
  let drawAgain: () => void;
  before(() => {
    drawAgain = drawEachCardOnce();
  });
  after(() => {
    drawAgain();
    removeWorldFiles();
  });

  /**
   * Presses the button in a fresh bot with the case at the row's stage; answers the card, the records and the
   * messages sent before and after, and the case's id.
   */
  async function pressIn(
    at: Stage | 'none',
    who: TestPerson,
    verb: Verb,
    data: Row['data'],
    chat: Chat = 'personal',
    removed = false,
    setup?: Row['setup'],
  ) {
    const { w, caseId } = await stages.world(at);
    try {
      await setup?.(w, caseId);
      const before = await snapshot(w.store);
      const sent = w.connector.mark();
      const as = removed ? w.without(who) : w;
      const card = await as.press(who, verb, data(caseId), chat);
      return { w, caseId, card, before, after: await snapshot(w.store), told: w.connector.mark() - sent };
    } catch (e) {
      await w.close();
      throw e;
    }
  }

  /** A refusal: a warning in plain words, no record written and nobody told. */
  function assertRefused(r: Awaited<ReturnType<typeof pressIn>>, words = PLAIN_REFUSAL) {
    const warning = warningOf(r.card);
    assert.ok(warning !== undefined, `a refusal shows a warning; the card says: ${textOf(r.card)}`);
    assert.match(textOf(r.card), words);
    assert.doesNotMatch(textOf(r.card), NOT_PLAIN);
    assert.deepEqual(r.after, r.before, 'a refusal writes nothing');
    assert.equal(r.told, 0, 'a refusal tells nobody');
  }

  it('has a row for every verb the cards can carry', () => {
    assert.deepEqual(
      VERBS.filter((v) => !MATRIX.some((r) => r.verb === v)),
      [],
    );
  });

  for (const row of MATRIX) {
    const where = row.at === 'none' ? '' : ` on a case ${row.at}`;
    describe(`${row.verb}${row.form ? ` (${row.form} form)` : ''}${where}`, () => {
      row.cells.forEach((cell, i) => {
        const [label, listed] = WHO[i]!;
        // The person removed is the first the row allows: the one the card was sent to.
        const firstAllowed = WHO[row.cells.indexOf(Y)]![1];
        const who = listed ?? firstAllowed;
        it(`${label}: ${cell}`, async () => {
          assert.ok(who, 'someone may press it');
          const r = await pressIn(row.at, who, row.verb, row.data, row.chat, listed === undefined, row.setup);
          try {
            if (cell === N) {
              assertRefused(
                r,
                who === PEOPLE.stranger || !listed ? /not in the EIP directory/ : PLAIN_REFUSAL,
              );
              return;
            }
            const warning = warningOf(r.card);
            if (warning !== undefined)
              assert.match(warning, row.note ?? /^$/, `allowed, but the card warns: ${textOf(r.card)}`);
            assert.match(textOf(r.card), row.shows);
            if (row.changed) await row.changed(r.w, r.caseId, who);
            else assert.deepEqual(r.after, r.before, 'looking changes no record');
          } finally {
            await r.w.close();
          }
        });
      });
    });
  }

  describe('tried from outside', () => {
    it('refuses every 1:1 button pressed in the panel’s group chat, even by someone who may press it in 1:1', async () => {
      for (const row of MATRIX.filter((r) => !GROUP_VERBS.includes(r.verb))) {
        const who = WHO[row.cells.indexOf(Y)]![1]!;
        const r = await pressIn(row.at, who, row.verb, row.data, 'panel', false, row.setup);
        try {
          assertRefused(r, /For privacy, cases and requests open only in your 1:1 chat/);
        } finally {
          await r.w.close();
        }
      }
    });

    describe('another school’s case id, pressed directly', () => {
      /** A fresh bot with Megan's Oakfield case at this stage and Joni's Brookside case, returned with a question. */
      async function twoSchools(at: Stage) {
        const { w, caseId } = await stages.world(at);
        const brookside = await raise(w, PEOPLE.joni, CLASS_REQUEST);
        await w.press(PEOPLE.adele, 'returnCase', { caseId: brookside, question: 'How many pupils?' });
        return { w, oakfield: caseId, brookside };
      }

      const tries: [string, TestPerson, Verb, (ids: { oakfield: string; brookside: string }) => object][] = [
        ['Megan opens Brookside’s case', PEOPLE.megan, 'openCase', (ids) => ({ caseId: ids.brookside })],
        [
          'Megan answers Brookside’s question',
          PEOPLE.megan,
          'resubmit',
          (ids) => ({ caseId: ids.brookside, answer: 'Thirty.' }),
        ],
        [
          'Megan withdraws Brookside’s request',
          PEOPLE.megan,
          'withdraw',
          (ids) => ({ caseId: ids.brookside }),
        ],
        [
          'Megan opens Brookside’s withdraw form',
          PEOPLE.megan,
          'showForm',
          (ids) => ({ caseId: ids.brookside, form: 'withdraw' }),
        ],
        ['Joni opens Oakfield’s case', PEOPLE.joni, 'openCase', (ids) => ({ caseId: ids.oakfield })],
        ['Joni withdraws Oakfield’s request', PEOPLE.joni, 'withdraw', (ids) => ({ caseId: ids.oakfield })],
        [
          'Miriam (Brookside head) withdraws Oakfield’s request',
          PEOPLE.miriam,
          'withdraw',
          (ids) => ({ caseId: ids.oakfield, schoolId: 'brookside-primary' }),
        ],
      ];
      for (const [title, who, verb, data] of tries) {
        it(`refuses: ${title}`, async () => {
          const { w, ...ids } = await twoSchools('submitted');
          try {
            const before = await snapshot(w.store);
            const sent = w.connector.mark();
            const card = await w.press(who, verb, { ...data(ids) });
            assertRefused({
              w,
              caseId: '',
              card,
              before,
              after: await snapshot(w.store),
              told: w.connector.mark() - sent,
            });
            assert.doesNotMatch(
              textOf(card),
              /Sam|Okonkwo|4B/,
              'nothing of the other school’s case is shown',
            );
          } finally {
            await w.close();
          }
        });
      }

      it('refuses the panel card of Oakfield’s case to a SENCo of another school', async () => {
        const r = await pressIn(
          'proposed',
          PEOPLE.joni,
          'panelView',
          (caseId) => ({ caseId, round: 1 }),
          'panel',
        );
        try {
          assertRefused(r, /Only the panel, the co-ordinator and the school can see this case/);
        } finally {
          await r.w.close();
        }
      });

      it('refuses a case id that names no case, saying so plainly', async () => {
        const r = await pressIn('none', PEOPLE.adele, 'openCase', () => ({ caseId: randomUUID() }));
        try {
          assertRefused(r, /We couldn't find that case/);
        } finally {
          await r.w.close();
        }
      });
    });

    describe('identity, role, school and money forged in card data are ignored', () => {
      const FORGED = {
        actor: PEOPLE.adele.aadObjectId,
        aadObjectId: PEOPLE.adele.aadObjectId,
        role: 'coordinator',
        roles: 'coordinator,admin',
        schoolId: 'brookside-primary',
        raisedBy: PEOPLE.lynne.aadObjectId,
      };

      it('raises the request for the SENCo’s own school, raised by her', async () => {
        const { w } = await stages.world('none');
        try {
          const caseId = await raise(w, PEOPLE.megan, { ...CLASS_REQUEST, ...FORGED });
          const c = (await w.store.cases.get(caseId))!.value;
          assert.equal(c.schoolId, 'oakfield-primary');
          assert.equal(c.raisedBy, PEOPLE.megan.aadObjectId);
        } finally {
          await w.close();
        }
      });

      for (const [title, at, who, verb, data, chat] of [
        [
          'a SENCo claiming to be the co-ordinator cannot accept',
          'submitted',
          PEOPLE.megan,
          'accept',
          (caseId: string) => ({ caseId, observationDate: '2026-11-27', ...FORGED }),
        ],
        [
          'an admin claiming the co-ordinator’s role cannot commission',
          'approved',
          PEOPLE.isaiah,
          'commission',
          (caseId: string) => ({ caseId, ...COMMISSION, ...FORGED }),
        ],
        [
          'a SENCo claiming to be an admin cannot set the allocation',
          'none',
          PEOPLE.megan,
          'saveBudget',
          () => ({ year: '2026-27', allocation: '1', ...FORGED, role: 'admin' }),
        ],
        [
          'a panel member of the raising school claiming another school cannot vote',
          'proposed',
          PEOPLE.patti,
          'vote',
          (caseId: string) => ({ caseId, round: 1, choice: 'approve', ...FORGED }),
          'panel',
        ],
        [
          'a head of another school claiming the case’s school cannot withdraw it',
          'submitted',
          PEOPLE.miriam,
          'withdraw',
          (caseId: string) => ({ caseId, ...FORGED, schoolId: 'oakfield-primary' }),
        ],
      ] as [string, Stage, TestPerson, Verb, Row['data'], Chat?][]) {
        it(`refuses: ${title}`, async () => {
          const r = await pressIn(at, who, verb, data, chat);
          try {
            assertRefused(r);
          } finally {
            await r.w.close();
          }
        });
      }

      it('records a vote as the voter’s own, whoever the card names', async () => {
        const r = await pressIn(
          'proposed',
          PEOPLE.alex,
          'vote',
          (caseId) => ({ caseId, round: 1, choice: 'approve', voter: PEOPLE.lynne.aadObjectId, ...FORGED }),
          'panel',
        );
        try {
          const votes = (await r.w.store.votes.find({ caseId: r.caseId })).map((v) => v.value.voter);
          assert.deepEqual(votes, [PEOPLE.alex.aadObjectId]);
        } finally {
          await r.w.close();
        }
      });

      it('prices a proposal from the directory’s rate, not from totals or costs in the card', async () => {
        const r = await pressIn('assessed', PEOPLE.adele, 'propose', (caseId) => ({
          caseId,
          ...PROPOSAL,
          unitCost1: '0.01',
          totalPence: 1,
          amount: '1',
        }));
        try {
          const proposal = (await r.w.store.proposals.get(`${r.caseId}:r1`))!.value;
          assert.equal(proposal.totalPence, PROPOSAL_PENCE);
          assert.equal(proposal.interventions[0]?.unitCostPence, 4_500);
        } finally {
          await r.w.close();
        }
      });

      it('holds what was agreed on commissioning, not an approved sum or amount in the card', async () => {
        const r = await pressIn('approved', PEOPLE.adele, 'commission', (caseId) => ({
          caseId,
          ...COMMISSION,
          approvedPence: 1,
          amount: '1',
          totalPence: 1,
        }));
        try {
          const [pkg] = await r.w.store.packages.find({ caseId: r.caseId });
          assert.equal(pkg?.value.approvedPence, PROPOSAL_PENCE);
          assert.equal(pkg?.value.agreedPence, 54_000);
          assert.equal((await r.w.store.budgets.get('2026-27'))?.value.commitments[r.caseId], 54_000);
          assert.equal(pkg?.value.commissionedBy, PEOPLE.adele.aadObjectId);
        } finally {
          await r.w.close();
        }
      });

      it('records spend against the package’s own year and type, by whoever pressed', async () => {
        const r = await pressIn('commissioned', PEOPLE.adele, 'spend', (caseId) => ({
          ...SPEND(caseId),
          amountPence: 1,
          overPence: 0,
          budgetYear: '2027-28',
          type: 'mentoring',
          recordedBy: PEOPLE.megan.aadObjectId,
        }));
        try {
          const [s] = await r.w.store.spends.find({ caseId: r.caseId });
          assert.equal(s?.value.amountPence, 9_000);
          assert.equal(s?.value.budgetYear, '2026-27');
          assert.equal(s?.value.type, 'counselling');
          assert.equal(s?.value.recordedBy, PEOPLE.adele.aadObjectId);
        } finally {
          await r.w.close();
        }
      });
    });

    describe('substitutes: who votes in whose place', () => {
      // Alex (Brookside) is away this week and Miriam (head at Brookside, not on the panel) holds his vote; Megan's
      // case is Oakfield's.
      const ALEX_AWAY = { substitute: PEOPLE.miriam.aadObjectId, from: '2026-11-27', to: '2026-12-04' };
      async function withAbsence(substitute = ALEX_AWAY.substitute) {
        const { w, caseId } = await stages.world('proposed');
        const card = await w.press(PEOPLE.alex, 'saveAway', { ...ALEX_AWAY, substitute });
        assert.match(textOf(card), /votes for you/);
        return { w, caseId };
      }
      /** Presses as someone in a world with Alex away (or, with `ended`, back early); answers as pressIn does. */
      async function pressAway(
        who: TestPerson,
        verb: Verb,
        data: (caseId: string) => Record<string, unknown>,
        chat: Chat = 'panel',
        substitute?: string,
        ended = false,
      ) {
        const { w, caseId } = await withAbsence(substitute);
        if (ended) {
          const [s] = await w.store.substitutions.find();
          assert.match(
            textOf(await w.press(PEOPLE.alex, 'endAway', { substitutionId: s!.value.id })),
            /Ended/,
          );
        }
        const before = await snapshot(w.store);
        const sent = w.connector.mark();
        const card = await w.press(who, verb, data(caseId), chat);
        return { w, caseId, card, before, after: await snapshot(w.store), told: w.connector.mark() - sent };
      }
      const view = (caseId: string) => ({ caseId, round: 1 });
      const voteFor = (caseId: string) => ({
        caseId,
        round: 1,
        choice: 'approve',
        for: PEOPLE.alex.aadObjectId,
      });
      const refusals: [
        string,
        TestPerson,
        Verb,
        (caseId: string) => Record<string, unknown>,
        Chat,
        string?,
        boolean?,
      ][] = [
        [
          'the absent member’s own vote',
          PEOPLE.alex,
          'vote',
          (caseId) => ({ caseId, round: 1, choice: 'approve' }),
          'panel',
        ],
        [
          'a vote for a member whose vote the presser does not hold (named in card data)',
          PEOPLE.patti,
          'vote',
          (caseId) => ({ caseId, round: 1, choice: 'approve', for: PEOPLE.lynne.aadObjectId }),
          'panel',
        ],
        [
          'a substitute’s vote for the absent member on a case their own school raised',
          PEOPLE.lee,
          'vote',
          voteFor,
          'panel',
          PEOPLE.lee.aadObjectId,
        ],
        [
          'a head not on the panel without a substitution: the panel card',
          PEOPLE.joni,
          'panelView',
          view,
          'panel',
        ],
        [
          'a head not on the panel after the substitution ends: the panel card',
          PEOPLE.miriam,
          'panelView',
          view,
          'personal',
          undefined,
          true,
        ],
        [
          'a head not on the panel after the substitution ends: the vote',
          PEOPLE.miriam,
          'vote',
          voteFor,
          'panel',
          undefined,
          true,
        ],
        [
          'the substitute opening the named case',
          PEOPLE.miriam,
          'openCase',
          (caseId) => ({ caseId }),
          'personal',
        ],
      ];
      for (const [title, who, verb, data, chat, substitute, ended] of refusals) {
        it(`refuses ${title}`, async () => {
          const r = await pressAway(who, verb, data, chat, substitute, ended);
          try {
            assertRefused(r);
            assert.doesNotMatch(textOf(r.card), /Sam Okonkwo-Price/);
          } finally {
            await r.w.close();
          }
        });
      }

      it('refuses a head not on the panel the panel card and the vote without a substitution', async () => {
        const { w, caseId } = await stages.world('proposed');
        try {
          const before = await snapshot(w.store);
          const seen = await w.press(PEOPLE.miriam, 'panelView', view(caseId), 'panel');
          assert.match(textOf(seen), /Only the panel, the co-ordinator and the school can see this case/);
          const voted = await w.press(PEOPLE.miriam, 'vote', voteFor(caseId), 'panel');
          assert.match(textOf(voted), /Only members of the EIP panel can vote/);
          assert.deepEqual(await snapshot(w.store), before);
        } finally {
          await w.close();
        }
      });

      for (const chat of ['panel', 'personal'] as const) {
        it(`shows the substitute the pseudonymised panel card in the ${chat} chat, voting for the absent member`, async () => {
          const r = await pressAway(PEOPLE.miriam, 'panelView', view, chat);
          try {
            assert.match(textOf(r.card), /you hold Alex Wilber's vote while they are away/);
            assert.doesNotMatch(textOf(r.card), /Sam Okonkwo-Price/);
            assert.equal(
              buttonsOf(r.card).find((b) => b.title === 'Approve')?.data.for,
              PEOPLE.alex.aadObjectId,
            );
          } finally {
            await r.w.close();
          }
        });
      }

      it('lets the substitute vote in the absent member’s seat', async () => {
        const r = await pressAway(PEOPLE.miriam, 'vote', voteFor);
        try {
          assert.match(textOf(r.card), /your vote to approve for Alex Wilber is recorded/);
          const v = (await r.w.store.votes.get(voteId(r.caseId, 1, PEOPLE.alex.aadObjectId)))?.value;
          assert.deepEqual([v?.voter, v?.castBy], [PEOPLE.alex.aadObjectId, PEOPLE.miriam.aadObjectId]);
          assert.equal((await r.w.store.votes.find({ caseId: r.caseId })).length, 1, 'one vote, no more');
        } finally {
          await r.w.close();
        }
      });

      it('refuses the substitute a way into the named case or another seat through forged card data', async () => {
        const r = await pressAway(PEOPLE.miriam, 'vote', (caseId) => ({
          ...voteFor(caseId),
          for: PEOPLE.lynne.aadObjectId,
        }));
        try {
          assertRefused(r, /You don't hold Lynne Robbins's vote today/);
        } finally {
          await r.w.close();
        }
      });

      it('refuses the substitute naming a substitute, in their own terms', async () => {
        const r = await pressAway(
          PEOPLE.miriam,
          'saveAway',
          () => ({ substitute: PEOPLE.lee.aadObjectId, from: '2026-11-30', to: '2026-12-01' }),
          'personal',
        );
        try {
          assertRefused(r, /standing in for Alex Wilber[\s\S]*A substitute cannot name a substitute/);
        } finally {
          await r.w.close();
        }
      });

      const badNames: [string, TestPerson, Record<string, string>, RegExp][] = [
        [
          'a panel member as substitute',
          PEOPLE.patti,
          { substitute: PEOPLE.lynne.aadObjectId },
          /Lynne Robbins is on the panel and already has a vote; name a head who is not on the panel, so no one votes twice\./,
        ],
        [
          'a substitute not in the directory',
          PEOPLE.patti,
          { substitute: PEOPLE.stranger.aadObjectId },
          /not in the EIP directory/,
        ],
        [
          'a substitute who is not a head',
          PEOPLE.patti,
          { substitute: PEOPLE.joni.aadObjectId },
          /Joni Sherman is not a head teacher in the EIP directory/,
        ],
        [
          'a substitute naming a substitute (an admin naming one for the head standing in)',
          PEOPLE.isaiah,
          { member: PEOPLE.miriam.aadObjectId, substitute: PEOPLE.lee.aadObjectId },
          /Miriam Graham is standing in for Alex Wilber .* a substitute cannot name a substitute/,
        ],
        [
          'a head who already holds another member’s seat then',
          PEOPLE.patti,
          { substitute: PEOPLE.miriam.aadObjectId, from: '2026-12-01' },
          /Miriam Graham is already standing in for Alex Wilber .* no one votes twice/,
        ],
        [
          'overlapping substitutions',
          PEOPLE.alex,
          { substitute: PEOPLE.lee.aadObjectId, from: '2026-12-01' },
          /overlap/,
        ],
        [
          'an end date before the start',
          PEOPLE.patti,
          { substitute: PEOPLE.lee.aadObjectId, to: '2026-11-26' },
          /before the first/,
        ],
        [
          'a start in the past',
          PEOPLE.patti,
          { substitute: PEOPLE.lee.aadObjectId, from: '2026-11-26' },
          /Thu 26 Nov 2026 is in the past/,
        ],
      ];
      for (const [title, who, over, says] of badNames) {
        it(`refuses ${title}, with a clear card, writing nothing, telling nobody, and audits the refusal`, async () => {
          const r = await pressAway(who, 'saveAway', () => ({ ...ALEX_AWAY, ...over }), 'personal');
          try {
            assert.match(textOf(r.card), says);
            assert.match(textOf(r.card), /Some answers need another look/);
            assert.deepEqual(r.after, r.before, 'a refusal writes nothing');
            assert.equal(r.told, 0, 'a refusal tells nobody');
            const last = (await r.w.store.audit.list()).at(-1)!;
            assert.deepEqual([last.action, last.outcome], ['saveAway', 'refused']);
          } finally {
            await r.w.close();
          }
        });
      }
    });

    describe('a button from an earlier status', () => {
      for (const s of STALE) {
        const row = MATRIX.find((r) => r.verb === s.verb)!;
        it(`refuses ${s.verb} once the case is ${s.at}, saying where it stands`, async () => {
          const r = await pressIn(s.at, s.pressedBy, s.verb, s.data ?? row.data, s.chat ?? row.chat);
          try {
            assertRefused(r, /has moved on|can no longer|is recorded already|no longer|cannot/);
          } finally {
            await r.w.close();
          }
        });
      }
    });
  });
});
