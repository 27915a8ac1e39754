// Closing a case with a reason, and reopening it once.
import { CLOSURE_LABELS, CLOSURE_REASONS, LIMITS, STATUS_LABELS, type CaseRecord } from '../../domain';
import { action, formCard } from '../../cards';
import type { CaseFormBuilder } from '../form-for';

const back = (c: CaseRecord) => action('Back to case', 'openCase', { caseId: c.id });

export const closeForm: CaseFormBuilder = async (_ctx, c, subject, values, problems) => {
  return formCard({
    title: 'Close the case',
    subtitle:
      `${c.ref} · ${subject}. ${c.status === 'commissioned' ? 'Money committed but not spent goes back to the budget.' : ''}`.trim(),
    problems,
    fields: [
      {
        kind: 'choice',
        id: 'reason',
        label: 'Reason for closing',
        choices: CLOSURE_REASONS.map((r) => ({ title: CLOSURE_LABELS[r], value: r })),
        expanded: true,
        required: true,
        value: values.reason ?? '',
      },
      {
        kind: 'text',
        id: 'note',
        label: 'Closing note',
        multiline: true,
        maxLength: LIMITS.text,
        required: true,
        placeholder: 'What was achieved, and what the school will carry on with',
        value: values.note ?? '',
      },
    ],
    actions: [action('Close case', 'close', { caseId: c.id }, 'destructive'), back(c)],
  });
};

export const reopenForm: CaseFormBuilder = async (_ctx, c, subject, values, problems) => {
  return formCard({
    title: 'Reopen the case',
    subtitle: `${c.ref} · ${subject}. It goes back to ${STATUS_LABELS[c.closedFrom ?? 'commissioned'].toLowerCase()}. A case can be reopened once.`,
    problems,
    fields: [
      {
        kind: 'text',
        id: 'reason',
        label: 'Why reopen it',
        multiline: true,
        maxLength: LIMITS.comment,
        required: true,
        value: values.reason ?? '',
      },
    ],
    actions: [action('Reopen case', 'reopen', { caseId: c.id }, 'positive'), back(c)],
  });
};
