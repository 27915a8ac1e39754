// Expands a card template with typed data, shows people's own words literally, and gives every Action.Execute an
// Action.Submit fallback for older clients.
import { Template } from 'adaptivecards-templating';
import { shownLiterally } from './literal';
import { SUBMIT_VERBS, tidyRow, type CardAction } from './verbs';

/** An Adaptive Card as JSON, ready to send. */
export interface Card {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function withFallbacks(node: Json): Json {
  if (Array.isArray(node)) return node.map(withFallbacks);
  if (node === null || typeof node !== 'object') return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'refresh' ? v : withFallbacks(v);
  if (out.type === 'Action.Execute' && typeof out.verb === 'string') {
    const data = (out.data && typeof out.data === 'object' && !Array.isArray(out.data) ? out.data : {}) as {
      [k: string]: Json;
    };
    out.fallback = {
      type: 'Action.Submit',
      title: out.title ?? '',
      data: { ...data, verb: out.verb },
      ...(out.associatedInputs !== undefined ? { associatedInputs: out.associatedInputs } : {}),
      // An older client that draws the fallback keeps a secondary button in its overflow menu.
      ...(out.mode !== undefined ? { mode: out.mode } : {}),
    };
  }
  return out;
}

/**
 * Each template's expressions, parsed once: parsing them is most of what expanding a card costs, and the engine is
 * made to bind one prepared template to different data (expansion is synchronous, so one instance serves all).
 */
const preparedTemplates = new WeakMap<object, Template>();
function prepared(template: object): Template {
  let t = preparedTemplates.get(template);
  if (!t) {
    t = new Template(template);
    preparedTemplates.set(template, t);
  }
  return t;
}

/**
 * Expands a template from cards/ with its data. The templating engine reads `${…}` in the template only, never in the
 * data, so text someone typed is inserted as it is; then every piece of text a person reads is made literal.
 */
export function render(template: object, data: object): Card {
  const expanded = prepared(template).expand({ $root: data }) as Json;
  return withFallbacks(shownLiterally(expanded)) as unknown as Card;
}

/**
 * Buttons as the templates expect them (every field set: the templating engine leaves a missing one unexpanded), a
 * crowded row's less used buttons in the "…" menu (tidyRow).
 */
export const actionsData = (actions: readonly CardAction[]) =>
  tidyRow(actions).map((a) => ({
    title: a.title,
    verb: a.verb,
    data: a.data,
    style: a.style ?? 'default',
    mode: a.mode ?? 'primary',
    associatedInputs: SUBMIT_VERBS.includes(a.verb) ? 'auto' : 'none',
  }));
