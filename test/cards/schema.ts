// Checks a card against the Adaptive Card schema of the version it declares (1.5, vendored from microsoft/AdaptiveCards
// with its source and licence in test/fixtures/adaptive-card/README.md); used by test/cards/schema.test.ts over every
// template and by test/cards/submit-fallback.test.ts over every card the handlers answer with.
//
// The schema describes Adaptive Cards, not Teams' additions to them. The one addition the cards use is Teams' chart
// elements (Chart.Donut, Chart.VerticalBar) on the report card: each must carry a fallback, and the card is validated
// as a client without charts draws it (withoutCharts), so the schema's strictness (additionalProperties: false) is
// kept everywhere else rather than loosened.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { withoutCharts, type Card } from '../../src/cards';
import { nodes } from './read';

const SCHEMAS: Record<string, string> = {
  '1.5': path.join(__dirname, '..', 'fixtures', 'adaptive-card', 'adaptive-card-1.5.schema.json'),
};

const validators = new Map<string, ValidateFunction>();

/** The validator for a card version; the schema is draft-06, with its own keywords (version, features) allowed. */
function validatorFor(version: string): ValidateFunction {
  let v = validators.get(version);
  if (!v) {
    const file = SCHEMAS[version];
    assert.ok(file, `no vendored schema for Adaptive Card version ${version}`);
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft06);
    addFormats(ajv);
    // The file names itself with draft-04's `id`, which Ajv 8 reads only as `$id`.
    const { id, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string };
    v = ajv.compile({ $id: id, ...schema });
    validators.set(version, v);
  }
  return v;
}

/** The schema's complaints, where in the card and what; anyOf's sub-errors are many, so the first few. */
function problems(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}

/** Asserts the card is valid against the schema of its declared version. */
export function assertValidCard(card: Card, name: string): void {
  for (const n of nodes(card))
    if (typeof n.type === 'string' && n.type.startsWith('Chart.'))
      assert.ok(n.fallback, `${name}: ${n.type} has a fallback for clients without charts`);
  const v = validatorFor(card.version);
  const asDrawn = withoutCharts(card);
  assert.ok(v(asDrawn), `${name} is not a valid Adaptive Card ${card.version}:\n${problems(v)}`);
}
