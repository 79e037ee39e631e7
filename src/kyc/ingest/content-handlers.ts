// What an ingestion job does with each kind of file content, in two halves. The preparing half
// runs where the file is read (an ingestion worker thread): how a row is validated, and how a
// batch of valid rows is de-duplicated and prepared (CPU only). The writing half runs in the job's
// transaction, with its counters and checkpoint.
import type { Queryable } from '../../store/db.ts';
import type { BlindIndex } from '../../crypto/blind-index.ts';
import type { ValidationIssue } from '../validate/rules.ts';
import { validateClientRecord } from '../validate/validate-client-record.ts';
import { validateBackofficeRecord } from '../validate/validate-backoffice.ts';
import type { ClientRecord } from '../client-record.ts';
import { keyOfBackofficeRecord, type BackofficeRecord } from '../backoffice-record.ts';
import { ClientPacker, prepareClient, unpackClients, type PackedClients } from './client-prepare.ts';
import type { ClientWriter } from './client-writer.ts';
import { prepareBackoffice, type BackofficeWriter, type PreparedBackoffice } from './backoffice-writer.ts';
import type { IngestContent } from './read-records.ts';

export type Valid<R> = { ordinal: number; row: number; record: R };
export type WriteCounts = { accepted: number; updated: number; unchanged: number; events: number };

/** A batch's prepared rows: plain data, so it can cross from a worker thread. */
export type PreparedItems = { content: 'kyc'; clients: PackedClients } | { content: 'backoffice'; records: PreparedBackoffice[] };

export type ContentPreparer<R> = {
  validate(input: Record<string, unknown>, today: string): { ok: true; record: R } | { ok: false; errors: readonly ValidationIssue[] };
  /**
   * Starts a batch: valid rows are added as they are read, and de-duplicated and prepared (CPU
   * only); `spare` gives a buffer to pack into (ClientPacker).
   */
  begin(spare?: () => ArrayBuffer | undefined): BatchBuilder<R>;
};

export type BatchBuilder<R> = {
  add(item: Valid<R>): void;
  /** The batch's prepared rows, or null when none was added. */
  finish(): { duplicates: number; items: PreparedItems } | null;
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

export function createContentPreparers(blindIndex: BlindIndex): Record<IngestContent, ContentPreparer<unknown>> {
  const kyc: ContentPreparer<ClientRecord> = {
    validate: (input, today) => validateClientRecord(input, { today }),
    // Each client is prepared and packed as it arrives (see ClientPacker on why); the same choice
    // as dedupeBy: per client code the highest source version, the first of equal ones, in the
    // place of the code's first row.
    begin(spare) {
      let packer: ClientPacker | undefined;
      const seen = new Map<string, { slot: number; version: number }>();
      let duplicates = 0;
      return {
        add({ row, record }) {
          packer ??= new ClientPacker(spare?.());
          const before = seen.get(record.clientCode);
          if (before) {
            duplicates++;
            if (record.source.version <= before.version) return;
            packer.replace(before.slot, prepareClient(blindIndex, row, record));
            before.version = record.source.version;
          } else {
            seen.set(record.clientCode, { slot: packer.push(prepareClient(blindIndex, row, record)), version: record.source.version });
          }
        },
        finish: () => (packer ? { duplicates, items: { content: 'kyc', clients: packer.finish() } } : null),
      };
    },
  };
  const backoffice: ContentPreparer<BackofficeRecord> = {
    validate: (input) => validateBackofficeRecord(input),
    begin() {
      const valid: Array<Valid<BackofficeRecord>> = [];
      return {
        add: (item) => valid.push(item),
        finish() {
          if (!valid.length) return null;
          const { unique, duplicates } = dedupeBy(valid, keyOfBackofficeRecord);
          return { duplicates, items: { content: 'backoffice', records: unique.map((v) => prepareBackoffice(blindIndex, v.record)) } };
        },
      };
    },
  };
  return { kyc, backoffice } as Record<IngestContent, ContentPreparer<unknown>>;
}

/** Writes a batch's prepared rows in the job's transaction. */
export function createContentWriter(deps: { clientWriter: ClientWriter; backofficeWriter: BackofficeWriter }) {
  return async (tx: Queryable, items: PreparedItems, jobId: string): Promise<WriteCounts> => {
    if (items.content === 'kyc') return deps.clientWriter.write(tx, unpackClients(items.clients), { jobId });
    // The back-office writer also returns the applied changes: the seam where back-office events
    // will be derived and appended in this same transaction.
    return deps.backofficeWriter.write(tx, items.records, { jobId });
  };
}
