// The reading half of an ingestion job: reads the file in order, validates each row and prepares
// batches of valid rows and rejects, ready for the job's transaction. Pure CPU and file I/O, no
// database, so it runs in a worker thread (ingest-worker.ts) while the job's thread writes.
import { createBlindIndex } from '../../crypto/blind-index.ts';
import { createContentPreparers, type BatchBuilder, type ContentPreparer, type PreparedItems } from './content-handlers.ts';
import { readIngestRows, type IngestContent, type SniffedFile } from './read-records.ts';

export type Reject = { ordinal: number; sheet: string | null; row: number; field: string; rule: string; message: string };

export type PrepareOptions = {
  filePath: string;
  sniffed: SniffedFile;
  /** Rows (ordinals) already committed by an earlier run: read past, not prepared again. */
  checkpoint: number;
  /** Today in India (YYYY-MM-DD), for the age and not-in-the-future rules. */
  today: string;
  /** Rows (valid or rejected) per batch. */
  batchRows: number;
  blindIndexKey: Uint8Array;
};

/** One batch: the rows up to `ordinal` (the checkpoint it commits), its rejects and prepared rows. */
export type PreparedBatch = {
  ordinal: number;
  bytesRead: number;
  content: IngestContent | undefined;
  rejects: Reject[];
  rejectedRows: number;
  duplicates: number;
  items: PreparedItems | null;
  /** The clients' packed bytes (transferred, not copied, between threads). */
  transfer: ArrayBuffer | null;
};

/**
 * The batches of a file after `checkpoint`, in file order; the last one ends at the last row
 * (it may hold nothing). Throws AppError VALIDATION_FAILED when the file as a whole cannot be read.
 * `spare` hands out buffers of written batches to pack the next ones into (see `BatchSource.release`).
 */
export async function* prepareBatches(options: PrepareOptions, spare?: () => ArrayBuffer | undefined): AsyncGenerator<PreparedBatch> {
  const key = Buffer.from(options.blindIndexKey); // one Buffer: the blind index rebuilds its HMAC when the key object changes
  const blindIndex = createBlindIndex({ blindIndexKey: () => key });
  const preparers = createContentPreparers(blindIndex);
  const progress = { bytes: 0 };
  let ordinal = 0;
  let content: IngestContent | undefined;
  let preparer: ContentPreparer<unknown> | undefined;
  let builder: BatchBuilder<unknown> | undefined;
  let validRows = 0;
  let rejects: Reject[] = [];
  let rejectedRows = 0;
  let cutAt = options.checkpoint;

  const cut = (): PreparedBatch => {
    const prepared = builder?.finish();
    const items = prepared?.items ?? null;
    const transfer = items?.content === 'kyc' ? items.clients.bytes : null;
    const batch: PreparedBatch = { ordinal, bytesRead: progress.bytes, content, rejects, rejectedRows, duplicates: prepared?.duplicates ?? 0, items, transfer };
    builder = undefined;
    validRows = 0;
    rejects = [];
    rejectedRows = 0;
    cutAt = ordinal;
    return batch;
  };

  for await (const item of readIngestRows(options.filePath, options.sniffed, progress)) {
    ordinal++;
    if (ordinal <= options.checkpoint) continue; // committed before a restart
    if ('unreadable' in item) {
      rejectedRows++;
      rejects.push({ ordinal, sheet: item.sheet, row: item.row, field: item.field ?? 'row', rule: item.rule ?? 'row.unreadable', message: item.unreadable });
    } else {
      content = item.content; // one content per file
      preparer ??= preparers[item.content];
      const result = preparer.validate(item.input, options.today);
      if (result.ok) {
        builder ??= preparer.begin(spare);
        builder.add({ ordinal, row: item.row, record: result.record });
        validRows++;
      }
      else {
        rejectedRows++;
        for (const e of result.errors) rejects.push({ ordinal, sheet: item.sheet, row: item.row, field: e.field, rule: e.rule, message: e.message });
      }
    }
    if (validRows + rejectedRows >= options.batchRows) yield cut();
  }
  if (ordinal > cutAt) yield cut();
}
