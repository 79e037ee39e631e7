// Back-office rows: flat cells to typed records (numbers, booleans, the UCC list) and a check
// against the kind's TypeBox schema, with the same {field, rule, message} issues as client rows.
import { Compile } from 'typebox/compile';
import {
  backofficeKinds, ClientMasterSchema, FundLimitSchema, LedgerEntrySchema, MtfPositionSchema, NetPositionSchema, TradeSchema,
  type BackofficeKind, type BackofficeRecord,
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
function coerce(type: string, value: unknown): unknown {
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
  if (validator.Check(record)) return { ok: true, record: record as BackofficeRecord };
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
