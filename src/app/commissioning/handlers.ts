// Commissioning approved support, and recording what it costs. Both hold money against the year's allocation by
// compare-and-swap, write their records before the case, and undo them if the case cannot be saved.
import { z } from 'zod';
import {
  EipError,
  INTERVENTION_LABELS,
  formatPence,
  parseCommission,
  parseSpend,
  reviewDatesFor,
  showDate,
  sumPence,
  type CaseRecord,
  type PackageRecord,
  type ReviewRecord,
} from '../../domain';
import { noticeCard } from '../../cards';
import { isStoreError } from '../../store/store';
import { holdBudget, restoreHold, undoHold } from '../budget/holds';
import { caseStep, reachedLine } from '../handlers/case-step';
import { currentProposal, putRecord, undoAll } from '../records';
import { aboutCase, openCaseAction } from '../views';

const yearOf = (c: CaseRecord) => {
  if (!c.budgetYear) throw new EipError('moved_on', `${c.ref} has no approved budget to commission against.`);
  return c.budgetYear;
};

/** The co-ordinator puts each approved intervention in place; the committed total moves and the school is told. */
export const commission = caseStep({
  form: 'commission',
  parse: async (data, today, c, ctx) => {
    const proposal = await currentProposal(ctx.deps, c);
    const providers = (await ctx.deps.store.providers.find()).map((p) => p.value);
    const packages = parseCommission(data, proposal.interventions, providers, today, proposal.reviewDate);
    return { proposal, packages, at: ctx.deps.now().toISOString() };
  },
  apply: (c) => c,
  prepare: async ({ deps, actor }, c, i) => {
    const by = actor.person.aadObjectId;
    const year = yearOf(c);
    const total = sumPence(i.packages, (p) => p.agreedPence);
    const held = await holdBudget(deps, year, c.id, total, by);
    if (!held.ok) {
      throw new EipError('invalid_input', undefined, [
        {
          field: 'Agreed cost',
          message: `The agreed costs come to ${formatPence(total)}, ${formatPence(held.shortPence)} more than the ${year} budget can cover (${formatPence(held.availablePence)} is available for this case, including what the panel approved).`,
        },
      ]);
    }
    const undo = [undoHold(deps, c, year, held.before, by)];
    try {
      for (const [n, p] of i.packages.entries()) {
        const record: PackageRecord = {
          id: `${c.id}:p${n + 1}`,
          caseId: c.id,
          budgetYear: year,
          ...p,
          commissionedBy: by,
          commissionedAt: i.at,
        };
        undo.push(await putRecord(deps, deps.store.packages, record));
      }
      const firstStart = i.packages.map((p) => p.startDate).sort()[0]!;
      for (const r of reviewDatesFor(firstStart, i.proposal.reviewDate)) {
        const record: ReviewRecord = {
          id: `${c.id}:${r.kind}`,
          caseId: c.id,
          kind: r.kind,
          due: r.due,
          status: 'open',
          updatedBy: by,
          updatedAt: i.at,
        };
        undo.push(await putRecord(deps, deps.store.reviews, record));
      }
    } catch (e) {
      await undoAll(undo)();
      throw e;
    }
    return undoAll(undo);
  },
  detail: (c, i) =>
    `${c.ref} commissioned: ${i.packages.length} packages, agreed ${sumPence(i.packages, (p) => p.agreedPence)}p`,
  tell: (_ctx, c, i, owe) => {
    const schedule = i.packages
      .map(
        (p) =>
          `• ${INTERVENTION_LABELS[p.type]} with ${p.providerName}: ${showDate(p.startDate)} to ${showDate(p.endDate)}`,
      )
      .join('\n');
    const reviews = reviewDatesFor(i.packages.map((p) => p.startDate).sort()[0]!, i.proposal.reviewDate);
    return {
      school: owe.people(
        [c.raisedBy],
        noticeCard({
          title: `${c.ref}: support starts`,
          facts: aboutCase(c),
          text: 'The EIP co-ordinator has put the support in place:',
          quote: schedule,
          after: `Outcome reviews: ${reviews.map((r) => `${r.kind} ${showDate(r.due)}`).join(', ')}.`,
          tone: 'good',
          actions: openCaseAction(c),
        }),
      ),
    };
  },
  after: (_ctx, c, i, reach) => {
    const total = sumPence(i.packages, (p) => p.agreedPence);
    const above = total - sumPence(i.packages, (p) => p.approvedPence);
    return {
      text: `Commissioned: ${formatPence(total)} committed against ${c.budgetYear}.${above > 0 ? ` That is ${formatPence(above)} more than the panel approved; your reason is recorded and the ledger shows it.` : ''}${reachedLine(reach.school, 'The school')}`,
      tone: above > 0 ? 'warning' : 'good',
    };
  },
});

const spendRef = (data: Record<string, unknown>) => {
  const r = z.object({ spendId: z.uuid() }).safeParse(data);
  if (!r.success) throw new EipError('moved_on', 'That card is out of date. Open the case and try again.');
  return r.data.spendId;
};

/** Spend against a package: an invoice or sessions delivered. Going past the agreed cost needs a reason. */
export const spend = caseStep({
  form: 'spend',
  parse: async (data, today, c, ctx) => {
    const id = spendRef(data);
    if (await ctx.deps.store.spends.get(id))
      throw new EipError('moved_on', 'That spend is recorded already; it was not added twice.');
    const packages = (await ctx.deps.store.packages.find({ caseId: c.id })).map((p) => p.value);
    const spends = (await ctx.deps.store.spends.find({ caseId: c.id })).map((s) => s.value);
    const spentOn = (pkg: string) =>
      sumPence(
        spends.filter((s) => s.packageId === pkg),
        (s) => s.amountPence,
      );
    const input = parseSpend(data, packages, spentOn, today);
    return {
      id,
      input,
      pkg: packages.find((p) => p.id === input.packageId)!,
      agreedTotal: sumPence(packages, (p) => p.agreedPence),
      spentTotal: sumPence(spends, (s) => s.amountPence) + input.amountPence,
      spentOnPackage: spentOn(input.packageId) + input.amountPence,
      at: ctx.deps.now().toISOString(),
    };
  },
  apply: (c) => c,
  prepare: async ({ deps, actor }, c, i) => {
    const by = actor.person.aadObjectId;
    const { overPence: _over, ...fields } = i.input;
    try {
      await deps.store.spends.create({
        id: i.id,
        caseId: c.id,
        budgetYear: i.pkg.budgetYear,
        type: i.pkg.type,
        ...fields,
        recordedBy: by,
        recordedAt: i.at,
      });
    } catch (e) {
      if (isStoreError(e, 'exists')) throw new EipError('moved_on', 'That spend is recorded already.');
      throw e;
    }
    const removeSpend = async () => {
      const s = await deps.store.spends.get(i.id);
      if (s) await deps.store.spends.remove(i.id, s.eTag);
    };
    // Money spent beyond what was agreed is committed too, so the year's available figure stays true.
    if (i.spentTotal <= i.agreedTotal) return removeSpend;
    const held = await holdBudget(deps, i.pkg.budgetYear, c.id, i.spentTotal, by, true);
    const before = held.ok ? held.before : undefined;
    return undoAll([removeSpend, () => restoreHold(deps, i.pkg.budgetYear, c.id, before, by)]);
  },
  detail: (c, i) =>
    `${c.ref} spend ${i.input.amountPence}p on ${i.pkg.id} (${i.input.sessionsDelivered} sessions)${i.input.overPence ? `, over agreed by ${i.input.overPence}p` : ''}`,
  after: async (_ctx, _c, i) => ({
    text: `${formatPence(i.input.amountPence)} recorded against the ${INTERVENTION_LABELS[i.pkg.type].toLowerCase()} package: ${formatPence(i.spentOnPackage)} of ${formatPence(i.pkg.agreedPence)} spent.${i.input.overPence ? ` That is ${formatPence(i.input.overPence)} over the agreed cost, flagged in the ledger.` : ''}`,
    tone: i.input.overPence ? 'warning' : 'good',
  }),
});
