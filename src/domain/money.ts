// Money is held in pence (integers) and shown as pounds.

const POUNDS = /^£?\s*(\d{1,7})(?:\.(\d{1,2}))?$/;

/** Parses "450", "450.5" or "£1,450.50" into pence; undefined when it is not an amount of money. */
export function parsePounds(input: string | number): number | undefined {
  const text = String(input).trim().replace(/,/g, '');
  const m = POUNDS.exec(text);
  if (!m) return undefined;
  const pence = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(pence);
}

const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

export function formatPence(pence: number): string {
  return GBP.format(pence / 100);
}
