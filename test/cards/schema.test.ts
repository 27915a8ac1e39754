// Every card the bot sends validates against the Adaptive Card schema of the version it declares: each template in
// cards/, in each of its variants (test/cards/catalogue.ts). How Teams' charts and the schema file's one gap are
// handled is in ./schema.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { catalogue } from './catalogue';
import { assertValidCard } from './schema';

describe('the Adaptive Card schema', () => {
  const entries = catalogue();

  it('covers every template in cards/', () => {
    const templates = fs
      .readdirSync(path.join(__dirname, '..', '..', 'cards'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    const covered = new Set(entries.map((e) => e.template));
    assert.deepEqual(
      templates.filter((t) => !covered.has(t)),
      [],
      'templates with no fixtures in test/cards/catalogue.ts',
    );
  });

  for (const { name, card } of entries) {
    it(`accepts the ${name} card`, () => assertValidCard(card, name));
  }

  it('refuses a card the schema does not allow, naming where', () => {
    const card = structuredClone(entries[0]!.card);
    (card.body as Record<string, unknown>[]).push({ type: 'RichTextBlock', inlines: [{ type: 'TextRun' }] });
    (card.body as Record<string, unknown>[]).push({ type: 'Input.Text', id: 'x', isMultiline: 'yes' });
    assert.throws(
      () => assertValidCard(card, 'broken'),
      /broken is not a valid Adaptive Card 1\.5:\n\/body\//,
    );
  });

  it('refuses a chart with no fallback', () => {
    const card = structuredClone(entries[0]!.card);
    (card.body as Record<string, unknown>[]).push({ type: 'Chart.Donut', data: [] });
    assert.throws(() => assertValidCard(card, 'chart'), /Chart\.Donut has a fallback/);
  });
});
