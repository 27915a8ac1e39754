// The provider directory's rules: what an admin may type for a provider, how a rate reads, and which (service,
// provider) pairs a proposal may choose from.
import { z } from 'zod';
import { formatPence } from './money';
import {
  INTERVENTION_LABELS,
  INTERVENTION_TYPES,
  RATE_UNITS,
  type InterventionType,
  type ProviderRecord,
  type RateUnit,
} from './types';
import { ANOTHER_PROVIDER, LIMITS, multi, oneOf, parseWith, pounds, serviceValue, text } from './validation';

/** What an admin types for a provider; the rest of the record (id, active, who and when) is not theirs to send. */
export interface ProviderInput {
  name: string;
  services: InterventionType[];
  ratePence: number;
  rateUnit: RateUnit;
  contact: string;
}

export const PROVIDER_LIMITS = { name: LIMITS.name, contact: LIMITS.shortText } as const;

export const PROVIDER_LABELS: Record<keyof ProviderInput, string> = {
  name: 'Name',
  services: 'Services offered',
  ratePence: 'Rate',
  rateUnit: 'Charged per',
  contact: 'Contact details',
};

export const RATE_UNIT_LABELS: Record<RateUnit, string> = { session: 'A session', day: 'A day' };

/** The provider form's answers: a name, at least one service from the catalogue, a rate in pounds, and a contact. */
export function parseProvider(input: unknown): ProviderInput {
  const raw = (input ?? {}) as Record<string, unknown>;
  const v = parseWith(
    z.object({
      name: text(PROVIDER_LIMITS.name),
      services: multi(INTERVENTION_TYPES, 'service'),
      ratePence: pounds('the rate'),
      rateUnit: oneOf(RATE_UNITS, 'whether the rate is per session or per day'),
      contact: text(
        PROVIDER_LIMITS.contact,
        true,
        'Give an email address or phone number for commissioning.',
      ),
    }),
    // The form's input is "rate"; in pence it is the record's ratePence.
    { ...raw, ratePence: raw.rate },
    PROVIDER_LABELS,
  );
  return {
    name: v.name,
    services: INTERVENTION_TYPES.filter((t) => v.services.includes(t)),
    ratePence: v.ratePence,
    rateUnit: v.rateUnit,
    contact: v.contact,
  };
}

/** "£45.00 a session" or "£550.00 a day". */
export const rateLine = (p: Pick<ProviderRecord, 'ratePence' | 'rateUnit'>) =>
  `${formatPence(p.ratePence)} a ${p.rateUnit}`;

/** The services a provider offers, as the catalogue names them. */
export const servicesLine = (p: Pick<ProviderRecord, 'services'>) =>
  p.services.map((s) => INTERVENTION_LABELS[s]).join(', ');

/** Two names are the same provider when they differ only in case, spacing or punctuation. */
export function sameName(a: string, b: string): boolean {
  const key = (s: string) =>
    s
      .toLocaleLowerCase('en-GB')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return key(a) === key(b);
}

/**
 * A readable id from a provider's name: "Oakwood Counselling Service" → "oakwood-counselling-service". Never the
 * word a proposal's service choice uses for "another provider".
 */
export function providerSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  if (slug === '') return 'provider';
  return slug === ANOTHER_PROVIDER ? 'other-provider' : slug;
}

export interface ServiceChoice {
  title: string;
  value: string;
}

/**
 * A proposal row's choices: for each service in catalogue order, the active providers that offer it (by name, with
 * their rate), then "another provider" to be named on the form.
 */
export function serviceChoices(providers: readonly ProviderRecord[]): ServiceChoice[] {
  const active = providers.filter((p) => p.active).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  return INTERVENTION_TYPES.flatMap((t) => [
    ...active
      .filter((p) => p.services.includes(t))
      .map((p) => ({
        title: `${INTERVENTION_LABELS[t]}: ${p.name} (${rateLine(p)})`,
        value: serviceValue(t, p.id),
      })),
    { title: `${INTERVENTION_LABELS[t]}: another provider (name it below)`, value: serviceValue(t) },
  ]);
}
