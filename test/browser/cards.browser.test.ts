// Every card in the catalogue (test/cards/catalogue.ts), drawn by Microsoft's Adaptive Cards renderer with the
// Teams-like host config in headless Chromium (test/support/card-renderer.ts) at a desktop's 500 px, where buttons sit
// in a row, and at a phone's 360 px, where they stack: nothing is wider than the card, every primary button in the
// card's JSON is drawn with its title, every secondary one is in the "…" menu, and Show more shows the whole text.
// One browser and one page draw them all. `npm run cards:render` writes the same drawings as PNGs to look at.
import assert from 'node:assert/strict';
import type { Card } from '../../src/cards';
import { catalogue, LONG_TEXT } from '../cards/catalogue';
import { read } from '../cards/read';
import { openCardPage, type CardPage } from '../support/card-renderer';

const DESKTOP = 500;
const PHONE = 360;

/** The renderer's "…" button, which opens a row's secondary actions (Adaptive Cards 1.5 `mode`) as a menu. */
const MORE = 'More options';

/**
 * What a card's JSON asks to be drawn, in order (its ActionSets' and its own actions, not fallbacks or refresh): the
 * buttons, each row's primary ones then its "…" button if it has secondary ones; and each "…" menu's titles.
 */
function expectedActions(card: Card): { buttons: string[]; menus: string[][] } {
  const buttons: string[] = [];
  const menus: string[][] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) buttons.push(read(o.title));
      // The card's own actions come after its body, as the renderer draws them.
      for (const [k, v] of Object.entries(o))
        if (k !== 'fallback' && k !== 'refresh' && k !== 'actions' && k !== 'selectAction') walk(v);
      if (Array.isArray(o.actions)) row(o.actions as Record<string, unknown>[]);
    }
  };
  const row = (actions: Record<string, unknown>[]): void => {
    const secondary = actions.filter((a) => a.mode === 'secondary');
    walk(actions.filter((a) => a.mode !== 'secondary'));
    if (secondary.length) {
      buttons.push(MORE);
      menus.push(secondary.map((a) => read(a.title)));
    }
  };
  walk(card);
  return { buttons, menus };
}

/** Warnings the renderer may give: Teams' charts, which it does not know, are drawn from their fallbacks. */
const EXPECTED_WARNING = /^Unknown element type "Chart\.\w+"\. Fallback will be used if present\.$/;

describe('every card drawn by the Adaptive Cards renderer at 500 px and at 360 px', function () {
  this.timeout(120_000);
  let page: CardPage;

  before(async () => {
    page = await openCardPage();
  });

  after(async () => {
    await page?.close();
  });

  /** Opens each "…" button of the card drawn in turn: the titles in its menu, then the menu closed again. */
  async function menuTitles(): Promise<string[][]> {
    const p = page.page;
    const more = p.locator(`#frame button[aria-label="${MORE}"]`);
    const out: string[][] = [];
    for (let i = 0; i < (await more.count()); i++) {
      await more.nth(i).click();
      const items = p.locator('[role="menu"] [role="menuitem"]');
      out.push((await items.allTextContents()).map((t) => read(t.trim())));
      await p.keyboard.press('Escape');
      assert.equal(await p.locator('[role="menu"]').count(), 0, 'the menu closes');
    }
    return out;
  }

  for (const { name, card } of catalogue()) {
    for (const width of [DESKTOP, PHONE]) {
      it(`draws the ${name} card within ${width} px, with every button or in the "…" menu`, async () => {
        const drawn = await page.draw(card, width);
        assert.deepEqual(drawn.overflowing, [], `${name}: wider than the card`);
        const expected = expectedActions(card);
        assert.deepEqual(drawn.buttons.map(read), expected.buttons, `${name}: every primary button drawn`);
        assert.deepEqual(await menuTitles(), expected.menus, `${name}: every secondary action in the menu`);
        for (const w of drawn.warnings) assert.match(w, EXPECTED_WARNING, `${name}: the renderer warned`);
      });
    }
  }

  it('puts the less used buttons of a crowded row in the "…" menu and keeps the step buttons', async () => {
    const { card } = catalogue().find((e) => e.name === 'case-documents')!;
    const drawn = await page.draw(card, DESKTOP);
    assert.deepEqual(drawn.buttons.map(read), ['Accept', 'Return with a question', MORE]);
    assert.deepEqual(await menuTitles(), [['Documents (2)', 'Transfer to new school']]);
  });

  it('finds a card that is too wide for a phone', async () => {
    const wide: Card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        {
          type: 'ColumnSet',
          columns: ['200px', '200px'].map((width) => ({
            type: 'Column',
            width,
            items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Fixed width' }] }],
          })),
        },
      ],
    };
    const drawn = await page.draw(wide, PHONE);
    assert.ok(drawn.overflowing.length > 0, 'two 200 px columns are found too wide for a phone');
  });

  it('shows the whole of a long text when Show more is pressed, and the excerpt again on Show less', async () => {
    const { card } = catalogue().find((e) => e.name === 'case-long-text')!;
    await page.draw(card, PHONE);
    const p = page.page;
    const visible = (id: string) => p.locator(`[id="${id}"]`).isVisible();
    assert.equal(await visible('section-1-excerpt'), true);
    assert.equal(await visible('section-1-full'), false);
    await p.getByRole('button', { name: 'Show more' }).first().click();
    assert.equal(await visible('section-1-excerpt'), false);
    assert.equal(await visible('section-1-full'), true);
    assert.equal(await visible('section-2-full'), false, 'the other section stays folded');
    // The renderer draws line breaks as elements, not characters: the words are compared.
    const words = (t: string | null) => String(t).replace(/\s+/g, ' ').trim();
    assert.equal(
      words(await p.locator('[id="section-1-full"]').textContent()),
      words(LONG_TEXT),
      'all of it',
    );
    await p.getByRole('button', { name: 'Show less' }).first().click();
    assert.equal(await visible('section-1-excerpt'), true);
    assert.equal(await visible('section-1-full'), false);
    // Still nothing wider than the phone with the whole text showing.
    assert.equal(
      await p.evaluate(() =>
        Array.from(document.querySelectorAll('#frame *')).some(
          (e) => e.scrollWidth > e.clientWidth && e.clientWidth > 0,
        ),
      ),
      false,
    );
  });
});
