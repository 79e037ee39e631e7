// Stores validated client records: blind indexes and keyed hashes for lookup and change detection,
// the whole record encrypted under the client's data key, masked display forms, and the domain
// events of each change appended to the event log, all in the caller's transaction. An older or identical
// record writes nothing.
import type { Queryable } from '../../store/db.ts';
import type { Envelope } from '../../crypto/envelope.ts';
import type { EventLog } from '../../log/event-log.ts';
import type { BlindIndex } from '../../crypto/blind-index.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { ClientRecord } from '../client-record.ts';
import { maskClientRecord } from './mask-record.ts';
import { deriveClientEvents, type StoredFacts } from './client-events.ts';
import { clientIdForCode } from '../client-id.ts';

export const clientEventsTopic = 'kyc.events';

export type PreparedClient = StoredFacts & {
  row: number;
  id: string;
  codeBidx: Buffer;
  panBidx: Buffer;
  contentHash: Buffer;
  record: ClientRecord;
};

export type WriteResult = { accepted: number; updated: number; unchanged: number; events: number };

/** Derives ids, indexes and hashes (CPU only, no I/O). */
export function prepareClient(blind: BlindIndex, row: number, record: ClientRecord): PreparedClient {
  const code = record.clientCode;
  const { source: _source, ...content } = record;
  return {
    row,
    record,
    id: clientIdForCode(blind, code),
    codeBidx: blind('client.code', code),
    panBidx: blind('client.pan', record.pan),
    mobileBidx: blind('client.mobile', record.mobile.number),
    emailBidx: record.email ? blind('client.email', record.email.address.toLowerCase()) : null,
    addressHash: blind('client.address', canonicalJson(record.addresses)),
    bankHash: blind('client.bank', canonicalJson(record.banks)),
    nomineeHash: blind('client.nominees', canonicalJson([record.nominees, record.nominationOptOut])),
    contentHash: blind('client.content', canonicalJson(content)),
    kraStatus: record.kraStatus,
    segments: record.segments,
  };
}

type Existing = { id: string; source_version: string; content_hash: Buffer; kra_status: string; segments: ClientRecord['segments']; mobile_bidx: Buffer; email_bidx: Buffer | null; address_hash: Buffer; bank_hash: Buffer; nominee_hash: Buffer };

/** Non-personal facts kept in clear for filters, reports and event derivation. */
function profileOf(r: ClientRecord) {
  return {
    kra: r.kra, kraStatus: r.kraStatus, kraStatusDate: r.kraStatusDate ?? null, kycMode: r.kycMode, residentialStatus: r.residentialStatus,
    nationality: r.nationality, gender: r.gender ?? null, riskCategory: r.riskCategory, pep: r.pep, holderType: r.pan[3], segments: r.segments,
    nomineeCount: r.nominees.length, nominationOptOut: r.nominationOptOut, bankCount: r.banks.length, dematCount: r.demat.length,
    consents: r.consents, mtfAgreementDate: r.mtfAgreementDate ?? null,
  };
}

export function createClientWriter(deps: { envelope: Envelope; log: Pick<EventLog, 'append'> }) {
  const { envelope, log } = deps;
  return {
    /**
     * Writes a batch whose client codes are unique. Rows with a source version not newer than the
     * stored one, or with identical content, are unchanged. Returns the counts.
     */
    async write(tx: Queryable, batch: readonly PreparedClient[], context: { jobId: string }): Promise<WriteResult> {
      const result: WriteResult = { accepted: 0, updated: 0, unchanged: 0, events: 0 };
      if (!batch.length) return result;
      const { rows } = await tx.query<Existing>(
        `SELECT id, source_version, content_hash, kra_status, segments, mobile_bidx, email_bidx, address_hash, bank_hash, nominee_hash
           FROM clients WHERE id = ANY($1::uuid[]) FOR UPDATE`,
        [batch.map((c) => c.id)],
      );
      const existing = new Map(rows.map((r) => [r.id, r]));
      const writes: Array<{ c: PreparedClient; before: Existing | undefined }> = [];
      for (const c of batch) {
        const before = existing.get(c.id);
        if (before && (Number(before.source_version) >= c.record.source.version || before.content_hash.equals(c.contentHash))) {
          result.unchanged++;
          continue;
        }
        writes.push({ c, before });
      }
      if (!writes.length) return result;

      await envelope.prepare(writes.map(({ c }) => `client:${c.id}`));
      const outbox: Array<{ key: string; type: string; payload: Record<string, unknown> }> = [];
      const values = await Promise.all(writes.map(async ({ c, before }) => {
        const masked = maskClientRecord(c.record);
        const facts = before && {
          kraStatus: before.kra_status, segments: before.segments, mobileBidx: before.mobile_bidx, emailBidx: before.email_bidx,
          addressHash: before.address_hash, bankHash: before.bank_hash, nomineeHash: before.nominee_hash,
        };
        for (const e of deriveClientEvents(facts, c, c.record, { mobile: masked.mobile, email: masked.email })) {
          outbox.push({ key: c.id, type: e.type, payload: { clientId: c.id, ...e.payload } });
        }
        if (before) result.updated++;
        else result.accepted++;
        return {
          id: c.id, code_bidx: c.codeBidx.toString('base64'), pan_bidx: c.panBidx.toString('base64'), mobile_bidx: c.mobileBidx.toString('base64'),
          email_bidx: c.emailBidx?.toString('base64') ?? null, address_hash: c.addressHash.toString('base64'), bank_hash: c.bankHash.toString('base64'),
          nominee_hash: c.nomineeHash.toString('base64'), content_hash: c.contentHash.toString('base64'),
          personal_enc: (await envelope.encrypt(`client:${c.id}`, 'record', JSON.stringify(c.record))).toString('base64'),
          masked, profile: profileOf(c.record), kra_status: c.record.kraStatus, kra_status_date: c.record.kraStatusDate ?? null,
          segments: c.record.segments, source_system: c.record.source.system, source_version: c.record.source.version, source_as_of: c.record.source.asOf,
          status_changed: !before || before.kra_status !== c.record.kraStatus,
        };
      }));
      await tx.query(
        `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
            id uuid, code_bidx text, pan_bidx text, mobile_bidx text, email_bidx text, address_hash text, bank_hash text, nominee_hash text,
            content_hash text, personal_enc text, masked jsonb, profile jsonb, kra_status text, kra_status_date date, segments jsonb,
            source_system text, source_version bigint, source_as_of timestamptz, status_changed boolean)),
         upserted AS (
           INSERT INTO clients AS t (id, code_bidx, pan_bidx, mobile_bidx, email_bidx, address_hash, bank_hash, nominee_hash, content_hash,
             personal_enc, masked, profile, kra_status, segments, source_system, source_version, source_as_of)
           SELECT id, decode(code_bidx, 'base64'), decode(pan_bidx, 'base64'), decode(mobile_bidx, 'base64'), decode(email_bidx, 'base64'),
             decode(address_hash, 'base64'), decode(bank_hash, 'base64'), decode(nominee_hash, 'base64'), decode(content_hash, 'base64'),
             decode(personal_enc, 'base64'), masked, profile, kra_status, segments, source_system, source_version, source_as_of FROM input
           ON CONFLICT (id) DO UPDATE SET pan_bidx = excluded.pan_bidx, mobile_bidx = excluded.mobile_bidx, email_bidx = excluded.email_bidx,
             address_hash = excluded.address_hash, bank_hash = excluded.bank_hash, nominee_hash = excluded.nominee_hash,
             content_hash = excluded.content_hash, personal_enc = excluded.personal_enc, masked = excluded.masked, profile = excluded.profile,
             kra_status = excluded.kra_status, segments = excluded.segments, source_system = excluded.source_system,
             source_version = excluded.source_version, source_as_of = excluded.source_as_of, updated_at = now()
           WHERE t.source_version < excluded.source_version
           RETURNING id)
         INSERT INTO client_status_history (client_id, kra_status, kra_status_date, source_version, job_id)
         SELECT i.id, i.kra_status, i.kra_status_date, i.source_version, $2 FROM input i JOIN upserted u USING (id) WHERE i.status_changed`,
        [JSON.stringify(values), context.jobId],
      );
      await log.append(outbox.map((o) => ({ topic: clientEventsTopic, key: o.key, type: o.type, payload: o.payload, headers: { jobId: context.jobId } })), { tx });
      result.events = outbox.length;
      return result;
    },
  };
}

export type ClientWriter = ReturnType<typeof createClientWriter>;
