// Import entry point: a file or stream in, normalised instruments and rejects out, one at a time, so the
// caller decides the batch size and memory stays bounded by what it keeps.

import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, isAppError } from '../../platform/errors.ts';
import { mergeInstruments } from '../instrument.ts';
import type { Instrument } from '../instrument.ts';
import { finishInstrument, RowRejection } from './draft.ts';
import { KNOWN_FORMATS } from './formats/all-formats.ts';
import { createMappedFormat } from './formats/column-mapping.ts';
import type { ColumnMapping } from './formats/column-mapping.ts';
import type { InstrumentFormat } from './formats/format.ts';
import { explainUnrecognisedHeader, findHeader, HEADER_SEARCH_ROWS } from './header-detection.ts';
import { IdFingerprints } from './id-fingerprints.ts';
import { createRowReaderFactory } from './row-reader.ts';
import type { RowReader } from './row-reader.ts';
import { readCsvRows, readFileRows, readXlsxRows, sniffFile } from '../../platform/tabular-rows.ts';
import type { FileKind, SourceRow, UnreadableRow } from '../../platform/tabular-rows.ts';
import type { Cell } from './values.ts';

export type ImportSource =
  | { readonly path: string }
  | { readonly stream: Readable; readonly kind: FileKind; readonly name?: string; readonly delimiter?: string };

export interface ImportOptions {
  /** Read every sheet through this mapping instead of recognising layouts. */
  readonly mapping?: ColumnMapping;
  /** A workbook sheet with no recognised header: fail the import (default) or skip it and report it. */
  readonly unknownSheets?: 'error' | 'skip';
  /**
   * Flag and count repeated ids (default true). Costs 16 to 32 bytes per distinct instrument (64-bit
   * fingerprints of the ids seen; see IdFingerprints); turn off for constant memory.
   */
  readonly detectDuplicates?: boolean;
}

export interface ImportedInstrument {
  readonly kind: 'instrument';
  readonly sheet: string | null;
  readonly row: number;
  readonly instrument: Instrument;
  /** An earlier row of this import had the same (exchange, symbol); merge rather than replace. */
  readonly duplicate: boolean;
}

export interface ImportReject {
  readonly kind: 'reject';
  readonly sheet: string | null;
  readonly row: number;
  /** The record field at fault (`expiry`, `strike`, ...), or `row` when the row could not be read. */
  readonly field: string;
  /** The column as spelt in the file, when one is to blame. */
  readonly column: string | null;
  readonly reason: string;
}

export type ImportItem = ImportedInstrument | ImportReject;

export interface ImportStats {
  source: string;
  kind: FileKind | null;
  sheets: Array<{ sheet: string | null; format: string; headerRow: number; rows: number }>;
  skippedSheets: Array<{ sheet: string | null; reason: string }>;
  /** Data rows read (blank rows and rows above the header excluded). */
  rows: number;
  instruments: number;
  rejects: number;
  duplicates: number;
}

export interface InstrumentImport extends AsyncIterable<ImportItem> {
  /** Filled in as the import is iterated; complete once iteration ends. */
  readonly stats: ImportStats;
}

interface SheetState {
  readonly sheet: string | null;
  readonly pending: Array<readonly Cell[]>;
  format: InstrumentFormat | null;
  readRow: ((cells: readonly Cell[]) => RowReader) | null;
  stat: ImportStats['sheets'][number] | null;
  skip: boolean;
}

function isBlank(cells: readonly Cell[]): boolean {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

function unreadable(error: unknown, source: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('VALIDATION_FAILED', `could not read ${source}: ${message}`, {
    cause: error,
    details: { reason: 'INSTRUMENT_FILE_UNREADABLE' },
  });
}

async function openRows(source: ImportSource): Promise<{ kind: FileKind; rows: AsyncIterable<SourceRow | UnreadableRow> }> {
  if ('path' in source) {
    const sniffed = await sniffFile(source.path);
    if (sniffed.kind === 'unsupported') {
      throw new AppError('VALIDATION_FAILED', `${path.basename(source.path)}: ${sniffed.reason}`, { details: { reason: 'INSTRUMENT_FORMAT_UNKNOWN' } });
    }
    return { kind: sniffed.kind, rows: readFileRows(source.path, sniffed.kind, sniffed.delimiter) };
  }
  const rows = source.kind === 'xlsx' ? readXlsxRows(source.stream) : readCsvRows(source.stream, source.delimiter ?? ',');
  return { kind: source.kind, rows };
}

/**
 * Streams instruments and rejects out of one file. Guarantees: each layout is recognised by its header
 * (within the first 20 rows of each sheet), or the iteration throws one AppError (VALIDATION_FAILED,
 * details.reason INSTRUMENT_FORMAT_UNKNOWN or INSTRUMENT_COLUMN_MISSING) naming the headers seen; a bad
 * value rejects only its row, with row number, field and reason; a repeated (exchange, symbol) is yielded
 * with `duplicate: true` and counted; rows are read as they are consumed, never all at once (the
 * fingerprints of the ids seen, at most 32 bytes per distinct instrument, are the only state that grows;
 * see detectDuplicates).
 */
export function importInstruments(source: ImportSource, options: ImportOptions = {}): InstrumentImport {
  const name = 'path' in source ? path.basename(source.path) : (source.name ?? 'upload');
  const formats = options.mapping ? [createMappedFormat(options.mapping)] : KNOWN_FORMATS;
  const stats: ImportStats = { source: name, kind: null, sheets: [], skippedSheets: [], rows: 0, instruments: 0, rejects: 0, duplicates: 0 };
  const seen = new IdFingerprints();
  const where = (sheet: string | null) => (sheet === null ? name : `sheet ${JSON.stringify(sheet)} of ${name}`);

  function giveUpOnHeader(state: SheetState): void {
    const error = explainUnrecognisedHeader(state.pending, formats, where(state.sheet));
    if (state.sheet === null || options.unknownSheets !== 'skip') throw error;
    state.skip = true;
    stats.skippedSheets.push({ sheet: state.sheet, reason: error.message });
  }

  function readDataRow(state: SheetState, row: SourceRow): ImportItem | null {
    if (isBlank(row.cells) || !state.format || !state.readRow || !state.stat) return null;
    stats.rows++;
    state.stat.rows++;
    try {
      const instrument = finishInstrument(state.format.read(state.readRow(row.cells)));
      const duplicate = options.detectDuplicates !== false && !seen.add(instrument.id);
      if (duplicate) stats.duplicates++;
      stats.instruments++;
      return { kind: 'instrument', sheet: row.sheet, row: row.row, instrument, duplicate };
    } catch (error) {
      if (!(error instanceof RowRejection)) throw error;
      stats.rejects++;
      return { kind: 'reject', sheet: row.sheet, row: row.row, field: error.field, column: error.column, reason: error.message };
    }
  }

  function acceptRow(state: SheetState, row: SourceRow): ImportItem | null {
    if (state.skip) return null;
    if (state.format) return readDataRow(state, row);
    if (isBlank(row.cells)) return null;
    state.pending.push(row.cells);
    const match = findHeader([row.cells], formats);
    if (match) {
      state.format = match.format;
      state.readRow = createRowReaderFactory(row.cells);
      state.stat = { sheet: state.sheet, format: match.format.name, headerRow: row.row, rows: 0 };
      stats.sheets.push(state.stat);
    } else if (state.pending.length >= HEADER_SEARCH_ROWS) {
      giveUpOnHeader(state);
    }
    return null;
  }

  async function* run(): AsyncGenerator<ImportItem> {
    let opened: Awaited<ReturnType<typeof openRows>>;
    try {
      opened = await openRows(source);
    } catch (error) {
      throw isAppError(error) ? error : unreadable(error, name);
    }
    stats.kind = opened.kind;
    let state: SheetState | null = null;
    try {
      for await (const row of opened.rows) {
        if ('unreadable' in row) {
          stats.rejects++;
          yield { kind: 'reject', sheet: row.sheet, row: row.row, field: 'row', column: null, reason: row.unreadable };
          continue;
        }
        if (!state || state.sheet !== row.sheet) {
          if (state && !state.format && !state.skip && state.pending.length > 0) giveUpOnHeader(state);
          state = { sheet: row.sheet, pending: [], format: null, readRow: null, stat: null, skip: false };
        }
        const item = acceptRow(state, row);
        if (item) yield item;
      }
    } catch (error) {
      throw isAppError(error) ? error : unreadable(error, name);
    }
    if (state && !state.format && !state.skip && state.pending.length > 0) giveUpOnHeader(state);
    if (stats.sheets.length === 0 && stats.skippedSheets.length === 0) {
      throw new AppError('VALIDATION_FAILED', `${name} holds no rows`, { details: { reason: 'INSTRUMENT_FORMAT_UNKNOWN', headersSeen: [] } });
    }
  }

  return { stats, [Symbol.asyncIterator]: () => run() };
}

/**
 * Drains an import into memory, merging duplicate rows by id (later fields win where known). For
 * tests, benchmarks and the demo; production imports consume the stream in batches instead.
 */
export async function collectInstruments(
  imported: InstrumentImport,
): Promise<{ instruments: Instrument[]; rejects: ImportReject[]; stats: ImportStats }> {
  const byId = new Map<string, Instrument>();
  const rejects: ImportReject[] = [];
  for await (const item of imported) {
    if (item.kind === 'reject') {
      rejects.push(item);
      continue;
    }
    const earlier = byId.get(item.instrument.id);
    byId.set(item.instrument.id, earlier ? mergeInstruments(earlier, item.instrument) : item.instrument);
  }
  return { instruments: [...byId.values()], rejects, stats: imported.stats };
}
