// Money is held in pence (integers) and shown as pounds.

/** Commas only as thousands separators, so "45,50" is refused rather than read as £4,550. */
const POUNDS = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Parses "450", "450.5" or "£1,450.50" into pence; undefined when it is not an amount of money. */
export function parsePounds(input: string | number): number | undefined {
  const m = POUNDS.exec(String(input).trim());
  if (!m) return undefined;
  const pounds = m[1]!.replace(/,/g, '');
  if (pounds.length > 7) return undefined;
  const pence = (m[2] ?? '').padEnd(2, '0');
  return Number(pounds) * 100 + Number(pence);
}

const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

export function formatPence(pence: number): string {
  return GBP.format(pence / 100);
}

/** The sum of an amount in pence over a list. */
export const sumPence = <T>(items: readonly T[], pence: (item: T) => number): number =>
  items.reduce((total, item) => total + pence(item), 0);
