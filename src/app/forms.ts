import { randomUUID } from 'node:crypto';
// The forms people fill in. A refused form comes back with what they typed and what needs another look.
import {
  CONSENT_METHODS,
  CONSENT_METHOD_LABELS,
  LIMITS,
  NEED_AREAS,
  NEED_AREA_LABELS,
  YEAR_GROUPS,
  serviceChoices,
  serviceValue,
  type CaseAction,
  type CaseKind,
  type CaseRecord,
  type FieldProblem,
  type ProposalRecord,
  type ProviderRecord,
  type YearGroup,
} from '../domain';
import { action, formCard, type Card, type CaseForm, type Field } from '../cards';

export type Values = Record<string, string>;

/** The case action each form performs. */
export const ACTION_OF_FORM: Record<CaseForm, Exclude<CaseAction, 'vote'>> = {
  returnCase: 'return',
  resubmit: 'resubmit',
  accept: 'accept',
  assess: 'assess',
  propose: 'propose',
  withdraw: 'withdraw',
  commission: 'commission',
  spend: 'spend',
  moveReviews: 'review',
  recordOutcome: 'outcome',
  close: 'close',
  reopen: 'reopen',
};

const needChoices = NEED_AREAS.map((n) => ({ title: NEED_AREA_LABELS[n], value: n }));
const consentChoices = CONSENT_METHODS.map((m) => ({ title: CONSENT_METHOD_LABELS[m], value: m }));

/** Form inputs as strings, whatever the client sent, for refilling a refused form. */
export function valuesOf(data: Record<string, unknown>): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(data))
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}

export function requestForm(
  kind: CaseKind,
  values: Values = {},
  problems: FieldProblem[] = [],
  years: readonly YearGroup[] = YEAR_GROUPS,
  formId: string = randomUUID(),
  /** A request following a case transferred to the school: that case's id, and a line saying so. */
  link?: { caseId: string; note: string },
): Card {
  const v = (id: string) => ({ value: values[id] ?? '' });
  const shared: Field[] = [
    {
      kind: 'choice',
      id: 'yearGroup',
      label: 'Year group',
      choices: years.map((y) => ({ title: y, value: y })),
      required: true,
      ...v('yearGroup'),
    },
    { kind: 'heading', label: 'Needs' },
    {
      kind: 'choice',
      id: 'needs',
      label: 'Needs areas',
      choices: needChoices,
      multiSelect: true,
      expanded: true,
      required: true,
      ...v('needs'),
    },
    {
      kind: 'text',
      id: 'tried',
      label: 'What the school has tried already',
      multiline: true,
      maxLength: LIMITS.text,
      required: true,
      ...v('tried'),
    },
    {
      kind: 'text',
      id: 'asked',
      label: 'What the school is asking for',
      multiline: true,
      maxLength: LIMITS.text,
      required: true,
      ...v('asked'),
    },
  ];
  const fields: Field[] =
    kind === 'individual'
      ? [
          { kind: 'heading', label: 'The pupil' },
          {
            kind: 'text',
            id: 'pupilName',
            label: "Pupil's name",
            maxLength: LIMITS.name,
            required: true,
            ...v('pupilName'),
          },
          ...shared,
          { kind: 'heading', label: 'Parental consent' },
          {
            kind: 'note',
            label:
              'Individual casework needs recorded parental consent. Without it the request cannot be submitted.',
          },
          {
            kind: 'text',
            id: 'consentGivenBy',
            label: 'Consent given by',
            maxLength: LIMITS.name,
            required: true,
            placeholder: 'Name and relationship, e.g. Jo Smith (mother)',
            ...v('consentGivenBy'),
          },
          {
            kind: 'date',
            id: 'consentDate',
            label: 'Date consent given',
            required: true,
            ...v('consentDate'),
          },
          {
            kind: 'choice',
            id: 'consentMethod',
            label: 'How consent was given',
            choices: consentChoices,
            required: true,
            ...v('consentMethod'),
          },
        ]
      : [
          { kind: 'heading', label: 'The class' },
          {
            kind: 'text',
            id: 'className',
            label: 'Class (optional)',
            maxLength: LIMITS.name,
            placeholder: 'e.g. 4B',
            ...v('className'),
          },
          ...shared,
        ];
  return formCard({
    title: kind === 'individual' ? 'Request support for a pupil' : 'Request support for a whole class',
    subtitle: 'The EIP co-ordinator reads every request and replies here.',
    fields: link ? [{ kind: 'note', label: link.note }, ...fields] : fields,
    problems,
    actions: [
      action(
        'Submit request',
        'submitRequest',
        { kind, formId, ...(link ? { linkedFrom: link.caseId } : {}) },
        'positive',
      ),
      action('Cancel', 'help'),
    ],
  });
}

/**
 * Each row picks one (service, provider) pair that a directory provider really offers, or another provider named and
 * priced on the form: a card cannot narrow one input by another, so the choices are narrowed by construction.
 */
const proposalRows = (values: Values, providers: readonly ProviderRecord[]): Field[] => {
  const choices = serviceChoices(providers);
  return [1, 2, 3].flatMap((i): Field[] => [
    { kind: 'heading', label: i === 1 ? 'Intervention 1' : `Intervention ${i} (optional)` },
    {
      kind: 'choice',
      id: `service${i}`,
      label: `Intervention ${i}: service and provider`,
      choices,
      filtered: true,
      required: i === 1,
      placeholder: 'Type a service or provider',
      value: values[`service${i}`] ?? '',
    },
    {
      kind: 'text',
      id: `otherProvider${i}`,
      label: `Intervention ${i}: another provider's name (only for another provider)`,
      maxLength: LIMITS.name,
      value: values[`otherProvider${i}`] ?? '',
    },
    {
      kind: 'number',
      id: `sessions${i}`,
      label: `Intervention ${i}: sessions (or days, for a day rate)`,
      min: 1,
      max: LIMITS.sessions,
      required: i === 1,
      placeholder: 'e.g. 10',
      value: values[`sessions${i}`] ?? '',
    },
    {
      kind: 'number',
      id: `unitCost${i}`,
      label: `Intervention ${i}: cost per session or day (£, only for another provider)`,
      min: 0.01,
      max: LIMITS.unitCostPence / 100,
      placeholder: 'e.g. 45.50',
      value: values[`unitCost${i}`] ?? '',
    },
  ]);
};

/**
 * A proposal's answers as its form takes them, so a revision starts from the proposal the panel saw. A directory
 * provider's rate is the directory's, so only another provider's cost is filled in.
 */
export function proposalValues(p: ProposalRecord): Values {
  const values: Values = { rationale: p.rationale, outcomes: p.outcomes, reviewDate: p.reviewDate };
  p.interventions.forEach((x, i) => {
    values[`service${i + 1}`] = serviceValue(x.type, x.providerId);
    values[`sessions${i + 1}`] = String(x.sessions);
    if (x.providerId === undefined) {
      values[`otherProvider${i + 1}`] = x.provider;
      values[`unitCost${i + 1}`] = (x.unitCostPence / 100).toFixed(2);
    }
  });
  return values;
}

/** The forms of the workflow up to the panel's decision; later forms live with their capability. */
export type EarlyForm = 'returnCase' | 'resubmit' | 'accept' | 'assess' | 'propose' | 'withdraw';

/** The form behind a case card's button. */
export function caseForm(
  form: EarlyForm,
  c: CaseRecord,
  subject: string,
  values: Values = {},
  problems: FieldProblem[] = [],
  /** Lines shown above the fields, such as the panel's comments on a proposal to revise. */
  lead: string[] = [],
  /** The provider directory, for the proposal form's choices (only active providers are offered). */
  providers: readonly ProviderRecord[] = [],
): Card {
  const v = (id: string) => values[id] ?? '';
  const leadFields: Field[] = lead.map((label) => ({ kind: 'note', label }));
  const back = action('Back to case', 'openCase', { caseId: c.id });
  const submit = (title: string, style: 'positive' | 'destructive' | 'default' = 'positive') =>
    action(title, form, { caseId: c.id }, style);
  const subtitle = `${c.ref} · ${subject}`;
  switch (form) {
    case 'accept':
      return formCard({
        title: 'Accept and plan the observation',
        subtitle,
        problems,
        fields: [
          {
            kind: 'date',
            id: 'observationDate',
            label: 'Planned observation date',
            required: true,
            value: v('observationDate'),
          },
        ],
        actions: [submit('Accept request'), back],
      });
    case 'returnCase':
      return formCard({
        title: 'Return to the school with a question',
        subtitle,
        problems,
        fields: [
          {
            kind: 'text',
            id: 'question',
            label: 'Your question for the school',
            multiline: true,
            maxLength: LIMITS.comment,
            required: true,
            value: v('question'),
          },
        ],
        actions: [submit('Return request', 'default'), back],
      });
    case 'resubmit':
      return formCard({
        title: 'Answer the co-ordinator and resubmit',
        subtitle,
        problems,
        fields: [
          { kind: 'note', label: `The co-ordinator asked: ${c.question ?? ''}` },
          {
            kind: 'text',
            id: 'answer',
            label: 'Your answer',
            multiline: true,
            maxLength: LIMITS.text,
            required: true,
            value: v('answer'),
          },
        ],
        actions: [submit('Resubmit request'), back],
      });
    case 'assess':
      return formCard({
        title: 'Record the observation and assessment',
        subtitle,
        problems,
        fields: [
          { kind: 'date', id: 'observedOn', label: 'Date observed', required: true, value: v('observedOn') },
          {
            kind: 'text',
            id: 'findings',
            label: 'Findings from the observation',
            multiline: true,
            maxLength: LIMITS.longText,
            required: true,
            value: v('findings'),
          },
          {
            kind: 'text',
            id: 'needsIdentified',
            label: 'Needs identified (agreed with the SENCo)',
            multiline: true,
            maxLength: LIMITS.text,
            required: true,
            value: v('needsIdentified'),
          },
        ],
        actions: [submit('Save assessment'), back],
      });
    case 'propose':
      return formCard({
        title:
          c.status === 'changes_requested' ? 'Revise the proposal for the panel' : 'Proposal for the panel',
        subtitle: `${subtitle}. The panel sees this without the pupil's name: please don't type it here.`,
        problems,
        fields: [
          ...leadFields,
          ...proposalRows(values, providers),
          { kind: 'heading', label: 'The case for it' },
          {
            kind: 'text',
            id: 'rationale',
            label: 'Rationale',
            multiline: true,
            maxLength: LIMITS.text,
            required: true,
            value: v('rationale'),
          },
          {
            kind: 'text',
            id: 'outcomes',
            label: 'Expected outcomes',
            multiline: true,
            maxLength: LIMITS.text,
            required: true,
            value: v('outcomes'),
          },
          { kind: 'date', id: 'reviewDate', label: 'Review date', required: true, value: v('reviewDate') },
        ],
        actions: [submit('Send to panel'), back],
      });
    case 'withdraw':
      return formCard({
        title: 'Withdraw this request?',
        subtitle: `${subtitle}. The case will be closed as withdrawn.`,
        problems,
        fields: [],
        actions: [submit('Withdraw request', 'destructive'), back],
      });
  }
}
