import { randomUUID } from 'node:crypto';
import {
  EipError,
  hasRole,
  londonYear,
  mayRaise,
  parseRequest,
  yearGroupsFor,
  type CaseRecord,
} from '../../domain';
import { caseCard, noticeCard, type Card } from '../../cards';
import { requestForm, valuesOf } from '../forms';
import { audit, loadCaseFile } from '../records';
import { aboutCase, caseView } from '../views';
import { kindRef, requestRef } from '../action-data';
import { isStoreError } from '../../store/store';
import { oweFor, reachedLine, sendTold } from './case-step';
import { showCase } from './open-case';
import { orRefill, today, type Ctx, type Handler } from './context';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';

function assertMayRaise(actor: Actor): void {
  if (!mayRaise(actor.person)) {
    throw new EipError('forbidden', "Only a school's SENCo or head teacher can raise a request.");
  }
}

/** The year groups the person's school teaches. */
const schoolYears = (deps: AppDeps, actor: Actor) =>
  yearGroupsFor(deps.directory.school(actor.person.schoolId)?.phase);

/**
 * The transferred case a request follows (a button on the receiving school's transfer card names it): only a case
 * transferred to this person's own school.
 */
async function linkOf(deps: AppDeps, actor: Actor, data: Record<string, unknown>) {
  if (typeof data.linkedFrom !== 'string' || !data.linkedFrom) return undefined;
  const t = (await deps.store.transfers.get(data.linkedFrom))?.value;
  if (!t || t.withdrawnAt || t.toSchoolId !== actor.person.schoolId)
    throw new EipError(
      'forbidden',
      'Only the school a case was transferred to can raise a request that follows it.',
    );
  return {
    caseId: t.caseId,
    note: `This request follows a case transferred from ${deps.directory.schoolName(t.fromSchoolId)}: the co-ordinator will see both together.`,
  };
}

export const newRequest: Handler = async ({ deps, actor, req }) => {
  assertMayRaise(actor);
  const link = await linkOf(deps, actor, req.data);
  return requestForm(kindRef(req.data).kind, {}, [], schoolYears(deps, actor), undefined, link);
};

/** The form was submitted before (a second click): show the case it raised, to whoever raised it. */
function alreadySubmitted(ctx: Ctx, c: CaseRecord): Promise<Card> {
  if (c.raisedBy !== ctx.actor.person.aadObjectId) throw new EipError('moved_on');
  return showCase(ctx, c, { text: `This request was already submitted as ${c.ref}.`, tone: 'accent' });
}

/** A SENCo or head submits a request for their own school; the co-ordinator is told at once. */
export const submitRequest: Handler = async (ctx) => {
  const { deps, actor, req } = ctx;
  assertMayRaise(actor);
  const { kind, formId = randomUUID() } = requestRef(req.data);
  const already = await deps.store.cases.get(formId);
  if (already) return alreadySubmitted(ctx, already.value);
  const link = await linkOf(deps, actor, req.data);
  return orRefill(
    async () => {
      const input = parseRequest({ ...req.data, kind }, today(ctx), schoolYears(deps, actor));
      const now = deps.now();
      const at = now.toISOString();
      const year = londonYear(now);
      const n = await deps.store.nextNumber(`case-ref-${year}`);
      const record: CaseRecord = {
        id: formId,
        ref: `EIP-${year}-${String(n).padStart(4, '0')}`,
        schoolId: actor.person.schoolId!,
        raisedBy: actor.person.aadObjectId,
        raisedAt: at,
        submittedAt: at,
        status: 'submitted',
        request: input.request,
        round: 0,
        ...(link ? { linkedFrom: link.caseId } : {}),
        updatedAt: at,
      };
      // The co-ordinator's notice is saved with the case itself (see ../outbox), so it cannot be lost.
      const school = deps.directory.schoolName(record.schoolId);
      const coordinators = deps.directory
        .withRole('coordinator')
        .filter((p) => p.aadObjectId !== actor.person.aadObjectId);
      const told = {
        coordinator: oweFor(`${record.id}:submit`, at).people(
          coordinators.map((p) => p.aadObjectId),
          noticeCard({
            title: `New request ${record.ref}`,
            facts: aboutCase(record),
            text: `${school} asks for support for ${kind === 'individual' ? 'an individual pupil' : 'a whole class'} in ${record.request.yearGroup}. It is waiting for you to triage.`,
            tone: 'accent',
            actions: [{ title: 'Open case', verb: 'openCase', data: { caseId: record.id } }],
          }),
        ),
      };
      if (told.coordinator.length) record.outbox = told.coordinator;
      try {
        // Consent first: an individual case never exists without it.
        if (input.consent) {
          await deps.store.consents.create({
            id: record.id,
            caseId: record.id,
            ...input.consent,
            recordedBy: actor.person.aadObjectId,
            recordedAt: at,
          });
        }
        await deps.store.cases.create(record);
      } catch (e) {
        // The same form submitted twice at once: the first one raised the case.
        if (!isStoreError(e, 'exists')) throw e;
        const first = await deps.store.cases.get(record.id);
        if (!first)
          throw new EipError(
            'moved_on',
            'This request is being submitted already. Open My cases in a moment.',
          );
        return alreadySubmitted(ctx, first.value);
      }
      await audit(
        deps,
        actor,
        'submit',
        record.id,
        `${record.ref} submitted (${kind})${input.consent ? ', consent recorded' : ''}${link ? ', following a transferred case' : ''}`,
        { after: record.status },
      );
      deps.log.info({ ref: record.ref, kind }, 'request submitted');
      const reach = await sendTold(ctx, record.id, told);
      const toldLine = hasRole(actor.person, 'coordinator')
        ? ''
        : reachedLine(reach.coordinator, 'The co-ordinator');
      const view = caseView(actor.person, await loadCaseFile(deps, record), deps.directory);
      return caseCard({
        ...view,
        banner: { text: `Request submitted. Your reference is ${record.ref}.${toldLine}`, tone: 'good' },
      });
    },
    (problems) => requestForm(kind, valuesOf(req.data), problems, schoolYears(deps, actor), formId, link),
  );
};
