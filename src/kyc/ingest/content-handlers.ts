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

/** A batch being built; begun with its first valid row. */
export type BatchBuilder<R> = {
  add(item: Valid<R>): void;
  /** The batch's prepared rows. */
  finish(): { duplicates: number; items: PreparedItems };
};

/**
 * A batch's choice among repeats of a key: the highest source version, the first of equal ones, in
 * the place of the key's first row; every repeat counts as a duplicate.
 */
export class LatestByKey {
  readonly #seen = new Map<string, { slot: number; version: number }>();
  duplicates = 0;

  /** Where a record of `key` at `version` goes: a new slot (`next`), the slot of an older one it replaces, or nowhere (null). */
  place(key: string, version: number, next: number): { slot: number; replaces: boolean } | null {
    const before = this.#seen.get(key);
    if (!before) {
      this.#seen.set(key, { slot: next, version });
      return { slot: next, replaces: false };
    }
    this.duplicates++;
    if (version <= before.version) return null;
    before.version = version;
    return { slot: before.slot, replaces: true };
  }
}

export function createContentPreparers(blindIndex: BlindIndex): Record<IngestContent, ContentPreparer<unknown>> {
  const kyc: ContentPreparer<ClientRecord> = {
    validate: (input, today) => validateClientRecord(input, { today }),
    // Each client is prepared and packed as it arrives (see ClientPacker on why), one per client code.
    begin(spare) {
      const packer = new ClientPacker(spare?.());
      const latest = new LatestByKey();
      return {
        add({ row, record }) {
          const at = latest.place(record.clientCode, record.source.version, packer.size);
          if (!at) return;
          const client = prepareClient(blindIndex, row, record);
          if (at.replaces) packer.replace(at.slot, client);
          else packer.push(client);
        },
        finish: () => ({ duplicates: latest.duplicates, items: { content: 'kyc', clients: packer.finish() } }),
      };
    },
  };
  const backoffice: ContentPreparer<BackofficeRecord> = {
    validate: (input) => validateBackofficeRecord(input),
    begin() {
      const records: PreparedBackoffice[] = [];
      const latest = new LatestByKey();
      return {
        add({ record }) {
          const at = latest.place(keyOfBackofficeRecord(record), record.source.version, records.length);
          if (at) records[at.slot] = prepareBackoffice(blindIndex, record);
        },
        finish: () => ({ duplicates: latest.duplicates, items: { content: 'backoffice', records } }),
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
