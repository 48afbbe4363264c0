// Calendar arithmetic in Asia/Shanghai (UTC+8, no daylight saving). Cloud functions run in UTC,
// so every day, month and year boundary of the product goes through here.

const OFFSET = 8 * 3600_000;
const DAY = 24 * 3600_000;

/** The Shanghai calendar day of an instant, 'YYYY-MM-DD'. */
export const shanghaiDay = (ms: number): string => new Date(ms + OFFSET).toISOString().slice(0, 10);
/** The Shanghai month of an instant, 'YYYY-MM'. */
export const shanghaiMonth = (ms: number): string => shanghaiDay(ms).slice(0, 7);
/** The Shanghai year of an instant. */
export const shanghaiYear = (ms: number): number => Number(shanghaiDay(ms).slice(0, 4));
/** The instant a Shanghai day starts. */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`) - OFFSET;
/** The day `n` days after `day` (n may be negative). */
export const addDays = (day: string, n: number): string => shanghaiDay(dayStart(day) + n * DAY);
/** Whole days from `a` to `b`. */
export const daysBetween = (a: string, b: string): number => Math.round((dayStart(b) - dayStart(a)) / DAY);
/** The last millisecond of a Shanghai year. */
export const endOfYear = (year: number): number => dayStart(`${year + 1}-01-01`) - 1;
/** Days in month `m` (1–12) of year `y`, proleptic Gregorian. */
const daysInMonth = (y: number, m: number): number => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28)
  : [4, 6, 9, 11].includes(m) ? 30 : 31);
/** True for a real calendar date 'YYYY-MM-DD' (years 1000–9999); never throws ('2026-13-45' is false). */
export function isDay(s: unknown): s is string {
  const m = typeof s === 'string' ? /^([1-9]\d{3})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}
/** True for a real calendar month 'YYYY-MM' (years 1000–9999). */
export const isMonth = (s: unknown): s is string => typeof s === 'string' && isDay(`${s}-01`) && s.length === 7;
/** The month `n` months after 'YYYY-MM' (n may be negative). */
export function addMonths(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}
/** The instant `n` calendar months after `ms` (n may be negative) at the same Shanghai wall time, the day
 * clamped to the month's last day (31 Mar − 1 month = 28/29 Feb). */
export function addMonthsAt(ms: number, n: number): number {
  const t = new Date(ms + OFFSET);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + n;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const timeOfDay = (ms + OFFSET) - Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  return Date.UTC(y, m, Math.min(t.getUTCDate(), lastDay)) + timeOfDay - OFFSET;
}
/** Milliseconds in a day. */
export const DAY_MS = DAY;
