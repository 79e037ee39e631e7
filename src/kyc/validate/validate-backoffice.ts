// Back-office rows: flat cells to typed records (numbers, booleans, the UCC list) and a check
// against the kind's TypeBox schema, with the same {field, rule, message} issues as client rows.
import { Compile } from 'typebox/compile';
import {
  backofficeKinds, ClientMasterSchema, FundLimitSchema, LedgerEntrySchema, MtfPositionSchema, NetPositionSchema, TradeSchema,
  type BackofficeKind, type BackofficeRecord, type Trade,
} from '../backoffice-record.ts';
import { backofficeFieldTypes, buildBackofficeColumns } from '../backoffice-layout.ts';
import { getPath } from '../flat-layout.ts';
import { createRowMapperFor } from './map-row.ts';
import { isObject } from './read.ts';
import { addIssue, createIssues, type RuleCode, type ValidationIssue } from './rules.ts';
import { normalizeText } from './text.ts';

const validators = {
  clientMaster: Compile(ClientMasterSchema),
  trade: Compile(TradeSchema),
  netPosition: Compile(NetPositionSchema),
  fundLimit: Compile(FundLimitSchema),
  mtfPosition: Compile(MtfPositionSchema),
  ledgerEntry: Compile(LedgerEntrySchema),
} as const;

const kindByLowercase = new Map(backofficeKinds.map((kind) => [kind.toLowerCase(), kind]));

// Flat cells are text: numbers, integers and Y/N flags become typed so the schema can judge them.
// XLSX cells keep Excel's types: a number where text is expected (a numeric trade id) reads as its
// text, and a date cell as an ISO date (or timestamp when it has a time of day).
function coerce(type: string, value: unknown): unknown {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (type === 'string' && typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  const text = normalizeText(value);
  if ((type === 'number' || type === 'integer') && /^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && /^(Y|N|TRUE|FALSE)$/i.test(text)) return /^(Y|TRUE)$/i.test(text);
  return text;
}

/** A mapper from flat back-office rows (the union layout, headers matched by name) to records. */
export function createBackofficeRowMapper(headers: readonly unknown[]) {
  const mapper = createRowMapperFor(buildBackofficeColumns(), headers);
  const typed = [...backofficeFieldTypes].map(([path, type]) => ({ parts: path.split('.'), type }));
  return {
    ...mapper,
    map: (cells: readonly unknown[]): Record<string, unknown> => {
      const input = mapper.map(cells);
      for (const { parts, type } of typed) {
        const value = getPath(input, parts);
        if (value === undefined) continue;
        const parent = parts.length === 1 ? input : (getPath(input, parts.slice(0, -1)) as Record<string, unknown>);
        parent[parts[parts.length - 1]!] = coerce(type, value);
      }
      return input;
    },
  };
}

const keywordRules: Record<string, RuleCode> = {
  required: 'field.required', type: 'field.type', enum: 'field.enum', const: 'field.enum', pattern: 'field.format', format: 'field.format',
  minimum: 'field.range', maximum: 'field.range', exclusiveMinimum: 'field.range', exclusiveMaximum: 'field.range',
  minLength: 'field.required', maxLength: 'field.too_long', minItems: 'field.required', maxItems: 'field.too_long', additionalProperties: 'field.unknown',
};

function toFieldPath(pointer: string): string {
  return pointer.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
}

// Which contract fields an instrument type carries: futures an expiry, options an expiry, a strike
// and CE/PE, equities none. Expiry reminders find positions by expiry, so a derivative without one
// (or an equity with one) is rejected rather than stored where the scheduler would miss or misfire.
function checkContract(issues: ReturnType<typeof createIssues>, r: Pick<Trade, 'instrumentType' | 'expiry' | 'strike' | 'optionType'>): void {
  const option = r.instrumentType.startsWith('OPT');
  const derivative = option || r.instrumentType.startsWith('FUT');
  if (derivative !== (r.expiry !== undefined)) addIssue(issues, 'expiry', 'contract.mismatch');
  if (option !== (r.strike !== undefined)) addIssue(issues, 'strike', 'contract.mismatch');
  if (option !== (r.optionType !== undefined)) addIssue(issues, 'optionType', 'contract.mismatch');
}

/**
 * Checks one back-office record (nested input) against its kind's schema. Never throws; reports
 * every problem with a field path and a rule code, never a value.
 */
export function validateBackofficeRecord(input: unknown): { ok: true; record: BackofficeRecord } | { ok: false; errors: ValidationIssue[] } {
  const issues = createIssues();
  if (!isObject(input)) {
    addIssue(issues, '', 'record.not_object');
    return { ok: false, errors: issues.errors };
  }
  const kind = typeof input.kind === 'string' ? kindByLowercase.get(input.kind.trim().toLowerCase()) : undefined;
  if (kind === undefined) {
    addIssue(issues, 'kind', 'record.kind_unknown');
    return { ok: false, errors: issues.errors };
  }
  const record = { ...input, kind };
  const validator = validators[kind as BackofficeKind];
  if (validator.Check(record)) {
    const checked = record as BackofficeRecord;
    if (checked.kind === 'trade' || checked.kind === 'netPosition') checkContract(issues, checked);
    return issues.errors.length ? { ok: false, errors: issues.errors } : { ok: true, record: checked };
  }
  for (const error of validator.Errors(record)) {
    const rule = keywordRules[error.keyword];
    if (rule === undefined) continue; // `boolean` (schema false) repeats additionalProperties
    const base = toFieldPath(error.instancePath);
    const names = (error.params as { requiredProperties?: string[]; additionalProperties?: string[] }).requiredProperties
      ?? (error.params as { additionalProperties?: string[] }).additionalProperties;
    if (names !== undefined) for (const name of names) addIssue(issues, base === '' ? name : `${base}.${name}`, rule);
    else addIssue(issues, base, rule);
  }
  return { ok: false, errors: issues.errors };
}
