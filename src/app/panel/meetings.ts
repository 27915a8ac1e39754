// The admin sets the panel's meeting dates: one by one, or from a rule such as "every third Wednesday in term". The
// cut-off for papers is worked out in school days before each meeting (or given). A date that is not a school day
// is set only once the admin confirms it; everything else that is wrong comes back on the form, and nothing is set.
import {
  EipError,
  checkMeeting,
  datesFromRule,
  proposalMovedTo,
  hasRole,
  showDate,
  type MeetingRecord,
} from '../../domain';
import { action, formCard, noticeCard, type Card, type Tone } from '../../cards';
import { isStoreError, type Stored } from '../../store/store';
import { chatCard } from '../outbox/messages';
import { settleOwed } from '../outbox/outbox';
import { valuesOf, type Values } from '../forms';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';
import { audit, decisionId, proposalId } from '../records';
import { orRefill, type Handler } from '../handlers/context';
import { cutOffSchoolDays, meetings, todayOf } from './state';

function assertAdmin(actor: Actor): void {
  if (!hasRole(actor.person, 'admin'))
    throw new EipError('forbidden', "Only an LA admin can set the panel's meeting dates.");
}

const STATUS_WORDS: Record<MeetingRecord['status'], string> = {
  scheduled: 'scheduled',
  'agenda-sent': 'agenda sent',
  summarised: 'held, summary sent',
};

/** The form: the meetings already set, then a date (and its own cut-off) or a rule. */
export async function meetingFormCard(
  deps: AppDeps,
  state: { values?: Values; problems?: EipError['problems']; banner?: string } = {},
): Promise<Card> {
  const v = state.values ?? {};
  const set = (await meetings(deps)).filter((m) => m.date >= todayOf(deps));
  const changeable = set.filter((m) => m.status !== 'summarised');
  const days = cutOffSchoolDays(deps);
  return formCard({
    title: 'Panel meetings',
    subtitle:
      state.banner ??
      `Proposals sent before a meeting's cut-off (${days} school days before it) go on its agenda; later ones wait for the next meeting. Without meetings set, each proposal is voted on as it arrives.`,
    problems: state.problems ?? [],
    fields: [
      {
        kind: 'note',
        label: set.length
          ? `Set: ${set.map((m) => `${showDate(m.date)} (cut-off ${showDate(m.cutOff)}, ${STATUS_WORDS[m.status]})`).join('; ')}`
          : 'No meetings are set.',
      },
      { kind: 'date', id: 'date', label: 'Meeting date', value: v.date ?? '' },
      { kind: 'date', id: 'cutOff', label: 'Cut-off (leave empty to work it out)', value: v.cutOff ?? '' },
      {
        kind: 'text',
        id: 'rule',
        label: 'Or a rule',
        maxLength: 120,
        placeholder: 'every third Wednesday in term until 2027-07-21',
        value: v.rule ?? '',
      },
      // Each meeting still to come can be cancelled, or moved to another date.
      ...(changeable.length
        ? [
            {
              kind: 'choice' as const,
              id: 'meetingId',
              label: 'Change a meeting',
              choices: changeable.map((m) => ({ title: showDate(m.date), value: m.id })),
              value: v.meetingId ?? '',
            },
            { kind: 'date' as const, id: 'moveTo', label: 'Move it to', value: v.moveTo ?? '' },
          ]
        : []),
    ],
    actions: [
      action('Set meetings', 'saveMeeting', {}, 'positive'),
      ...(changeable.length
        ? [
            action('Move meeting', 'moveMeeting'),
            action('Cancel meeting', 'cancelMeeting', {}, 'destructive'),
          ]
        : []),
      action('Help', 'help'),
    ],
  });
}

export const meetingForm: Handler = async ({ deps, actor }) => {
  assertAdmin(actor);
  return meetingFormCard(deps);
};

/** Stores one meeting; a date already taken (by another admin a moment ago) is refused as on the form. */
async function store(
  deps: AppDeps,
  actor: Actor,
  m: Pick<MeetingRecord, 'id' | 'date' | 'cutOff' | 'nonSchoolDay'>,
) {
  try {
    await deps.store.meetings.create({
      ...m,
      status: 'scheduled',
      setBy: actor.person.aadObjectId,
      setAt: deps.now().toISOString(),
    });
  } catch (e) {
    if (!isStoreError(e, 'exists')) throw e;
    // A date whose meeting was cancelled (or moved away) may be set again.
    const was = await deps.store.meetings.get(m.id);
    if (was?.value.cancelledAt) {
      await deps.store.meetings.replace(
        { ...m, status: 'scheduled', setBy: actor.person.aadObjectId, setAt: deps.now().toISOString() },
        was.eTag,
      );
      await audit(
        deps,
        actor,
        'set-meeting',
        undefined,
        `panel meeting ${m.date}, cut-off ${m.cutOff} (set again)`,
        {
          after: m.date,
        },
      );
      return;
    }
    throw new EipError('invalid_input', undefined, [
      { field: 'Meeting date', message: `A meeting is already set for ${showDate(m.date)}.` },
    ]);
  }
  await audit(
    deps,
    actor,
    'set-meeting',
    undefined,
    `panel meeting ${m.date}, cut-off ${m.cutOff}${m.nonSchoolDay ? ', not a school day (confirmed)' : ''}`,
    { after: m.date },
  );
}

/** Sets the meetings the answers ask for; answers what to tell the admin. */
export async function setMeetings(
  deps: AppDeps,
  actor: Actor,
  values: Values,
): Promise<{ text: string; tone: Tone; confirm?: Values }> {
  assertAdmin(actor);
  const today = todayOf(deps);
  const existing = await meetings(deps);
  const ctx = {
    today,
    calendar: deps.directory.calendar,
    cutOffSchoolDays: cutOffSchoolDays(deps),
    existing,
  };
  const rule = (values.rule ?? '').trim();
  const date = (values.date ?? '').trim();
  if (rule && date)
    throw new EipError('invalid_input', undefined, [
      { field: 'Or a rule', message: 'Give a meeting date or a rule, not both.' },
    ]);
  if (rule) {
    const terms = deps.directory.terms;
    const made = datesFromRule(rule, { ...ctx, lastTermEnd: terms[terms.length - 1]?.end });
    if ('problem' in made)
      throw new EipError('invalid_input', undefined, [{ field: 'Or a rule', message: made.problem }]);
    const fresh = made.dates.filter((d) => !existing.some((m) => m.date === d));
    // Every date is checked, against those set and the rule's own earlier ones, before any is stored: a rule whose
    // cut-offs would overlap its meetings sets nothing.
    const ok: NonNullable<ReturnType<typeof checkMeeting>['meeting']>[] = [];
    for (const d of fresh) {
      const c = checkMeeting(
        { date: d, confirmed: true },
        {
          ...ctx,
          existing: [
            ...existing,
            ...ok.map((m) => ({ ...m, status: 'scheduled' as const, setBy: '', setAt: '' })),
          ],
        },
      );
      if (c.problems.length)
        throw new EipError('invalid_input', undefined, [
          { field: 'Or a rule', message: `${showDate(d)}: ${c.problems.map((p) => p.message).join(' ')}` },
        ]);
      ok.push(c.meeting!);
    }
    for (const m of ok) await store(deps, actor, m);
    const skipped = made.dates.length - fresh.length;
    return {
      text: [
        `${ok.length} meeting${ok.length === 1 ? '' : 's'} set, from ${showDate(made.dates[0]!)} to ${showDate(made.dates[made.dates.length - 1]!)}${skipped ? ` (${skipped} already set)` : ''}.`,
        ...made.notes,
      ].join(' '),
      tone: 'good',
    };
  }
  const check = checkMeeting(
    { date, ...(values.cutOff ? { cutOff: values.cutOff } : {}), confirmed: values.confirm === 'yes' },
    ctx,
  );
  if (check.problems.length) throw new EipError('invalid_input', undefined, check.problems);
  if (check.warning) return { text: check.warning, tone: 'warning', confirm: { ...values, confirm: 'yes' } };
  await store(deps, actor, check.meeting!);
  return {
    text: `Panel meeting set for ${showDate(check.meeting!.date)}, with the cut-off for papers on ${showDate(check.meeting!.cutOff)}.`,
    tone: 'good',
  };
}

/** What the admin sees after asking: a warning to confirm, or the form again with what is now set. */
async function answer(deps: AppDeps, said: Awaited<ReturnType<typeof setMeetings>>): Promise<Card> {
  if (said.confirm)
    return noticeCard({
      title: 'That day is not a school day',
      text: said.text,
      tone: 'warning',
      actions: [
        action('Set it anyway', 'saveMeeting', said.confirm, 'positive'),
        action('Choose another date', 'meetingForm'),
      ],
    });
  return meetingFormCard(deps, { banner: said.text });
}

/** The form again with what to fix; a refused form is audited like any refusal (which answers, never what was typed). */
async function refill(
  deps: AppDeps,
  actor: Actor,
  values: Values,
  problems: EipError['problems'],
  verb = 'saveMeeting',
): Promise<Card> {
  await audit(
    deps,
    actor,
    verb,
    undefined,
    `invalid_input: ${[...new Set(problems.map((p) => p.field))].join(', ')}`,
    { outcome: 'refused' },
  );
  return meetingFormCard(deps, { values, problems });
}

export const saveMeeting: Handler = async ({ deps, actor, req }) => {
  assertAdmin(actor);
  const values = valuesOf(req.data);
  return orRefill(
    async () => answer(deps, await setMeetings(deps, actor, values)),
    (problems) => refill(deps, actor, values, problems),
  );
};

/** `meetings` shows the form; `meetings <date>` or `meetings <rule>` sets them straight away. */
export async function meetingsCommand(deps: AppDeps, actor: Actor, rest: string): Promise<Card> {
  assertAdmin(actor);
  if (!rest) return meetingFormCard(deps);
  const [first, second] = rest.split(' ');
  const values: Values = /^\d{4}-\d{2}-\d{2}$/.test(first ?? '')
    ? { date: first!, ...(second === 'confirm' ? { confirm: 'yes' } : {}) }
    : { rule: rest };
  return orRefill(
    async () => answer(deps, await setMeetings(deps, actor, values)),
    (problems) => refill(deps, actor, values, problems),
  );
}

/** The meeting an admin chose to change: one set and still to come, read from the store (never from the card). */
async function changeable(deps: AppDeps, values: Values): Promise<Stored<MeetingRecord>> {
  const id = (values.meetingId ?? '').trim();
  const found = id ? await deps.store.meetings.get(id) : undefined;
  if (!found || found.value.cancelledAt)
    throw new EipError('invalid_input', undefined, [
      { field: 'Change a meeting', message: id ? 'That meeting is no longer set.' : 'Choose a meeting.' },
    ]);
  if (found.value.date < todayOf(deps) || found.value.status === 'summarised')
    throw new EipError('invalid_input', undefined, [
      { field: 'Change a meeting', message: `The meeting on ${showDate(found.value.date)} has been held.` },
    ]);
  return found;
}

/**
 * The proposals still open that wait for a meeting: those on it, and those carried to its date. Each moves to the
 * target's date (audited), so its panel card, the work tray and its reminders follow; without a target they keep
 * the date, and the sweep moves them to the next meeting set once it passes.
 */
async function moveProposals(
  deps: AppDeps,
  actor: Actor,
  from: MeetingRecord,
  to?: MeetingRecord,
): Promise<string[]> {
  const moved: string[] = [];
  if (!to) return moved;
  for (const c of await deps.store.cases.find({ status: 'proposed' })) {
    const p = await deps.store.proposals.get(proposalId(c.value.id, c.value.round));
    if (!p || (p.value.meetingId !== from.id && p.value.deadline !== from.date)) continue;
    if (await deps.store.decisions.get(decisionId(c.value.id, c.value.round))) continue;
    await deps.store.proposals.replace(
      proposalMovedTo(p.value, to.date, p.value.meetingId === from.id ? to.id : undefined),
      p.eTag,
    );
    await audit(
      deps,
      actor,
      'panel-carry-over',
      c.value.id,
      `round ${c.value.round}: meeting ${from.date} cancelled or moved, now decided by ${to.date}`,
    );
    moved.push(c.value.ref);
  }
  return moved;
}

/** Marks a meeting cancelled (or moved), owing the panel chat its notice with the change, then sends it. */
async function withdrawMeeting(
  deps: AppDeps,
  actor: Actor,
  m: Stored<MeetingRecord>,
  text: string,
  movedTo?: string,
): Promise<void> {
  const at = deps.now().toISOString();
  const owed = [
    chatCard(
      `meeting:${m.value.id}:${movedTo ? `moved:${movedTo}` : 'cancelled'}:${at}`,
      at,
      noticeCard({
        title: movedTo ? 'Panel meeting moved' : 'Panel meeting cancelled',
        text,
        tone: 'warning',
      }),
    ),
  ];
  try {
    await deps.store.meetings.replace(
      {
        ...m.value,
        cancelledAt: at,
        cancelledBy: actor.person.aadObjectId,
        ...(movedTo ? { movedTo } : {}),
        outbox: owed,
      },
      m.eTag,
    );
  } catch (e) {
    if (!isStoreError(e, 'stale') && !isStoreError(e, 'missing')) throw e;
    throw new EipError('invalid_input', undefined, [
      {
        field: 'Change a meeting',
        message: 'That meeting was changed a moment ago; look at the list again.',
      },
    ]);
  }
  await audit(
    deps,
    actor,
    movedTo ? 'move-meeting' : 'cancel-meeting',
    undefined,
    `panel meeting ${m.value.date}${movedTo ? ` moved to ${movedTo}` : ' cancelled'}`,
    { before: m.value.date, ...(movedTo ? { after: movedTo } : {}) },
  );
  await settleOwed(deps, owed);
}

export const cancelMeeting: Handler = async ({ deps, actor, req }) => {
  assertAdmin(actor);
  const values = valuesOf(req.data);
  return orRefill(
    async () => {
      const m = await changeable(deps, values);
      const next = (await meetings(deps)).find((x) => x.date > m.value.date);
      const where = next
        ? `Proposals waiting for it now go to the meeting on ${showDate(next.date)}.`
        : 'No later meeting is set: proposals waiting for it go to the next meeting once one is set.';
      await withdrawMeeting(
        deps,
        actor,
        m,
        `The panel meeting on ${showDate(m.value.date)} is cancelled. ${where}`,
      );
      const moved = await moveProposals(deps, actor, m.value, next);
      return meetingFormCard(deps, {
        banner: `The meeting on ${showDate(m.value.date)} is cancelled, and the panel chat told. ${where}${moved.length ? ` Moved: ${moved.join(', ')}.` : ''}`,
      });
    },
    (problems) => refill(deps, actor, values, problems, 'cancelMeeting'),
  );
};

export const moveMeeting: Handler = async ({ deps, actor, req }) => {
  assertAdmin(actor);
  const values = valuesOf(req.data);
  return orRefill(
    async () => {
      const m = await changeable(deps, values);
      const to = (values.moveTo ?? '').trim();
      const others = (await meetings(deps)).filter((x) => x.id !== m.value.id);
      const check = checkMeeting(
        { date: to, confirmed: true },
        {
          today: todayOf(deps),
          calendar: deps.directory.calendar,
          cutOffSchoolDays: cutOffSchoolDays(deps),
          existing: others,
        },
      );
      if (check.problems.length)
        throw new EipError(
          'invalid_input',
          undefined,
          check.problems.map((p) => ({ ...p, field: 'Move it to' })),
        );
      const fresh = check.meeting!;
      await withdrawMeeting(
        deps,
        actor,
        m,
        `The panel meeting on ${showDate(m.value.date)} has moved to ${showDate(fresh.date)}; the cut-off for papers is ${showDate(fresh.cutOff)}.`,
        fresh.date,
      );
      await store(deps, actor, fresh);
      const moved = await moveProposals(deps, actor, m.value, {
        ...fresh,
        status: 'scheduled',
        setBy: '',
        setAt: '',
      });
      return meetingFormCard(deps, {
        banner: `The meeting on ${showDate(m.value.date)} has moved to ${showDate(fresh.date)} (cut-off ${showDate(fresh.cutOff)}), and the panel chat told.${moved.length ? ` Moved with it: ${moved.join(', ')}.` : ''}`,
      });
    },
    (problems) => refill(deps, actor, values, problems, 'moveMeeting'),
  );
};
