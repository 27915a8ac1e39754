// Records written straight into a store, for tests of what is derived from them (reminders, the agenda).
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import {
  parseDirectory,
  type CaseRecord,
  type Directory,
  type Intervention,
  type PackageRecord,
  type ProposalRecord,
  type ReviewKind,
  type ReviewRecord,
  type VoteChoice,
  type VoteRecord,
} from '../../src/domain';
import type { Card } from '../../src/cards';
import type { AppDeps, Notifier } from '../../src/app/ports';
import type { Store } from '../../src/store/store';
import { P } from './harness';

export const PUPIL = 'Sam Okonkwo-Price';
export const OAKFIELD = 'oakfield-primary';

export const fixtureDirectory = (): Directory =>
  parseDirectory(
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'directory.json'), 'utf8')),
  );

export function caseRecord(over: Partial<CaseRecord> & { id: string }): CaseRecord {
  return {
    ref: `EIP-2026-${over.id.replace(/\D/g, '').padStart(4, '0')}`,
    schoolId: OAKFIELD,
    raisedBy: P.megan.aadObjectId,
    raisedAt: '2026-11-02T09:00:00.000Z',
    submittedAt: '2026-11-02T09:00:00.000Z',
    status: 'submitted',
    request: {
      kind: 'individual',
      pupilName: PUPIL,
      yearGroup: 'Year 4',
      needs: ['semh'],
      tried: `${PUPIL} has had a calm corner.`,
      asked: 'Counselling.',
    },
    round: 0,
    updatedAt: '2026-11-02T09:00:00.000Z',
    ...over,
  };
}

export function proposalRecord(
  c: CaseRecord,
  deadline: string,
  interventions: Intervention[] = [
    {
      type: 'counselling',
      provider: 'Oakwood Counselling Service',
      providerId: 'oakwood-counselling',
      sessions: 10,
      unitCostPence: 4500,
    },
  ],
): ProposalRecord {
  return {
    id: `${c.id}:r${c.round}`,
    caseId: c.id,
    round: c.round,
    interventions,
    totalPence: interventions.reduce((t, i) => t + i.sessions * i.unitCostPence, 0),
    rationale: 'r',
    outcomes: 'o',
    reviewDate: '2027-03-19',
    proposedBy: P.adele.aadObjectId,
    proposedAt: '2026-11-27T10:00:00.000Z',
    deadline,
    panelMessageId: 'panel-card-1',
  };
}

export const voteRecord = (c: CaseRecord, voter: string, choice: VoteChoice = 'approve'): VoteRecord => ({
  id: `${c.id}:r${c.round}:${voter.toLowerCase()}`,
  caseId: c.id,
  round: c.round,
  voter,
  choice,
  comment: '',
  castAt: '2026-11-30T10:00:00.000Z',
});

export const reviewRecord = (
  caseId: string,
  kind: ReviewKind,
  due: string,
  status: ReviewRecord['status'] = 'open',
): ReviewRecord => ({
  id: `${caseId}:${kind}`,
  caseId,
  kind,
  due,
  status,
  updatedBy: P.adele.aadObjectId,
  updatedAt: '2026-12-01T10:00:00.000Z',
});

export function packageRecord(
  caseId: string,
  n: number,
  provider: { name: string; id?: string },
  agreedPence: number,
  type: PackageRecord['type'] = 'counselling',
): PackageRecord {
  return {
    id: `${caseId}:p${n}`,
    caseId,
    budgetYear: '2026-27',
    type,
    ...(provider.id ? { providerId: provider.id } : {}),
    providerName: provider.name,
    sessions: 10,
    approvedPence: agreedPence,
    agreedPence,
    startDate: '2026-12-01',
    endDate: '2027-03-19',
    commissionedBy: P.adele.aadObjectId,
    commissionedAt: '2026-12-01T10:00:00.000Z',
  };
}

/** Makes a person reachable: a conversation reference whose chat id names them. */
export async function reachable(store: Store, aadObjectId: string, at = '2026-09-01T09:00:00.000Z') {
  await store.conversations.create({
    id: aadObjectId.toLowerCase(),
    kind: 'person',
    reference: { conversation: { id: chatOf(aadObjectId) } },
    updatedAt: at,
  });
}

export const chatOf = (aadObjectId: string) => `chat-${aadObjectId.toLowerCase()}`;

/** A notifier that records every card sent, by chat. */
export class RecordingNotifier implements Notifier {
  readonly sent: { chat: string; card: Card }[] = [];

  async send(reference: Record<string, unknown>, card: Card): Promise<string> {
    const chat = String((reference.conversation as { id?: unknown } | undefined)?.id);
    this.sent.push({ chat, card });
    return `msg-${this.sent.length}`;
  }

  async update(): Promise<void> {
    throw new Error('reminders never update a card');
  }

  /** Cards sent to this person, in order. */
  to(aadObjectId: string): Card[] {
    return this.sent.filter((s) => s.chat === chatOf(aadObjectId)).map((s) => s.card);
  }
}

export function appDeps(
  store: Store,
  notifier: Notifier,
  now: Date = new Date('2026-11-02T12:00:00Z'),
): AppDeps {
  return {
    store,
    directory: fixtureDirectory(),
    notifier,
    log: pino({ level: 'silent' }),
    now: () => now,
    local: false,
  };
}
