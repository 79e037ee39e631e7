// Dates as they arrive in KYC feeds (ISO, KRA's DD/MM/YYYY, Excel cells) reduced to ISO
// `YYYY-MM-DD`; timestamps to UTC ISO. Parsing never throws: a bad value is simply null.

const DAY_MS = 86_400_000;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const dayFirst = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const compact = /^(\d{4})(\d{2})(\d{2})$/;
const isoTimestamp = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Already in `toISOString` form: checked field by field instead of parsed and re-printed.
const canonicalTimestamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/** True when year/month/day name a day of the Gregorian calendar (years 1800-9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1800 || year > 9999) return false;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : monthDays[month - 1]!;
  return Number.isInteger(day) && day >= 1 && day <= daysInMonth;
}

function formatDate(year: number, month: number, day: number): string | null {
  if (!isRealDate(year, month, day)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a calendar date: `YYYY-MM-DD` (a time part is ignored), `DD-MM-YYYY`, `DD/MM/YYYY`,
 * `DD.MM.YYYY`, `YYYYMMDD`, or a Date (an Excel cell; rounded to the nearest UTC midnight because
 * spreadsheet dates land a hair either side of it). Null for anything else or an impossible date.
 */
export function parseDate(value: unknown): string | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) return null;
    const day = new Date(Math.round(ms / DAY_MS) * DAY_MS);
    return formatDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let m = isoDate.exec(text) ?? compact.exec(text);
  if (m) return formatDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = dayFirst.exec(text);
  if (m) return formatDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

/** Reads an ISO 8601 date-time with a zone (or a Date) to UTC `toISOString()` form; null otherwise. */
export function parseTimestamp(value: unknown): string | null {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const canonical = canonicalTimestamp.exec(text);
  if (canonical) {
    const ok = isRealDate(Number(canonical[1]), Number(canonical[2]), Number(canonical[3]))
      && Number(canonical[4]) < 24 && Number(canonical[5]) < 60 && Number(canonical[6]) < 60;
    return ok ? text : null;
  }
  const m = isoTimestamp.exec(text);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Whole years from `dob` to `today` (both ISO dates): the age a person has on `today`. */
export function computeAge(dob: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dob.slice(0, 4));
  return today.slice(5) < dob.slice(5) ? years - 1 : years;
}
