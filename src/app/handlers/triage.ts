import { parseAcceptance, parseAnswer, parseQuestion, showDate } from '../../domain';
import { noticeCard } from '../../cards';
import { coordinatorIds } from '../messenger';
import { caseStep, reachedLine } from './case-step';
import { aboutCase, openCaseAction } from '../views';
import { releaseBudget, undoHold } from '../budget/holds';

/** The co-ordinator asks the school a question; the case waits on the school. */
export const returnCase = caseStep({
  form: 'returnCase',
  parse: (data) => ({ question: parseQuestion(data) }),
  apply: (c, i) => ({ ...c, question: i.question }),
  detail: (c) => `${c.ref} returned with a question`,
  tell: (_ctx, c, i, owe) => ({
    school: owe.people(
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} needs more information`,
        facts: aboutCase(c),
        text: 'The EIP co-ordinator asks:',
        quote: i.question,
        tone: 'warning',
        actions: [
          { title: 'Answer and resubmit', verb: 'showForm', data: { caseId: c.id, form: 'resubmit' } },
        ],
      }),
    ),
  }),
  after: (_ctx, _c, _i, reach) => ({
    text: `Returned to the school with your question.${reachedLine(reach.school, 'The school')}`,
    tone: 'good',
  }),
});

/** The school answers the question and the request goes back for triage. */
export const resubmit = caseStep({
  form: 'resubmit',
  parse: (data, _today, _c, ctx) => ({ answer: parseAnswer(data), at: ctx.deps.now().toISOString() }),
  // The triage clock starts again: the school has answered.
  apply: (c, i) => ({ ...c, answer: i.answer, submittedAt: i.at }),
  detail: (c) => `${c.ref} resubmitted with an answer`,
  tell: ({ deps }, c, _i, owe) => ({
    coordinator: owe.people(
      coordinatorIds(deps),
      noticeCard({
        title: `${c.ref} resubmitted`,
        facts: aboutCase(c),
        text: `${deps.directory.schoolName(c.schoolId)} has answered your question.`,
        tone: 'accent',
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: (_ctx, _c, _i, reach) => ({
    text: `Resubmitted.${reachedLine(reach.coordinator, 'The co-ordinator')}`,
    tone: 'good',
  }),
});

/** The co-ordinator accepts and plans a classroom observation. */
export const accept = caseStep({
  form: 'accept',
  parse: (data, today, _c, ctx) =>
    parseAcceptance(data, today, (d) => ctx.deps.directory.calendar.isSchoolDay(d)),
  apply: (c, i) => ({ ...c, observationDate: i.observationDate }),
  detail: (c, i) => `${c.ref} accepted, observation planned ${i.observationDate}`,
  tell: (_ctx, c, i, owe) => ({
    school: owe.people(
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} accepted`,
        facts: aboutCase(c),
        text: `The EIP co-ordinator has accepted the request and plans to observe in class on ${showDate(i.observationDate)}.`,
        tone: 'good',
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: (_ctx, _c, i, reach) => ({
    text: `Accepted. Observation planned for ${showDate(i.observationDate)}.${reachedLine(reach.school, 'The school')}`,
    tone: 'good',
  }),
});

/** The school withdraws its request (any time before it is commissioned). */
export const withdraw = caseStep({
  form: 'withdraw',
  parse: (_data, _today, _c, ctx) => ({ at: ctx.deps.now().toISOString() }),
  apply: (c, i) => ({ ...c, closureReason: 'withdrawn' as const, closedFrom: c.status, closedAt: i.at }),
  // An approved case held money against the year's allocation: a withdrawal lets it go.
  prepare: async ({ deps, actor }, c) => {
    const year = c.budgetYear;
    if (!year || c.closedFrom !== 'approved') return async () => undefined;
    const by = actor.person.aadObjectId;
    const was = await releaseBudget(deps, year, c.id, by);
    return undoHold(deps, c, year, was || undefined, by);
  },
  detail: (c) => `${c.ref} withdrawn by the school`,
  tell: ({ deps }, c, _i, owe) => ({
    coordinator: owe.people(
      coordinatorIds(deps),
      noticeCard({
        title: `${c.ref} withdrawn`,
        facts: aboutCase(c),
        text: `${deps.directory.schoolName(c.schoolId)} has withdrawn this request. It is closed.`,
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: () => ({ text: 'Request withdrawn. The case is closed.', tone: 'default' }),
});
