// `npm run cards:render`: a PNG of every card in the catalogue (test/cards/catalogue.ts), drawn by Microsoft's
// Adaptive Cards renderer with the Teams-like host config, at 500 px (desktop) and at a phone's 360 px, so a reviewer
// can look at every card without Teams. They go to build/cards/ (or the folder given), which git ignores.
import fs from 'node:fs';
import path from 'node:path';
import { catalogue } from '../cards/catalogue';
import { openCardPage } from './card-renderer';

export const WIDTHS = [500, 360];

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'build', 'cards'));
  fs.mkdirSync(out, { recursive: true });
  const page = await openCardPage();
  let problems = 0;
  try {
    for (const { name, card } of catalogue()) {
      for (const width of WIDTHS) {
        const drawn = await page.draw(card, width);
        const file = path.join(out, `${name}-${width}.png`);
        fs.writeFileSync(file, await page.screenshot());
        if (drawn.overflowing.length) {
          problems += 1;
          console.log(`${path.basename(file)}: wider than the card: ${drawn.overflowing.join('; ')}`);
        }
      }
    }
  } finally {
    await page.close();
  }
  console.log(
    `${catalogue().length * WIDTHS.length} cards drawn into ${out}${problems ? `, ${problems} too wide` : ''}`,
  );
  if (problems) process.exitCode = 1;
}

void main();
