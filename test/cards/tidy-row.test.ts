// A crowded row of buttons (src/cards/verbs.ts `tidyRow`, used by `actionsData`) keeps the card's own steps as buttons
// and puts the less used ones in the "…" overflow menu (Adaptive Cards 1.5 `mode: secondary`), in the card's JSON
// and in its Action.Submit fallbacks; a row that fits is left alone. The browser test checks how they are drawn.
import assert from 'node:assert/strict';
import { action, caseCard, formCard, secondary, type Card } from '../../src/cards';
import { caseData } from './catalogue';
import { read } from './read';

/** Every Action.Execute on a card: its title, its mode and its fallback's mode. */
function buttons(card: Card): { title: string; mode: unknown; fallbackMode: unknown }[] {
  const out: { title: string; mode: unknown; fallbackMode: unknown }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        out.push({
          title: read(o.title),
          mode: o.mode,
          fallbackMode: (o.fallback as Record<string, unknown>).mode,
        });
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

const secondaries = (card: Card) =>
  buttons(card)
    .filter((b) => b.mode === 'secondary')
    .map((b) => b.title);

describe('a crowded row of buttons', () => {
  it("puts a case card's Documents, Transfer and My cases in the menu and keeps its steps", () => {
    const card = caseCard({
      ...caseData,
      actions: [
        action('Documents (2)', 'caseFiles', { caseId: 'case-1' }),
        action('Transfer to new school', 'transferForm', { caseId: 'case-1' }),
        action('Accept', 'showForm', { caseId: 'case-1', form: 'accept' }),
        action('Return with a question', 'showForm', { caseId: 'case-1', form: 'return' }),
        action('My cases', 'myCases'),
      ],
    });
    assert.deepEqual(secondaries(card), ['Documents (2)', 'Transfer to new school', 'My cases']);
    // An older client drawing the Action.Submit fallbacks keeps them in the menu too.
    for (const b of buttons(card)) assert.equal(b.fallbackMode, b.mode, b.title);
  });

  it('puts Help and End absence in the menu of three long buttons', () => {
    const card = formCard({
      title: "I'm away: name a substitute",
      fields: [],
      actions: [
        action('Name substitute', 'saveAway', {}, 'positive'),
        action('End absence: Grace, 30 Nov', 'endAway', { substitutionId: 's-1' }, 'destructive'),
        action('Help', 'help'),
      ],
    });
    assert.deepEqual(secondaries(card), ['End absence: Grace, 30 Nov', 'Help']);
  });

  it('leaves a row that fits as it is: every button primary', () => {
    const card = formCard({
      title: 'Meetings',
      fields: [],
      actions: [action('Set meetings', 'saveMeeting', {}, 'positive'), action('Help', 'help')],
    });
    assert.deepEqual(
      buttons(card).map((b) => b.mode),
      ['primary', 'primary'],
    );
  });

  it('keeps one button primary when every one is less used, and a mode the builder chose', () => {
    const card = formCard({
      title: 'Where next',
      fields: [],
      actions: [
        action('Help', 'help'),
        action('My cases', 'myCases'),
        action('History', 'history', { caseId: 'case-1' }),
        secondary(action('Documents (2)', 'caseFiles', { caseId: 'case-1' })),
      ],
    });
    assert.deepEqual(
      buttons(card).map((b) => [b.title, b.mode]),
      [
        ['Help', 'primary'],
        ['My cases', 'secondary'],
        ['History', 'secondary'],
        ['Documents (2)', 'secondary'],
      ],
    );
  });
});
