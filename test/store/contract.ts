// The storage contract: every Store implementation (SQLite today, SharePoint next) runs this same suite unchanged.
// It speaks only the interface in src/store/store.ts.
import assert from 'node:assert/strict';
import type {
  AssessmentRecord,
  AuditEntry,
  BudgetRecord,
  CaseRecord,
  ConsentRecord,
  DecisionRecord,
  MeetingRecord,
  PackageRecord,
  ProposalRecord,
  ProviderRecord,
  ReminderRecord,
  ReviewRecord,
  SpendRecord,
  SubstitutionRecord,
  VoteRecord,
} from '../../src/domain/types';
import type { FileRecord } from '../../src/domain/files';
import type { TransferRecord } from '../../src/domain/transitions';
import {
  isStoreError,
  type Collection,
  type ConversationRecord,
  type OutboxRecord,
  type SettingRecord,
  type Store,
  type StoreErrorKind,
} from '../../src/store/store';

const AT = '2026-11-27T10:00:00.000Z';

export const sampleCase = (id: string, over: Partial<CaseRecord> = {}): CaseRecord => ({
  id,
  ref: 'EIP-2026-0042',
  schoolId: 'oakfield-primary',
  raisedBy: '00000000-0000-0000-0000-0000000000021',
  raisedAt: AT,
  status: 'submitted',
  request: {
    kind: 'individual',
    pupilName: 'Sam Price',
    yearGroup: 'Year 4',
    needs: ['semh', 'communication'],
    tried: 'A calm corner; "quotes", apostrophes\' and £ signs.',
    asked: 'Counselling.',
  },
  round: 0,
  updatedAt: AT,
  ...over,
});

const sampleConsent = (id: string): ConsentRecord => ({
  id,
  caseId: 'case-1',
  givenBy: 'Jo Price (mother)',
  date: '2026-11-20',
  method: 'in-writing',
  recordedBy: 'megan',
  recordedAt: AT,
});

const sampleAssessment = (id: string): AssessmentRecord => ({
  id,
  caseId: 'case-1',
  observedOn: '2026-11-25',
  findings: 'Anxious after lunch.',
  needsIdentified: 'SEMH: anxiety.',
  recordedBy: 'adele',
  recordedAt: AT,
});

const sampleProposal = (id: string): ProposalRecord => ({
  id,
  caseId: 'case-1',
  round: 1,
  interventions: [
    { type: 'counselling', provider: 'Place2Be', sessions: 10, unitCostPence: 4550 },
    { type: 'mentoring', provider: 'Mentor Co', sessions: 4, unitCostPence: 120000 },
  ],
  totalPence: 525500,
  rationale: 'Counselling addresses the anxiety.',
  outcomes: 'Fewer outbursts.',
  reviewDate: '2027-03-01',
  proposedBy: 'adele',
  proposedAt: AT,
});

export const sampleVote = (id: string, over: Partial<VoteRecord> = {}): VoteRecord => ({
  id,
  caseId: 'case-1',
  round: 1,
  voter: `voter-${id}`,
  choice: 'approve',
  comment: '',
  castAt: AT,
  ...over,
});

const sampleDecision = (id: string): DecisionRecord => ({
  id,
  caseId: 'case-1',
  round: 1,
  outcome: 'approved',
  tally: { approve: 2, decline: 1, changes: 0 },
  voters: ['alex', 'lynne', 'nestor'],
  decidedAt: AT,
});

const sampleConversation = (id: string): ConversationRecord => ({
  id,
  kind: 'person',
  reference: {
    bot: { id: '28:bot', name: 'EIP bot' },
    conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't' },
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    nested: { list: [1, 'two', { three: null }] },
  },
  teamsUserId: '29:abc',
  updatedAt: AT,
});

const sampleSetting = (id: string): SettingRecord => ({ id, value: '{"allocationPence":35700000}' });

const sampleProvider = (id: string): ProviderRecord => ({
  id,
  name: 'Place2Be & Co "North"',
  services: ['counselling', 'play-therapy'],
  ratePence: 4550,
  rateUnit: 'session',
  contact: 'referrals@place2be.example, 01234 567890',
  active: true,
  updatedBy: 'isaiah',
  updatedAt: AT,
});

const sampleBudget = (id: string): BudgetRecord => ({
  id,
  allocationPence: 35_700_000,
  commitments: { 'case-1': 525_500, 'case-2': 80_000 },
  updatedBy: 'isaiah',
  updatedAt: AT,
});

export const samplePackage = (id: string, over: Partial<PackageRecord> = {}): PackageRecord => ({
  id,
  caseId: 'case-1',
  budgetYear: '2026-27',
  type: 'counselling',
  providerId: 'place2be',
  providerName: 'Place2Be',
  sessions: 10,
  approvedPence: 45_000,
  agreedPence: 45_500,
  aboveApprovalReason: 'The rate rose by 5p a session in "January".',
  startDate: '2026-12-01',
  endDate: '2027-03-01',
  commissionedBy: 'adele',
  commissionedAt: AT,
  ...over,
});

const sampleSpend = (id: string): SpendRecord => ({
  id,
  caseId: 'case-1',
  packageId: 'case-1:p1',
  budgetYear: '2026-27',
  type: 'counselling',
  invoiceRef: 'INV/2026/0042',
  amountPence: 50_000,
  sessionsDelivered: 4,
  deliveredOn: '2026-12-15',
  overReason: 'Two extra sessions agreed with the SENCo.',
  recordedBy: 'adele',
  recordedAt: AT,
});

export const sampleReview = (id: string, over: Partial<ReviewRecord> = {}): ReviewRecord => ({
  id,
  caseId: 'case-1',
  kind: 'final',
  due: '2027-03-01',
  status: 'done',
  outcome: {
    progress: [
      { outcome: 'Fewer outbursts', level: 'good' },
      { outcome: 'Attends full days', level: 'fully-met' },
    ],
    measure: 'SDQ total difficulties',
    baseline: 24,
    end: 15,
    notes: 'Agreed with the SENCo.',
    recordedBy: 'adele',
    recordedAt: AT,
  },
  updatedBy: 'adele',
  updatedAt: AT,
  ...over,
});

const sampleReminder = (id: string): ReminderRecord => ({
  id,
  kind: 'review-due',
  caseId: 'case-1',
  to: 'adele',
  due: '2027-02-26',
  status: 'sent',
  claimedAt: AT,
  sentAt: AT,
});

const sampleOutbox = (id: string): OutboxRecord => ({
  id,
  state: 'pending',
  caseId: 'case-1',
  message: { kind: 'tell', to: 'adele', card: { type: 'AdaptiveCard', body: [] } },
  attempts: 0,
  notBefore: AT,
  createdAt: AT,
});

const sampleMeeting = (id: string): MeetingRecord => ({
  id,
  date: '2026-12-09',
  cutOff: '2026-12-02',
  status: 'scheduled',
  setBy: 'isaiah',
  setAt: AT,
  nonSchoolDay: true,
});

const sampleSubstitution = (id: string): SubstitutionRecord => ({
  id,
  member: 'grace',
  substitute: 'owen',
  from: '2026-12-01',
  to: '2026-12-11',
  setBy: 'grace',
  setAt: AT,
  endedAt: AT,
  endedBy: 'isaiah',
  handedBackAt: AT,
});

const sampleFile = (id: string, over: Partial<FileRecord> = {}): FileRecord => ({
  id,
  caseId: 'case-1',
  name: 'Support plan — Sam.pdf',
  kind: 'support-plan',
  size: 48_213,
  sha256: 'a'.repeat(64),
  ext: 'pdf',
  addedBy: 'megan',
  addedAt: AT,
  location: 'files/EIP-2026-0001/1 Support plan.pdf',
  ...over,
});

const sampleTransfer = (id: string, over: Partial<TransferRecord> = {}): TransferRecord => ({
  id,
  caseId: 'case-1',
  fromSchoolId: 'oakfield-primary',
  toSchoolId: 'hillcrest-academy',
  consent: { givenBy: 'Mrs Price', date: '2027-06-10', method: 'in-writing' },
  summary: { tried: 'Calm corner.', worked: 'Counselling.', outcomes: 'Fewer outbursts.', needs: 'SEMH.' },
  fileIds: ['case-1:f0123456789abcdef'],
  transferredBy: 'adele',
  transferredAt: AT,
  ...over,
});

type AnyRecord = { id: string } & Record<string, unknown>;

/** One sample per collection, so every record type is stored and read back at least once. */
export const SAMPLES: { [K in CollectionName]: (id: string) => AnyRecord } = {
  cases: sampleCase as unknown as (id: string) => AnyRecord,
  consents: sampleConsent as unknown as (id: string) => AnyRecord,
  assessments: sampleAssessment as unknown as (id: string) => AnyRecord,
  proposals: sampleProposal as unknown as (id: string) => AnyRecord,
  votes: sampleVote as unknown as (id: string) => AnyRecord,
  decisions: sampleDecision as unknown as (id: string) => AnyRecord,
  conversations: sampleConversation as unknown as (id: string) => AnyRecord,
  settings: sampleSetting as unknown as (id: string) => AnyRecord,
  providers: sampleProvider as unknown as (id: string) => AnyRecord,
  budgets: sampleBudget as unknown as (id: string) => AnyRecord,
  packages: samplePackage as unknown as (id: string) => AnyRecord,
  spends: sampleSpend as unknown as (id: string) => AnyRecord,
  reviews: sampleReview as unknown as (id: string) => AnyRecord,
  reminders: sampleReminder as unknown as (id: string) => AnyRecord,
  outbox: sampleOutbox as unknown as (id: string) => AnyRecord,
  files: sampleFile as unknown as (id: string) => AnyRecord,
  transfers: sampleTransfer as unknown as (id: string) => AnyRecord,
  meetings: sampleMeeting as unknown as (id: string) => AnyRecord,
  substitutions: sampleSubstitution as unknown as (id: string) => AnyRecord,
};

type CollectionName =
  | 'cases'
  | 'consents'
  | 'assessments'
  | 'proposals'
  | 'votes'
  | 'decisions'
  | 'conversations'
  | 'settings'
  | 'providers'
  | 'budgets'
  | 'packages'
  | 'spends'
  | 'reviews'
  | 'reminders'
  | 'outbox'
  | 'meetings'
  | 'substitutions'
  | 'files'
  | 'transfers';

const COLLECTIONS = Object.keys(SAMPLES) as CollectionName[];

const collection = (store: Store, name: CollectionName) => store[name] as unknown as Collection<AnyRecord>;

/** Asserts the promise rejects with a StoreError of this kind. */
async function rejectsWith(promise: Promise<unknown>, kind: StoreErrorKind): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isStoreError(e), `expected a StoreError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    return true;
  });
}

/** Defines the contract tests for one Store implementation; `open` gives a fresh, empty store for each test. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} keeps the storage contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('every collection', () => {
      for (const c of COLLECTIONS) {
        it(`stores and reads back ${c} exactly as written`, async () => {
          const col = collection(store, c);
          const value = SAMPLES[c](`${c}-1`);
          const created = await col.create(value);
          assert.deepEqual(created.value, value);
          assert.equal(typeof created.eTag, 'string');
          assert.ok(created.eTag.length > 0, 'an eTag');
          const got = await col.get(`${c}-1`);
          assert.deepEqual(got, created);
        });

        it(`refuses to overwrite ${c} changed by someone else`, async () => {
          const col = collection(store, c);
          const first = await col.create(SAMPLES[c](`${c}-1`));
          const second = await col.replace({ ...first.value }, first.eTag);
          await rejectsWith(col.replace({ ...first.value }, first.eTag), 'stale');
          await rejectsWith(col.remove(`${c}-1`, first.eTag), 'stale');
          await col.remove(`${c}-1`, second.eTag);
          assert.equal(await col.get(`${c}-1`), undefined);
        });
      }
    });

    describe('create and get', () => {
      it('answers nothing for an id never stored', async () => {
        assert.equal(await store.cases.get('no-such-case'), undefined);
      });

      it('refuses a second record with a taken id and leaves the original unchanged', async () => {
        const original = await store.cases.create(sampleCase('case-1'));
        await rejectsWith(
          store.cases.create(sampleCase('case-1', { status: 'closed', ref: 'EIP-2026-9999' })),
          'exists',
        );
        assert.deepEqual(await store.cases.get('case-1'), original);
      });

      it('lets exactly one of two people claim the same id at once', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) =>
            store.votes.create(sampleVote('vote-1', { voter: `voter-${i}` })),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(isStoreError(r.reason, 'exists'));
        const stored = await store.votes.get('vote-1');
        assert.deepEqual(
          stored?.value,
          (won[0] as PromiseFulfilledResult<{ value: VoteRecord }>).value.value,
        );
      });

      it('keeps the same id separate in different collections', async () => {
        await store.cases.create(sampleCase('shared-id'));
        await store.votes.create(sampleVote('shared-id'));
        assert.equal((await store.cases.get('shared-id'))?.value.ref, 'EIP-2026-0042');
        assert.equal((await store.votes.get('shared-id'))?.value.choice, 'approve');
        assert.equal(await store.consents.get('shared-id'), undefined);
      });

      it('lets a removed id be used again', async () => {
        const first = await store.settings.create({ id: 'budget', value: 'old' });
        await store.settings.remove('budget', first.eTag);
        const again = await store.settings.create({ id: 'budget', value: 'new' });
        assert.equal((await store.settings.get('budget'))?.value.value, 'new');
        assert.equal((await store.settings.get('budget'))?.eTag, again.eTag);
      });
    });

    describe('replace', () => {
      it('replaces a record that still has the eTag read, and gives it a new eTag', async () => {
        const first = await store.cases.create(sampleCase('case-1'));
        const next = await store.cases.replace(
          { ...first.value, status: 'accepted', observationDate: '2026-12-02' },
          first.eTag,
        );
        assert.notEqual(next.eTag, first.eTag);
        assert.equal(next.value.status, 'accepted');
        const got = await store.cases.get('case-1');
        assert.deepEqual(got, next);
        assert.equal(got?.value.observationDate, '2026-12-02');
      });

      it('refuses a replace with a stale eTag and changes nothing', async () => {
        const first = await store.cases.create(sampleCase('case-1'));
        const second = await store.cases.replace({ ...first.value, status: 'accepted' }, first.eTag);
        await rejectsWith(
          store.cases.replace({ ...first.value, status: 'returned', question: 'Why?' }, first.eTag),
          'stale',
        );
        assert.deepEqual(await store.cases.get('case-1'), second);
      });

      it('lets only one of two people acting on the same case at once succeed', async () => {
        const first = await store.cases.create(sampleCase('case-1'));
        const results = await Promise.allSettled([
          store.cases.replace({ ...first.value, status: 'accepted' }, first.eTag),
          store.cases.replace({ ...first.value, status: 'returned' }, first.eTag),
          store.cases.replace({ ...first.value, status: 'closed' }, first.eTag),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(isStoreError(r.reason, 'stale'));
        const winner = (won[0] as PromiseFulfilledResult<{ value: CaseRecord; eTag: string }>).value;
        assert.deepEqual(await store.cases.get('case-1'), winner);
      });

      it('refuses to replace a record that does not exist, and does not create it', async () => {
        const stored = await store.cases.create(sampleCase('case-1'));
        await rejectsWith(store.cases.replace(sampleCase('case-2'), stored.eTag), 'missing');
        assert.equal(await store.cases.get('case-2'), undefined);
      });

      it('accepts the eTag handed back by find', async () => {
        await store.cases.create(sampleCase('case-1'));
        const [found] = await store.cases.find({ id: 'case-1' });
        assert.ok(found);
        const next = await store.cases.replace({ ...found.value, status: 'accepted' }, found.eTag);
        assert.equal((await store.cases.get('case-1'))?.eTag, next.eTag);
      });

      it('drops a field a replacement leaves out', async () => {
        const first = await store.cases.create(
          sampleCase('case-1', { status: 'returned', question: 'How often?' }),
        );
        const { question: _q, ...withoutQuestion } = first.value;
        await store.cases.replace({ ...withoutQuestion, status: 'submitted' }, first.eTag);
        const got = await store.cases.get('case-1');
        assert.equal(got?.value.question, undefined);
        assert.equal('question' in (got?.value ?? {}), false);
      });
    });

    describe('remove', () => {
      it('removes a record that still has the eTag read', async () => {
        const first = await store.votes.create(sampleVote('vote-1'));
        await store.votes.remove('vote-1', first.eTag);
        assert.equal(await store.votes.get('vote-1'), undefined);
        assert.deepEqual(await store.votes.find(), []);
      });

      it('refuses to remove with a stale eTag and keeps the record', async () => {
        const first = await store.votes.create(sampleVote('vote-1'));
        const second = await store.votes.replace(
          { ...first.value, choice: 'decline', comment: 'Too dear.' },
          first.eTag,
        );
        await rejectsWith(store.votes.remove('vote-1', first.eTag), 'stale');
        assert.deepEqual(await store.votes.get('vote-1'), second);
      });

      it('refuses to remove a record that does not exist', async () => {
        const first = await store.votes.create(sampleVote('vote-1'));
        await rejectsWith(store.votes.remove('vote-2', first.eTag), 'missing');
        assert.ok(await store.votes.get('vote-1'));
      });
    });

    describe('find', () => {
      beforeEach(async () => {
        await store.votes.create(sampleVote('v1', { caseId: 'case-1', round: 1, choice: 'approve' }));
        await store.votes.create(sampleVote('v2', { caseId: 'case-2', round: 1, choice: 'decline' }));
        await store.votes.create(sampleVote('v3', { caseId: 'case-1', round: 2, choice: 'changes' }));
        await store.votes.create(sampleVote('v4', { caseId: 'case-1', round: 1, choice: 'decline' }));
        await store.votes.create(sampleVote('v5', { caseId: 'case-1', round: 2, choice: 'approve' }));
      });

      const ids = (rows: { value: { id: string } }[]) => rows.map((r) => r.value.id);

      it('finds the votes of one case and round, oldest first', async () => {
        assert.deepEqual(ids(await store.votes.find({ caseId: 'case-1', round: 1 })), ['v1', 'v4']);
        assert.deepEqual(ids(await store.votes.find({ caseId: 'case-1', round: 2 })), ['v3', 'v5']);
      });

      it('filters on a string field alone', async () => {
        assert.deepEqual(ids(await store.votes.find({ caseId: 'case-1' })), ['v1', 'v3', 'v4', 'v5']);
        assert.deepEqual(ids(await store.votes.find({ choice: 'decline' })), ['v2', 'v4']);
      });

      it('filters on a number field alone', async () => {
        assert.deepEqual(ids(await store.votes.find({ round: 2 })), ['v3', 'v5']);
      });

      it('finds everything, oldest first, with no filter or an empty one', async () => {
        assert.deepEqual(ids(await store.votes.find()), ['v1', 'v2', 'v3', 'v4', 'v5']);
        assert.deepEqual(ids(await store.votes.find({})), ['v1', 'v2', 'v3', 'v4', 'v5']);
      });

      it('finds nothing when nothing matches', async () => {
        assert.deepEqual(await store.votes.find({ caseId: 'case-9' }), []);
        assert.deepEqual(await store.votes.find({ caseId: 'case-1', round: 3 }), []);
        assert.deepEqual(await store.decisions.find(), []);
      });

      it('hands back each record with the eTag get gives', async () => {
        for (const row of await store.votes.find()) {
          assert.deepEqual(await store.votes.get(row.value.id), row);
        }
      });

      it('keeps a record in its place after it is replaced, and finds it by its new values', async () => {
        const v1 = await store.votes.get('v1');
        assert.ok(v1);
        await store.votes.replace({ ...v1.value, round: 2 }, v1.eTag);
        assert.deepEqual(ids(await store.votes.find({ caseId: 'case-1', round: 2 })), ['v1', 'v3', 'v5']);
        assert.deepEqual(ids(await store.votes.find({ caseId: 'case-1', round: 1 })), ['v4']);
      });

      it('finds packages and spend by financial year, as the ledger does', async () => {
        await store.packages.create(samplePackage('c1:p1', { caseId: 'c1', budgetYear: '2026-27' }));
        await store.packages.create(samplePackage('c2:p1', { caseId: 'c2', budgetYear: '2027-28' }));
        await store.packages.create(samplePackage('c1:p2', { caseId: 'c1', budgetYear: '2026-27' }));
        assert.deepEqual(ids(await store.packages.find({ budgetYear: '2026-27' })), ['c1:p1', 'c1:p2']);
        assert.deepEqual(ids(await store.packages.find({ caseId: 'c2' })), ['c2:p1']);
      });

      it('finds open reviews, as the reminder sweep does', async () => {
        await store.reviews.create(sampleReview('c1:interim', { caseId: 'c1', status: 'done' }));
        await store.reviews.create(sampleReview('c1:final', { caseId: 'c1', status: 'open' }));
        await store.reviews.create(sampleReview('c2:interim', { caseId: 'c2', status: 'open' }));
        assert.deepEqual(ids(await store.reviews.find({ status: 'open' })), ['c1:final', 'c2:interim']);
      });

      it("finds a case's documents, and the transfers to a school, as the case card and the receiving school do", async () => {
        await store.files.create(sampleFile('c1:fa', { caseId: 'c1' }));
        await store.files.create(sampleFile('c2:fa', { caseId: 'c2' }));
        await store.files.create(sampleFile('c1:fb', { caseId: 'c1', kind: 'provision-map' }));
        assert.deepEqual(ids(await store.files.find({ caseId: 'c1' })), ['c1:fa', 'c1:fb']);
        await store.transfers.create(sampleTransfer('c1', { caseId: 'c1', toSchoolId: 'hillcrest-academy' }));
        await store.transfers.create(sampleTransfer('c2', { caseId: 'c2', toSchoolId: 'brookside-primary' }));
        assert.deepEqual(ids(await store.transfers.find({ toSchoolId: 'hillcrest-academy' })), ['c1']);
        assert.deepEqual(ids(await store.transfers.find({ caseId: 'c2' })), ['c2']);
      });

      it('finds cases by school and by status, as the work tray does', async () => {
        await store.cases.create(sampleCase('c1', { schoolId: 'oakfield-primary', status: 'submitted' }));
        await store.cases.create(sampleCase('c2', { schoolId: 'brookside-primary', status: 'proposed' }));
        await store.cases.create(sampleCase('c3', { schoolId: 'oakfield-primary', status: 'proposed' }));
        assert.deepEqual(ids(await store.cases.find({ schoolId: 'oakfield-primary' })), ['c1', 'c3']);
        assert.deepEqual(ids(await store.cases.find({ status: 'proposed' })), ['c2', 'c3']);
      });
    });

    describe('copies', () => {
      it('is not changed by mutating a record after it was read', async () => {
        const created = await store.cases.create(sampleCase('case-1'));
        created.value.status = 'closed';
        created.value.request.needs.push('cognition');
        const got = await store.cases.get('case-1');
        assert.ok(got);
        got.value.ref = 'changed';
        got.value.request.needs.length = 0;
        const [found] = await store.cases.find();
        assert.ok(found);
        found.value.round = 99;
        assert.deepEqual((await store.cases.get('case-1'))?.value, sampleCase('case-1'));
      });

      it('is not changed by mutating the value that was written', async () => {
        const value = sampleCase('case-1');
        const first = await store.cases.create(value);
        value.status = 'closed';
        value.request.needs.push('cognition');
        const next = sampleCase('case-1', { status: 'accepted' });
        await store.cases.replace(next, first.eTag);
        next.request.tried = 'changed after writing';
        assert.deepEqual(
          (await store.cases.get('case-1'))?.value,
          sampleCase('case-1', { status: 'accepted' }),
        );
      });
    });

    describe('claimOnce', () => {
      it('claims a key the first time and never again', async () => {
        assert.equal(await store.claimOnce('case-1:review-due:2027-03-01', AT), true);
        assert.equal(await store.claimOnce('case-1:review-due:2027-03-01', AT), false);
        assert.equal(
          await store.claimOnce('case-1:review-due:2027-03-01', '2027-03-02T09:00:00.000Z'),
          false,
        );
      });

      it('claims different keys independently', async () => {
        assert.equal(await store.claimOnce('case-1:review-due:2027-03-01', AT), true);
        assert.equal(await store.claimOnce('case-1:review-due:2027-03-08', AT), true);
        assert.equal(await store.claimOnce('case-2:review-due:2027-03-01', AT), true);
      });

      it('gives exactly one of ten concurrent claims the key, so a reminder goes out once', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.claimOnce('case-1:vote-pending', AT)),
        );
        assert.equal(results.filter((r) => r).length, 1);
      });
    });

    describe('nextNumber', () => {
      it('counts 1, 2, 3 for each counter independently', async () => {
        assert.equal(await store.nextNumber('case-ref-2026'), 1);
        assert.equal(await store.nextNumber('case-ref-2026'), 2);
        assert.equal(await store.nextNumber('case-ref-2027'), 1);
        assert.equal(await store.nextNumber('case-ref-2026'), 3);
        assert.equal(await store.nextNumber('case-ref-2027'), 2);
      });

      it('never gives the same number twice to concurrent callers', async () => {
        const numbers = await Promise.all(
          Array.from({ length: 20 }, () => store.nextNumber('case-ref-2026')),
        );
        assert.deepEqual(
          [...numbers].sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        assert.equal(await store.nextNumber('case-ref-2026'), 21);
      });
    });

    describe('audit', () => {
      const entry = (n: number, caseId?: string): AuditEntry => ({
        at: `2026-11-27T10:00:0${n}.000Z`,
        actor: n % 2 ? 'adele' : 'megan',
        action: `action-${n}`,
        ...(caseId !== undefined ? { caseId } : {}),
        detail: `EIP-2026-000${n}`,
      });

      it('lists the trail of one case, oldest first', async () => {
        await store.audit.append(entry(1, 'case-1'));
        await store.audit.append(entry(2, 'case-2'));
        await store.audit.append(entry(3, 'case-1'));
        await store.audit.append(entry(4));
        assert.deepEqual(await store.audit.list('case-1'), [entry(1, 'case-1'), entry(3, 'case-1')]);
        assert.deepEqual(await store.audit.list('case-2'), [entry(2, 'case-2')]);
        assert.deepEqual(await store.audit.list('case-9'), []);
      });

      it('lists every entry, oldest first, including those about no case', async () => {
        await store.audit.append(entry(1, 'case-1'));
        await store.audit.append(entry(2));
        await store.audit.append(entry(3, 'case-2'));
        assert.deepEqual(await store.audit.list(), [entry(1, 'case-1'), entry(2), entry(3, 'case-2')]);
      });

      it('starts empty', async () => {
        assert.deepEqual(await store.audit.list(), []);
      });
    });
  });
}
