// Streams rows out of CSV and XLSX files without holding the file: our CSV parser (csv-parser.ts) and
// exceljs's streaming WorkbookReader pull chunks as the consumer asks for rows, so memory stays flat
// however long the file.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Transform, type Duplex, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { AppError } from './errors.ts';
import { CsvParser, type CsvRecord } from './csv-parser.ts';

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

/** The longest line (CSV: physical line; JSONL: one record) read; longer ones become one unreadable row. */
export const MAX_LINE_BYTES = 1 << 20;
/** A record spanning lines (quoted newlines) may grow to this before the parser gives up on it. */
const MAX_RECORD_BYTES = 8 << 20;

/**
 * What `limitLineLength` puts in place of a line longer than the limit: NUL bytes cannot appear in
 * a text file we accept, so the marker cannot be data.
 */
export const LINE_TOO_LONG = '\u0000line too long\u0000';
const lineTooLong = Buffer.from(`${LINE_TOO_LONG}\n`);

/**
 * A byte stream filter that replaces every line longer than `limit` bytes by `LINE_TOO_LONG`
 * without ever holding more than `limit` bytes of it, so a 10 MB (or 10 GB) line costs no memory
 * and the lines after it are read as usual. Line numbers are kept: one line in, one line out.
 */
export function limitLineLength(limit = MAX_LINE_BYTES): Transform {
  let carry: Buffer[] = [];
  let carried = 0;
  let dropping = false;
  const endLine = (tail: Buffer, out: Buffer[]) => {
    if (dropping || carried + tail.length > limit) out.push(lineTooLong);
    else out.push(...carry, tail);
    carry = [];
    carried = 0;
    dropping = false;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      const first = chunk.indexOf(0x0a);
      if (first === -1) {
        carried += chunk.length;
        if (!dropping) carry.push(chunk);
        if (carried > limit) [dropping, carry] = [true, []];
        return done();
      }
      endLine(chunk.subarray(0, first + 1), out);
      const last = chunk.lastIndexOf(0x0a);
      if (chunk.length <= limit) out.push(chunk.subarray(first + 1, last + 1)); // no whole line in it can be too long
      else for (let start = first + 1, end = chunk.indexOf(0x0a, start); end !== -1; start = end + 1, end = chunk.indexOf(0x0a, start)) endLine(chunk.subarray(start, end + 1), out);
      if (last + 1 < chunk.length) {
        carry = [chunk.subarray(last + 1)];
        carried = chunk.length - last - 1;
        if (carried > limit) [dropping, carry] = [true, []];
      }
      done(null, out.length === 1 ? out[0] : Buffer.concat(out));
    },
    flush(done) {
      if (dropping) done(null, Buffer.from(LINE_TOO_LONG));
      else done(null, carry.length ? Buffer.concat(carry) : undefined);
    },
  });
}

/**
 * Rows of a CSV stream (BOM dropped, ragged rows allowed, blank lines skipped), in file order, each
 * numbered by the line it starts on. A line longer than 1 MiB, a quoted record that runs past
 * 8 MiB or is never closed, or a closing quote followed by other characters, is one unreadable row;
 * the rows after it are read as usual. The input is UTF-8 (decode other encodings before).
 */
export async function* readCsvRows(input: Readable, delimiter = ','): AsyncGenerator<SourceRow | UnreadableRow> {
  const parser = new CsvParser(delimiter, MAX_RECORD_BYTES);
  const decoder = new StringDecoder('utf8');
  const limiter = limitLineLength();
  input.on('error', (error) => limiter.destroy(error));
  input.pipe(limiter);
  function* rows(records: CsvRecord[]): Generator<SourceRow | UnreadableRow> {
    for (const r of records) {
      if ('error' in r) yield { sheet: null, row: r.line, unreadable: r.error };
      else if (r.cells.length === 1 && r.cells[0] === LINE_TOO_LONG) yield { sheet: null, row: r.line, unreadable: `line longer than ${MAX_LINE_BYTES >> 20} MiB` };
      else yield { sheet: null, row: r.line, cells: r.cells };
    }
  }
  for await (const chunk of limiter as AsyncIterable<Buffer | string>) yield* rows(parser.push(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
  yield* rows(parser.push(decoder.end()));
  yield* rows(parser.end());
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

// exceljs reads workbooks through unzipper; the bomb check walks the archive with that same parser
// (resolved from exceljs's own location), so it counts exactly the entries exceljs will inflate.
const unzipper = createRequire(import.meta.resolve('exceljs'))('unzipper') as { Parse(options: { forceStream: true }): Duplex };

/** How far an XLSX file may expand: 100 times its size (real workbooks: 5-15), and never less than this. */
export const XLSX_MAX_RATIO = 100;
export const XLSX_MIN_BUDGET_BYTES = 64 << 20;
const XLSX_MAX_ENTRIES = 10_000;

function bomb(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${message}: refused as a possible decompression bomb`, { details: { reason: 'XLSX_DECOMPRESSION_BOMB' } });
}

/**
 * Refuses an XLSX archive that expands beyond max(64 MiB, 100 × its size) or holds more than
 * 10,000 entries, before anything parses it. Sizes the archive declares are not trusted: every
 * entry is inflated into a counter (memory stays flat; time is bounded by the budget). Throws
 * AppError VALIDATION_FAILED (details.reason XLSX_DECOMPRESSION_BOMB, or XLSX_UNREADABLE when the
 * archive is not a readable zip).
 */
export async function checkXlsxArchive(path: string): Promise<void> {
  const { size } = await stat(path);
  const budget = Math.max(XLSX_MIN_BUDGET_BYTES, size * XLSX_MAX_RATIO);
  const source = createReadStream(path, { highWaterMark: 1 << 16 });
  const zip = unzipper.Parse({ forceStream: true });
  source.on('error', (error) => zip.destroy(error));
  source.pipe(zip);
  let inflated = 0;
  let entries = 0;
  try {
    for await (const entry of zip as AsyncIterable<Readable>) {
      if (++entries > XLSX_MAX_ENTRIES) throw bomb(`the XLSX file holds more than ${XLSX_MAX_ENTRIES} parts`);
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > budget) throw bomb(`the XLSX file expands to more than ${Math.round(budget / (1 << 20))} MiB (${XLSX_MAX_RATIO} times its size)`);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION_FAILED', 'the XLSX file is not a readable zip archive', { cause: error, details: { reason: 'XLSX_UNREADABLE' } });
  } finally {
    source.destroy();
    zip.destroy();
  }
}

async function* readCheckedXlsxRows(path: string): AsyncGenerator<SourceRow> {
  await checkXlsxArchive(path);
  yield* readXlsxRows(path);
}

/**
 * Opens a CSV file as a stream of rows, or an XLSX file as a stream of rows of all its sheets (after
 * `checkXlsxArchive`).
 */
export function readFileRows(path: string, kind: FileKind, delimiter: string): AsyncGenerator<SourceRow | UnreadableRow> {
  return kind === 'xlsx' ? readCheckedXlsxRows(path) : readCsvRows(createReadStream(path, { highWaterMark: 1 << 16 }), delimiter);
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
