// The admin sets the panel's meeting dates: one by one, or from a rule such as "every third Wednesday in term". The
// cut-off for papers is worked out in school days before each meeting (or given). A date that is not a school day
// is set only once the admin confirms it; everything else that is wrong comes back on the form, and nothing is set.
import { EipError, checkMeeting, datesFromRule, hasRole, showDate, type MeetingRecord } from '../../domain';
import { action, formCard, noticeCard, type Card, type Tone } from '../../cards';
import { isStoreError } from '../../store/store';
import { valuesOf, type Values } from '../forms';
import type { Actor } from '../identity';
import type { AppDeps } from '../ports';
import { audit } from '../records';
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
    ],
    actions: [action('Set meetings', 'saveMeeting', {}, 'positive'), action('Help', 'help')],
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
): Promise<Card> {
  await audit(
    deps,
    actor,
    'saveMeeting',
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
