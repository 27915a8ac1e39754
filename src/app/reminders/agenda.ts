// The providers' meeting agenda: what waits, what runs, what is late, what no provider covers, and who the bot
// cannot reach. Cases appear by reference and a pseudonym only, never by a pupil's name.
import {
  INTERVENTION_LABELS,
  STATUS_LABELS,
  formatPence,
  redactName,
  showDate,
  type Directory,
} from '../../domain';
import { planAgenda, type Agenda } from '../../domain/reminders';
import { action, agendaCard, type AgendaSection, type Card } from '../../cards';
import { describe } from '../handlers/help';
import type { AppDeps } from '../ports';
import { pseudonym } from '../views';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (iso: string) => showDate(iso.slice(0, 10));
const REVIEW_LABELS = { interim: 'Interim review', final: 'Final review' } as const;

/** The agenda's sections, from the planned agenda. */
export function agendaSections(a: Agenda, directory: Directory): AgendaSection[] {
  return [
    {
      heading: `Waiting list (${a.waiting.length})`,
      empty: 'No requests are waiting.',
      rows: a.waiting.map((c) => ({
        lead: c.ref,
        text: `${pseudonym(c)}. ${STATUS_LABELS[c.status]}, raised ${day(c.raisedAt)}`,
      })),
    },
    {
      heading: 'Active packages by provider',
      empty: 'No packages are running.',
      rows: a.packages.map((p) => ({
        lead: p.provider,
        text: `${plural(p.count, 'package')}, ${formatPence(p.agreedPence)} agreed`,
      })),
    },
    {
      heading: `Overdue reviews (${a.overdue.length})`,
      empty: 'No reviews are overdue.',
      rows: a.overdue.map((o) => ({
        lead: o.case.ref,
        text: `${REVIEW_LABELS[o.review]} due ${day(o.due)}. ${pseudonym(o.case)}`,
      })),
    },
    {
      heading: 'Needs no provider covers',
      empty: 'Every kind of intervention has an active provider in the directory.',
      rows: [
        ...a.uncovered.map((t) => ({
          lead: INTERVENTION_LABELS[t],
          text: 'no active provider in the directory offers this',
        })),
        ...a.offDirectory.map((o) => ({
          lead: o.case.ref,
          // The co-ordinator typed the provider's name; it is redacted in case a pupil's name crept in.
          text: `${INTERVENTION_LABELS[o.type]} from ${redactName(o.provider, o.case.request.pupilName)}, a provider not in the directory`,
        })),
      ],
    },
    {
      heading: 'People EIP bot could not reach',
      empty: 'Everyone who gets reminders can be reached.',
      rows: a.unreachable.map((u) => {
        const p = directory.person(u.person);
        const why = [
          ...(u.noChat ? ['has not opened a chat with EIP bot, so gets no reminders'] : []),
          ...(u.missed ? [`${plural(u.missed, 'reminder')} not delivered since the last agenda`] : []),
        ];
        return {
          lead: p ? `${p.name} (${describe(p, directory)})` : 'Someone no longer in the directory',
          text: why.join('; '),
        };
      }),
    },
  ];
}

/** The agenda card for one co-ordinator, from the records as they stand. */
export async function agendaCardFor(deps: AppDeps, today: string, coordinator: string): Promise<Card> {
  const s = deps.store;
  const [cases, proposals, packages, reviews, providers, reminders, conversations] = await Promise.all([
    s.cases.find(),
    s.proposals.find(),
    s.packages.find(),
    s.reviews.find(),
    s.providers.find(),
    s.reminders.find(),
    s.conversations.find({ kind: 'person' }),
  ]);
  const me = coordinator.toLowerCase();
  // The one being sent now is still 'sending', so it is not the previous one.
  const previous = reminders
    .map((r) => r.value)
    .filter((r) => r.kind === 'providers-meeting' && r.status === 'sent' && r.to.toLowerCase() === me)
    .map((r) => r.claimedAt)
    .sort()
    .pop();
  const agenda = planAgenda({
    today,
    cases: cases.map((x) => x.value),
    proposals: proposals.map((x) => x.value),
    packages: packages.map((x) => x.value),
    reviews: reviews.map((x) => x.value),
    providers: providers.map((x) => x.value),
    reminders: reminders.map((x) => x.value),
    people: deps.directory.people,
    reachable: new Set(conversations.map((x) => x.value.id.toLowerCase())),
    ...(previous ? { since: previous } : {}),
  });
  return agendaCard({
    title: "Providers' meeting agenda",
    subtitle: `As at ${showDate(today)}. Pupils are not named: cases are shown by reference.`,
    sections: agendaSections(agenda, deps.directory),
    actions: [action('Refresh', 'agenda'), action('My cases', 'myCases')],
  });
}
