// `pravah demo generate`: synthetic KYC or back-office files, deterministic by seed. The CLI
// parses its flags and calls `runDemoGenerate`; everything else lives in this folder.
import type { Writable } from 'node:stream';
import { AppError } from '../../platform/errors.ts';
import { buildBackofficeColumns } from '../backoffice-layout.ts';
import { buildClientColumns } from '../flat-layout.ts';
import { buildKraColumns } from '../kra-layout.ts';
import { generateBackofficeRecords } from './generate-backoffice.ts';
import { DEFAULT_DEMO_TODAY, generateClientRecords } from './generate-clients.ts';
import { recordFormats, writeRecords, type RecordFormat } from './write-records.ts';

export { generateClientRecords, generateClientRows, DEFAULT_DEMO_TODAY } from './generate-clients.ts';
export { generateBackofficeRecords, collectClientRefs } from './generate-backoffice.ts';
export { writeRecords, recordFormats } from './write-records.ts';
export type { ClientInput } from './client-factory.ts';

export const demoKinds = ['kyc', 'backoffice'] as const;
export type DemoKind = (typeof demoKinds)[number];

export type DemoGenerateOptions = {
  kind: DemoKind;
  records: number;
  seed: number | string;
  format: RecordFormat;
  /** A file path or a stream (ended when done). */
  out: string | Writable;
  /** KYC only: write KRA `APP_*` column names where KRAs have the field. */
  kraHeaders?: boolean;
  /** Back-office only: how many clients trade (default: one per 40 records, at most 50,000). */
  clients?: number;
  /** The "as of" date of the data (default DEFAULT_DEMO_TODAY, so a seed fixes the output). */
  today?: string;
  onProgress?: (progress: { written: number; total: number }) => void;
  /** Records between progress calls (default 10,000). */
  progressEvery?: number;
};

export type DemoGenerateResult = { kind: DemoKind; format: RecordFormat; records: number; seconds: number; recordsPerSec: number };

function checkOptions(options: DemoGenerateOptions): void {
  const problems: Array<{ field: string; rule: string }> = [];
  if (!(demoKinds as readonly string[]).includes(options.kind)) problems.push({ field: 'kind', rule: 'one of kyc, backoffice' });
  if (!(recordFormats as readonly string[]).includes(options.format)) problems.push({ field: 'format', rule: 'one of csv, jsonl, xlsx' });
  if (!Number.isSafeInteger(options.records) || options.records < 0) problems.push({ field: 'records', rule: 'a whole number of 0 or more' });
  if (options.kraHeaders && options.kind !== 'kyc') problems.push({ field: 'kraHeaders', rule: 'only for --kind kyc' });
  if (options.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.today)) problems.push({ field: 'today', rule: 'YYYY-MM-DD' });
  if (options.clients !== undefined && (!Number.isSafeInteger(options.clients) || options.clients < 1)) problems.push({ field: 'clients', rule: 'a whole number of 1 or more' });
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `demo generate: ${problems.map((p) => `${p.field} must be ${p.rule}`).join('; ')}`, { details: problems });
  }
}

/**
 * Generates `records` synthetic records of `kind` and streams them to `out`. Guarantees: the same
 * options give byte-identical CSV/JSONL (XLSX: identical cells); memory stays flat whatever the
 * count; `onProgress` is called every `progressEvery` (10,000) records and at the end. Throws AppError
 * VALIDATION_FAILED (listing every bad option) before writing anything.
 */
export async function runDemoGenerate(options: DemoGenerateOptions): Promise<DemoGenerateResult> {
  checkOptions(options);
  const started = performance.now();
  const today = options.today ?? DEFAULT_DEMO_TODAY;
  const onProgress = options.onProgress && ((written: number) => options.onProgress!({ written, total: options.records }));
  let written: number;
  if (options.kind === 'kyc') {
    const columns = options.kraHeaders ? buildKraColumns() : buildClientColumns();
    const records = generateClientRecords({ seed: options.seed, count: options.records, today });
    ({ records: written } = await writeRecords(records, { format: options.format, out: options.out, columns, sheetName: 'clients', onProgress, progressEvery: options.progressEvery }));
  } else {
    const clients = options.clients ?? Math.max(1, Math.min(50_000, Math.ceil(options.records / 40)));
    const records = generateBackofficeRecords({ seed: options.seed, count: options.records, clients, today });
    ({ records: written } = await writeRecords(records, { format: options.format, out: options.out, columns: buildBackofficeColumns(), sheetName: 'backoffice', onProgress, progressEvery: options.progressEvery }));
  }
  const seconds = (performance.now() - started) / 1000;
  return { kind: options.kind, format: options.format, records: written, seconds, recordsPerSec: seconds > 0 ? Math.round(written / seconds) : written };
}
