// The form an admin adds or edits a provider with. A refused form comes back with what was typed.
import {
  INTERVENTION_LABELS,
  INTERVENTION_TYPES,
  PROVIDER_LIMITS,
  RATE_UNITS,
  RATE_UNIT_LABELS,
  LIMITS,
  type FieldProblem,
  type ProviderRecord,
} from '../../domain';
import { action, formCard, type Card } from '../../cards';
import type { Values } from '../forms';

const serviceChoices = INTERVENTION_TYPES.map((t) => ({ title: INTERVENTION_LABELS[t], value: t }));
const unitChoices = RATE_UNITS.map((u) => ({ title: RATE_UNIT_LABELS[u], value: u }));

/** A provider's details as its form takes them. */
export const providerValues = (p: ProviderRecord): Values => ({
  name: p.name,
  services: p.services.join(','),
  rate: (p.ratePence / 100).toFixed(2),
  rateUnit: p.rateUnit,
  contact: p.contact,
});

export interface ProviderFormState {
  /** The provider being edited and the version the form was opened on; absent when adding one. */
  editing?: { providerId: string; eTag: string };
  values?: Values;
  problems?: FieldProblem[];
}

export function providerFormCard({ editing, values = {}, problems = [] }: ProviderFormState): Card {
  const v = (id: string, fallback = '') => values[id] ?? fallback;
  return formCard({
    title: editing ? 'Edit a provider' : 'Add a provider',
    subtitle: editing
      ? 'Proposals already sent keep the rate they were sent with; new proposals use these details.'
      : 'Proposals offer this provider for the services ticked, at this rate.',
    problems,
    fields: [
      {
        kind: 'text',
        id: 'name',
        label: 'Name',
        maxLength: PROVIDER_LIMITS.name,
        required: true,
        value: v('name'),
      },
      {
        kind: 'choice',
        id: 'services',
        label: 'Services offered',
        choices: serviceChoices,
        multiSelect: true,
        expanded: true,
        required: true,
        value: v('services'),
      },
      {
        kind: 'number',
        id: 'rate',
        label: 'Rate (£)',
        min: 0,
        max: LIMITS.unitCostPence / 100,
        required: true,
        placeholder: 'e.g. 45.00',
        value: v('rate'),
      },
      {
        kind: 'choice',
        id: 'rateUnit',
        label: 'Charged per',
        choices: unitChoices,
        expanded: true,
        required: true,
        value: v('rateUnit', 'session'),
      },
      {
        kind: 'text',
        id: 'contact',
        label: 'Contact details',
        maxLength: PROVIDER_LIMITS.contact,
        required: true,
        placeholder: 'Email address and/or phone number',
        value: v('contact'),
      },
    ],
    actions: [
      editing
        ? action('Save changes', 'saveProvider', editing, 'positive')
        : action('Add provider', 'saveProvider', {}, 'positive'),
      action('Cancel', 'providers'),
    ],
  });
}
