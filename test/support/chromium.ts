// Which Chromium the browser tests and `npm run cards:render` drive: the system's if there is one, otherwise the one
// the @sparticuz/chromium npm package ships, so `npm install && npm test` needs nothing else.
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** CHROMIUM_PATH if set ("bundled" forces the npm package's), else the system Chromium, else the npm package's. */
export async function chromiumPath(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen && chosen !== 'bundled') return chosen;
  if (!chosen && existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const bundled = (await import('@sparticuz/chromium')).default;
  return bundled.executablePath();
}

/** Headless, offline and quiet: no sandbox (tests run as root), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
