// The rows of a CSV or XLSX ingestion file as nested input objects. Each sheet finds its own
// header row among its first rows (titles above it are passed over); what the file holds (KYC or
// back-office records) is fixed by the first header found. A workbook sheet with no header (notes,
// instructions) is skipped with one reject; a CSV without one, or a workbook where no sheet has
// one, fails the job.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { AppError } from '../../platform/errors.ts';
import { checkXlsxArchive, readCsvRows, readXlsxRows, type Cell, type SourceRow, type UnreadableRow } from '../../platform/tabular-rows.ts';
import { decodeToUtf8, hasReplacement, type DetectedEncoding } from '../../platform/text-encoding.ts';
import { createRowMapper, normalizeHeader, type RowMapper } from '../validate/map-row.ts';
import { createBackofficeRowMapper } from '../validate/validate-backoffice.ts';
import type { IngestContent, SourceItem } from './read-records.ts';

/** How many non-blank rows of a sheet may come before its header row. */
export const HEADER_SEARCH_ROWS = 20;

type Header = { mapper: RowMapper; content: IngestContent };
type SheetState = { sheet: string | null; header?: Header; firstRow?: number; tried: number; unknown: string[]; backoffice: boolean; done: boolean };

const isBlank = (cells: readonly Cell[]) => cells.every((c) => c === null || String(c).trim() === '');

/** The header this row would be, for a file that holds `fixed` (when already known). */
function tryHeader(cells: readonly Cell[], fixed: IngestContent | undefined): { header?: Header; unknown: string[]; backoffice: boolean } {
  const backoffice = cells.some((c) => typeof c === 'string' && normalizeHeader(c) === 'kind');
  const content: IngestContent = backoffice ? 'backoffice' : 'kyc';
  const mapper = backoffice ? createBackofficeRowMapper(cells) : createRowMapper(cells);
  const fits = (fixed === undefined || fixed === content) && mapper.mapped.length >= 3;
  return { header: fits ? { mapper, content } : undefined, unknown: mapper.unknown, backoffice };
}

function noHeader(state: SheetState, where: string): AppError {
  const expected = state.backoffice ? 'back-office columns (kind, client_code, source_version, ...)' : 'KYC columns';
  const names = state.backoffice ? 'the back-office layout' : 'our column names or the KRA APP_* names';
  return new AppError('VALIDATION_FAILED', `no known ${expected} in the header row${where} (expected ${names})`, {
    details: { reason: 'INGEST_HEADER_UNKNOWN', unknownHeaders: state.unknown.slice(0, 20) },
  });
}

function openRows(path: string, format: 'csv' | 'xlsx', delimiter: string, encoding: DetectedEncoding, progress: { bytes: number }): AsyncIterable<SourceRow | UnreadableRow> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  stream.on('data', (chunk) => (progress.bytes += chunk.length));
  if (format === 'xlsx') return readXlsxRows(stream);
  let text: Readable = stream;
  if (encoding.encoding !== 'utf8') {
    text = stream.pipe(decodeToUtf8(encoding.encoding));
    stream.on('error', (error) => text.destroy(error));
  }
  return readCsvRows(text, delimiter);
}

/** Rows of a CSV or XLSX file in file order; `progress.bytes` follows the reader. */
export async function* readTable(path: string, format: 'csv' | 'xlsx', delimiter: string, encoding: DetectedEncoding, progress: { bytes: number }): AsyncGenerator<SourceItem> {
  if (format === 'xlsx') await checkXlsxArchive(path);
  let content: IngestContent | undefined;
  let state: SheetState | undefined;
  let sawRows = false;

  // A sheet that ends (or runs out of search rows) without a header: skipped in a workbook, fatal in a CSV.
  function giveUp(s: SheetState): SourceItem | undefined {
    s.done = true;
    if (s.firstRow === undefined) return undefined;
    if (s.sheet === null) throw noHeader(s, '');
    return { row: s.firstRow, sheet: s.sheet, field: 'sheet', rule: 'sheet.skipped', unreadable: `no header row with known columns in its first ${HEADER_SEARCH_ROWS} rows: sheet skipped` };
  }

  for await (const r of openRows(path, format, delimiter, encoding, progress)) {
    if (state?.sheet !== r.sheet) {
      const skipped = state && !state.header && !state.done ? giveUp(state) : undefined;
      if (skipped) yield skipped;
      state = { sheet: r.sheet, tried: 0, unknown: [], backoffice: false, done: false };
    }
    if ('unreadable' in r) {
      yield { row: r.row, sheet: r.sheet, unreadable: r.unreadable };
      continue;
    }
    if (state.done || isBlank(r.cells)) continue;
    sawRows = true;
    if (!state.header) {
      const found = tryHeader(r.cells, content);
      if (state.tried++ === 0) Object.assign(state, { firstRow: r.row, unknown: found.unknown, backoffice: found.backoffice });
      if (found.header) {
        state.header = found.header;
        content = found.header.content;
      } else if (state.tried >= HEADER_SEARCH_ROWS) {
        const skipped = giveUp(state);
        if (skipped) yield skipped;
      }
      continue;
    }
    if (encoding.strayBytes && r.cells.some((c) => typeof c === 'string' && hasReplacement(c))) {
      yield { row: r.row, sheet: r.sheet, unreadable: 'the row holds bytes that are not UTF-8 text' };
      continue;
    }
    yield { row: r.row, sheet: r.sheet, content: state.header.content, input: state.header.mapper.map(r.cells) };
  }
  if (state && !state.header && !state.done) {
    const skipped = giveUp(state);
    if (skipped) yield skipped;
  }
  if (!sawRows) throw new AppError('VALIDATION_FAILED', 'the file holds no rows', { details: { reason: 'INGEST_FILE_EMPTY' } });
  if (content === undefined && state) throw noHeader(state, format === 'xlsx' ? ' of any sheet' : '');
}
