// Draws cards with Microsoft's own Adaptive Cards renderer (the `adaptivecards` npm package's browser bundle) and the
// Teams-like host config (test/fixtures/adaptive-card/teams-host-config.json), in one headless Chromium page, with
// no network: the bundle is read from node_modules. Used by test/browser/cards.browser.test.ts and
// `npm run cards:render`, which writes a PNG of every card at 500 px and at a phone's 360 px.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Card } from '../../src/cards';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';

const HOST_CONFIG = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'adaptive-card', 'teams-host-config.json'), 'utf8'),
) as { actions: Record<string, unknown> } & Record<string, unknown>;

/** Narrower than this is a phone. */
export const PHONE_WIDTH = 400;

/**
 * The host config for a width: Teams' desktop and web clients put a card's buttons side by side; its phone apps stack
 * them, each as wide as the card, so a phone's card is drawn with the buttons stacked.
 */
export const hostConfigFor = (width: number) =>
  width < PHONE_WIDTH
    ? {
        ...HOST_CONFIG,
        actions: { ...HOST_CONFIG.actions, actionsOrientation: 'vertical', actionAlignment: 'stretch' },
      }
    : HOST_CONFIG;

/**
 * Buttons as Teams draws them: Segoe UI semibold 14 px, 32 px high, 12 px padding, rounded, purple on white. And the
 * type-ahead box sized like the other inputs: the renderer's sample stylesheet gives it width 100% plus padding, which
 * would make it 18 px wider than its column whatever the card.
 */
const TEAMS_BUTTONS = `
  .ac-pushButton { height: 32px; padding: 0 12px; border-radius: 4px; font-size: 14px;
    font-family: 'Segoe UI', -apple-system, Roboto, 'DejaVu Sans', sans-serif; font-weight: 600;
    border: 1px solid #d1d1d1; color: #242424; background: #fff; }
  .ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #fff; }
  .ac-pushButton.style-destructive { background: #fff; border-color: #d1d1d1; color: #c4314b; }
  .ac-input.ac-choiceSetInput-filtered, .ac-input.ac-choiceSetInput-filtered-textbox { box-sizing: border-box; }
`;

/** What a card looked like once drawn. */
export interface Drawn {
  /** Elements wider than the box they sit in (the card root included), described for a failure message. */
  overflowing: string[];
  /** The titles of the buttons drawn, hidden ones (Show less) included, in order. */
  buttons: string[];
  /** What the renderer said went wrong while reading the card (unknown elements, too many actions…). */
  warnings: string[];
}

export interface CardPage {
  /** Draws a card in a frame this many CSS pixels wide; answers what was drawn. */
  draw(card: Card, width: number): Promise<Drawn>;
  /** A PNG of the card last drawn. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
  /** The page itself, to look closer. */
  page: Page;
}

/** Opens one browser and one page, with the renderer loaded, for all the cards to be drawn in turn. */
export async function openCardPage(): Promise<CardPage> {
  const browser: Browser = await chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
    // Nothing leaves the machine: every request the page makes is refused.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#f5f5f5}' +
        '#frame{box-sizing:border-box;background:#fff;border:1px solid #e0e0e0;border-radius:4px;margin:8px}' +
        '</style></head><body><div id="frame"></div></body></html>',
    );
    // The renderer and its own stylesheet, then Teams' button look (purple, 32 px high, rounded) over it.
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    await page.addStyleTag({ path: require.resolve('adaptivecards/dist/adaptivecards.css') });
    await page.addStyleTag({ content: TEAMS_BUTTONS });
    const draw = async (card: Card, width: number): Promise<Drawn> =>
      page.evaluate(
        ({ card, width, hostConfig }) => {
          // The renderer's own API, as a host app uses it.
          const AC = (window as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
          const frame = document.getElementById('frame')!;
          frame.style.width = `${width}px`;
          frame.replaceChildren();
          const adaptive = new AC.AdaptiveCard();
          adaptive.hostConfig = new AC.HostConfig(hostConfig);
          const context = new AC.SerializationContext();
          adaptive.parse(card, context);
          const warnings = context.eventCount
            ? Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message)
            : [];
          const root = adaptive.render();
          if (!root) return { overflowing: ['the card did not render'], buttons: [], warnings };
          frame.appendChild(root);
          const describe = (el: Element) =>
            `${el.tagName.toLowerCase()}.${el.className || '-'} "${(el.textContent ?? '').slice(0, 40)}" ` +
            `(${el.scrollWidth} > ${el.clientWidth})`;
          const overflowing: string[] = [];
          for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
            // Only boxes that can scroll or clip count: an inline run has no width of its own.
            if (el.clientWidth === 0) continue;
            if (el.scrollWidth > el.clientWidth) overflowing.push(describe(el));
          }
          const buttons = Array.from(root.querySelectorAll('button')).map((b) =>
            (b.getAttribute('aria-label') ?? b.textContent ?? '').trim(),
          );
          return { overflowing, buttons, warnings };
        },
        { card, width, hostConfig: hostConfigFor(width) },
      );
    return {
      draw,
      screenshot: async () => page.locator('#frame').screenshot(),
      close: () => browser.close(),
      page,
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
