// Streams rows out of CSV and XLSX files without holding the file: csv-parse and exceljs's streaming
// WorkbookReader pull chunks as the consumer asks for rows, so memory stays flat however long the file.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/** A cell as read: CSV gives strings, XLSX keeps Excel's types. */
export type Cell = string | number | boolean | Date | null;

/** One row as read: its sheet (null for CSV), its 1-based line or row number, and its cells. */
export interface SourceRow {
  readonly sheet: string | null;
  readonly row: number;
  readonly cells: readonly Cell[];
}

/** A row the CSV parser itself could not read (unbalanced quotes, a runaway field). */
export interface UnreadableRow {
  readonly sheet: string | null;
  readonly row: number;
  readonly unreadable: string;
}

export type FileKind = 'csv' | 'xlsx';

const MAX_RECORD_BYTES = 1 << 20;

/** Rows of a CSV stream (BOM dropped, ragged rows allowed, blank lines skipped). */
export async function* readCsvRows(input: Readable, delimiter = ','): AsyncGenerator<SourceRow | UnreadableRow> {
  const skipped: UnreadableRow[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
    on_skip: (error) => {
      skipped.push({ sheet: null, row: Number(error?.lines ?? 0), unreadable: error?.message ?? 'unreadable CSV record' });
      return undefined;
    },
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift() as UnreadableRow;
    yield { sheet: null, row: entry.info.lines, cells: entry.record };
  }
  while (skipped.length > 0) yield skipped.shift() as UnreadableRow;
}

function readExcelCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const rich = value as { richText?: Array<{ text?: string }>; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(rich.richText)) return rich.richText.map((part) => part.text ?? '').join('');
    if ('result' in rich) return readExcelCell(rich.result);
    if (typeof rich.text === 'string') return rich.text;
    if (typeof rich.error === 'string') return rich.error;
  }
  return null;
}

/** Rows of every sheet of an XLSX file or stream, in sheet order; cells keep their Excel types. */
export async function* readXlsxRows(input: string | Readable): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell exceljs which numeric cells are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of workbook) {
    const name = (sheet as unknown as { name?: string }).name ?? null;
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: Cell[] = [];
      // exceljs rows are 1-based and sparse.
      for (let i = 1; i < values.length; i++) cells.push(readExcelCell(values[i]));
      yield { sheet: name, row: row.number, cells };
    }
  }
}

/** Opens a CSV file as a stream of rows, or an XLSX file as a stream of rows of all its sheets. */
export function readFileRows(path: string, kind: FileKind, delimiter: string): AsyncGenerator<SourceRow | UnreadableRow> {
  return kind === 'xlsx' ? readXlsxRows(path) : readCsvRows(createReadStream(path, { highWaterMark: 1 << 16 }), delimiter);
}

export type SniffedFile = { kind: FileKind; delimiter: string } | { kind: 'unsupported'; reason: string };

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter used most in the first line, outside quotes; a comma when nothing else wins. */
export function guessDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const char of firstLine) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === delimiter) count++;
    }
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

/** Reads the first bytes of a file to tell XLSX (a zip) from CSV, and to guess a CSV's delimiter. */
export async function sniffFile(path: string): Promise<SniffedFile> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return { kind: 'xlsx', delimiter: ',' };
    if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
      return { kind: 'unsupported', reason: 'legacy .xls (Excel 97-2003) workbooks are not supported; save it as .xlsx or CSV' };
    }
    if (head.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'unsupported', reason: 'the file is a PDF, not a CSV or XLSX file' };
    if (head.includes(0)) return { kind: 'unsupported', reason: 'the file is binary, not a CSV or XLSX file' };
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    const first = text.trimStart()[0];
    if (first === '[' || first === '{') {
      return { kind: 'unsupported', reason: 'JSON instrument files (such as Angel One\'s scrip master) are not supported yet; convert to CSV or use a column mapping' };
    }
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    return { kind: 'csv', delimiter: guessDelimiter(firstLine) };
  } finally {
    await handle.close();
  }
}
