// The budget ledger card: valid, fully expanded, empty lists explained, overspend in attention.
import assert from 'node:assert/strict';
import { action, ledgerCard, type Card, type LedgerCardData } from '../../src/cards';
import { factGroups as facts, lines, nodes } from './read';

const data: LedgerCardData = {
  title: 'Budget 2026-27',
  subtitle: 'April 2026 to March 2027.',
  figures: [
    { title: 'Allocation', value: '£357,000.00' },
    { title: 'Available', value: '£356,550.00' },
  ],
  sections: [
    { heading: 'Largest commitments', rows: [{ title: 'EIP-2026-0001', value: '£450.00' }], empty: 'None' },
    { heading: 'Spend by intervention type', rows: [], empty: 'No spend recorded yet.' },
    {
      heading: 'Spent beyond the agreed cost',
      rows: [{ title: 'EIP-2026-0001', value: '£50.00 over' }],
      empty: 'None',
      attention: true,
    },
  ],
  actions: [action('Set allocation', 'budgetForm', { year: '2026-27' })],
};

describe('the ledger card', () => {
  it('expands every figure and section, and leaves no template behind', () => {
    const card = ledgerCard(data);
    const json = JSON.stringify(card);
    assert.equal(card.version, '1.5');
    assert.equal(/\$\{|\$data|\$when/.test(json), false, json);
    assert.deepEqual(facts(card), [
      ['Allocation=£357,000.00', 'Available=£356,550.00'],
      ['EIP-2026-0001=£450.00'],
      ['EIP-2026-0001=£50.00 over'],
    ]);
  });

  it('explains an empty list instead of showing nothing', () => {
    const text = lines(ledgerCard(data));
    assert.ok(text.includes('No spend recorded yet.'));
    assert.ok(!text.includes('None'), 'a list with rows shows no empty note');
  });

  it('marks overspend for attention, and only when there is some', () => {
    const styles = (card: Card) =>
      nodes(card.body)
        .filter((n) => n.type === 'Container' && typeof n.style === 'string')
        .map((n) => n.style);
    assert.ok(styles(ledgerCard(data)).includes('attention'));
    const none = { ...data, sections: data.sections.map((s) => ({ ...s, rows: [] })) };
    assert.ok(!styles(ledgerCard(none)).includes('attention'));
  });

  it('shows a banner only when there is something to say', () => {
    const banner = (card: Card) => nodes(card.body).some((n) => n.text === 'No allocation set.');
    assert.equal(banner(ledgerCard(data)), false);
    assert.equal(
      banner(ledgerCard({ ...data, banner: { text: 'No allocation set.', tone: 'warning' } })),
      true,
    );
  });
});
