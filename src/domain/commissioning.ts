// Putting approved interventions in place with providers, and recording what they cost. Pure: the app layer loads
// the records these rules need and writes what they answer.
import { z } from 'zod';
import { addDays, showDate } from './dates';
import { EipError } from './errors';
import { formatPence } from './money';
import {
  INTERVENTION_LABELS,
  type Intervention,
  type InterventionType,
  type PackageRecord,
  type ProviderRecord,
} from './types';
import { ANOTHER_PROVIDER, LIMITS, day, parseWith, pounds, text } from './validation';

/** A package as the co-ordinator commissions it; the app adds its id, case, year and who commissioned it. */
export type PackageInput = Omit<
  PackageRecord,
  'id' | 'caseId' | 'budgetYear' | 'commissionedBy' | 'commissionedAt'
>;

export const commissionLabels = (n: number): Record<string, string> => {
  const labels: Record<string, string> = {};
  for (let i = 1; i <= n; i += 1) {
    labels[`provider${i}`] = `Package ${i}: provider`;
    labels[`otherProvider${i}`] = `Package ${i}: other provider's name`;
    labels[`start${i}`] = `Package ${i}: start date`;
    labels[`end${i}`] = `Package ${i}: end date`;
    labels[`cost${i}`] = `Package ${i}: agreed cost`;
  }
  labels.overReason = 'Reason for agreeing more than the panel approved';
  return labels;
};

/** Providers who may be commissioned for this type: active ones that offer it. */
export const providersFor = (providers: readonly ProviderRecord[], type: InterventionType) =>
  providers.filter((p) => p.active && p.services.includes(type));

/**
 * The packages for each approved intervention: a provider who offers the service (or another, named), start and end
 * dates, and the agreed cost (the form starts from the approved cost).
 */
export function parseCommission(
  input: unknown,
  interventions: readonly Intervention[],
  providers: readonly ProviderRecord[],
  today: string,
  /** The review date the panel approved: packages start before it. */
  reviewDate: string,
): PackageInput[] {
  const raw = (input ?? {}) as Record<string, unknown>;
  const shape: Record<string, z.ZodType> = {};
  interventions.forEach((x, n) => {
    const i = n + 1;
    const offered = providersFor(providers, x.type);
    shape[`provider${i}`] = z
      .string({ error: 'Choose a provider.' })
      .trim()
      .refine((v) => v !== '', { error: 'Choose a provider.' })
      .refine((v) => v === ANOTHER_PROVIDER || offered.some((p) => p.id === v), {
        error: (iss) => {
          const p = providers.find((q) => q.id === iss.input);
          if (!p) return 'Choose a provider from the list.';
          if (!p.active) return `${p.name} is no longer active in the provider directory.`;
          return `${p.name} does not offer ${INTERVENTION_LABELS[x.type].toLowerCase()}. Choose a provider who does.`;
        },
      });
    shape[`otherProvider${i}`] = text(
      LIMITS.name,
      raw[`provider${i}`] === ANOTHER_PROVIDER,
      'Name the provider.',
    );
    shape[`start${i}`] = day
      .refine((d) => d >= addDays(today, -28), { error: 'The start date can be at most four weeks ago.' })
      .refine((d) => d <= addDays(today, 365), { error: 'Start the package within the next year.' })
      .refine((d) => d < reviewDate, {
        error: `Start the package before the panel's review date, ${reviewDate}. Move the review after commissioning if it needs to be later.`,
      });
    shape[`end${i}`] = day;
    shape[`cost${i}`] = pounds('the agreed cost', LIMITS.unitCostPence * LIMITS.sessions);
  });
  shape.overReason = text(LIMITS.comment, false).default('');
  const v = parseWith(z.object(shape), raw, commissionLabels(interventions.length)) as Record<
    string,
    unknown
  >;
  const problems = interventions.flatMap((_, n) => {
    const i = n + 1;
    const start = v[`start${i}`] as string;
    const end = v[`end${i}`] as string;
    if (end <= start)
      return [{ field: `Package ${i}: end date`, message: 'The end date must be after the start.' }];
    if (end > addDays(start, 730))
      return [{ field: `Package ${i}: end date`, message: 'A package can run for at most two years.' }];
    return [];
  });
  const reason = v.overReason as string;
  const above = interventions
    .map((x, n) => ({ i: n + 1, over: (v[`cost${n + 1}`] as number) - x.sessions * x.unitCostPence }))
    .filter((a) => a.over > 0);
  if (above.length > 0 && reason === '') {
    problems.push({
      field: commissionLabels(interventions.length).overReason!,
      message: `${above.map((a) => `Package ${a.i} is agreed at ${formatPence(a.over)} more than the panel approved`).join('; ')}. Say why: it is recorded with the package and shown in the ledger.`,
    });
  }
  if (problems.length) throw new EipError('invalid_input', undefined, problems);
  return interventions.map((x, n) => {
    const i = n + 1;
    const id = v[`provider${i}`] as string;
    const provider = providers.find((p) => p.id === id);
    const approvedPence = x.sessions * x.unitCostPence;
    const agreedPence = v[`cost${i}`] as number;
    return {
      type: x.type,
      ...(provider ? { providerId: provider.id } : {}),
      providerName: provider ? provider.name : (v[`otherProvider${i}`] as string),
      sessions: x.sessions,
      approvedPence,
      ...(agreedPence > approvedPence ? { aboveApprovalReason: reason } : {}),
      agreedPence,
      startDate: v[`start${i}`] as string,
      endDate: v[`end${i}`] as string,
    };
  });
}

export const SPEND_LABELS: Record<string, string> = {
  packageId: 'Package',
  invoiceRef: 'Invoice reference',
  amount: 'Amount',
  sessionsDelivered: 'Sessions delivered',
  deliveredOn: 'Date the sessions were delivered',
  overReason: 'Reason for going over the agreed cost',
};

export interface SpendInput {
  packageId: string;
  invoiceRef: string;
  amountPence: number;
  sessionsDelivered: number;
  deliveredOn: string;
  /** How far past the agreed cost the package goes with this spend (0 when within it). */
  overPence: number;
  overReason?: string;
}

/**
 * Spend against one of the case's packages, dated within the package and not in the future. Spend that takes a
 * package past its agreed cost needs a reason.
 */
export function parseSpend(
  input: unknown,
  packages: readonly PackageRecord[],
  spentSoFar: (packageId: string) => number,
  today: string,
): SpendInput {
  const v = parseWith(
    z.object({
      packageId: z
        .string({ error: 'Choose the package.' })
        .refine((id) => packages.some((p) => p.id === id), { error: 'Choose one of this case’s packages.' }),
      invoiceRef: text(60),
      amount: pounds('the amount', 10_000_000),
      sessionsDelivered: z
        .union([z.string(), z.number()], { error: 'Enter the number of sessions delivered.' })
        .transform((x) => String(x).trim())
        .refine((x) => /^\d{1,3}$/.test(x) && Number(x) <= LIMITS.sessions, {
          error: `Enter a whole number of sessions from 0 to ${LIMITS.sessions}.`,
        })
        .transform(Number),
      deliveredOn: day.refine((d) => d <= today, { error: 'The date cannot be in the future.' }),
      overReason: text(LIMITS.comment, false).default(''),
    }),
    input,
    SPEND_LABELS,
  );
  const pkg = packages.find((p) => p.id === v.packageId)!;
  const problems = [];
  if (v.deliveredOn < pkg.startDate || v.deliveredOn > pkg.endDate) {
    problems.push({
      field: SPEND_LABELS.deliveredOn!,
      message: `The package runs from ${showDate(pkg.startDate)} to ${showDate(pkg.endDate)}: spend must fall within it.`,
    });
  }
  const after = spentSoFar(pkg.id) + v.amount;
  const overPence = Math.max(0, after - pkg.agreedPence);
  if (overPence > 0 && v.overReason === '') {
    problems.push({
      field: SPEND_LABELS.overReason!,
      message: `This takes the package ${formatPence(overPence)} over its agreed ${formatPence(pkg.agreedPence)}. Say why.`,
    });
  }
  if (problems.length) throw new EipError('invalid_input', undefined, problems);
  return {
    packageId: pkg.id,
    invoiceRef: v.invoiceRef,
    amountPence: v.amount,
    sessionsDelivered: v.sessionsDelivered,
    deliveredOn: v.deliveredOn,
    overPence,
    ...(overPence > 0 ? { overReason: v.overReason } : {}),
  };
}
