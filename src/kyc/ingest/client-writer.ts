// Stores prepared client records (client-prepare.ts, unpacked) in the caller's transaction: the record
// encrypted under the client's data key, blind indexes and keyed hashes, masked display forms, the
// KYC status history, and the domain events of each change appended to the event log. An older or
// identical record writes nothing.
//
// Rows go to PostgreSQL in binary COPY. The batch's stored rows are read and locked first (FOR
// UPDATE), so what is decided from them holds until commit: new clients are copied straight into
// `clients`, changed ones through a staging table and one UPDATE. A client inserted by another job
// between the read and the copy makes the copy fail with a unique violation; the job retries the
// batch, which then finds it.
import type { Queryable } from '../../store/db.ts';
import type { Envelope } from '../../crypto/envelope.ts';
import type { EventLog } from '../../log/event-log.ts';
import { CopyBinaryWriter, copyBinaryIn } from '../../store/copy-binary.ts';
import type { ClientRecord } from '../client-record.ts';
import { deriveClientEvents } from './client-events.ts';
import type { ClientToWrite, StoredFacts } from './client-prepare.ts';

export const clientEventsTopic = 'kyc.events';

export type WriteResult = { accepted: number; updated: number; unchanged: number; events: number };

type Existing = {
  id: string; source_version: string; content_hash: Buffer; kra_status: string; segments: ClientRecord['segments'];
  mobile_bidx: Buffer; email_bidx: Buffer | null; address_hash: Buffer; bank_hash: Buffer; nominee_hash: Buffer;
};

const clientColumns = [
  'id', 'code_bidx', 'pan_bidx', 'mobile_bidx', 'email_bidx', 'address_hash', 'bank_hash', 'nominee_hash', 'content_hash',
  'personal_enc', 'masked', 'profile', 'kra_status', 'segments', 'source_system', 'source_version', 'source_as_of',
] as const;
const updatable = clientColumns.filter((c) => c !== 'id' && c !== 'code_bidx');

const stageTable = `CREATE TEMP TABLE IF NOT EXISTS ingest_clients_stage (
  id uuid, code_bidx bytea, pan_bidx bytea, mobile_bidx bytea, email_bidx bytea, address_hash bytea, bank_hash bytea, nominee_hash bytea,
  content_hash bytea, personal_enc bytea, masked json, profile json, kra_status text, segments json, source_system text,
  source_version bigint, source_as_of timestamptz) ON COMMIT DELETE ROWS`;

function encodeClient(out: CopyBinaryWriter, c: ClientToWrite, sealed: Buffer): void {
  out.row(clientColumns.length)
    .uuid(c.id).bytea(c.codeBidx).bytea(c.panBidx).bytea(c.mobileBidx).bytea(c.emailBidx).bytea(c.addressHash).bytea(c.bankHash)
    .bytea(c.nomineeHash).bytea(c.contentHash).bytea(sealed).json(c.maskedBytes).json(c.profileBytes).text(c.kraStatus)
    .json(JSON.stringify(c.segments)).text(c.sourceSystem).int8(c.sourceVersion).timestamptz(c.sourceAsOf);
}

function factsOf(row: Existing): StoredFacts {
  return {
    kraStatus: row.kra_status, segments: row.segments, mobileBidx: row.mobile_bidx, emailBidx: row.email_bidx,
    addressHash: row.address_hash, bankHash: row.bank_hash, nomineeHash: row.nominee_hash,
  };
}

export function createClientWriter(deps: { envelope: Envelope; log: Pick<EventLog, 'append'> }) {
  const { envelope, log } = deps;
  // COPY data of new clients (~4 MB a batch) is written into reused scratch buffers rather than a
  // fresh allocation per batch; one per batch written at once (jobs may run side by side).
  const spare: Buffer[] = [];
  return {
    /**
     * Writes a batch whose client codes are unique, in `tx` (a transaction's connection). Rows
     * with a source version not newer than the stored one, or with identical content, are
     * unchanged. Returns the counts.
     */
    async write(tx: Queryable, batch: readonly ClientToWrite[], context: { jobId: string }): Promise<WriteResult> {
      const result: WriteResult = { accepted: 0, updated: 0, unchanged: 0, events: 0 };
      if (!batch.length) return result;
      const { rows } = await tx.query<Existing>(
        `SELECT id, source_version, content_hash, kra_status, segments, mobile_bidx, email_bidx, address_hash, bank_hash, nominee_hash
           FROM clients WHERE id = ANY($1::uuid[]) FOR UPDATE`,
        [batch.map((c) => c.id)],
      );
      const existing = new Map(rows.map((r) => [r.id, r]));
      const writes: Array<{ c: ClientToWrite; before: Existing | undefined }> = [];
      for (const c of batch) {
        const before = existing.get(c.id);
        if (before && (Number(before.source_version) >= c.sourceVersion || Buffer.compare(before.content_hash, c.contentHash) === 0)) result.unchanged++;
        else writes.push({ c, before });
      }
      if (!writes.length) return result;

      await envelope.prepare(writes.map(({ c }) => `client:${c.id}`));
      const fresh = new CopyBinaryWriter(spare.pop() ?? writes.length * 2048);
      const changed = new CopyBinaryWriter(64 * 1024);
      const history = new CopyBinaryWriter(writes.length * 64);
      const outbox: Array<{ key: string; type: string; payload: Record<string, unknown> }> = [];
      for (const { c, before } of writes) {
        for (const e of deriveClientEvents(before && factsOf(before), c)) outbox.push({ key: c.id, type: e.type, payload: { clientId: c.id, ...e.payload } });
        const sealed = await envelope.encrypt(`client:${c.id}`, 'record', c.recordBytes);
        encodeClient(before ? changed : fresh, c, sealed);
        if (before) result.updated++;
        else result.accepted++;
        if (!before || before.kra_status !== c.kraStatus) {
          history.row(5).uuid(c.id).text(c.kraStatus).date(c.kraStatusDate).int8(c.sourceVersion).uuid(context.jobId);
        }
      }
      try {
        if (fresh.rows) await copyBinaryIn(tx, `clients (${clientColumns.join(', ')})`, fresh.finish());
      } finally {
        if (spare.length < 2) spare.push(fresh.buffer);
      }
      if (changed.rows) {
        await tx.query(stageTable);
        await copyBinaryIn(tx, `ingest_clients_stage (${clientColumns.join(', ')})`, changed.finish());
        await tx.query(
          `UPDATE clients t SET ${updatable.map((c) => `${c} = s.${c}`).join(', ')}, updated_at = now()
             FROM ingest_clients_stage s WHERE t.id = s.id`,
        );
      }
      if (history.rows) await copyBinaryIn(tx, 'client_status_history (client_id, kra_status, kra_status_date, source_version, job_id)', history.finish());
      await log.append(outbox.map((o) => ({ topic: clientEventsTopic, key: o.key, type: o.type, payload: o.payload, headers: { jobId: context.jobId } })), { tx, returning: false });
      result.events = outbox.length;
      return result;
    },
  };
}

export type ClientWriter = ReturnType<typeof createClientWriter>;
