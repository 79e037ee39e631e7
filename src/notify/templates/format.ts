// How a variable's value reads in a message: rupees with Indian digit grouping (₹12,50,000.00),
// dates as 26 Nov 2026, times in IST, lists joined, enum codes as words of the message's language.
// The format comes from the placeholder (`{{dueBy:time}}`) or, by default, from the variable's
// catalog schema, so a template author rarely writes one.
import type { TSchema } from 'typebox';
import { decodeKraStatus, type KraStatusName } from '../../kyc/kra-status.ts';
import type { TemplateLanguage } from './template.ts';

export const valueFormats = ['money', 'number', 'date', 'time', 'datetime', 'month', 'list', 'label', 'kra_status', 'text'] as const;
export type ValueFormat = (typeof valueFormats)[number];

export function isValueFormat(value: string): value is ValueFormat {
  return (valueFormats as readonly string[]).includes(value);
}

export type FormatOptions = {
  language: TemplateLanguage;
  /** `Rs.` keeps an SMS in GSM-7 (₹ is not in it, and one ₹ would halve the segment length). */
  currency: '₹' | 'Rs.';
  /** Longest text a list may become; further items are summarised as “+3 more”. */
  maxListLength?: number;
};

export type Formatted = { ok: true; text: string } | { ok: false; reason: string };

type SchemaLike = { type?: unknown; format?: unknown; enum?: unknown; description?: unknown; items?: unknown; pattern?: unknown; anyOf?: unknown };

/** The format a variable gets when its placeholder names none. */
export function defaultFormat(schema: TSchema | undefined): ValueFormat {
  const s = (schema ?? {}) as SchemaLike;
  if (s.type === 'array') return 'list';
  if (Array.isArray(s.enum) || Array.isArray(s.anyOf)) return 'label';
  if (s.type === 'number' || s.type === 'integer') return typeof s.description === 'string' && /rupee/i.test(s.description) ? 'money' : 'number';
  if (s.format === 'date') return 'date';
  if (s.format === 'date-time') return 'datetime';
  return 'text';
}

/**
 * True for free text a message may shorten (a reason, a device name). Codes, references and numbers
 * (a pattern, a format, an enum, or a description that calls them so), and links, keep every
 * character: a shortened reference is a wrong one.
 */
export function isFreeText(schema: TSchema | undefined): boolean {
  const s = (schema ?? {}) as SchemaLike;
  if (s.type !== 'string' || s.pattern !== undefined || s.format !== undefined || s.enum !== undefined) return false;
  return !(typeof s.description === 'string' && /\b(code|reference|number|id)\b/i.test(s.description));
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthsHi = ['जनवरी', 'फ़रवरी', 'मार्च', 'अप्रैल', 'मई', 'जून', 'जुलाई', 'अगस्त', 'सितंबर', 'अक्तूबर', 'नवंबर', 'दिसंबर'];
const istOffsetMs = (5 * 60 + 30) * 60 * 1000;

const words = {
  en: { more: (n: number) => `+${n} more`, yes: 'yes', no: 'no', ist: 'IST' },
  hi: { more: (n: number) => `+${n} और`, yes: 'हाँ', no: 'नहीं', ist: 'IST' },
} as const;

/**
 * Words for the codes events carry. Keyed by value: the catalog's enums do not share values with
 * different meanings. A value without a label is shown as it is.
 */
export const valueLabels: Record<TemplateLanguage, Record<string, string>> = {
  en: {
    mobile: 'mobile number', email: 'email address', address: 'address', bank: 'bank account',
    CM: 'Equity', FO: 'F&O', CD: 'Currency', COM: 'Commodity', MTF: 'MTF', SLB: 'SLB',
    BUY: 'Buy', SELL: 'Sell',
    DIVIDEND: 'Dividend', BONUS: 'Bonus issue', SPLIT: 'Stock split', RIGHTS: 'Rights issue', BUYBACK: 'Buyback', EVOTING: 'E-voting',
    DDPI_ACTIVATED: 'DDPI activated', DDPI_REVOKED: 'DDPI revoked', PLEDGE_CREATED: 'Pledge created', PLEDGE_RELEASED: 'Pledge released', PLEDGE_INVOKED: 'Pledge invoked',
  },
  hi: {
    mobile: 'मोबाइल नंबर', email: 'ईमेल पता', address: 'पता', bank: 'बैंक खाता',
    CM: 'इक्विटी', FO: 'F&O', CD: 'करेंसी', COM: 'कमोडिटी', MTF: 'MTF', SLB: 'SLB',
    BUY: 'खरीद', SELL: 'बिक्री',
    DIVIDEND: 'लाभांश', BONUS: 'बोनस शेयर', SPLIT: 'शेयर विभाजन', RIGHTS: 'राइट्स इश्यू', BUYBACK: 'बायबैक', EVOTING: 'ई-वोटिंग',
    DDPI_ACTIVATED: 'DDPI सक्रिय', DDPI_REVOKED: 'DDPI रद्द', PLEDGE_CREATED: 'गिरवी (प्लेज) बनाई गई', PLEDGE_RELEASED: 'गिरवी (प्लेज) मुक्त', PLEDGE_INVOKED: 'गिरवी (प्लेज) लागू की गई',
  },
};

const kraStatusLabels: Record<TemplateLanguage, Record<KraStatusName, string>> = {
  en: {
    NOT_CHECKED: 'Not checked', SUBMITTED: 'Under process', REGISTERED: 'Registered', ON_HOLD: 'On hold', REJECTED: 'Rejected',
    NOT_AVAILABLE: 'Not available', DEACTIVATED: 'Deactivated', VALIDATED: 'Validated',
  },
  hi: {
    NOT_CHECKED: 'जाँच बाकी', SUBMITTED: 'प्रक्रियाधीन', REGISTERED: 'पंजीकृत', ON_HOLD: 'होल्ड पर', REJECTED: 'अस्वीकृत',
    NOT_AVAILABLE: 'उपलब्ध नहीं', DEACTIVATED: 'निष्क्रिय', VALIDATED: 'सत्यापित',
  },
};

const grouping = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2 });
const rupees = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** ₹12,50,000.00 (or Rs.12,50,000.00); a debit shows as -₹1,250.50. */
export function formatMoney(amount: number, currency: FormatOptions['currency'] = '₹'): string {
  const text = `${currency}${rupees.format(Math.abs(amount))}`;
  return amount < 0 ? `-${text}` : text;
}

function monthName(month: number, language: TemplateLanguage): string {
  return (language === 'hi' ? monthsHi : monthsEn)[month - 1]!;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoMonth = /^(\d{4})-(\d{2})$/;

/** `2026-11-26` → `26 Nov 2026` (Hindi: `26 नवंबर 2026`). */
export function formatDate(value: string, language: TemplateLanguage): string | undefined {
  const m = isoDate.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${day} ${monthName(month, language)} ${year}`;
}

/** The wall-clock parts of a timestamp in IST (India has one zone and no daylight saving). */
function istParts(value: string): { day: number; month: number; year: number; time: string } | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const ist = new Date(at + istOffsetMs);
  const hours = ist.getUTCHours();
  const minutes = String(ist.getUTCMinutes()).padStart(2, '0');
  const time = `${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
  return { day: ist.getUTCDate(), month: ist.getUTCMonth() + 1, year: ist.getUTCFullYear(), time };
}

export function formatTime(value: string, language: TemplateLanguage): string | undefined {
  const p = istParts(value);
  return p && `${p.time} ${words[language].ist}`;
}

/** `2026-02-11T15:00:00+05:30` → `11 Feb 2026, 3:00 PM IST`. */
export function formatDateTime(value: string, language: TemplateLanguage): string | undefined {
  const p = istParts(value);
  return p && `${p.day} ${monthName(p.month, language)} ${p.year}, ${p.time} ${words[language].ist}`;
}

function formatScalar(value: unknown, format: ValueFormat, options: FormatOptions): Formatted {
  const { language } = options;
  const fail = (reason: string): Formatted => ({ ok: false, reason });
  switch (format) {
    case 'money': {
      const n = toNumber(value);
      return n === undefined ? fail('is not an amount') : { ok: true, text: formatMoney(n, options.currency) };
    }
    case 'number': {
      const n = toNumber(value);
      return n === undefined ? fail('is not a number') : { ok: true, text: grouping.format(n) };
    }
    case 'date': {
      const text = typeof value === 'string' ? (formatDate(value, language) ?? formatDate(value.slice(0, 10), language)) : undefined;
      return text === undefined ? fail('is not a date') : { ok: true, text };
    }
    case 'time': {
      const text = typeof value === 'string' ? formatTime(value, language) : undefined;
      return text === undefined ? fail('is not a date-time') : { ok: true, text };
    }
    case 'datetime': {
      const text = typeof value === 'string' ? formatDateTime(value, language) : undefined;
      return text === undefined ? fail('is not a date-time') : { ok: true, text };
    }
    case 'month': {
      if (typeof value !== 'string') return fail('is not a month');
      const m = isoMonth.exec(value);
      if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { ok: true, text: `${monthName(Number(m[2]), language)} ${m[1]}` };
      const day = formatDate(value, language);
      return day === undefined ? fail('is not a month') : { ok: true, text: day };
    }
    case 'kra_status': {
      const decoded = typeof value === 'string' ? decodeKraStatus(value) : null;
      return decoded === null ? fail('is not a KRA status code') : { ok: true, text: kraStatusLabels[language][decoded.status] };
    }
    case 'label':
      if (typeof value === 'string') return { ok: true, text: valueLabels[language][value] ?? value };
      return formatScalar(value, 'text', options);
    case 'list':
    case 'text':
      if (typeof value === 'string') return { ok: true, text: value };
      if (typeof value === 'number') return { ok: true, text: grouping.format(value) };
      if (typeof value === 'boolean') return { ok: true, text: value ? words[language].yes : words[language].no };
      return fail('is not text');
  }
}

/** Joins list items; past `maxLength`, keeps the items that fit and counts the rest (`A, B +3 more`). */
function joinList(items: string[], language: TemplateLanguage, maxLength: number | undefined): string {
  const all = items.join(', ');
  if (maxLength === undefined || all.length <= maxLength) return all;
  for (let keep = items.length - 1; keep >= 1; keep--) {
    const text = `${items.slice(0, keep).join(', ')} ${words[language].more(items.length - keep)}`;
    if (text.length <= maxLength) return text;
  }
  return `${items[0]} ${words[language].more(items.length - 1)}`;
}

/**
 * Formats one value. A list formats each item with the format its items' schema calls for (a list
 * of segment codes reads `Equity, F&O`).
 */
export function formatValue(value: unknown, format: ValueFormat, options: FormatOptions & { itemFormat?: ValueFormat }): Formatted {
  if (Array.isArray(value)) {
    const itemFormat = format === 'list' ? (options.itemFormat ?? 'label') : format;
    const items: string[] = [];
    for (const item of value) {
      const one = formatScalar(item, itemFormat, options);
      if (!one.ok) return one;
      items.push(one.text);
    }
    return { ok: true, text: joinList(items, options.language, options.maxListLength) };
  }
  return formatScalar(value, format, options);
}
