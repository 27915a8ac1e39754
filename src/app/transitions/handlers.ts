// Transitions: the co-ordinator transfers a case to the school a child moves to, with the parents' recorded consent,
// a transition summary and the documents they choose to send. The receiving school's SENCo is told through the
// outbox and sees the summary and those documents only; the case itself stays the sending school's, whose view of
// it does not change. In the summer term the co-ordinator can list the children in the last year of their phase.
import { randomUUID } from 'node:crypto';
import {
  CONSENT_METHODS,
  CONSENT_METHOD_LABELS,
  EipError,
  FILE_KIND_LABELS,
  STATUS_LABELS,
  hasRole,
  isLiveTransfer,
  isTransitionDue,
  londonDate,
  mayTransferNow,
  parseTransfer,
  showDate,
  yearGroupNow,
  type CaseRecord,
  type Directory,
  type FileRecord,
  type Person,
  type TransferRecord,
} from '../../domain';
import { action, caseCard, casesCard, formCard, noticeCard, type Card, type CaseRow } from '../../cards';
import { breakable } from '../../cards/breakable';
import type { FieldProblem } from '../../domain/errors';
import { isStoreError, type Stored } from '../../store/store';
import { caseRef } from '../action-data';
import { valuesOf } from '../forms';
import type { AppDeps } from '../ports';
import type { Actor } from '../identity';
import { audit, loadCase } from '../records';
import { stillOwed, type Reach } from '../outbox/outbox';
import { oweFor, reachedLine, sendTold } from '../handlers/case-step';
import { showCase } from '../handlers/open-case';
import { orRefill, today, type Ctx, type Handler } from '../handlers/context';
import { subjectFor } from '../views';

/** Transfers are the co-ordinator's: `what` says what was refused ("transfer a case to another school"). */
const assertCoordinator = (p: Person, what = 'transfer a case to another school') => {
  if (!hasRole(p, 'coordinator')) throw new EipError('forbidden', `Only the EIP co-ordinator can ${what}.`);
};

/** Who at the receiving school is told: its SENCos, or its head teacher if it has none in the directory. */
export function receivingPeople(deps: AppDeps, schoolId: string): Person[] {
  const at = deps.directory.people.filter((p) => p.schoolId === schoolId);
  const sencos = at.filter((p) => hasRole(p, 'senco'));
  return sencos.length ? sencos : at.filter((p) => hasRole(p, 'head'));
}

/** Whether this case may be transferred now, with the refusal to give if not. */
function transferable(ctx: Ctx, c: CaseRecord): void {
  const { deps } = ctx;
  const phase = deps.directory.school(c.schoolId)?.phase;
  if (!mayTransferNow(c, phase, today(ctx), deps.directory.terms))
    throw new EipError(
      'moved_on',
      `${c.ref} can be transferred once it is closed because the child moved school, or in the summer term of the child's last year in this phase.`,
    );
}

/** The banner for the co-ordinator once a transfer is saved, knowing whether its receiving school was reached. */
function transferredBanner(deps: AppDeps, c: CaseRecord, t: TransferRecord, reach: Record<string, Reach>) {
  const to = receivingPeople(deps, t.toSchoolId);
  return {
    text: `${c.ref} transferred to ${deps.directory.schoolName(t.toSchoolId)}.${to.length ? reachedLine(reach.school, 'Its SENCo') : ' Nobody at that school is in the directory yet: add its SENCo, then they can open it.'}`,
    tone: 'good' as const,
  };
}

/**
 * A case already has a transfer. If it still owes its message (the bot stopped between saving the transfer and
 * copying its message to the outbox), this finishes it, once: the audit entry if it is missing, then the message,
 * and answers the case as a successful transfer would. A transfer that owes nothing is refused as made already.
 */
async function finishTransfer(ctx: Ctx, c: CaseRecord, t: TransferRecord): Promise<Card> {
  const { deps, actor } = ctx;
  const missing = await stillOwed(deps, t.outbox);
  if (!missing.length)
    throw new EipError(
      'moved_on',
      `${c.ref} has been transferred already, to ${deps.directory.schoolName(t.toSchoolId)}.`,
    );
  if (!(await deps.store.audit.list(c.id)).some((e) => e.action === 'transfer'))
    await audit(deps, actor, 'transfer', c.id, transferDetail(c, t), {
      after: `transferred to ${t.toSchoolId}`,
    });
  const reach = await sendTold(ctx, c.id, { school: missing });
  return showCase(ctx, c, transferredBanner(deps, c, t, reach));
}

/** What the audit trail says of a transfer: the school, the consent and how many documents (never a name). */
const transferDetail = (c: CaseRecord, t: TransferRecord) =>
  `${c.ref} transferred to ${t.toSchoolId} (consent ${t.consent.method}, ${t.consent.date}), ${t.fileIds.length} documents sent`;

/** The transfer form: the receiving school, the consent, the summary and the documents to send. Pure. */
export function transferFormCard(
  directory: Directory,
  c: CaseRecord,
  files: { id: string; name: string; kind: keyof typeof FILE_KIND_LABELS }[],
  values: Record<string, string> = {},
  problems: FieldProblem[] = [],
): Card {
  const v = (id: string) => (values[id] !== undefined ? { value: values[id] } : {});
  return formCard({
    title: `Transfer ${c.ref} to the new school`,
    subtitle: `${c.request.pupilName ?? ''}, from ${directory.schoolName(c.schoolId)}`,
    problems,
    fields: [
      {
        kind: 'choice',
        id: 'toSchoolId',
        label: 'Receiving school',
        required: true,
        filtered: directory.schools.length > 8,
        choices: directory.schools
          .filter((s) => s.id !== c.schoolId)
          .map((s) => ({ title: s.name, value: s.id })),
        ...v('toSchoolId'),
      },
      { kind: 'heading', label: "The parents' consent to the transfer" },
      { kind: 'note', label: 'No case is transferred without it.' },
      {
        kind: 'text',
        id: 'consentGivenBy',
        label: 'Consent given by',
        maxLength: 100,
        required: true,
        ...v('consentGivenBy'),
      },
      { kind: 'date', id: 'consentDate', label: 'Date consent given', required: true, ...v('consentDate') },
      {
        kind: 'choice',
        id: 'consentMethod',
        label: 'How consent was given',
        required: true,
        choices: CONSENT_METHODS.map((m) => ({ title: CONSENT_METHOD_LABELS[m], value: m })),
        ...v('consentMethod'),
      },
      { kind: 'heading', label: 'Transition summary' },
      {
        kind: 'text',
        id: 'tried',
        label: 'What was tried',
        multiline: true,
        maxLength: 2000,
        required: true,
        ...v('tried'),
      },
      {
        kind: 'text',
        id: 'worked',
        label: 'What worked',
        multiline: true,
        maxLength: 2000,
        required: true,
        ...v('worked'),
      },
      {
        kind: 'text',
        id: 'outcomes',
        label: 'Outcomes',
        multiline: true,
        maxLength: 2000,
        required: true,
        ...v('outcomes'),
      },
      {
        kind: 'text',
        id: 'needs',
        label: 'Current needs',
        multiline: true,
        maxLength: 2000,
        required: true,
        ...v('needs'),
      },
      ...(files.length
        ? [
            {
              kind: 'choice' as const,
              id: 'fileIds',
              label: 'Documents to send',
              multiSelect: true,
              expanded: true,
              choices: files.map((f) => ({
                title: breakable(`${f.name} (${FILE_KIND_LABELS[f.kind]})`),
                value: f.id,
              })),
              ...v('fileIds'),
            },
          ]
        : [{ kind: 'note' as const, label: 'The case keeps no documents, so none are sent.' }]),
    ],
    actions: [
      action('Transfer', 'transfer', { caseId: c.id }, 'positive'),
      action('Cancel', 'openCase', { caseId: c.id }),
    ],
  });
}

const caseFilesOf = async (deps: AppDeps, caseId: string) =>
  (await deps.store.files.find({ caseId })).map((s) => s.value);

export const transferForm: Handler = async (ctx) => {
  assertCoordinator(ctx.actor.person);
  const c = (await loadCase(ctx.deps, caseRef(ctx.req.data).caseId)).value;
  const existing = await standingTransfer(ctx, c);
  if (existing) return finishTransfer(ctx, c, existing.value);
  transferable(ctx, c);
  return transferFormCard(ctx.deps.directory, c, await caseFilesOf(ctx.deps, c.id));
};

/**
 * Makes the transfer. The transfer and the message it owes the receiving school are one write (the message rides on
 * the transfer record, see TransferRecord.outbox), then the message is copied to the outbox and sent. Pressed again
 * after a crash between the two, it finishes the same transfer and sends its message once (finishTransfer).
 */
export const transfer: Handler = async (ctx) => {
  const { deps, actor, req } = ctx;
  assertCoordinator(actor.person);
  const c = (await loadCase(deps, caseRef(req.data).caseId)).value;
  const existing = await standingTransfer(ctx, c);
  if (existing) return finishTransfer(ctx, c, existing.value);
  transferable(ctx, c);
  const files = await caseFilesOf(deps, c.id);
  return orRefill(
    async () => {
      const schools = deps.directory.schools.filter((s) => s.id !== c.schoolId).map((s) => s.id);
      const input = parseTransfer(
        req.data,
        today(ctx),
        schools,
        files.map((f) => f.id),
      );
      const at = deps.now().toISOString();
      const to = receivingPeople(deps, input.toSchoolId);
      const told = {
        school: oweFor(`${c.id}:transfer:${randomUUID().slice(0, 8)}`, at).people(
          to.map((p) => p.aadObjectId),
          noticeCard({
            title: `A case transferred to ${deps.directory.schoolName(input.toSchoolId)}`,
            text: `A child joining your school comes with a transition summary from the EIP co-ordinator${input.fileIds.length ? ` and ${input.fileIds.length} document${input.fileIds.length === 1 ? '' : 's'}` : ''}. Open it here, in your 1:1 chat.`,
            tone: 'accent',
            actions: [action('Open transfer', 'openTransfer', { caseId: c.id })],
          }),
        ),
      };
      const record: TransferRecord = {
        id: c.id,
        caseId: c.id,
        fromSchoolId: c.schoolId,
        toSchoolId: input.toSchoolId,
        consent: input.consent,
        summary: input.summary,
        fileIds: input.fileIds,
        transferredBy: actor.person.aadObjectId,
        transferredAt: at,
        outbox: told.school,
      };
      try {
        await deps.store.transfers.create(record);
      } catch (e) {
        if (!isStoreError(e, 'exists')) throw e;
        // Another press got there first: finish that one (or say it is made), never a second.
        return finishTransfer(ctx, c, (await deps.store.transfers.get(c.id))!.value);
      }
      await audit(deps, actor, 'transfer', c.id, transferDetail(c, record), {
        after: `transferred to ${input.toSchoolId}`,
      });
      const reach = await sendTold(ctx, c.id, told);
      return showCase(ctx, c, transferredBanner(deps, c, record, reach));
    },
    (problems) =>
      transferFormCard(deps.directory, c, files, valuesOf(req.data) as Record<string, string>, problems),
  );
};

/**
 * The case's transfer if one stands. A withdrawal the bot stopped in the middle of is finished first (its message
 * owed, its record removed), so the case may be transferred again.
 */
async function standingTransfer(ctx: Ctx, c: CaseRecord): Promise<Stored<TransferRecord> | undefined> {
  const found = await ctx.deps.store.transfers.get(c.id);
  if (!found || isLiveTransfer(found.value)) return found;
  await finishWithdrawal(ctx, c, found);
  return undefined;
}

/** The confirm step before a transfer is withdrawn: what it will do, and a way back. Pure. */
export function withdrawTransferCard(directory: Directory, c: CaseRecord, t: TransferRecord): Card {
  return noticeCard({
    title: `Withdraw the transfer of ${c.ref} to ${directory.schoolName(t.toSchoolId)}?`,
    text: `${directory.schoolName(t.toSchoolId)} will no longer see the transition summary or the documents sent with it, from the moment you withdraw it, and its SENCo will be told it was withdrawn. The case stays with ${directory.schoolName(t.fromSchoolId)}, and you can transfer it again, to the right school, afterwards.`,
    tone: 'warning',
    actions: [
      action('Withdraw the transfer', 'withdrawTransfer', { caseId: c.id }, 'destructive'),
      action('Keep the transfer', 'openTransfer', { caseId: c.id }),
    ],
  });
}

/** The transfer the co-ordinator means to withdraw, or the refusal if there is none standing. */
async function toWithdraw(ctx: Ctx): Promise<{ c: CaseRecord; found: Stored<TransferRecord> }> {
  assertCoordinator(ctx.actor.person, 'withdraw a transfer');
  const c = (await loadCase(ctx.deps, caseRef(ctx.req.data).caseId)).value;
  const found = await ctx.deps.store.transfers.get(c.id);
  if (!found) throw new EipError('moved_on', `${c.ref} has no transfer to withdraw.`);
  return { c, found };
}

export const withdrawTransferForm: Handler = async (ctx) => {
  const { c, found } = await toWithdraw(ctx);
  if (!isLiveTransfer(found.value)) return finishWithdrawal(ctx, c, found);
  return withdrawTransferCard(ctx.deps.directory, c, found.value);
};

/**
 * Withdraws a transfer: one write marks it withdrawn (the receiving school loses its view at once) and carries the
 * message telling the receiving school's SENCos and head; the message is copied to the outbox, then the record is
 * removed, so the case may be transferred again. Pressed again after a crash in between, it finishes the same
 * withdrawal and tells them once.
 */
export const withdrawTransfer: Handler = async (ctx) => {
  const { deps, actor } = ctx;
  const { c, found } = await toWithdraw(ctx);
  if (!isLiveTransfer(found.value)) return finishWithdrawal(ctx, c, found);
  const t = found.value;
  const at = deps.now().toISOString();
  const school = deps.directory.schoolName(t.toSchoolId);
  const to = deps.directory.people.filter((p) => p.schoolId === t.toSchoolId && hasRole(p, 'senco', 'head'));
  const owed = oweFor(`${c.id}:withdraw-transfer:${randomUUID().slice(0, 8)}`, at).people(
    to.map((p) => p.aadObjectId),
    noticeCard({
      title: `A transfer to ${school} was withdrawn`,
      text: `The EIP co-ordinator withdrew the transfer of ${c.ref}, sent to your school on ${showDate(t.transferredAt.slice(0, 10))}. Its transition summary and documents are no longer open to you. Ask the co-ordinator if you need to know more.`,
      tone: 'warning',
      actions: [action('My cases', 'myCases')],
    }),
  );
  let marked: Stored<TransferRecord>;
  try {
    marked = await deps.store.transfers.replace(
      {
        ...t,
        withdrawnAt: at,
        withdrawnBy: actor.person.aadObjectId,
        outbox: [...(await stillOwed(deps, t.outbox)), ...owed],
      },
      found.eTag,
    );
  } catch (e) {
    if (isStoreError(e, 'stale'))
      throw new EipError('moved_on', `The transfer of ${c.ref} was changed a moment ago. Open it again.`);
    throw e;
  }
  await audit(deps, actor, 'withdraw-transfer', c.id, `${c.ref} transfer to ${t.toSchoolId} withdrawn`, {
    before: `transferred to ${t.toSchoolId}`,
    after: 'not transferred',
  });
  return finishWithdrawal(ctx, c, marked, true);
};

/**
 * The rest of a withdrawal once it is marked: the audit entry if a crash lost it, the messages it owes copied to
 * the outbox and sent, then the record removed. Answers the case with a banner.
 */
async function finishWithdrawal(
  ctx: Ctx,
  c: CaseRecord,
  found: Stored<TransferRecord>,
  audited = false,
): Promise<Card> {
  const { deps, actor } = ctx;
  const t = found.value;
  if (!audited && !(await deps.store.audit.list(c.id)).some((e) => e.action === 'withdraw-transfer'))
    await audit(deps, actor, 'withdraw-transfer', c.id, `${c.ref} transfer to ${t.toSchoolId} withdrawn`, {
      before: `transferred to ${t.toSchoolId}`,
      after: 'not transferred',
    });
  const missing = await stillOwed(deps, t.outbox);
  const reach = missing.length ? await sendTold(ctx, c.id, { school: missing }) : {};
  try {
    await deps.store.transfers.remove(c.id, found.eTag);
  } catch (e) {
    // Removed by a press a moment ago: the withdrawal is complete either way.
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
  }
  return showCase(ctx, c, {
    text: `The transfer of ${c.ref} to ${deps.directory.schoolName(t.toSchoolId)} is withdrawn: that school no longer sees it.${missing.length ? reachedLine(reach.school, 'Its SENCo') : ''}`,
    tone: 'good',
  });
}

/** May this person see the transfer: the receiving school's SENCo or head, or the co-ordinator. */
const mayReceive = (p: Person, t: TransferRecord) =>
  hasRole(p, 'coordinator') ||
  (isLiveTransfer(t) && hasRole(p, 'senco', 'head') && p.schoolId === t.toSchoolId);

/** What the receiving school sees: the child, the summary and the chosen documents, and nothing else of the case. */
export const openTransfer: Handler = async (ctx) => {
  const { deps, actor, req } = ctx;
  const { caseId } = caseRef(req.data);
  const found = await deps.store.transfers.get(caseId);
  const t = found?.value;
  if (!found || !t || !mayReceive(actor.person, t))
    throw new EipError('forbidden', 'Only the receiving school and the co-ordinator can open this transfer.');
  const c = (await loadCase(deps, caseId)).value;
  // A withdrawal the bot stopped in the middle of: the co-ordinator's look at it finishes it.
  if (!isLiveTransfer(t)) return finishWithdrawal(ctx, c, found);
  const sent = (await caseFilesOf(deps, c.id)).filter((f) => t.fileIds.includes(f.id));
  await audit(deps, actor, 'view-transfer', c.id, `${c.ref} transfer opened`);
  return transferViewCard(deps.directory, actor.person, c, t, sent, today(ctx));
};

/** The transfer as the receiving school sees it: the child, the summary and the chosen documents. Pure. */
export function transferViewCard(
  directory: Directory,
  viewer: Person,
  c: CaseRecord,
  t: TransferRecord,
  sent: readonly Pick<FileRecord, 'id' | 'name' | 'kind'>[],
  day: string,
): Card {
  const receiving = viewer.schoolId === t.toSchoolId;
  return caseCard({
    ref: c.ref,
    subject: `${c.request.pupilName ?? 'A pupil'}, ${yearGroupNow(c, day) ?? c.request.yearGroup}`,
    statusLine: `Transferred from ${directory.schoolName(t.fromSchoolId)} on ${showDate(t.transferredAt.slice(0, 10))}`,
    facts: [
      { title: 'From', value: directory.schoolName(t.fromSchoolId) },
      { title: 'To', value: directory.schoolName(t.toSchoolId) },
      {
        title: 'Consent',
        value: `${t.consent.givenBy}, ${showDate(t.consent.date)}, ${CONSENT_METHOD_LABELS[t.consent.method].toLowerCase()}`,
      },
    ],
    sections: [
      { heading: 'What was tried', text: t.summary.tried },
      { heading: 'What worked', text: t.summary.worked },
      { heading: 'Outcomes', text: t.summary.outcomes },
      { heading: 'Current needs', text: t.summary.needs },
      {
        heading: 'Documents sent',
        text: sent.length
          ? sent.map((f, i) => `${i + 1}. ${breakable(f.name)} (${FILE_KIND_LABELS[f.kind]})`).join('\n')
          : 'None.',
      },
    ],
    actions: [
      // Numbered, not named: a button does not wrap, and a file's name may be 150 characters long.
      ...sent.map((f, i) => action(`Open document ${i + 1}`, 'openFile', { fileId: f.id, caseId: c.id })),
      ...(receiving && hasRole(viewer, 'senco', 'head')
        ? [action('Raise a request for this child', 'newRequest', { kind: 'individual', linkedFrom: c.id })]
        : []),
      ...(hasRole(viewer, 'coordinator') && isLiveTransfer(t)
        ? [action('Withdraw transfer', 'withdrawTransferForm', { caseId: c.id })]
        : []),
      action('My cases', 'myCases'),
    ],
  });
}

/**
 * The cases transferred to this person's school, newest first, for their work tray (its SENCo and head): each row
 * opens the transfer (the summary and the chosen documents), never the sending school's case.
 */
export async function receivedRows(deps: AppDeps, p: Person, day: string): Promise<CaseRow[]> {
  if (!hasRole(p, 'senco', 'head') || !p.schoolId) return [];
  const received = (await deps.store.transfers.find({ toSchoolId: p.schoolId }))
    .map((s) => s.value)
    .filter((t) => isLiveTransfer(t))
    .sort((a, b) => (a.transferredAt < b.transferredAt ? 1 : -1))
    .slice(0, 25);
  const rows: CaseRow[] = [];
  for (const t of received) {
    const c = (await deps.store.cases.get(t.caseId))?.value;
    if (!c) continue;
    const documents = t.fileIds.length;
    rows.push({
      caseId: c.id,
      ref: c.ref,
      status: 'Transferred',
      label: `${c.request.pupilName ?? 'A pupil'}, ${yearGroupNow(c, day) ?? c.request.yearGroup}`,
      waiting: `From ${deps.directory.schoolName(t.fromSchoolId)} on ${showDate(t.transferredAt.slice(0, 10))}: a transition summary${documents ? ` and ${documents} document${documents === 1 ? '' : 's'}` : ''}`,
      mine: false,
    });
  }
  return rows;
}

/** Children with open or recent cases in the last year of their phase, for the co-ordinator. */
export async function transitionsDue(deps: AppDeps, day: string): Promise<CaseRecord[]> {
  const all = (await deps.store.cases.find()).map((s) => s.value);
  const transferred = new Set(
    (await deps.store.transfers.find()).filter((s) => isLiveTransfer(s.value)).map((s) => s.value.caseId),
  );
  return all
    .filter((c) => !transferred.has(c.id))
    .filter((c) => isTransitionDue(c, deps.directory.school(c.schoolId)?.phase, day))
    .sort((a, b) => a.schoolId.localeCompare(b.schoolId) || (a.ref < b.ref ? -1 : 1));
}

/** The transition list as a card: one row per child, the school and the year they are in now. */
export function transitionsCard(
  directory: Directory,
  viewer: Person,
  cases: readonly CaseRecord[],
  day: string,
): Card {
  const rows: CaseRow[] = cases.map((c) => ({
    caseId: c.id,
    ref: c.ref,
    status: STATUS_LABELS[c.status],
    label: subjectFor(viewer, c),
    waiting: `${yearGroupNow(c, day) ?? ''} at ${directory.schoolName(c.schoolId)}: moves on after this summer`,
    mine: true,
  }));
  return casesCard({
    title: 'Transitions this summer',
    summary: rows.length
      ? `${rows.length} child${rows.length === 1 ? '' : 'ren'} with open or recent cases ${rows.length === 1 ? 'is' : 'are'} in the last year of their phase. Open a case to transfer it to the next school, with the parents' consent.`
      : 'No child with an open or recent case is in the last year of their phase.',
    rows,
    actions: [action('My cases', 'myCases'), action('Help', 'help')],
  });
}

/** The transition list, for the co-ordinator: from the menu's button, the typed command, or the summer reminder. */
export async function transitionList(deps: AppDeps, actor: Actor): Promise<Card> {
  if (!hasRole(actor.person, 'coordinator'))
    throw new EipError('forbidden', 'Only the EIP co-ordinator sees the transition list.');
  const day = londonDate(deps.now());
  const due = await transitionsDue(deps, day);
  await audit(deps, actor, 'list-transitions', undefined, `${due.length} transitions listed`);
  return transitionsCard(deps.directory, actor.person, due, day);
}

export const transitions: Handler = async ({ deps, actor }) => transitionList(deps, actor);
