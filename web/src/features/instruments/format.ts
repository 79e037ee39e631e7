// How the Instruments page writes numbers, dates and labels. Prices and times are Indian-market
// conventions (en-IN grouping, IST), whatever the browser's own locale and zone.
import type { Instrument, InstrumentType } from './instruments-api.ts';

export const MARKET_TIME_ZONE = 'Asia/Kolkata';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2024-04-25` → `25 Apr 2024`, read as a calendar date so no time zone can shift it a day. */
export function formatExpiry(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) return isoDate;
  const [, year, month, day] = match;
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

const price = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 4 });
const whole = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });

export function formatPrice(value: number): string {
  return price.format(value);
}

export function formatNumber(value: number): string {
  return plain.format(value);
}

export function formatCount(value: number): string {
  return whole.format(value);
}

/** `+12.35`, `−4.10`: an explicit sign, with a real minus. */
export function formatSigned(value: number, digits = 2): string {
  const text = Math.abs(value).toLocaleString('en-IN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (value > 0) return `+${text}`;
  if (value < 0) return `\u2212${text}`;
  return text;
}

/** Query times are usually fractions of a millisecond: keep two significant places there. */
export function formatTook(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

const timeOfDay = new Intl.DateTimeFormat('en-IN', { timeZone: MARKET_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const hourMinute = new Intl.DateTimeFormat('en-IN', { timeZone: MARKET_TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
const dateTime = new Intl.DateTimeFormat('en-IN', {
  timeZone: MARKET_TIME_ZONE,
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function formatTimeOfDay(iso: string | Date): string {
  return timeOfDay.format(new Date(iso));
}

export function formatHourMinute(date: Date): string {
  return hourMinute.format(date);
}

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export const typeLabels: Record<string, string> = {
  EQ: 'Equity',
  ETF: 'ETF',
  INDEX: 'Index',
  DEBT: 'Debt',
  FUT: 'Futures',
  CE: 'Calls (CE)',
  PE: 'Puts (PE)',
};

export const segmentLabels: Record<string, string> = {
  CASH: 'Cash',
  INDICES: 'Indices',
  FO: 'F&O',
  CURRENCY: 'Currency',
  COMMODITY: 'Commodity',
};

/** The display order of facet values; values the page does not know yet follow, by count. */
export const facetOrder: Record<'exchange' | 'type' | 'segment', readonly string[]> = {
  exchange: ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'NCDEX'],
  type: ['EQ', 'ETF', 'INDEX', 'DEBT', 'FUT', 'CE', 'PE'],
  segment: ['CASH', 'INDICES', 'FO', 'CURRENCY', 'COMMODITY'],
};

export function isDerivative(type: InstrumentType | string): boolean {
  return type === 'FUT' || type === 'CE' || type === 'PE' || type === 'OPT';
}

/** `NIFTY 25 Apr 2024 22,000 CE`: how a dealer reads a contract aloud. */
export function describeContract(instrument: Instrument): string | null {
  if (!isDerivative(instrument.instrumentType)) return null;
  const parts = [instrument.underlying ?? instrument.name];
  if (instrument.expiry !== null) parts.push(formatExpiry(instrument.expiry));
  if (instrument.strike !== null) parts.push(formatNumber(instrument.strike));
  parts.push(instrument.optionType ?? instrument.instrumentType);
  return parts.join(' ');
}
