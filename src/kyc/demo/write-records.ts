// Streaming writers for generated records: CSV and XLSX in a flat column layout, JSONL as nested
// JSON. Records are pulled one at a time and written with backpressure, so memory stays flat
// whatever the count; XLSX goes through exceljs's streaming WorkbookWriter.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { createFlattener, createLineBuilder, type Column } from '../flat-layout.ts';

export const recordFormats = ['csv', 'jsonl', 'xlsx'] as const;
export type RecordFormat = (typeof recordFormats)[number];

export type WriteRecordsOptions = {
  format: RecordFormat;
  /** A file path, or a stream (ended when writing is done). */
  out: string | Writable;
  /** Flat layout for CSV and XLSX (ignored for JSONL). */
  columns: readonly Column[];
  /** XLSX sheet name; further sheets get `-2`, `-3`... when a sheet's million rows are full. */
  sheetName?: string;
  onProgress?: (written: number) => void;
  /** Records between progress calls (default 10,000). */
  progressEvery?: number;
};

const CHUNK_CHARS = 1 << 18;
const XLSX_MAX_ROWS = 1_048_576;
const needsQuotes = /[",\r\n]|^\s|\s$/;

/** One CSV cell: quoted (with doubled quotes) when it holds a separator, quote, newline or edge space. */
export function escapeCsvCell(cell: string): string {
  return cell !== '' && needsQuotes.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function openOutput(out: string | Writable): Writable {
  return typeof out === 'string' ? createWriteStream(out) : out;
}

// Lines are batched into large chunks and piped, so backpressure and errors (a missing directory,
// a full disk) are handled by `pipeline`: the generator only runs as fast as the file takes it.
async function writeText(stream: Writable, head: string, lines: Iterable<string>, progress: (n: number) => void): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let chunk = head;
    for (const line of lines) {
      chunk += line;
      progress(++count);
      if (chunk.length < CHUNK_CHARS) continue;
      yield chunk;
      chunk = '';
    }
    if (chunk !== '') yield chunk;
  }
  await pipeline(Readable.from(chunks(), { highWaterMark: 2 }), stream);
  return count;
}

function* csvLines(records: Iterable<unknown>, columns: readonly Column[]): Generator<string> {
  const build = createLineBuilder(columns, escapeCsvCell, ',');
  for (const record of records) yield `${build(record)}\n`;
}

function* jsonLines(records: Iterable<unknown>): Generator<string> {
  for (const record of records) yield `${JSON.stringify(record)}\n`;
}

// exceljs's worksheet stream (a StreamBuf) writes into the zip entry's deflate stream ignoring
// backpressure, so the loop does the waiting itself: every batch it lets the event loop run and
// waits until the deflate input and the file have drained. Without that, rows would pile up in
// memory as fast as they are generated (1 GB at 200,000 rows).
type PipeTarget = Writable & { _writableState?: { needDrain?: boolean } };
type SheetInternals = { stream?: { pipes?: PipeTarget[] } };
async function writeXlsx(records: Iterable<unknown>, options: WriteRecordsOptions, progress: (n: number) => void): Promise<number> {
  const stream = openOutput(options.out);
  let failure: unknown;
  stream.once('error', (error) => {
    failure ??= error;
  });
  const fixedDate = new Date(Date.UTC(2025, 0, 1));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  workbook.created = fixedDate;
  workbook.modified = fixedDate;
  const flatten = createFlattener(options.columns);
  const header = options.columns.map((c) => c.header);
  const base = options.sheetName ?? 'records';
  let sheet = workbook.addWorksheet(base);
  sheet.addRow(header).commit();
  let rowsInSheet = 1;
  let sheets = 1;
  let count = 0;
  for (const record of records) {
    if (rowsInSheet === XLSX_MAX_ROWS) {
      sheet.commit();
      sheet = workbook.addWorksheet(`${base}-${++sheets}`);
      sheet.addRow(header).commit();
      rowsInSheet = 1;
    }
    sheet.addRow(flatten(record)).commit();
    rowsInSheet++;
    progress(++count);
    if (count % 1000 === 0) await settle(stream, sheet as unknown as SheetInternals);
    if (failure !== undefined) throw failure;
  }
  sheet.commit();
  await workbook.commit();
  await finished(stream);
  return count;
}

async function settle(stream: Writable, sheet: SheetInternals): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  // The zip entry's input (archiver's readable-stream PassThrough) is reachable only through
  // exceljs internals (exceljs is pinned at 4.4.0); its `_writableState` predates `writableNeedDrain`.
  for (const target of sheet.stream?.pipes ?? []) {
    if (target.writableNeedDrain || target._writableState?.needDrain) await once(target, 'drain');
  }
  if (stream.writableNeedDrain && !stream.destroyed) await once(stream, 'drain');
}

/**
 * Writes `records` to `out` in `format`. Guarantees: records are pulled lazily and written with
 * backpressure (memory does not grow with the count); the output is a pure function of the
 * records for CSV and JSONL (XLSX zip entries carry the write time); `onProgress` is called every
 * `progressEvery` records and once at the end. Resolves with the number of records written.
 */
export async function writeRecords(records: Iterable<unknown>, options: WriteRecordsOptions): Promise<{ records: number }> {
  const every = options.progressEvery ?? 10_000;
  const progress = (n: number) => {
    if (n % every === 0) options.onProgress?.(n);
  };
  let count: number;
  if (options.format === 'xlsx') count = await writeXlsx(records, options, progress);
  else if (options.format === 'csv') {
    const head = `${options.columns.map((c) => escapeCsvCell(c.header)).join(',')}\n`;
    count = await writeText(openOutput(options.out), head, csvLines(records, options.columns), progress);
  } else count = await writeText(openOutput(options.out), '', jsonLines(records), progress);
  if (count % every !== 0 || count === 0) options.onProgress?.(count);
  return { records: count };
}
