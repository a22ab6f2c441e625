/**
 * The API's date-times (`YYYY-MM-DDTHH:MM:SS±hh:mm`, and the ISO 8601 forms
 * around it: `Z`, fractional seconds, `+0530`): strict parsing into an
 * instant, and formatting an instant for people (hover, messages). No `Date.parse`:
 * it accepts far too much and silently rolls 2029-02-30 over to March.
 */

export interface OffsetDateTime {
  /** The instant, in milliseconds since 1970-01-01T00:00:00Z. */
  readonly epochMs: number;
  /** The offset written in the text, in minutes east of UTC (`+05:30` → 330, `Z` → 0). */
  readonly offsetMinutes: number;
}

/**
 * The shape alone: a date, a time with optional fractional seconds, and a zone
 * (`Z`, `±hh:mm` or `±hhmm`). Which of these forms a file should use is the
 * schema's and the rules' business, not this parser's.
 */
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2}):?(\d{2})|Z)$/;

/** Java's `ZoneOffset` (the vendor's server is Java) allows at most ±18:00. */
const MAX_OFFSET_MINUTES = 18 * 60;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `2029-05-10T00:00:00+05:30` → its instant and offset; `undefined` when the text
 * does not have the strict shape or is not a real date and time (2029-02-30,
 * 24:00:00, an offset beyond ±18:00).
 */
export function parseOffsetDateTime(text: string): OffsetDateTime | undefined {
  if (typeof text !== 'string') return undefined;
  const match = SHAPE.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fractionMs = match[7] ? Math.floor(Number(`0.${match[7]}`) * 1000) : 0;
  let offsetMinutes = 0;
  if (match[8]) {
    const offsetHours = Number(match[9]);
    const offsetMins = Number(match[10]);
    if (offsetMins > 59) return undefined;
    offsetMinutes = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
    if (Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) return undefined;
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const utc = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, fractionMs));
  utc.setUTCFullYear(year);
  const epochMs = utc.getTime() - offsetMinutes * 60_000;
  return { epochMs: epochMs === 0 ? 0 : epochMs, offsetMinutes };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `+05:30`, `-03:00`; `UTC` for a zero offset. */
export function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}`;
}

/**
 * An instant for people: `2029-05-09 18:30:00 UTC`, or, given an offset, the wall
 * time at that offset (`2029-05-10 00:00:00 +05:30`). Seconds are truncated.
 * Returns `invalid instant` for a value `Date` cannot represent.
 */
export function formatInstant(epochMs: number, offsetMinutes?: number): string {
  const offset = offsetMinutes ?? 0;
  const shifted = new Date(epochMs + offset * 60_000);
  if (!Number.isFinite(epochMs) || Number.isNaN(shifted.getTime())) return 'invalid instant';
  const year = shifted.getUTCFullYear();
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const date = `${yearText}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
  const time = `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
  return `${date} ${time} ${formatOffset(offset)}`;
}

/**
 * Why a date-time of the right shape is not a real one, in words for a
 * diagnostic (`February 2029 has 28 days`); `undefined` when it is fine or
 * does not even have the shape.
 */
export function explainInvalidDateTime(text: string): string | undefined {
  const match = SHAPE.exec(text);
  if (!match || parseOffsetDateTime(text)) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return day < 1 ? 'there is no day 0' : `${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
  if (hour > 23) return `there is no hour ${hour} (use 00-23)`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (second > 59) return `there is no second ${second}`;
  return 'the offset is beyond ±18:00';
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
