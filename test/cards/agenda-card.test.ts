// The providers' meeting agenda card: valid, fully expanded, people's words shown literally, empty lists explained.
import assert from 'node:assert/strict';
import { action, agendaCard, type AgendaCardData } from '../../src/cards';
import { lines, nodes, read, type Node } from './read';

const NASTY = 'Try ${title}, see [link](http://x) and **bold** — or {{DATE(2026-12-02)}}';

const data: AgendaCardData = {
  title: "Providers' meeting agenda",
  subtitle: 'As at Mon 11 Jan 2027.',
  sections: [
    {
      heading: 'Waiting list (2)',
      empty: 'No requests are waiting.',
      rows: [
        { lead: 'EIP-2026-0001', text: 'Individual pupil, Year 4. Submitted, raised Mon 2 Nov 2026' },
        { lead: 'EIP-2026-0002', text: 'Whole class, Year 3. Assessed, raised Tue 3 Nov 2026' },
      ],
    },
    { heading: 'Overdue reviews (0)', empty: 'No reviews are overdue.', rows: [] },
    {
      heading: 'Needs no provider covers',
      empty: 'Every kind of intervention has an active provider.',
      rows: [{ lead: 'EIP-2026-0003', text: `Play therapy from ${NASTY}` }],
    },
  ],
  actions: [action('Refresh', 'agenda'), action('My cases', 'myCases')],
};

describe('the agenda card', () => {
  const card = agendaCard(data);

  it('is a fully expanded Adaptive Card 1.5 with a fallback on every button', () => {
    const json = JSON.stringify(card);
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.5');
    assert.equal(read(json).split(NASTY).join('').includes('${'), false, 'no unexpanded template left');
    assert.equal(json.includes('$data'), false);
    assert.equal(json.includes('$when'), false);
    const buttons = nodes(card.actions).filter((n) => n.type === 'Action.Execute');
    assert.deepEqual(
      buttons.map((b) => [b.title, b.verb, (b.fallback as Node).type]),
      [
        ['Refresh', 'agenda', 'Action.Submit'],
        ['My cases', 'myCases', 'Action.Submit'],
      ],
    );
  });

  it('shows each section with its rows, and says so when a section is empty', () => {
    const t = lines(card);
    assert.deepEqual(
      t.filter((x) => /\(\d\)$|covers$/.test(String(x))),
      ['Waiting list (2)', 'Overdue reviews (0)', 'Needs no provider covers'],
    );
    assert.ok(t.includes('No reviews are overdue.'));
    assert.equal(t.includes('No requests are waiting.'), false, 'a list with rows has no empty line');
    const rows = t.filter((x) => x.startsWith('EIP-'));
    assert.deepEqual(rows.slice(0, 2), [
      'EIP-2026-0001: Individual pupil, Year 4. Submitted, raised Mon 2 Nov 2026',
      'EIP-2026-0002: Whole class, Year 3. Assessed, raised Tue 3 Nov 2026',
    ]);
  });

  it("shows people's words literally, in text runs that render no markdown", () => {
    assert.ok(lines(card).includes(`EIP-2026-0003: Play therapy from ${NASTY}`));
    assert.equal(nodes(card).filter((n) => n.type === 'TextBlock').length, 0);
  });
});
