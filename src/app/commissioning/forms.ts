// The co-ordinator's forms after approval: commissioning the packages, and recording spend against them.
import { randomUUID } from 'node:crypto';
import {
  ANOTHER_PROVIDER,
  INTERVENTION_LABELS,
  LIMITS,
  SPEND_LABELS,
  commissionLabels,
  formatPence,
  providersFor,
  rateLine,
  showDate,
  sumPence,
  type CaseRecord,
} from '../../domain';
import { action, formCard, type Field } from '../../cards';
import type { CaseFormBuilder } from '../form-for';
import { currentProposal } from '../records';
import { costLine } from '../views';

const back = (c: CaseRecord) => action('Back to case', 'openCase', { caseId: c.id });
const pounds = (pence: number) => (pence / 100).toFixed(2);

/** One package per approved intervention: provider, dates and agreed cost, starting from what the panel approved. */
export const commissionForm: CaseFormBuilder = async (ctx, c, subject, values, problems) => {
  const proposal = await currentProposal(ctx.deps, c);
  const providers = (await ctx.deps.store.providers.find()).map((p) => p.value);
  const labels = commissionLabels(proposal.interventions.length);
  const fields: Field[] = proposal.interventions.flatMap((x, n): Field[] => {
    const i = n + 1;
    const v = (id: string, fallback: string) => values[`${id}${i}`] ?? fallback;
    const approved = x.sessions * x.unitCostPence;
    return [
      { kind: 'heading', label: `Package ${i}: ${INTERVENTION_LABELS[x.type]}` },
      {
        kind: 'note',
        label: `Approved: ${x.provider}, ${costLine(x)}`,
      },
      {
        kind: 'choice',
        id: `provider${i}`,
        label: labels[`provider${i}`]!,
        required: true,
        choices: [
          ...providersFor(providers, x.type).map((p) => ({
            title: `${p.name} (${rateLine(p)})`,
            value: p.id,
          })),
          { title: 'Another provider (name it below)', value: ANOTHER_PROVIDER },
        ],
        value: v('provider', x.providerId ?? ANOTHER_PROVIDER),
      },
      {
        kind: 'text',
        id: `otherProvider${i}`,
        label: labels[`otherProvider${i}`]!,
        maxLength: LIMITS.name,
        placeholder: 'Only for another provider',
        value: v('otherProvider', x.providerId ? '' : x.provider),
      },
      { kind: 'date', id: `start${i}`, label: labels[`start${i}`]!, required: true, value: v('start', '') },
      {
        kind: 'date',
        id: `end${i}`,
        label: labels[`end${i}`]!,
        required: true,
        value: v('end', proposal.reviewDate),
      },
      {
        kind: 'number',
        id: `cost${i}`,
        label: `${labels[`cost${i}`]} (£)`,
        min: 0.01,
        max: (LIMITS.unitCostPence * LIMITS.sessions) / 100,
        required: true,
        value: v('cost', pounds(approved)),
      },
    ];
  });
  fields.push(
    { kind: 'heading', label: 'Only if you agree more than the panel approved' },
    {
      kind: 'text',
      id: 'overReason',
      label: labels.overReason!,
      multiline: true,
      maxLength: LIMITS.comment,
      placeholder: 'e.g. the provider’s rate rose in January',
      value: values.overReason ?? '',
    },
  );
  return formCard({
    title: 'Commission the packages',
    subtitle: `${c.ref} · ${subject}. The panel approved ${formatPence(proposal.totalPence)}; the review is due ${showDate(proposal.reviewDate)}.`,
    problems,
    fields,
    actions: [action('Commission packages', 'commission', { caseId: c.id }, 'positive'), back(c)],
  });
};

/** Spend against one of the case's packages. The form carries its own id, so pressing Save twice records it once. */
export const spendForm: CaseFormBuilder = async (ctx, c, subject, values, problems) => {
  const { store } = ctx.deps;
  const packages = (await store.packages.find({ caseId: c.id })).map((p) => p.value);
  const spends = (await store.spends.find({ caseId: c.id })).map((s) => s.value);
  const spent = (id: string) =>
    sumPence(
      spends.filter((s) => s.packageId === id),
      (s) => s.amountPence,
    );
  const v = (id: string) => values[id] ?? '';
  return formCard({
    title: 'Record spend',
    subtitle: `${c.ref} · ${subject}`,
    problems,
    fields: [
      {
        kind: 'choice',
        id: 'packageId',
        label: SPEND_LABELS.packageId!,
        required: true,
        choices: packages.map((p) => ({
          title: `${INTERVENTION_LABELS[p.type]}: ${p.providerName} (${formatPence(spent(p.id))} of ${formatPence(p.agreedPence)} spent)`,
          value: p.id,
        })),
        value: v('packageId') || (packages.length === 1 ? packages[0]!.id : ''),
      },
      {
        kind: 'text',
        id: 'invoiceRef',
        label: SPEND_LABELS.invoiceRef!,
        maxLength: 60,
        required: true,
        value: v('invoiceRef'),
      },
      {
        kind: 'number',
        id: 'amount',
        label: `${SPEND_LABELS.amount} (£)`,
        min: 0.01,
        max: 100_000,
        required: true,
        value: v('amount'),
      },
      {
        kind: 'number',
        id: 'sessionsDelivered',
        label: SPEND_LABELS.sessionsDelivered!,
        min: 0,
        max: LIMITS.sessions,
        required: true,
        value: v('sessionsDelivered'),
      },
      {
        kind: 'date',
        id: 'deliveredOn',
        label: SPEND_LABELS.deliveredOn!,
        required: true,
        value: v('deliveredOn'),
      },
      {
        kind: 'text',
        id: 'overReason',
        label: SPEND_LABELS.overReason!,
        multiline: true,
        maxLength: LIMITS.comment,
        placeholder: 'Only if this takes the package over its agreed cost',
        value: v('overReason'),
      },
    ],
    actions: [
      action('Save spend', 'spend', { caseId: c.id, spendId: values.spendId || randomUUID() }, 'positive'),
      back(c),
    ],
  });
};
