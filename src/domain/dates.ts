// UK local dates. Everything the bot shows or compares is a Europe/London calendar date (YYYY-MM-DD).

const ISO_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const SHOW_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** The calendar date in London at this instant. */
export function londonDate(at: Date): string {
  return ISO_DAY.format(at);
}

/** The calendar year in London at this instant. */
export function londonYear(at: Date): number {
  return Number(londonDate(at).slice(0, 4));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (no 31 February). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** Days from a to b (both YYYY-MM-DD); negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Monday to Friday. (Term-date holidays are the admin's to set, and come with reminders.) */
export function isWeekday(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** "Tue 3 Mar 2026": how a date reads on a card. */
export function showDate(day: string): string {
  return SHOW_DAY.format(new Date(`${day}T00:00:00Z`)).replace(',', '');
}
