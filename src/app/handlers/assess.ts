import { parseAssessment } from '../../domain';
import { noticeCard } from '../../cards';
import { caseStep, reachedLine } from './case-step';
import { aboutCase, openCaseAction } from '../views';
import { putRecord } from '../records';

/** The co-ordinator records the observation and the needs agreed with the SENCo. */
export const assess = caseStep({
  form: 'assess',
  parse: (data, today, c) => parseAssessment(data, today, c.raisedAt.slice(0, 10)),
  apply: (c) => c,
  prepare: async ({ deps, actor }, c, i) =>
    putRecord(deps, deps.store.assessments, {
      id: c.id,
      caseId: c.id,
      ...i,
      recordedBy: actor.person.aadObjectId,
      recordedAt: deps.now().toISOString(),
    }),
  detail: (c, i) => `${c.ref} assessed, observed ${i.observedOn}`,
  tell: (_ctx, c, _i, owe) => ({
    school: owe.people(
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} assessed`,
        facts: aboutCase(c),
        text: 'The EIP co-ordinator has recorded the observation and the needs you agreed.',
        actions: openCaseAction(c),
      }),
    ),
  }),
  after: (_ctx, _c, _i, reach) => ({
    text: `Assessment saved.${reachedLine(reach.school, 'The school')}`,
    tone: 'good',
  }),
});
