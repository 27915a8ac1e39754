// The provider directory card: fully expanded, a fallback on every button, and providers' own words shown literally.
import assert from 'node:assert/strict';
import { action, providersCard, type Card, type ProvidersCardData } from '../../src/cards';
import { factGroups, lineOf, ofType, textRuns, type Node } from './read';

const facts = (card: Card) => factGroups(card).map((g) => g.map((f) => f.split('=')[1]));
const buttons = (card: Card) =>
  ofType(card, 'Action.Execute').map((n) => ({ title: n.title, verb: n.verb, data: n.data }));

const NASTY = 'Acme ${name} [link](http://x) **Ltd**';

const data: ProvidersCardData = {
  title: 'Provider directory',
  summary: '1 active provider, 1 inactive.',
  banner: { text: `${NASTY} added to the directory.`, tone: 'good' },
  rows: [
    {
      name: NASTY,
      contact: 'hello@acme.example _or_ 01604 000000',
      services: 'Counselling, Play therapy',
      rate: '£45.00 a session',
      active: true,
      actions: [
        action('Edit', 'providerForm', { providerId: 'acme' }),
        action('Deactivate', 'setProviderActive', { providerId: 'acme', active: 'false' }, 'destructive'),
      ],
    },
    {
      name: 'County Educational Psychology Service',
      contact: 'ep.service@la.example',
      services: 'Educational psychology',
      rate: '£550.00 a day',
      active: false,
      actions: [action('Reactivate', 'setProviderActive', { providerId: 'county-ep', active: 'true' })],
    },
  ],
  actions: [action('Add provider', 'providerForm', {}, 'positive'), action('Help', 'help')],
};

describe('the provider directory card', () => {
  it('expands fully, with an Action.Submit fallback on every button', () => {
    const card = providersCard(data);
    const json = JSON.stringify(card);
    assert.deepEqual(JSON.parse(json), card);
    assert.equal(card.version, '1.5');
    assert.equal(/\$data|\$when/.test(json), false, 'no template left');
    for (const b of ofType(card, 'Action.Execute')) {
      const fallback = b.fallback as Node;
      assert.equal(fallback.type, 'Action.Submit');
      assert.deepEqual(fallback.data, { ...(b.data as Node), verb: b.verb });
    }
  });

  it("shows each provider's name, services, rate and contact, names and contacts literally", () => {
    const card = providersCard(data);
    const runs = textRuns(card);
    assert.ok(runs.includes(NASTY), 'the name as typed, in a TextRun');
    assert.ok(runs.includes('hello@acme.example _or_ 01604 000000'));
    assert.ok(runs.includes(`${NASTY} added to the directory.`), 'the banner names the provider literally');
    assert.equal(
      ofType(card, 'TextBlock').length + ofType(card, 'FactSet').length,
      0,
      'nothing read as markdown',
    );
    assert.deepEqual(facts(card), [
      ['Counselling, Play therapy', '£45.00 a session'],
      ['Educational psychology', '£550.00 a day'],
    ]);
  });

  it('marks only the inactive provider as inactive', () => {
    const card = providersCard(data);
    const rows = ofType(card, 'RichTextBlock').filter((n) =>
      (n.inlines as Node[]).some((i) => i.weight === 'Bolder' && i.text !== ' · Inactive'),
    );
    const lines = rows.map(lineOf);
    assert.ok(lines.includes(NASTY));
    assert.ok(lines.includes('County Educational Psychology Service · Inactive'));
    assert.equal(textRuns(card).filter((t) => t === ' · Inactive').length, 1);
  });

  it("gives an admin each provider's buttons and Add provider", () => {
    assert.deepEqual(
      buttons(providersCard(data)).map((b) => [b.title, b.verb, b.data]),
      [
        ['Edit', 'providerForm', { providerId: 'acme' }],
        ['Deactivate', 'setProviderActive', { providerId: 'acme', active: 'false' }],
        ['Reactivate', 'setProviderActive', { providerId: 'county-ep', active: 'true' }],
        ['Add provider', 'providerForm', {}],
        ['Help', 'help', {}],
      ],
    );
  });

  it('shows a read-only list with no row buttons, and no banner when there is none', () => {
    const card = providersCard({
      ...data,
      banner: undefined,
      rows: data.rows.map((r) => ({ ...r, actions: [] })),
      actions: [action('Help', 'help')],
    });
    assert.deepEqual(
      buttons(card).map((b) => b.title),
      ['Help'],
    );
    assert.equal(ofType(card, 'ActionSet').length, 0);
    assert.ok(!textRuns(card).some((t) => t.includes('added to the directory')));
  });
});
