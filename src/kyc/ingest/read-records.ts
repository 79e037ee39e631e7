// Streams the rows of a KYC or back-office file (CSV, XLSX or JSONL, recognised by content) as
// nested input objects, with a running count of bytes read for progress. Memory stays flat: one row
// at a time. What the file holds is told by its first record: back-office records carry `kind`
// (a `kind` column in CSV/XLSX, a `kind` member in JSONL); a file holds one or the other.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { AppError } from '../../platform/errors.ts';
import { guessDelimiter, readCsvRows, readXlsxRows } from '../../platform/tabular-rows.ts';
import { createRowMapper, normalizeHeader, type RowMapper } from '../validate/map-row.ts';
import { createBackofficeRowMapper } from '../validate/validate-backoffice.ts';

export type IngestFormat = 'csv' | 'xlsx' | 'jsonl';
/** What a file's records are: KYC client records, or back-office (OMS/RMS) records. */
export type IngestContent = 'kyc' | 'backoffice';
export type SourceItem =
  | { row: number; sheet: string | null; content: IngestContent; input: Record<string, unknown> }
  | { row: number; sheet: string | null; unreadable: string };

const maxLineBytes = 1 << 20;

/** Tells the format from the first bytes; a file that is none of them fails with one reason. */
export async function sniffIngestFile(path: string): Promise<{ format: IngestFormat; delimiter: string; bytes: number }> {
  const { size } = await stat(path);
  if (size === 0) throw new AppError('VALIDATION_FAILED', 'the file is empty (0 bytes)', { details: { reason: 'INGEST_FILE_EMPTY' } });
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(head, 0, head.length, 0);
    if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return { format: 'xlsx', delimiter: ',', bytes: size };
    if (head.subarray(0, 5).toString('latin1') === '%PDF-') throw new AppError('VALIDATION_FAILED', 'the file is a PDF, not CSV, XLSX or JSONL', { details: { reason: 'INGEST_FORMAT_UNKNOWN' } });
    if (head.includes(0)) throw new AppError('VALIDATION_FAILED', 'the file is binary, not CSV, XLSX or JSONL', { details: { reason: 'INGEST_FORMAT_UNKNOWN' } });
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (!text) throw new AppError('VALIDATION_FAILED', 'the file holds only blank space', { details: { reason: 'INGEST_FILE_EMPTY' } });
    if (text.startsWith('{')) return { format: 'jsonl', delimiter: ',', bytes: size };
    if (text.startsWith('[')) throw new AppError('VALIDATION_FAILED', 'a JSON array is not supported: send JSON Lines (one object per line)', { details: { reason: 'INGEST_FORMAT_UNKNOWN' } });
    return { format: 'csv', delimiter: guessDelimiter(text.split(/\r?\n/, 1)[0] ?? ''), bytes: size };
  } finally {
    await handle.close();
  }
}

async function* readJsonl(path: string, progress: { bytes: number }): AsyncGenerator<SourceItem> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  stream.on('data', (chunk) => (progress.bytes += chunk.length));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let row = 0;
  let content: IngestContent | undefined;
  for await (const line of lines) {
    row++;
    if (!line.trim()) continue;
    if (line.length > maxLineBytes) {
      yield { row, sheet: null, unreadable: 'line longer than 1 MiB' };
      continue;
    }
    try {
      const value = JSON.parse(line.replace(/^\uFEFF/, '')) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) yield { row, sheet: null, unreadable: 'line is not a JSON object' };
      else {
        content ??= Object.hasOwn(value, 'kind') ? 'backoffice' : 'kyc';
        yield { row, sheet: null, content, input: value as Record<string, unknown> };
      }
    } catch {
      yield { row, sheet: null, unreadable: 'line is not valid JSON' };
    }
  }
}

async function* readTable(path: string, format: 'csv' | 'xlsx', delimiter: string, progress: { bytes: number }): AsyncGenerator<SourceItem> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  stream.on('data', (chunk) => (progress.bytes += chunk.length));
  const rows = format === 'xlsx' ? readXlsxRows(stream) : readCsvRows(stream, delimiter);
  let header: { mapper: RowMapper; content: IngestContent } | undefined;
  let content: IngestContent | undefined; // the first header row decides for the whole file
  let sheet: string | null | undefined;
  for await (const r of rows) {
    if (r.sheet !== sheet) {
      sheet = r.sheet;
      header = undefined; // every sheet starts with its own header row
    }
    if ('unreadable' in r) {
      yield { row: r.row, sheet: r.sheet, unreadable: r.unreadable };
      continue;
    }
    if (r.cells.every((c) => c === null || String(c).trim() === '')) continue;
    if (!header) {
      content ??= r.cells.some((c) => typeof c === 'string' && normalizeHeader(c) === 'kind') ? 'backoffice' : 'kyc';
      const mapper = content === 'backoffice' ? createBackofficeRowMapper(r.cells) : createRowMapper(r.cells);
      if (mapper.mapped.length < 3) {
        const expected = content === 'backoffice' ? 'back-office columns (kind, client_code, source_version, ...)' : 'KYC columns';
        const names = content === 'backoffice' ? 'the back-office layout' : 'our column names or the KRA APP_* names';
        throw new AppError('VALIDATION_FAILED', `no known ${expected} in the header row${r.sheet ? ` of sheet "${r.sheet}"` : ''} (expected ${names})`, {
          details: { reason: 'INGEST_HEADER_UNKNOWN', unknownHeaders: mapper.unknown.slice(0, 20) },
        });
      }
      header = { mapper, content };
      continue;
    }
    yield { row: r.row, sheet: r.sheet, content: header.content, input: header.mapper.map(r.cells) };
  }
}

/** The rows of `path` in file order; `progress.bytes` follows how far the reader has got. */
export function readIngestRows(path: string, format: IngestFormat, delimiter: string, progress: { bytes: number }): AsyncGenerator<SourceItem> {
  return format === 'jsonl' ? readJsonl(path, progress) : readTable(path, format, delimiter, progress);
}
