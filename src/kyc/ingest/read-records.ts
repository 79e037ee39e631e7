// Streams the rows of a KYC or back-office file (CSV, XLSX or JSONL, recognised by content) as
// nested input objects, with a running count of bytes read for progress. Memory stays flat: one row
// at a time, and a line too long to be a record is dropped as it streams. What the file holds is
// told by its first record: back-office records carry `kind` (a `kind` column in CSV/XLSX, a `kind`
// member in JSONL); a file holds one or the other. Text files are UTF-8 or Windows-1252 (Latin-1),
// told from their bytes.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AppError } from '../../platform/errors.ts';
import { guessDelimiter, limitLineLength, LINE_TOO_LONG, MAX_LINE_BYTES } from '../../platform/tabular-rows.ts';
import { decodeToUtf8, detectTextEncoding, hasReplacement, type DetectedEncoding } from '../../platform/text-encoding.ts';
import { readTable } from './read-table.ts';

export type IngestFormat = 'csv' | 'xlsx' | 'jsonl';
/** What a file's records are: KYC client records, or back-office (OMS/RMS) records. */
export type IngestContent = 'kyc' | 'backoffice';
export type SourceItem =
  | { row: number; sheet: string | null; content: IngestContent; input: Record<string, unknown> }
  /** A row (or sheet) that could not be read; `field` and `rule` default to `row` and `row.unreadable`. */
  | { row: number; sheet: string | null; unreadable: string; field?: string; rule?: string };

export type SniffedFile = { format: IngestFormat; delimiter: string; bytes: number; encoding: DetectedEncoding };

const utf8: DetectedEncoding = { encoding: 'utf8', strayBytes: false };

/** How the job names a format: `csv`, or `csv (windows-1252)` when the text was not UTF-8. */
export function describeFormat(file: SniffedFile): string {
  return file.encoding.encoding === 'utf8' ? file.format : `${file.format} (${file.encoding.encoding})`;
}

/**
 * Tells the format from the first bytes, and a text file's encoding from all of them; a file that
 * is none of the formats fails with one reason.
 */
export async function sniffIngestFile(path: string): Promise<SniffedFile> {
  const { size } = await stat(path);
  if (size === 0) throw new AppError('VALIDATION_FAILED', 'the file is empty (0 bytes)', { details: { reason: 'INGEST_FILE_EMPTY' } });
  const handle = await open(path, 'r');
  let sniffed: Omit<SniffedFile, 'encoding'>;
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(head, 0, head.length, 0);
    if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return { format: 'xlsx', delimiter: ',', bytes: size, encoding: utf8 };
    if (head.subarray(0, 5).toString('latin1') === '%PDF-') throw new AppError('VALIDATION_FAILED', 'the file is a PDF, not CSV, XLSX or JSONL', { details: { reason: 'INGEST_FORMAT_UNKNOWN' } });
    if (head.includes(0)) throw new AppError('VALIDATION_FAILED', 'the file is binary, not CSV, XLSX or JSONL', { details: { reason: 'INGEST_FORMAT_UNKNOWN' } });
    const text = head.toString('latin1').replace(/^\xEF\xBB\xBF/, '').trimStart();
    if (!text) throw new AppError('VALIDATION_FAILED', 'the file holds only blank space', { details: { reason: 'INGEST_FILE_EMPTY' } });
    if (text.startsWith('[')) throw new AppError('VALIDATION_FAILED', 'a JSON array is not supported: send JSON Lines (one object per line)', { details: { reason: 'INGEST_FORMAT_UNKNOWN' } });
    sniffed = text.startsWith('{') ? { format: 'jsonl', delimiter: ',', bytes: size } : { format: 'csv', delimiter: guessDelimiter(text.split(/\r?\n/, 1)[0] ?? ''), bytes: size };
  } finally {
    await handle.close();
  }
  return { ...sniffed, encoding: await detectTextEncoding(path) };
}

async function* readJsonl(path: string, encoding: DetectedEncoding, progress: { bytes: number }): AsyncGenerator<SourceItem> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  stream.on('data', (chunk) => (progress.bytes += chunk.length));
  let text: Readable = stream.pipe(limitLineLength());
  if (encoding.encoding !== 'utf8') text = text.pipe(decodeToUtf8(encoding.encoding));
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let row = 0;
  let content: IngestContent | undefined;
  for await (const line of lines) {
    row++;
    if (!line.trim()) continue;
    if (line === LINE_TOO_LONG) {
      yield { row, sheet: null, unreadable: `line longer than ${MAX_LINE_BYTES >> 20} MiB` };
      continue;
    }
    if (encoding.strayBytes && hasReplacement(line)) {
      yield { row, sheet: null, unreadable: 'the line holds bytes that are not UTF-8 text' };
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

/** The rows of a sniffed file in file order; `progress.bytes` follows how far the reader has got. */
export function readIngestRows(path: string, file: SniffedFile, progress: { bytes: number }): AsyncGenerator<SourceItem> {
  return file.format === 'jsonl' ? readJsonl(path, file.encoding, progress) : readTable(path, file.format, file.delimiter, file.encoding, progress);
}
