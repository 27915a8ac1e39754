import template from '../../cards/form.json';
import type { FieldProblem } from '../domain/errors';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { longText } from './long-text';
import { spoken } from './speak';

interface FieldBase {
  id: string;
  label: string;
  required?: boolean;
  /** What the person typed last time, so a refused form comes back filled in. */
  value?: string;
}

export type Field =
  | { kind: 'heading'; label: string }
  | { kind: 'note'; label: string }
  | (FieldBase & { kind: 'text'; multiline?: boolean; maxLength: number; placeholder?: string })
  | (FieldBase & { kind: 'date' })
  /** A number: phones show a number pad. */
  | (FieldBase & { kind: 'number'; min: number; max: number; placeholder?: string })
  | (FieldBase & {
      kind: 'choice';
      choices: readonly { title: string; value: string }[];
      multiSelect?: boolean;
      expanded?: boolean;
      /** A long list: type-ahead to find a choice (Adaptive Cards 1.5 "filtered"). */
      filtered?: boolean;
      placeholder?: string;
    });

export interface FormCardData {
  title: string;
  subtitle?: string;
  fields: Field[];
  problems?: FieldProblem[];
  actions: CardAction[];
}

/** Every property the template reads, so none is left unexpanded. */
function fieldData(f: Field, index: number) {
  const base = {
    kind: f.kind,
    id: '',
    label: f.label,
    value: '',
    placeholder: '',
    multiline: false,
    maxLength: 0,
    required: false,
    errorMessage: '',
    choiceStyle: 'compact',
    multiSelect: false,
    choices: [] as { title: string; value: string }[],
    numberValue: 0,
    min: 0,
    max: 0,
    // A note's text, shown with Show more when long (see long-text.ts).
    text: '',
    textId: '',
    excerpt: '',
    long: false,
  };
  if (f.kind === 'note') return { ...base, ...longText(`note-${index + 1}`, f.label) };
  if (f.kind === 'heading') return base;
  const common = {
    ...base,
    id: f.id,
    value: f.value ?? '',
    required: f.required ?? false,
    errorMessage: `${f.label} is required.`,
  };
  switch (f.kind) {
    case 'text':
      return {
        ...common,
        multiline: f.multiline ?? false,
        maxLength: f.maxLength,
        placeholder: f.placeholder ?? '',
      };
    case 'date':
      return common;
    case 'number': {
      const n = Number(common.value);
      const errorMessage = `${f.label}: enter a number from ${f.min} to ${f.max}.`;
      // A refused entry that is not a number is shown blank rather than as a wrong number.
      const ok = common.value !== '' && Number.isFinite(n);
      return {
        ...common,
        value: ok ? common.value : '',
        numberValue: ok ? n : 0,
        errorMessage,
        min: f.min,
        max: f.max,
        placeholder: f.placeholder ?? '',
      };
    }
    case 'choice':
      return {
        ...common,
        choices: [...f.choices],
        multiSelect: f.multiSelect ?? false,
        choiceStyle: f.expanded ? 'expanded' : f.filtered ? 'filtered' : 'compact',
        placeholder: f.placeholder ?? 'Choose…',
      };
  }
}

/** Any form: a request, a triage decision, an assessment, a proposal. */
export function formCard(d: FormCardData): Card {
  return render(template, {
    speak: spoken(
      d.title,
      d.problems?.length ? 'Some answers need another look.' : undefined,
      d.actions.length ? `Buttons: ${d.actions.map((a) => a.title).join(', ')}` : undefined,
    ),
    title: d.title,
    subtitle: d.subtitle ?? '',
    problems: d.problems ?? [],
    fields: d.fields.map((f, i) => fieldData(f, i)),
    actions: actionsData(d.actions),
  });
}
