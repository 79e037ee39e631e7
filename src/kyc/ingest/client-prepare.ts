// The CPU half of storing a client record, run where the file is read (an ingestion worker
// thread): ids, blind indexes and keyed hashes, the canonical JSON that is encrypted, the masked
// and profile views, and the facts events are derived from. The result is plain data (strings,
// numbers, byte views into one buffer per batch) so it crosses to the writer's thread cheaply.
import type { BlindIndex } from '../../crypto/blind-index.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { ClientRecord } from '../client-record.ts';
import { clientIdForCode } from '../client-id.ts';
import { maskClientRecord } from './mask-record.ts';

/** What a stored client's events are derived from (kept in clear or as keyed hashes). */
export type StoredFacts = {
  kraStatus: string;
  segments: ClientRecord['segments'];
  mobileBidx: Uint8Array;
  emailBidx: Uint8Array | null;
  addressHash: Uint8Array;
  bankHash: Uint8Array;
  nomineeHash: Uint8Array;
};

/** The incoming record's facts: the stored ones plus what event payloads name. */
export type ClientFacts = StoredFacts & {
  clientCode: string;
  kra: string;
  nomineeCount: number;
  nominationOptOut: boolean;
  maskedMobile: string;
  maskedEmail: string | null;
};

export type PreparedClient = ClientFacts & {
  row: number;
  id: string;
  codeBidx: Uint8Array;
  panBidx: Uint8Array;
  contentHash: Uint8Array;
  /** The record as canonical JSON: the plaintext that is encrypted. Personal: never logged. */
  recordJson: string;
  maskedJson: string;
  profileJson: string;
  kraStatusDate: string | null;
  sourceSystem: string;
  sourceVersion: number;
  sourceAsOf: string;
};

/** Non-personal facts kept in clear for filters, reports and event derivation. */
function profileOf(r: ClientRecord) {
  return {
    kra: r.kra, kraStatus: r.kraStatus, kraStatusDate: r.kraStatusDate ?? null, kycMode: r.kycMode, residentialStatus: r.residentialStatus,
    nationality: r.nationality, gender: r.gender ?? null, riskCategory: r.riskCategory, pep: r.pep, holderType: r.pan[3], segments: r.segments,
    nomineeCount: r.nominees.length, nominationOptOut: r.nominationOptOut, bankCount: r.banks.length, dematCount: r.demat.length,
    consents: r.consents, mtfAgreementDate: r.mtfAgreementDate ?? null,
  };
}

/** Derives everything the writer needs from a validated record (CPU only, no I/O). */
export function prepareClient(blind: BlindIndex, row: number, record: ClientRecord): PreparedClient {
  const code = record.clientCode;
  const { source, ...content } = record;
  // Parts are serialised once: the content text and the record text reuse them.
  const parts = new Map<object, string>();
  const addresses = canonicalJson(record.addresses, parts);
  const banks = canonicalJson(record.banks, parts);
  const nominees = canonicalJson([record.nominees, record.nominationOptOut], parts);
  const contentJson = canonicalJson(content, parts);
  const masked = maskClientRecord(record);
  return {
    row,
    id: clientIdForCode(blind, code),
    recordJson: canonicalJson(record, parts),
    maskedJson: JSON.stringify(masked),
    profileJson: JSON.stringify(profileOf(record)),
    codeBidx: blind('client.code', code),
    panBidx: blind('client.pan', record.pan),
    mobileBidx: blind('client.mobile', record.mobile.number),
    emailBidx: record.email ? blind('client.email', record.email.address.toLowerCase()) : null,
    addressHash: blind('client.address', addresses),
    bankHash: blind('client.bank', banks),
    nomineeHash: blind('client.nominees', nominees),
    contentHash: blind('client.content', contentJson),
    kraStatus: record.kraStatus,
    kraStatusDate: record.kraStatusDate ?? null,
    segments: record.segments,
    clientCode: code,
    kra: record.kra,
    nomineeCount: record.nominees.length,
    nominationOptOut: record.nominationOptOut,
    maskedMobile: masked.mobile,
    maskedEmail: masked.email,
    sourceSystem: source.system,
    sourceVersion: source.version,
    sourceAsOf: source.asOf,
  };
}

const digestFields = ['codeBidx', 'panBidx', 'mobileBidx', 'emailBidx', 'addressHash', 'bankHash', 'nomineeHash', 'contentHash'] as const;

/**
 * Moves every digest of a batch into one buffer (returned, to be transferred to the writer's
 * thread) and points the clients' fields at views of it. Without this each digest would drag its
 * 8 KiB allocation pool slab through structured cloning.
 */
export function packDigests(clients: PreparedClient[]): ArrayBuffer {
  const buffer = new ArrayBuffer(clients.length * digestFields.length * 32);
  let at = 0;
  for (const c of clients) {
    for (const field of digestFields) {
      const digest = c[field];
      if (digest) {
        const view = new Uint8Array(buffer, at, 32);
        view.set(digest);
        c[field] = view;
      }
      at += 32;
    }
  }
  return buffer;
}
