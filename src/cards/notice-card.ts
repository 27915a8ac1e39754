import template from '../../cards/notice.json';
import type { FieldProblem } from '../domain/errors';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { longText } from './long-text';
import { spoken } from './speak';

export type Tone = 'good' | 'attention' | 'warning' | 'accent' | 'default';

export interface NoticeCardData {
  title: string;
  text?: string;
  /** Someone's own words, shown literally. */
  quote?: string;
  /** A line after the quote, such as what happens next. */
  after?: string;
  tone?: Tone;
  facts?: { title: string; value: string }[];
  problems?: FieldProblem[];
  actions?: CardAction[];
}

/** A short message: a confirmation, a notification, or a refusal. */
export function noticeCard(d: NoticeCardData): Card {
  return render(template, {
    speak: spoken(d.title, d.text),
    title: d.title,
    text: d.text ?? '',
    quotes: d.quote ? [longText('quote', d.quote)] : [],
    after: d.after ?? '',
    style: d.tone ?? 'default',
    facts: d.facts ?? [],
    problems: d.problems ?? [],
    actions: actionsData(d.actions ?? []),
  });
}
