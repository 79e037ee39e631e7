// Readers that take one field of an untrusted input object, normalise it and report what is wrong
// with it. A reader returns undefined both for "absent" and for "present but broken": in the second
// case it has already recorded the issue, so callers only carry on with values that passed.
import { normalizeCode, normalizeText } from './text.ts';
import { addIssue, type Issues, type RuleCode } from './rules.ts';
import { parseDate, parseTimestamp } from './dates.ts';
import type { Checked } from './identifiers.ts';

export type Obj = Record<string, unknown>;

/** A plain object: from JSON, a literal or `Object.create(null)`; not an array, Date or class instance. */
export function isObject(value: unknown): value is Obj {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A field of a plain object. Plain objects inherit nothing but Object.prototype's methods, and no
 * record field is named like one, so a direct read only ever sees the input's own value.
 */
export function get(obj: Obj, key: string): unknown {
  return obj[key];
}

/** True for absent input: undefined, null or text that normalises to nothing. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && normalizeText(value) === '');
}

/** Reads text: strings as they are, finite numbers as their decimal form; blank counts as absent. */
export function readString(
  value: unknown, field: string, issues: Issues, required: boolean, normalize: (text: string) => string = normalizeText,
): string | undefined {
  let text: string;
  if (value === undefined || value === null) text = '';
  else if (typeof value === 'string') text = normalize(value);
  else if (typeof value === 'number' && Number.isFinite(value)) text = normalize(String(value));
  else {
    addIssue(issues, field, 'field.type');
    return undefined;
  }
  if (text === '') {
    if (required) addIssue(issues, field, 'field.required');
    return undefined;
  }
  return text;
}

/** Reads one of `allowed` after code normalisation (trim, uppercase). */
export function readEnum<T extends string>(
  value: unknown, field: string, issues: Issues, allowed: readonly T[], required: boolean,
): T | undefined {
  const text = readString(value, field, issues, required, normalizeCode);
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  addIssue(issues, field, 'field.enum');
  return undefined;
}

const truthy = new Set(['Y', 'YES', 'TRUE', '1']);
const falsy = new Set(['N', 'NO', 'FALSE', '0']);

/** Reads a boolean, a 0/1 number or Y/N, YES/NO, TRUE/FALSE, 1/0 text. */
export function readBoolean(value: unknown, field: string, issues: Issues, required: boolean): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  const text = readString(value, field, issues, required, normalizeCode);
  if (text === undefined) return undefined;
  if (truthy.has(text)) return true;
  if (falsy.has(text)) return false;
  addIssue(issues, field, 'field.type');
  return undefined;
}

/** Reads a finite number from a number or decimal text (a trailing % is allowed for shares). */
export function readNumber(value: unknown, field: string, issues: Issues, required: boolean): number | undefined {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    addIssue(issues, field, 'field.type');
    return undefined;
  }
  const text = readString(value, field, issues, required);
  if (text === undefined) return undefined;
  const m = /^([+-]?\d+(?:\.\d+)?)\s*%?$/.exec(text);
  if (m) return Number(m[1]);
  addIssue(issues, field, 'field.type');
  return undefined;
}

/** Reads an integer; `rule` names what a non-integer breaks. */
export function readInteger(value: unknown, field: string, issues: Issues, required: boolean, rule: RuleCode): number | undefined {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    addIssue(issues, field, rule);
    return undefined;
  }
  const text = readString(value, field, issues, required);
  if (text === undefined) return undefined;
  if (/^[+-]?\d{1,15}$/.test(text)) return Number(text);
  addIssue(issues, field, rule);
  return undefined;
}

/** Reads text at `key` of `obj` and runs `check` on it, reporting its rule at `field`. */
export function readChecked(
  obj: Obj, key: string, field: string, issues: Issues, required: boolean, check: (raw: string) => Checked,
): string | undefined {
  const text = readString(get(obj, key), field, issues, required);
  if (text === undefined) return undefined;
  const checked = check(text);
  if (checked.ok) return checked.value;
  addIssue(issues, field, checked.rule);
  return undefined;
}

export type DateRules = { format: RuleCode; future: RuleCode };
const dateRules: DateRules = { format: 'date.format', future: 'date.future' };

/** Reads a calendar date to ISO; a date after `today` breaks `rules.future`. */
export function readDate(
  value: unknown, field: string, issues: Issues, today: string, required: boolean, rules: DateRules = dateRules,
): string | undefined {
  if (value instanceof Date) return checkDate(parseDate(value), field, issues, today, rules);
  const text = readString(value, field, issues, required);
  if (text === undefined) return undefined;
  return checkDate(parseDate(text), field, issues, today, rules);
}

function checkDate(iso: string | null, field: string, issues: Issues, today: string, rules: DateRules): string | undefined {
  if (iso === null) {
    addIssue(issues, field, rules.format);
    return undefined;
  }
  if (iso > today) {
    addIssue(issues, field, rules.future);
    return undefined;
  }
  return iso;
}

/** Reads an ISO 8601 date-time with a zone to UTC ISO form. */
export function readTimestamp(value: unknown, field: string, issues: Issues, required: boolean): string | undefined {
  if (value instanceof Date) return parseTimestamp(value) ?? reportTimestamp(field, issues);
  const text = readString(value, field, issues, required);
  if (text === undefined) return undefined;
  return parseTimestamp(text) ?? reportTimestamp(field, issues);
}

function reportTimestamp(field: string, issues: Issues): undefined {
  addIssue(issues, field, 'timestamp.format');
  return undefined;
}

/** Reads a nested object; absent is undefined (and `field.required` when required). */
export function readObject(value: unknown, field: string, issues: Issues, required: boolean): Obj | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) addIssue(issues, field, 'field.required');
    return undefined;
  }
  if (isObject(value)) return value;
  addIssue(issues, field, 'field.type');
  return undefined;
}

/** Reads a list; absent is empty. Holes (null/undefined entries) are skipped but keep their index in paths. */
export function readList(value: unknown, field: string, issues: Issues): Array<{ value: unknown; path: string }> {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) {
    addIssue(issues, field, 'field.type');
    return [];
  }
  const out: Array<{ value: unknown; path: string }> = [];
  value.forEach((entry: unknown, index) => {
    if (entry !== undefined && entry !== null) out.push({ value: entry, path: `${field}[${index}]` });
  });
  return out;
}

/** Copies `obj` without its undefined properties, so records compare and serialise canonically. */
export function dropUndefined<T extends Obj>(obj: T): T {
  return assignDefined({}, obj) as T;
}

/** Copies the defined properties of `source` onto `target` (in `source`'s order); returns `target`. */
export function assignDefined(target: Obj, source: Obj): Obj {
  for (const key in source) {
    const value = source[key];
    if (value !== undefined) target[key] = value;
  }
  return target;
}
