// The provider directory as a card: read-only for the co-ordinator, with the admin's buttons for an admin.
import { rateLine, servicesLine, type ProviderRecord } from '../../domain';
import { action, type CardAction, type ProvidersCardData, type Tone } from '../../cards';

export function providersView(
  list: readonly ProviderRecord[],
  mayChange: boolean,
  banner?: { text: string; tone: Tone },
): ProvidersCardData {
  // Active providers first, each group by name.
  const sorted = [...list].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'en-GB'),
  );
  const active = list.filter((p) => p.active).length;
  const inactive = list.length - active;
  const counts =
    list.length === 0
      ? 'No providers in the directory yet.'
      : `${active} active provider${active === 1 ? '' : 's'}${inactive ? `, ${inactive} inactive` : ''}. Proposals offer only active providers, for the services they offer.`;
  return {
    title: 'Provider directory',
    summary: mayChange ? counts : `${counts} Only an LA administrator can change the directory.`,
    ...(banner ? { banner } : {}),
    rows: sorted.map((p) => ({
      name: p.name,
      contact: p.contact || 'none given',
      services: servicesLine(p),
      rate: rateLine(p),
      active: p.active,
      actions: mayChange ? rowActions(p) : [],
    })),
    actions: [
      ...(mayChange ? [action('Add provider', 'providerForm', {}, 'positive')] : []),
      action('Help', 'help'),
    ],
  };
}

const rowActions = (p: ProviderRecord): CardAction[] => [
  action('Edit', 'providerForm', { providerId: p.id }),
  p.active
    ? action('Deactivate', 'setProviderActive', { providerId: p.id, active: 'false' }, 'destructive')
    : action('Reactivate', 'setProviderActive', { providerId: p.id, active: 'true' }),
];
