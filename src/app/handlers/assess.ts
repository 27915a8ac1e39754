import { parseAssessment } from '../../domain';
import { noticeCard } from '../../cards';
import { tellPeople } from '../messenger';
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
  after: async ({ deps }, c) => {
    const reached = await tellPeople(
      deps,
      [c.raisedBy],
      noticeCard({
        title: `${c.ref} assessed`,
        facts: aboutCase(c),
        text: 'The EIP co-ordinator has recorded the observation and the needs you agreed.',
        actions: openCaseAction(c),
      }),
    );
    return { text: `Assessment saved.${reachedLine(reached, 'The school')}`, tone: 'good' };
  },
});
