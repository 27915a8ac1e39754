// The provider directory: the co-ordinator and admins see it; only an admin adds, edits, deactivates or reactivates
// a provider. Every change is audited, and an edit made on an out-of-date form overwrites nothing.
import {
  EipError,
  hasRole,
  parseProvider,
  providerSlug,
  rateLine,
  sameName,
  type Person,
  type ProviderInput,
  type ProviderRecord,
} from '../../domain';
import { providersCard, type Card, type Tone } from '../../cards';
import { isStoreError } from '../../store/store';
import { providerRef } from '../action-data';
import { valuesOf } from '../forms';
import { audit } from '../records';
import { orRefill, type Ctx, type Handler } from '../handlers/context';
import { activeRef, editRef } from './action-data';
import { providerDirectory } from './directory';
import { providerFormCard, providerValues } from './forms';
import { providersView } from './views';

const mayChange = (p: Person) => hasRole(p, 'admin');

function assertMayView(p: Person): void {
  if (!hasRole(p, 'coordinator', 'admin'))
    throw new EipError(
      'forbidden',
      'Only the EIP co-ordinator and LA administrators can see the provider directory.',
    );
}

function assertMayChange(p: Person): void {
  if (!mayChange(p))
    throw new EipError('forbidden', 'Only an LA administrator can change the provider directory.');
}

async function listCard(ctx: Ctx, banner?: { text: string; tone: Tone }): Promise<Card> {
  return providersCard(providersView(await providerDirectory(ctx.deps), mayChange(ctx.actor.person), banner));
}

const gone = (ctx: Ctx) =>
  listCard(ctx, {
    text: 'That provider is not in the directory. Here is the directory as it stands.',
    tone: 'warning',
  });

/** What the audit trail says about a provider: ids, services and pence, as for every record. */
const summary = (p: ProviderInput) => `${p.services.join(', ')}; ${p.ratePence}p a ${p.rateUnit}`;

const services = (p: { services: readonly string[] }) => [...p.services].sort().join(', ');

const sameDetails = (p: ProviderRecord, i: ProviderInput) =>
  p.name === i.name &&
  services(p) === services(i) &&
  p.ratePence === i.ratePence &&
  p.rateUnit === i.rateUnit &&
  p.contact === i.contact;

/** The fields an edit changed, for the audit trail. */
function changes(before: ProviderRecord, after: ProviderInput): string[] {
  const out: string[] = [];
  if (before.name !== after.name) out.push('name');
  if (services(before) !== services(after)) out.push(`services ${services(before)} → ${services(after)}`);
  if (before.ratePence !== after.ratePence || before.rateUnit !== after.rateUnit)
    out.push(`rate ${before.ratePence}p a ${before.rateUnit} → ${after.ratePence}p a ${after.rateUnit}`);
  if (before.contact !== after.contact) out.push('contact');
  return out;
}

/** The name is already the directory's, by another entry: refused, naming that entry. */
function nameTaken(twin: ProviderRecord): EipError {
  return new EipError('invalid_input', undefined, [
    {
      field: 'Name',
      message: twin.active
        ? `${twin.name} is already in the directory. Edit that entry instead.`
        : `${twin.name} is already in the directory, inactive. Reactivate and edit that entry instead.`,
    },
  ]);
}

/** The list; the co-ordinator sees it read-only. */
export const providers: Handler = async (ctx) => {
  assertMayView(ctx.actor.person);
  return listCard(ctx);
};

/** The add form, or the edit form of the provider named, opened on its current version. */
export const providerForm: Handler = async (ctx) => {
  assertMayChange(ctx.actor.person);
  const { providerId } = providerRef(ctx.req.data);
  if (!providerId) return providerFormCard({});
  const found = await ctx.deps.store.providers.get(providerId);
  if (!found) return gone(ctx);
  return providerFormCard({
    editing: { providerId, eTag: found.eTag },
    values: providerValues(found.value),
  });
};

export const saveProvider: Handler = async (ctx) => {
  assertMayChange(ctx.actor.person);
  const editing = editRef(ctx.req.data);
  return orRefill(
    async () => {
      const input = parseProvider(ctx.req.data);
      return editing ? edit(ctx, editing.providerId, editing.eTag, input) : add(ctx, input);
    },
    (problems) =>
      providerFormCard({ ...(editing ? { editing } : {}), values: valuesOf(ctx.req.data), problems }),
  );
};

/**
 * A new provider, under an id made from its name. Creating is a claim: a second press of the same form, even one
 * that races the first, finds the provider it added and adds nothing.
 */
async function add(ctx: Ctx, input: ProviderInput): Promise<Card> {
  const { deps, actor } = ctx;
  const again = (p: ProviderRecord) => {
    if (!sameDetails(p, input)) throw nameTaken(p);
    return listCard(ctx, { text: `${p.name} is in the directory.`, tone: 'good' });
  };
  const twin = (await providerDirectory(deps)).find((p) => sameName(p.name, input.name));
  if (twin) return again(twin);
  const base = providerSlug(input.name);
  const record: ProviderRecord = {
    id: base,
    ...input,
    active: true,
    updatedBy: actor.person.aadObjectId,
    updatedAt: deps.now().toISOString(),
  };
  for (let n = 1; ; n += 1) {
    const id = n === 1 ? base : `${base}-${n}`;
    try {
      await deps.store.providers.create({ ...record, id });
    } catch (e) {
      if (!isStoreError(e, 'exists') || n >= 20) throw e;
      const taken = await deps.store.providers.get(id);
      if (taken && sameName(taken.value.name, input.name)) return again(taken.value);
      continue;
    }
    await audit(deps, actor, 'provider-add', undefined, `${id} added (${summary(input)})`);
    deps.log.info({ providerId: id }, 'provider added');
    return listCard(ctx, { text: `${input.name} added to the directory.`, tone: 'good' });
  }
}

/** An edit, saved only if nobody changed the provider since the form was opened. */
async function edit(ctx: Ctx, providerId: string, eTag: string, input: ProviderInput): Promise<Card> {
  const { deps, actor } = ctx;
  const found = await deps.store.providers.get(providerId);
  if (!found) return gone(ctx);
  const stale = () =>
    listCard(ctx, {
      text: `${found.value.name} was changed by someone else after you opened the form, so your changes were not saved. Press Edit to start from its details as they are now.`,
      tone: 'warning',
    });
  if (found.eTag !== eTag) return stale();
  const twin = (await providerDirectory(deps)).find(
    (p) => p.id !== providerId && sameName(p.name, input.name),
  );
  if (twin) throw nameTaken(twin);
  const changed = changes(found.value, input);
  if (changed.length === 0) return listCard(ctx, { text: `No changes to ${input.name}.`, tone: 'default' });
  try {
    await deps.store.providers.replace(
      { ...found.value, ...input, updatedBy: actor.person.aadObjectId, updatedAt: deps.now().toISOString() },
      eTag,
    );
  } catch (e) {
    if (isStoreError(e, 'stale') || isStoreError(e, 'missing')) return stale();
    throw e;
  }
  await audit(deps, actor, 'provider-edit', undefined, `${providerId} edited: ${changed.join('; ')}`);
  return listCard(ctx, { text: `${input.name}: changes saved (${rateLine(input)}).`, tone: 'good' });
}

/** Deactivating keeps the provider and its history but offers it for no new proposal; reactivating undoes it. */
export const setProviderActive: Handler = async (ctx) => {
  const { deps, actor } = ctx;
  assertMayChange(actor.person);
  const { providerId, active } = activeRef(ctx.req.data);
  const found = await deps.store.providers.get(providerId);
  if (!found) return gone(ctx);
  const p = found.value;
  const state = active ? 'active' : 'inactive';
  if (p.active === active) return listCard(ctx, { text: `${p.name} is already ${state}.`, tone: 'default' });
  try {
    await deps.store.providers.replace(
      { ...p, active, updatedBy: actor.person.aadObjectId, updatedAt: deps.now().toISOString() },
      found.eTag,
    );
  } catch (e) {
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
    return listCard(ctx, {
      text: `${p.name} was changed by someone else a moment ago, so nothing was changed. Here it is as it stands now.`,
      tone: 'warning',
    });
  }
  await audit(
    deps,
    actor,
    active ? 'provider-reactivate' : 'provider-deactivate',
    undefined,
    `${providerId} ${active ? 'reactivated' : 'deactivated'}`,
  );
  return listCard(ctx, {
    text: active
      ? `${p.name} reactivated: new proposals can choose it again.`
      : `${p.name} deactivated: new proposals can no longer choose it. Proposals already sent are unchanged.`,
    tone: active ? 'good' : 'default',
  });
};
