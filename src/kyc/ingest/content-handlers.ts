// What an ingestion job does with each kind of file content: how a row is validated, and how a
// batch of valid rows is de-duplicated, prepared (CPU only, before the transaction) and written
// (inside the job's transaction, with its counters and checkpoint).
import type { Queryable } from '../../store/db.ts';
import type { BlindIndex } from '../../crypto/blind-index.ts';
import type { ValidationIssue } from '../validate/rules.ts';
import { validateClientRecord } from '../validate/validate-client-record.ts';
import { validateBackofficeRecord } from '../validate/validate-backoffice.ts';
import type { ClientRecord } from '../client-record.ts';
import { keyOfBackofficeRecord, type BackofficeRecord } from '../backoffice-record.ts';
import { prepareClient, type ClientWriter } from './client-writer.ts';
import { prepareBackoffice, type BackofficeWriter } from './backoffice-writer.ts';
import type { IngestContent } from './read-records.ts';

export type Valid<R> = { ordinal: number; row: number; record: R };
export type WriteCounts = { accepted: number; updated: number; unchanged: number; events: number };

export type ContentHandler<R> = {
  validate(input: Record<string, unknown>, today: string): { ok: true; record: R } | { ok: false; errors: readonly ValidationIssue[] };
  /** De-duplicates and prepares a batch; the returned write runs in the job's transaction. */
  prepare(valid: ReadonlyArray<Valid<R>>): { duplicates: number; write(tx: Queryable, jobId: string): Promise<WriteCounts> };
};

/** Keeps one record per key, the highest source version (the first of equal ones); the rest are duplicates. */
function dedupeBy<R extends { source: { version: number } }>(batch: ReadonlyArray<Valid<R>>, keyOf: (record: R) => string): { unique: Array<Valid<R>>; duplicates: number } {
  const byKey = new Map<string, Valid<R>>();
  let duplicates = 0;
  for (const item of batch) {
    const key = keyOf(item.record);
    const seen = byKey.get(key);
    if (seen) duplicates++;
    if (!seen || item.record.source.version > seen.record.source.version) byKey.set(key, item);
  }
  return { unique: [...byKey.values()], duplicates };
}

export function createContentHandlers(deps: { blindIndex: BlindIndex; clientWriter: ClientWriter; backofficeWriter: BackofficeWriter }): Record<IngestContent, ContentHandler<unknown>> {
  const { blindIndex } = deps;
  const kyc: ContentHandler<ClientRecord> = {
    validate: (input, today) => validateClientRecord(input, { today }),
    prepare(valid) {
      const { unique, duplicates } = dedupeBy(valid, (record) => record.clientCode);
      const prepared = unique.map((v) => prepareClient(blindIndex, v.row, v.record));
      return { duplicates, write: (tx, jobId) => deps.clientWriter.write(tx, prepared, { jobId }) };
    },
  };
  const backoffice: ContentHandler<BackofficeRecord> = {
    validate: (input) => validateBackofficeRecord(input),
    prepare(valid) {
      const { unique, duplicates } = dedupeBy(valid, keyOfBackofficeRecord);
      const prepared = unique.map((v) => prepareBackoffice(blindIndex, v.record));
      // The writer also returns the applied changes: the seam where back-office events will be
      // derived and appended in this same transaction (events issue).
      return { duplicates, write: (tx, jobId) => deps.backofficeWriter.write(tx, prepared, { jobId }) };
    },
  };
  return { kyc, backoffice };
}
