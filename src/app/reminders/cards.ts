// The cards reminders send. Each goes to a 1:1 chat and its button goes straight to the action; none names a
// pupil, and a panel member's shows nothing of the case but its reference.
import { showDate, type CaseRecord, type SchoolCalendar } from '../../domain';
import type { DueReminder } from '../../domain/reminders';
import { action, noticeCard, type Card } from '../../cards';
import { aboutCase, openCaseAction } from '../views';

const REVIEW_NAMES = { interim: 'interim', final: 'final' } as const;

export interface CaseReminderContext {
  /** The London date the reminder goes out. */
  today: string;
  calendar: SchoolCalendar;
  /** Votes cast so far in the round, and how many the panel needs. */
  votes: { cast: number; quorum: number };
  /** A person's name from the directory: whose vote a substitute holds. */
  nameOf?: (id: string) => string;
}

type CaseReminder = Exclude<DueReminder, { kind: 'providers-meeting' | 'transitions' }>;

/** The card for a reminder about one case. */
export function caseReminderCard(r: CaseReminder, c: CaseRecord, ctx: CaseReminderContext): Card {
  switch (r.kind) {
    case 'review-due': {
      const what = `The ${REVIEW_NAMES[r.review]} outcome review of ${c.ref}`;
      const overdue = ctx.today > r.reviewDue;
      const when =
        ctx.today < r.reviewDue
          ? `is due on ${showDate(r.reviewDue)}`
          : ctx.today === r.reviewDue
            ? 'is due today'
            : `is overdue: it was due on ${showDate(r.reviewDue)}`;
      return noticeCard({
        title: `${what} ${when}`,
        tone: overdue ? 'attention' : 'warning',
        text: r.copy
          ? `A copy for the school: the EIP co-ordinator records the outcomes, and may ask you how ${c.request.kind === 'individual' ? 'the pupil' : 'the class'} is getting on.`
          : 'Record progress against each expected outcome, with any measure you used.',
        facts: [...aboutCase(c), { title: 'Review due', value: showDate(r.reviewDue) }],
        actions: r.copy
          ? openCaseAction(c)
          : [
              action('Record outcomes', 'showForm', {
                caseId: c.id,
                form: 'recordOutcome',
                review: r.review,
              }),
            ],
      });
    }
    case 'vote-pending': {
      // A 1:1 chat with a panel member carries nothing of the case beyond its reference: the proposal opens in the
      // panel's own pseudonymised view.
      const passed = ctx.today > r.deadline;
      const holder = r.forMember ? (ctx.nameOf?.(r.forMember) ?? 'a panel member') : undefined;
      return noticeCard({
        title: holder ? `${holder}'s vote is needed on ${c.ref}` : `Your vote is needed on ${c.ref}`,
        tone: 'warning',
        text: holder
          ? `You are ${holder}'s substitute, and the panel is asked to decide by ${showDate(r.deadline)}. Nobody has voted in ${holder}'s place yet.`
          : passed
            ? `The panel was asked to decide by ${showDate(r.deadline)} and has not yet. You haven't voted on this proposal.`
            : `The panel is asked to decide by ${showDate(r.deadline)}, and you haven't voted on this proposal yet.`,
        actions: [action('Open the proposal', 'panelView', { caseId: c.id, round: r.round })],
      });
    }
    case 'deadline-passed':
      return noticeCard({
        title: `The panel's deadline for ${c.ref} has passed`,
        tone: 'attention',
        text: `The panel was asked to decide by ${showDate(r.deadline)}. ${ctx.votes.cast} of the ${ctx.votes.quorum} votes needed ${ctx.votes.cast === 1 ? 'has' : 'have'} been cast. Members who have not voted were reminded.`,
        facts: aboutCase(c),
        actions: openCaseAction(c),
      });
    case 'triage-waiting': {
      const waited = ctx.calendar.schoolDaysBetween(r.since, ctx.today);
      return noticeCard({
        title: `${c.ref} has waited ${waited} school days for triage`,
        tone: 'warning',
        text: `Submitted on ${showDate(r.since)}. Accept it and plan the observation, or return it with a question.`,
        facts: aboutCase(c),
        actions: openCaseAction(c),
      });
    }
  }
}
