// "I'm away": a panel member names another head, one not on the panel, to vote in their place for a period, or an
// admin does it for them. The substitute is told; every change is audited; a substitution that ends (on its last day, or early)
// hands the votes still open back to the member, who is told which.
import { randomUUID } from 'node:crypto';
import {
  EipError,
  checkSubstitution,
  hasRole,
  isOver,
  mayStandIn,
  showDate,
  type SubstitutionRecord,
} from '../../domain';
import { action, formCard, noticeCard, type Card, type CardAction } from '../../cards';
import { isStoreError, type Stored } from '../../store/store';
import { valuesOf, type Values } from '../forms';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';
import { audit, voteId } from '../records';
import { tellEach } from '../outbox/messages';
import { settleOwed } from '../outbox/outbox';
import { orRefill, type Handler } from '../handlers/context';
import { nameOf, substitutions, todayOf } from './state';

const lower = (id: string) => id.toLowerCase();

/**
 * Only panel members and admins name substitutes or end absences. A head standing in for a member is told why not in
 * their own terms: a substitute cannot name a substitute.
 */
async function assertMayName(deps: AppDeps, actor: Actor): Promise<void> {
  if (hasRole(actor.person, 'panel', 'admin')) return;
  const today = todayOf(deps);
  const me = lower(actor.person.aadObjectId);
  const standing = (await substitutions(deps)).find((s) => lower(s.substitute) === me && !isOver(s, today));
  if (standing)
    throw new EipError(
      'forbidden',
      `You are standing in for ${nameOf(deps, standing.member)} on the EIP panel from ${showDate(standing.from)} to ${showDate(standing.to)}. A substitute cannot name a substitute; ${nameOf(deps, standing.member)} or an admin can change that absence.`,
    );
  throw new EipError('forbidden', 'Only panel members, or an admin for them, can name a substitute.');
}

/** Whose absence this is: a member's own, or for an admin the member chosen (checked against the directory). */
function memberFor(actor: Actor, values: Values): string {
  const chosen = (values.member ?? '').trim();
  if (hasRole(actor.person, 'admin') && chosen) return lower(chosen);
  if (hasRole(actor.person, 'panel')) return lower(actor.person.aadObjectId);
  throw new EipError('invalid_input', undefined, [
    { field: 'Panel member', message: 'Choose the member who is away.' },
  ]);
}

/** Who may end a substitution early: the member who is away, or an admin. */
const mayEnd = (actor: Actor, s: SubstitutionRecord) =>
  hasRole(actor.person, 'admin') || lower(actor.person.aadObjectId) === lower(s.member);

/** The "I'm away" form, with the absences already set that this person may end. */
export async function awayFormCard(
  deps: AppDeps,
  actor: Actor,
  state: { values?: Values; problems?: EipError['problems']; banner?: string } = {},
): Promise<Card> {
  const v = state.values ?? {};
  const me = lower(actor.person.aadObjectId);
  const admin = hasRole(actor.person, 'admin');
  // Heads not on the panel: a panel member already has a vote of their own.
  const heads = deps.directory.people.filter(mayStandIn);
  const today = todayOf(deps);
  const current = (await substitutions(deps))
    .filter((s) => !isOver(s, today) && mayEnd(actor, s))
    .sort((a, b) => a.from.localeCompare(b.from));
  // Button titles are kept short to fit a phone (the note above names each absence in full): "End my absence, 30 Nov",
  // or for an admin "End absence: Grace, 30 Nov".
  const ends: CardAction[] = current.map((s) => {
    const from = showDate(s.from).replace(/ \d{4}$/, '');
    const whose =
      admin && lower(s.member) !== me ? `absence: ${nameOf(deps, s.member).split(' ')[0]},` : 'my absence,';
    return action(`End ${whose} ${from}`, 'endAway', { substitutionId: s.id }, 'destructive');
  });
  return formCard({
    title: "I'm away: name a substitute",
    subtitle:
      state.banner ??
      "While you're away your substitute, a head not on the panel, votes in your place and gets your reminders; you are not reminded. Votes still open when it ends come back to you.",
    problems: state.problems ?? [],
    fields: [
      {
        kind: 'note',
        label: current.length
          ? `Set: ${current.map((s) => `${nameOf(deps, s.member)} away ${showDate(s.from)} to ${showDate(s.to)}, ${nameOf(deps, s.substitute)} votes`).join('; ')}`
          : 'No absences are set.',
      },
      ...(admin
        ? [
            {
              kind: 'choice' as const,
              id: 'member',
              label: 'Panel member who is away',
              choices: deps.directory.people
                .filter((p) => hasRole(p, 'panel'))
                .map((p) => ({ title: p.name, value: p.aadObjectId })),
              value: v.member ?? (hasRole(actor.person, 'panel') ? actor.person.aadObjectId : ''),
            },
          ]
        : []),
      {
        kind: 'choice',
        id: 'substitute',
        label: 'Substitute',
        required: true,
        choices: heads.map((p) => ({ title: p.name, value: p.aadObjectId })),
        value: v.substitute ?? '',
      },
      { kind: 'date', id: 'from', label: 'From', required: true, value: v.from ?? '' },
      { kind: 'date', id: 'to', label: 'Until', required: true, value: v.to ?? '' },
    ],
    actions: [action('Name substitute', 'saveAway', {}, 'positive'), ...ends, action('Help', 'help')],
  });
}

export const awayForm: Handler = async ({ deps, actor }) => {
  await assertMayName(deps, actor);
  return awayFormCard(deps, actor);
};

/**
 * Two overlapping substitutions saved at the same moment (two presses, two instances) both passed the check before
 * either was written. Checked again after the write, the store's order (oldest first) decides: a record that clashes
 * with one written before it takes itself away again, and its sender is told; nobody else was told of it yet.
 */
async function keepUnlessOverlapped(deps: AppDeps, record: SubstitutionRecord): Promise<void> {
  const all = (await deps.store.substitutions.find()).map((x) => x.value);
  const earlier = all.slice(
    0,
    Math.max(
      0,
      all.findIndex((x) => x.id === record.id),
    ),
  );
  const problems = checkSubstitution(record, { directory: deps.directory, existing: earlier, today: '' });
  if (!problems.length) return;
  const mine = await deps.store.substitutions.get(record.id);
  if (mine) await deps.store.substitutions.remove(record.id, mine.eTag);
  throw new EipError(
    'invalid_input',
    undefined,
    problems.map((p) => ({
      ...p,
      message: `Another absence was saved at the same moment, so yours was not kept: ${p.message}`,
    })),
  );
}

export const saveAway: Handler = async ({ deps, actor, req }) => {
  await assertMayName(deps, actor);
  const values = valuesOf(req.data);
  return orRefill(
    async () => {
      const member = memberFor(actor, values);
      const input = {
        member,
        substitute: lower((values.substitute ?? '').trim()),
        from: (values.from ?? '').trim(),
        to: (values.to ?? '').trim(),
      };
      const problems = checkSubstitution(input, {
        directory: deps.directory,
        existing: await substitutions(deps),
        today: todayOf(deps),
      });
      if (problems.length) throw new EipError('invalid_input', undefined, problems);
      const at = deps.now().toISOString();
      const record: SubstitutionRecord = {
        id: randomUUID(),
        ...input,
        setBy: lower(actor.person.aadObjectId),
        setAt: at,
      };
      await deps.store.substitutions.create(record);
      await keepUnlessOverlapped(deps, record);
      await audit(
        deps,
        actor,
        'name-substitute',
        undefined,
        `${member} away ${input.from} to ${input.to}; ${input.substitute} votes in their place`,
        { after: `${input.from}..${input.to}` },
      );
      const m = nameOf(deps, member);
      const s = nameOf(deps, input.substitute);
      const when = `from ${showDate(input.from)} to ${showDate(input.to)}`;
      // The substitute is told, and the member too when an admin set it for them.
      await settleOwed(deps, [
        ...tellEach(
          `substitution:${record.id}:set`,
          at,
          [input.substitute],
          noticeCard({
            title: `You are ${m}'s substitute on the EIP panel`,
            text: `${m} is away ${when}. You vote in their place on the panel's proposals then (not on any your own school raised), and get their reminders here. Type 'my cases' to see the proposals waiting on the vote you hold: each opens the panel's card, and its buttons vote for ${m}.`,
            tone: 'accent',
            actions: [action('My cases', 'myCases')],
          }),
        ),
        ...(member === lower(actor.person.aadObjectId)
          ? []
          : tellEach(
              `substitution:${record.id}:set`,
              at,
              [member],
              noticeCard({
                title: `${s} votes for you on the EIP panel`,
                text: `An admin has recorded you as away ${when}. ${s} votes in your place then; you are not reminded.`,
                tone: 'accent',
              }),
            )),
      ]);
      return awayFormCard(deps, actor, {
        banner: `${s} votes for ${member === lower(actor.person.aadObjectId) ? 'you' : m} ${when}. ${s} has been told.`,
      });
    },
    async (problems) => {
      // A refused form is audited like any refusal: who, what, and which answers (never what they typed).
      await audit(
        deps,
        actor,
        'saveAway',
        undefined,
        `invalid_input: ${[...new Set(problems.map((p) => p.field))].join(', ')}`,
        { outcome: 'refused' },
      );
      return awayFormCard(deps, actor, { values, problems });
    },
  );
};

export const endAway: Handler = async ({ deps, actor, req }) => {
  await assertMayName(deps, actor);
  const id = typeof req.data.substitutionId === 'string' ? req.data.substitutionId : '';
  const found = id ? await deps.store.substitutions.get(id) : undefined;
  if (!found) return awayFormCard(deps, actor, { banner: 'That absence is no longer set.' });
  if (!mayEnd(actor, found.value))
    throw new EipError('forbidden', 'Only the member who is away, or an admin, can end that absence.');
  const today = todayOf(deps);
  if (isOver(found.value, today))
    return awayFormCard(deps, actor, { banner: 'That absence has already ended.' });
  let ended: Stored<SubstitutionRecord>;
  try {
    ended = await deps.store.substitutions.replace(
      { ...found.value, endedAt: deps.now().toISOString(), endedBy: lower(actor.person.aadObjectId) },
      found.eTag,
    );
  } catch (e) {
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
    return awayFormCard(deps, actor, {
      banner: 'That absence was changed a moment ago; here is how it stands.',
    });
  }
  await audit(
    deps,
    actor,
    'end-substitute',
    undefined,
    `${found.value.member}'s substitution ${id} ended early`,
    {
      before: `${found.value.from}..${found.value.to}`,
      after: 'ended',
    },
  );
  const back = await handBack(deps, ended, actor);
  return awayFormCard(deps, actor, {
    banner: `Ended. ${back.length ? `The votes still open (${back.join(', ')}) are back with ${nameOf(deps, found.value.member)}.` : 'No votes were open.'}`,
  });
};

/**
 * A substitution is over: the votes still open that the substitute had not cast go back to the member, who is told
 * which (once: the message's key is the substitution's), and the hand-back is audited. Answers the references.
 */
export async function handBack(
  deps: AppDeps,
  stored: Stored<SubstitutionRecord>,
  by: Actor | string,
): Promise<string[]> {
  const s = stored.value;
  if (s.handedBackAt) return [];
  const member = deps.directory.person(s.member);
  const open = member
    ? (await deps.store.cases.find({ status: 'proposed' }))
        .map((c) => c.value)
        .filter((c) => c.schoolId !== member.schoolId)
    : [];
  const votes = await Promise.all(open.map((c) => deps.store.votes.get(voteId(c.id, c.round, s.member))));
  const refs = open
    .filter((_, i) => !votes[i])
    .map((c) => c.ref)
    .sort();
  const at = deps.now().toISOString();
  const m = nameOf(deps, s.member);
  const sub = nameOf(deps, s.substitute);
  await settleOwed(deps, [
    ...tellEach(
      `substitution:${s.id}:handback`,
      at,
      [s.member],
      noticeCard({
        title: 'Your panel vote is back with you',
        text: refs.length
          ? `${sub} no longer votes in your place. Still open and waiting on your vote: ${refs.join(', ')}.`
          : `${sub} no longer votes in your place. No proposals are waiting on your vote.`,
        tone: 'accent',
        actions: [action('My cases', 'myCases')],
      }),
    ),
    ...tellEach(
      `substitution:${s.id}:handback`,
      at,
      [s.substitute],
      noticeCard({
        title: `You no longer vote for ${m}`,
        text: `Your time as ${m}'s substitute on the EIP panel has ended; their votes still open are back with them.`,
      }),
    ),
  ]);
  try {
    await deps.store.substitutions.replace({ ...s, handedBackAt: at }, stored.eTag);
  } catch (e) {
    // Another sweep or an early end handed it back a moment ago: the messages' keys kept them to one each.
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
    return refs;
  }
  await audit(
    deps,
    by,
    'substitute-handback',
    undefined,
    `${s.member}'s substitution ${s.id} over; ${refs.length} open vote(s) handed back${refs.length ? `: ${refs.join(', ')}` : ''}`,
    {
      after: 'handed back',
    },
  );
  return refs;
}

/** `away` shows the form. */
export async function awayCommand(deps: AppDeps, actor: Actor): Promise<Card> {
  await assertMayName(deps, actor);
  return awayFormCard(deps, actor);
}
