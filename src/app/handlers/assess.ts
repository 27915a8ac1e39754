import { parseAssessment } from '../../domain';
import { noticeCard } from '../../cards';
import { tellPeople } from '../messenger';
import { caseStep, reachedLine } from './case-step';
import { openCaseAction } from './triage';
import { aboutCase } from '../views';

/** The co-ordinator records the observation and the needs agreed with the SENCo. */
export const assess = caseStep({
  form: 'assess',
  parse: (data, today, c) => parseAssessment(data, today, c.raisedAt.slice(0, 10)),
  apply: (c) => c,
  detail: (c, i) => `${c.ref} assessed, observed ${i.observedOn}`,
  after: async ({ deps, actor }, c, i) => {
    await deps.store.assessments.create({
      id: c.id,
      caseId: c.id,
      ...i,
      recordedBy: actor.person.aadObjectId,
      recordedAt: deps.now().toISOString(),
    });
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
