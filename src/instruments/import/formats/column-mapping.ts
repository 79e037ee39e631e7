// Any other layout, described by the operator: which header holds which field, and constants for fields
// the file does not carry (a list of NSE symbols has no exchange column).

import { AppError } from '../../../platform/errors.ts';
import type { InstrumentDraft } from '../draft.ts';
import { normaliseHeader } from '../row-reader.ts';
import type { RowReader } from '../row-reader.ts';
import { paiseToRupees } from './format.ts';
import type { InstrumentFormat } from './format.ts';

export const MAPPABLE_FIELDS = [
  'symbol', 'exchange', 'type', 'name', 'underlying', 'isin', 'series', 'expiry', 'strike', 'optionType',
  'lotSize', 'tickSize', 'sector', 'industry', 'token', 'aliases',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/**
 * `{ "symbol": "Ticker", "name": "Company", "defaults": { "exchange": "NSE" } }`: field → header text as
 * it appears in the file (case and surrounding spaces ignored). `aliases` names one column whose value is
 * split on `;` or `|`. `tickSizeInPaise` divides tick sizes by 100.
 */
export type ColumnMapping = { [K in MappableField]?: string } & {
  defaults?: { exchange?: string; type?: string };
  tickSizeInPaise?: boolean;
};

function invalid(problems: string[]): AppError {
  return new AppError('VALIDATION_FAILED', `column mapping is invalid: ${problems.join('; ')}`, {
    details: { reason: 'INSTRUMENT_MAPPING_INVALID', problems },
  });
}

/** Checks a mapping read from JSON; throws one AppError (VALIDATION_FAILED) listing every problem. */
export function parseColumnMapping(value: unknown): ColumnMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(['expected a JSON object']);
  const problems: string[] = [];
  const mapping: ColumnMapping = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'defaults') {
      if (typeof entry !== 'object' || entry === null) problems.push('defaults must be an object');
      else {
        for (const [name, constant] of Object.entries(entry)) {
          if ((name !== 'exchange' && name !== 'type') || typeof constant !== 'string') problems.push(`defaults.${name} is not a text default for exchange or type`);
        }
        mapping.defaults = entry as ColumnMapping['defaults'];
      }
    } else if (key === 'tickSizeInPaise') {
      if (typeof entry !== 'boolean') problems.push('tickSizeInPaise must be true or false');
      else mapping.tickSizeInPaise = entry;
    } else if (!(MAPPABLE_FIELDS as readonly string[]).includes(key)) {
      problems.push(`unknown field ${JSON.stringify(key)} (fields: ${MAPPABLE_FIELDS.join(', ')})`);
    } else if (typeof entry !== 'string' || entry.trim() === '') {
      problems.push(`${key} must name a column`);
    } else {
      mapping[key as MappableField] = entry;
    }
  }
  if (!mapping.symbol) problems.push('symbol must name a column');
  if (!mapping.exchange && !mapping.defaults?.exchange) problems.push('exchange needs a column or defaults.exchange');
  if (problems.length > 0) throw invalid(problems);
  return mapping;
}

/** A format that reads rows through an operator's mapping; its required headers are the mapped ones. */
export function createMappedFormat(mapping: ColumnMapping): InstrumentFormat {
  const column = (field: MappableField): string | null => {
    const header = mapping[field];
    return header === undefined ? null : normaliseHeader(header);
  };
  const required = MAPPABLE_FIELDS.map(column).filter((header): header is string => header !== null);
  const text = (row: RowReader, field: MappableField) => {
    const header = column(field);
    return header === null ? null : row.text(header);
  };
  const number = (row: RowReader, field: MappableField) => {
    const header = column(field);
    return header === null ? null : row.number(header, field);
  };
  return {
    name: 'column-mapping',
    title: 'column mapping',
    required,
    read(row: RowReader): InstrumentDraft {
      const expiryHeader = column('expiry');
      const tick = number(row, 'tickSize');
      return {
        symbol: text(row, 'symbol'),
        exchange: text(row, 'exchange') ?? mapping.defaults?.exchange ?? null,
        type: text(row, 'type') ?? mapping.defaults?.type ?? null,
        name: text(row, 'name'),
        underlying: text(row, 'underlying'),
        isin: text(row, 'isin'),
        series: text(row, 'series'),
        expiry: expiryHeader === null ? null : row.date(expiryHeader, 'expiry'),
        strike: number(row, 'strike'),
        optionType: text(row, 'optionType'),
        lotSize: number(row, 'lotSize'),
        tickSize: mapping.tickSizeInPaise ? paiseToRupees(tick) : tick,
        sector: text(row, 'sector'),
        industry: text(row, 'industry'),
        token: text(row, 'token'),
        aliases: (text(row, 'aliases') ?? '').split(/[;|]/).map((alias) => alias.trim()).filter(Boolean),
      };
    },
  };
}
