// Seeds an embedded store with a local authority's history for the scale benchmark: n cases across the fixture
// directory's schools, in a realistic mix of statuses, each with the records its status implies (consent,
// assessment, proposal, votes, decision, packages, spends, reviews and the reminders already sent). Rows are written
// straight into the SQLite tables in one transaction per batch: going through the Store interface one record at a
// time would take minutes at 100,000 cases. The tables are made by the store itself (its migrations), so the rows
// land in exactly the shape and with exactly the indexes the bot reads.
import Database from 'better-sqlite3';
import type {
  AssessmentRecord,
  CaseRecord,
  CaseStatus,
  ConsentRecord,
  DecisionRecord,
  Directory,
  PackageRecord,
  ProposalRecord,
  ReminderRecord,
  ReviewRecord,
  SpendRecord,
  VoteRecord,
} from '../../src/domain';
import type { ConversationRecord } from '../../src/store/store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

/** The bench's "today": a Monday in the autumn term, with triage, votes and reviews falling due around it. */
export const BENCH_NOW = new Date('2026-11-16T12:00:00Z');

/**
 * The share of cases in each status, out of 100. Most of a decade's history is closed; the open caseload (about a
 * fifth) is spread over every step of the process, so each query and reminder rule has work to do.
 */
const MIX: readonly [CaseStatus, number][] = [
  ['closed', 78],
  ['declined', 2],
  ['submitted', 4],
  ['accepted', 2],
  ['assessed', 2],
  ['proposed', 3],
  ['approved', 1],
  ['commissioned', 8],
];

/** A small seeded generator (mulberry32), so every run seeds the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoAt = (ms: number) => new Date(ms).toISOString();
const caseId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

const FIRST_NAMES = ['Sam', 'Aisha', 'Oliver', 'Zara', 'Leo', 'Maya', 'Kai', 'Ruby', 'Noah', 'Isla'];
const LAST_NAMES = ['Okonkwo-Price', 'Patel', 'Nowak', 'Hughes', "O'Brien", 'Begum', 'Smith', 'Adeyemi'];
const YEARS = ['Reception', 'Year 1', 'Year 2', 'Year 3', 'Year 4', 'Year 5', 'Year 6', 'Year 7', 'Year 9'];
const NEEDS = ['semh', 'cognition', 'communication', 'sensory-physical'] as const;

export interface SeedSummary {
  cases: number;
  /** Every row written, all tables. */
  rows: number;
  /** Open cases of the SENCo's school. */
  byStatus: Record<string, number>;
}

/** Seeds n cases into a new store file; the file must not hold a store yet. */
export function seedStore(file: string, n: number, directory: Directory): SeedSummary {
  // The store makes the tables and indexes; the rows then go in through one connection, in batches.
  const store = new SqliteStore(file);
  void store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = new Map<string, Database.Statement>();
  let rows = 0;
  const put = (table: string, value: { id: string }) => {
    let st = insert.get(table);
    if (!st) {
      st = db.prepare(`INSERT INTO ${table} (id, data, version) VALUES (?, ?, 1)`);
      insert.set(table, st);
    }
    st.run(value.id, JSON.stringify(value));
    rows += 1;
  };

  const schools = directory.schools.map((s) => s.id);
  const coordinator = directory.people.find((p) => p.roles.includes('coordinator'))!.aadObjectId;
  const panel = directory.people.filter((p) => p.roles.includes('panel'));
  // Who raises a school's requests: its SENCo, else its head, else someone who has since left.
  const raiser = (school: string) =>
    (
      directory.people.find((p) => p.schoolId === school && p.roles.includes('senco')) ??
      directory.people.find((p) => p.schoolId === school && p.roles.includes('head'))
    )?.aadObjectId ?? '00000000-0000-0000-0000-0000000000099';
  const providers = directory.seeds.providers;
  const now = BENCH_NOW.getTime();
  // A decade of history at 100,000 cases, proportionally less for fewer: the oldest case is raised this long ago.
  const spanDays = Math.max(60, Math.round((3650 * n) / 100_000));
  const rand = random(9);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const byStatus: Record<string, number> = {};

  const seedOne = (i: number) => {
    let roll = rand() * 100;
    let status: CaseStatus = 'closed';
    for (const [s, share] of MIX) {
      if (roll < share) {
        status = s;
        break;
      }
      roll -= share;
    }
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const open = status !== 'closed' && status !== 'declined';
    // Open cases are recent (up to four months old); closed ones anywhere in the history.
    const raisedMs = open ? now - rand() * 120 * DAY : now - (120 + rand() * spanDays) * DAY;
    const id = caseId(i);
    const schoolId = pick(schools);
    const year = new Date(raisedMs).getUTCFullYear();
    const pupil = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    const individual = rand() < 0.9;
    const round = ['proposed', 'approved', 'declined', 'commissioned', 'closed'].includes(status) ? 1 : 0;
    const at = (days: number) => isoAt(raisedMs + days * DAY);
    const c: CaseRecord = {
      id,
      ref: `EIP-${year}-${String(i + 1).padStart(6, '0')}`,
      schoolId,
      raisedBy: raiser(schoolId),
      raisedAt: at(0),
      submittedAt: at(0),
      status,
      request: {
        kind: individual ? 'individual' : 'class',
        ...(individual ? { pupilName: pupil } : { className: '4B' }),
        yearGroup: pick(YEARS) as CaseRecord['request']['yearGroup'],
        needs: [pick(NEEDS)],
        tried: `${individual ? pupil : 'The class'} has had a calm corner, a visual timetable and a daily check-in with a trusted adult since September; progress has stalled.`,
        asked: 'Counselling, and advice for staff on de-escalation at unstructured times.',
      },
      round,
      ...(round ? { budgetYear: '2026-27' } : {}),
      updatedAt: at(1),
    };
    if (status === 'closed') {
      Object.assign(c, { closureReason: 'needs-met', closedFrom: 'commissioned', closedAt: at(110) });
    }
    put('cases', c);
    if (status === 'submitted') return;

    const consent: ConsentRecord = {
      id: `${id}:consent`,
      caseId: id,
      givenBy: 'Parent',
      date: isoDay(raisedMs + 2 * DAY),
      method: 'in-writing',
      recordedBy: coordinator,
      recordedAt: at(2),
    };
    put('consents', consent);
    if (status === 'accepted') return;

    const assessment: AssessmentRecord = {
      id: `${id}:assessment`,
      caseId: id,
      observedOn: isoDay(raisedMs + 9 * DAY),
      findings: 'Struggles with transitions and unstructured time; settles with adult support.',
      needsIdentified: 'Emotional regulation; peer relationships.',
      recordedBy: coordinator,
      recordedAt: at(9),
    };
    put('assessments', assessment);
    if (status === 'assessed') return;

    const provider = pick(providers);
    const sessions = 10;
    const proposal: ProposalRecord = {
      id: `${id}:r1`,
      caseId: id,
      round: 1,
      interventions: [
        {
          type: provider.services[0]!,
          provider: provider.name,
          providerId: provider.id,
          sessions,
          unitCostPence: provider.ratePence,
          ...(provider.rateUnit === 'day' ? { unit: 'day' as const } : {}),
        },
      ],
      totalPence: sessions * provider.ratePence,
      rationale: 'Targeted support matched to the needs the assessment identified.',
      outcomes: 'Fewer incidents at lunchtime; able to name and manage feelings.',
      reviewDate: isoDay(raisedMs + 120 * DAY),
      proposedBy: coordinator,
      proposedAt: at(12),
      // A proposed case's deadline falls within a week either side of today, so some are reminded, some passed.
      deadline: status === 'proposed' ? isoDay(now + (rand() * 14 - 7) * DAY) : isoDay(raisedMs + 22 * DAY),
      panelMessageId: `panel-${i}`,
    };
    put('proposals', proposal);
    const voters = panel.filter((p) => p.schoolId !== schoolId);
    const cast = status === 'proposed' ? Math.floor(rand() * voters.length) : voters.length;
    const declined = status === 'declined';
    for (const v of voters.slice(0, cast)) {
      const vote: VoteRecord = {
        id: `${id}:r1:${v.aadObjectId.toLowerCase()}`,
        caseId: id,
        round: 1,
        voter: v.aadObjectId,
        choice: declined ? 'decline' : 'approve',
        comment: '',
        castAt: at(15),
      };
      put('votes', vote);
    }
    if (status === 'proposed') return;

    const decision: DecisionRecord = {
      id: `${id}:r1`,
      caseId: id,
      round: 1,
      outcome: declined ? 'declined' : 'approved',
      tally: { approve: declined ? 0 : cast, decline: declined ? cast : 0, changes: 0 },
      voters: voters.slice(0, cast).map((v) => v.aadObjectId),
      decidedAt: at(16),
    };
    put('decisions', decision);
    if (status === 'approved' || declined) return;

    const pkg: PackageRecord = {
      id: `${id}:p1`,
      caseId: id,
      budgetYear: '2026-27',
      type: proposal.interventions[0]!.type,
      providerId: provider.id,
      providerName: provider.name,
      sessions,
      approvedPence: proposal.totalPence,
      agreedPence: proposal.totalPence,
      startDate: isoDay(raisedMs + 20 * DAY),
      endDate: isoDay(raisedMs + 120 * DAY),
      commissionedBy: coordinator,
      commissionedAt: at(20),
    };
    put('packages', pkg);
    for (const k of [1, 2]) {
      const spend: SpendRecord = {
        id: `${id}:p1:s${k}`,
        caseId: id,
        packageId: pkg.id,
        budgetYear: '2026-27',
        type: pkg.type,
        invoiceRef: `INV-${i}-${k}`,
        amountPence: Math.round(pkg.agreedPence / 2),
        sessionsDelivered: sessions / 2,
        deliveredOn: isoDay(raisedMs + (40 + 40 * k) * DAY),
        recordedBy: coordinator,
        recordedAt: at(40 + 40 * k),
      };
      put('spends', spend);
    }
    const closed = status === 'closed';
    // A commissioned case's interim review falls within three weeks either side of today.
    const interimDue = closed ? isoDay(raisedMs + 62 * DAY) : isoDay(now + (rand() * 42 - 21) * DAY);
    for (const [kind, due] of [
      ['interim', interimDue],
      ['final', isoDay(Date.parse(interimDue) + 60 * DAY)],
    ] as const) {
      const review: ReviewRecord = {
        id: `${id}:${kind}`,
        caseId: id,
        kind,
        due,
        status: closed || (kind === 'interim' && due < isoDay(now) && rand() < 0.5) ? 'done' : 'open',
        updatedBy: coordinator,
        updatedAt: at(62),
      };
      put('reviews', review);
      // The review reminders that went out for it: the co-ordinator's, on the notice day and the day itself.
      if (review.due <= isoDay(now)) {
        for (const point of [isoDay(Date.parse(due) - 3 * DAY), due]) {
          const reminder: ReminderRecord = {
            id: `review-due:${id}:${kind}:${point}:${coordinator.toLowerCase()}`,
            kind: 'review-due',
            caseId: id,
            to: coordinator.toLowerCase(),
            due: point,
            status: 'sent',
            claimedAt: `${point}T11:00:00.000Z`,
            sentAt: `${point}T11:00:01.000Z`,
          };
          put('reminders', reminder);
        }
      }
    }
  };

  const BATCH = 5000;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) seedOne(i);
  });
  for (let from = 0; from < n; from += BATCH) batch(from, Math.min(n, from + BATCH));
  // Everyone in the directory has opened a chat with the bot.
  db.transaction(() => {
    for (const p of directory.people) {
      const conversation: ConversationRecord = {
        id: p.aadObjectId.toLowerCase(),
        kind: 'person',
        reference: { conversation: { id: `chat-${p.aadObjectId.toLowerCase()}` } },
        updatedAt: '2026-09-01T09:00:00.000Z',
      };
      put('conversations', conversation);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { cases: n, rows, byStatus };
}
