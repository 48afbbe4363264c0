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
/** True for a real 'YYYY-MM-DD' date. */
export const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && shanghaiDay(dayStart(s)) === s;
/** Milliseconds in a day. */
export const DAY_MS = DAY;
