// Loading and saving cases with their related records, the audit trail, and optimistic concurrency.
import {
  EipError,
  sumPence,
  type AssessmentRecord,
  type CaseRecord,
  type ConsentRecord,
  type DecisionRecord,
  type OwedMessage,
  type PackageRecord,
  type ProposalRecord,
  type ReviewRecord,
  type SpendRecord,
  type VoteRecord,
  type FileRecord,
  type TransferRecord,
} from '../domain';
import { isStoreError, type Collection, type OutboxRecord, type Stored } from '../store/store';
import type { Actor } from './identity';
import { owedWith } from './outbox/outbox';
import { panelPostId } from './outbox/messages';
import type { AppDeps } from './ports';

export const proposalId = (caseId: string, round: number) => `${caseId}:r${round}`;
export const decisionId = proposalId;
export const voteId = (caseId: string, round: number, voter: string) =>
  `${caseId}:r${round}:${voter.toLowerCase()}`;

export async function loadCase(deps: AppDeps, caseId: string): Promise<Stored<CaseRecord>> {
  const found = await deps.store.cases.get(caseId);
  if (!found) throw new EipError('not_found');
  return found;
}

/** Everything known about a case, for its card. */
export interface CaseFile {
  case: CaseRecord;
  consent?: ConsentRecord;
  assessment?: AssessmentRecord;
  proposal?: ProposalRecord;
  decision?: DecisionRecord;
  votes: VoteRecord[];
  /** After commissioning: the packages, what has been spent on them, and the outcome reviews. */
  packages: PackageRecord[];
  spends: SpendRecord[];
  reviews: ReviewRecord[];
  /** The case's evidence documents (their records: never their content), and its transfer to a new school. */
  files: FileRecord[];
  transfer?: TransferRecord;
  /** While the case is with the panel: how the posting of its card to the panel chat stands in the outbox. */
  panelPost?: OutboxRecord['state'] | 'missing';
}

/** The case and its records, with the proposal, votes and decision of one round (the current one by default). */
export async function loadCaseFile(deps: AppDeps, c: CaseRecord, round = c.round): Promise<CaseFile> {
  const commissioned = c.status === 'commissioned' || c.status === 'closed';
  const withPanel = c.status === 'proposed' && round === c.round && round > 0;
  const [
    consent,
    assessment,
    proposal,
    decision,
    votes,
    packages,
    spends,
    reviews,
    panelPost,
    files,
    transfer,
  ] = await Promise.all([
    deps.store.consents.get(c.id),
    deps.store.assessments.get(c.id),
    round > 0 ? deps.store.proposals.get(proposalId(c.id, round)) : undefined,
    round > 0 ? deps.store.decisions.get(decisionId(c.id, round)) : undefined,
    round > 0 ? deps.store.votes.find({ caseId: c.id, round }) : [],
    commissioned ? deps.store.packages.find({ caseId: c.id }) : [],
    commissioned ? deps.store.spends.find({ caseId: c.id }) : [],
    commissioned ? deps.store.reviews.find({ caseId: c.id }) : [],
    withPanel ? deps.store.outbox.get(panelPostId(c.id, round)) : undefined,
    deps.store.files.find({ caseId: c.id }),
    deps.store.transfers.get(c.id),
  ]);
  return {
    case: c,
    ...(consent ? { consent: consent.value } : {}),
    ...(assessment ? { assessment: assessment.value } : {}),
    ...(proposal ? { proposal: proposal.value } : {}),
    ...(decision ? { decision: decision.value } : {}),
    votes: votes.map((v) => v.value),
    packages: packages.map((p) => p.value),
    spends: spends.map((x) => x.value),
    reviews: reviews.map((r) => r.value).sort((a, b) => a.due.localeCompare(b.due)),
    ...(withPanel ? { panelPost: panelPost?.value.state ?? 'missing' } : {}),
    files: files.map((f) => f.value),
    ...(transfer ? { transfer: transfer.value } : {}),
  };
}

/** The proposal the panel approved (the case's current round). */
export async function currentProposal(deps: AppDeps, c: CaseRecord): Promise<ProposalRecord> {
  const p = c.round > 0 ? await deps.store.proposals.get(proposalId(c.id, c.round)) : undefined;
  if (!p) throw new EipError('not_found', `${c.ref} has no proposal.`);
  return p.value;
}

/**
 * Writes a changed case if nobody changed it first; a lost race reads as "moved on", and nothing is written. The
 * messages the change owes are written with it, together with any an earlier write owed that the outbox has not
 * taken yet (a crash in between), so that none is lost.
 */
export async function saveCase(
  deps: AppDeps,
  stored: Stored<CaseRecord>,
  next: CaseRecord,
  owed: readonly OwedMessage[] = [],
): Promise<Stored<CaseRecord>> {
  const outbox = await owedWith(deps, stored.value.outbox, owed);
  const value: CaseRecord = { ...next, updatedAt: deps.now().toISOString() };
  delete value.outbox;
  if (outbox.length) value.outbox = outbox;
  try {
    return await deps.store.cases.replace(value, stored.eTag);
  } catch (e) {
    if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) {
      throw new EipError(
        'moved_on',
        `${stored.value.ref} was changed by someone else a moment ago. Open it again to see where it stands.`,
      );
    }
    throw e;
  }
}

/** What a write changed (statuses, amounts: never a pupil's name or anyone's words), and whether it was refused. */
export interface AuditOptions {
  before?: string;
  after?: string;
  /** 'done' unless said otherwise: a refusal is audited as 'refused', with its code as the detail. */
  outcome?: 'done' | 'refused';
}

/** How the audit trail names who acted: their Entra object id, and who was really at the keyboard if acting as them. */
export const auditActor = (actor: Actor): string =>
  actor.actingAs ? `${actor.person.aadObjectId} (by ${actor.realId})` : actor.person.aadObjectId;

/**
 * Records who did what to which case: appended, never changed. `detail` must never hold a pupil's name. The actor is
 * a directory person, or an id the directory does not know (a refusal of a stranger, the command line).
 */
export async function audit(
  deps: AppDeps,
  actor: Actor | string,
  action: string,
  caseId: string | undefined,
  detail: string,
  options: AuditOptions = {},
): Promise<void> {
  await deps.store.audit.append({
    at: deps.now().toISOString(),
    actor: typeof actor === 'string' ? actor : auditActor(actor),
    action,
    ...(caseId ? { caseId } : {}),
    detail,
    ...(options.before !== undefined ? { before: options.before } : {}),
    ...(options.after !== undefined ? { after: options.after } : {}),
    outcome: options.outcome ?? 'done',
  });
}

/**
 * Writes a record a case step adds or changes, replacing one left behind by an attempt whose case was never saved
 * (the case's eTag decides which attempt wins). Another attempt at the same step writing it at the same moment (a
 * double click, a client's retry) refuses this one, as the case having moved on. Answers how to put back what was
 * there before, unless someone has written it since.
 */
export async function putRecord<T extends { id: string }>(
  deps: AppDeps,
  collection: Collection<T>,
  value: T,
): Promise<() => Promise<void>> {
  const existing = await collection.get(value.id);
  let written: Stored<T>;
  try {
    written = existing ? await collection.replace(value, existing.eTag) : await collection.create(value);
  } catch (e) {
    if (isStoreError(e, 'exists') || isStoreError(e, 'stale') || isStoreError(e, 'missing'))
      throw new EipError(
        'moved_on',
        'This case was changed by someone else a moment ago. Open it again to see where it stands.',
      );
    throw e;
  }
  return async () => {
    try {
      if (existing) await collection.replace(existing.value, written.eTag);
      else await collection.remove(value.id, written.eTag);
    } catch (e) {
      // Written since by another attempt, whose it now is; or left behind, to be replaced by the next attempt. The
      // error that led here is the one to report.
      deps.log.warn(
        { record: value.id, err: e instanceof Error ? e.message : String(e) },
        'could not put record back',
      );
    }
  };
}

/** Runs undo steps last first, for an action whose records were written but whose case could not be saved. */
export const undoAll = (steps: (() => Promise<void>)[]) => async (): Promise<void> => {
  for (const step of [...steps].reverse()) await step();
};

/** What a case's packages were agreed at, and what has been spent on them. */
export async function caseMoney(deps: AppDeps, caseId: string): Promise<{ agreed: number; spent: number }> {
  const [packages, spends] = await Promise.all([
    deps.store.packages.find({ caseId }),
    deps.store.spends.find({ caseId }),
  ]);
  return {
    agreed: sumPence(packages, (p) => p.value.agreedPence),
    spent: sumPence(spends, (x) => x.value.amountPence),
  };
}
