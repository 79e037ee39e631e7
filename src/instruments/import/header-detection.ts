// Finds the header row of a sheet or CSV (below any title and blank rows) and the layout it announces.
// Failing that, it builds the one error an operator can act on: the headers it saw and, when a known
// layout almost matched, the columns that layout is missing.

import { AppError } from '../../platform/errors.ts';
import type { InstrumentFormat } from './formats/format.ts';
import { normaliseHeader } from './row-reader.ts';
import type { Cell } from './values.ts';

/** Rows searched for a header before giving up. */
export const HEADER_SEARCH_ROWS = 20;

export interface HeaderMatch {
  readonly format: InstrumentFormat;
  /** Index of the header row within the rows searched. */
  readonly at: number;
}

function headerKeys(cells: readonly Cell[]): Set<string> {
  return new Set(cells.map(normaliseHeader).filter((key) => key !== ''));
}

/** The first row (of those given) whose headers contain every required column of some format. */
export function findHeader(rows: readonly (readonly Cell[])[], formats: readonly InstrumentFormat[]): HeaderMatch | null {
  for (let at = 0; at < rows.length; at++) {
    const keys = headerKeys(rows[at] ?? []);
    if (keys.size < 2) continue;
    const format = formats.find((candidate) => candidate.required.every((column) => keys.has(column)));
    if (format) return { format, at };
  }
  return null;
}

function describeHeaders(cells: readonly Cell[]): string[] {
  return cells.map((cell) => (cell === null ? '' : String(cell).trim())).filter((text) => text !== '').slice(0, 40);
}

/**
 * The error for a sheet or file whose header was not recognised: VALIDATION_FAILED with reason
 * INSTRUMENT_COLUMN_MISSING when a known layout has at least half its required columns (naming the
 * missing ones), INSTRUMENT_FORMAT_UNKNOWN otherwise. Both name the headers seen.
 */
export function explainUnrecognisedHeader(
  rows: readonly (readonly Cell[])[],
  formats: readonly InstrumentFormat[],
  where: string,
): AppError {
  let best: { format: InstrumentFormat; cells: readonly Cell[]; share: number; missing: string[] } | null = null;
  let firstHeaderLike: readonly Cell[] | null = null;
  for (const cells of rows) {
    const keys = headerKeys(cells);
    if (keys.size < 2) continue;
    firstHeaderLike ??= cells;
    for (const format of formats) {
      const missing = format.required.filter((column) => !keys.has(column));
      const share = 1 - missing.length / format.required.length;
      if (!best || share > best.share) best = { format, cells, share, missing };
    }
  }
  // A mapping is the operator saying what the layout is: any gap is a missing column, not a guess.
  const mapped = formats.length === 1 && formats[0]?.name === 'column-mapping';
  if (best && (best.share >= 0.5 || mapped)) {
    const headersSeen = describeHeaders(best.cells);
    return new AppError(
      'VALIDATION_FAILED',
      `${where} looks like a ${best.format.title} but lacks required column(s) ${best.missing.map((c) => JSON.stringify(c)).join(', ')}; headers seen: ${headersSeen.join(' | ')}`,
      { details: { reason: 'INSTRUMENT_COLUMN_MISSING', format: best.format.name, missing: best.missing, headersSeen } },
    );
  }
  const headersSeen = describeHeaders(firstHeaderLike ?? rows[0] ?? []);
  return new AppError(
    'VALIDATION_FAILED',
    `${where} has no recognised instrument layout in its first ${HEADER_SEARCH_ROWS} rows; headers seen: ${headersSeen.join(' | ') || '(none)'}. Known layouts: ${formats.map((f) => f.title).join(', ')}; any other layout needs a column mapping`,
    { details: { reason: 'INSTRUMENT_FORMAT_UNKNOWN', headersSeen } },
  );
}
