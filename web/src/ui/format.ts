// How every page writes counts, sizes, durations and times: Indian digit grouping (12,34,567) and
// Indian Standard Time, whatever the browser's own locale and zone, so two operators read the same.

export const DISPLAY_TIME_ZONE = 'Asia/Kolkata';

const whole = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat('en-IN', {
  timeZone: DISPLAY_TIME_ZONE,
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateTimeSeconds = new Intl.DateTimeFormat('en-IN', {
  timeZone: DISPLAY_TIME_ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatCount(value: number): string {
  return whole.format(value);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** `850 ms`, `4.2 s`, `38 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `12 Mar, 14:05` in IST. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** `12 Mar 2026, 14:05:09` in IST: for audit-grade timestamps. */
export function formatTimestamp(iso: string): string {
  return dateTimeSeconds.format(new Date(iso));
}

/** `2024-04-25` → `25 Apr 2024`, read as a calendar date so no time zone can shift it a day. */
export function formatCalendarDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) return isoDate;
  const [, year, month, day] = match;
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

const acronyms = new Set(['KYC', 'KRA', 'PAN', 'PEP', 'NRI', 'NRE', 'NRO', 'MTF', 'SMS', 'OTP', 'FATCA', 'UCC']);

/** `ON_HOLD` → `On hold`, `KYC_PROCESSING` → `KYC processing`: the server's upper-case codes in words. */
export function humanise(code: string): string {
  const words = code.split('_').filter((word) => word !== '');
  const text = words.map((word) => (acronyms.has(word.toUpperCase()) ? word.toUpperCase() : word.toLowerCase())).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
