// The CPU half of storing a client record, run where the file is read (an ingestion worker
// thread): ids, blind indexes and keyed hashes, the canonical JSON that is encrypted, the masked
// and profile views, and the facts events are derived from. The result is plain data (strings,
// numbers, byte views into one buffer per batch) so it crosses to the writer's thread cheaply.
import type { BlindIndex } from '../../crypto/blind-index.ts';
import { canonicalJson, canonicalJsonWithAndWithout } from '../../platform/canonical-json.ts';
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
  const source = record.source;
  // Parts are serialised once: the record's text and its content's (all but its source) reuse them.
  const parts = new Map<object, string>();
  const addresses = canonicalJson(record.addresses, parts);
  const banks = canonicalJson(record.banks, parts);
  const nominees = canonicalJson([record.nominees, record.nominationOptOut], parts);
  const { whole: recordJson, without: contentJson } = canonicalJsonWithAndWithout(record, 'source', parts);
  const masked = maskClientRecord(record);
  return {
    row,
    id: clientIdForCode(blind, code),
    recordJson,
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
const DIGESTS = digestFields.length * 32;

/** A client as it crosses threads: its small facts as JSON, its bytes (digests, JSON texts) in one buffer. */
type ClientMeta = Omit<PreparedClient, (typeof digestFields)[number] | 'recordJson' | 'maskedJson' | 'profileJson'> & {
  /** Where its bytes start: digests, then the record, masked and profile JSON texts (UTF-8). */
  at: number;
  lengths: [record: number, masked: number, profile: number];
  hasEmail: boolean;
};

/** A batch of prepared clients packed for a thread hop: `bytes` is transferred, not copied. */
export type PackedClients = { meta: string; bytes: ArrayBuffer };

/**
 * A prepared client on the writer's side: facts as values, bytes as views into the batch's buffer
 * (the JSON texts go to encryption and COPY as bytes, never back into strings).
 */
export type ClientToWrite = Omit<PreparedClient, 'recordJson' | 'maskedJson' | 'profileJson'> & {
  recordBytes: Uint8Array;
  maskedBytes: Uint8Array;
  profileBytes: Uint8Array;
};

/**
 * Packs a batch for the writer's thread, one client at a time as it is prepared. Structured cloning
 * of the clients as objects cost ~40 us per record (serialise and deserialise 3.6 KB of object
 * graph); this costs a JSON text of the small facts and byte copies of the large ones into one
 * transferable buffer. Packing each client as soon as it is prepared (rather than holding a batch
 * of records and preparing them at the cut) lets its record and texts die young: held for a whole
 * batch they outlived the scavenges, were promoted and filled the old generation (a quarter of the
 * reading thread's time was garbage collection). `spare`, a buffer an earlier batch crossed in and
 * the writer gave back, is written into, so a job reuses a few buffers instead of allocating (and
 * later freeing) one per batch; a batch that needs more grows it.
 */
export class ClientPacker {
  #bytes: Buffer;
  #at = 0;
  readonly #meta: ClientMeta[] = [];

  constructor(spare?: ArrayBuffer) {
    this.#bytes = spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(256 * 1024);
  }

  get size(): number {
    return this.#meta.length;
  }

  /** Packs `c` as the batch's next client; returns its slot. */
  push(c: PreparedClient): number {
    this.#meta.push(this.#write(c));
    return this.#meta.length - 1;
  }

  /** Packs `c` in place of the client in `slot` (a newer version of it); the old bytes stay unused. */
  replace(slot: number, c: PreparedClient): void {
    this.#meta[slot] = this.#write(c);
  }

  finish(): PackedClients {
    return { meta: JSON.stringify(this.#meta), bytes: this.#bytes.buffer as ArrayBuffer };
  }

  #write(c: PreparedClient): ClientMeta {
    const { recordJson, maskedJson, profileJson, codeBidx, panBidx, mobileBidx, emailBidx, addressHash, bankHash, nomineeHash, contentHash, ...facts } = c;
    // Texts are nearly always one byte per character; room for three is checked before writing.
    const most = DIGESTS + (recordJson.length + maskedJson.length + profileJson.length) * 3;
    if (this.#at + most > this.#bytes.length) {
      const need = this.#at + DIGESTS + Buffer.byteLength(recordJson) + Buffer.byteLength(maskedJson) + Buffer.byteLength(profileJson);
      if (need > this.#bytes.length) {
        const next = Buffer.allocUnsafeSlow(Math.max(need, this.#bytes.length + (this.#bytes.length >> 1)));
        this.#bytes.copy(next, 0, 0, this.#at);
        this.#bytes = next;
      }
    }
    const bytes = this.#bytes;
    const start = this.#at;
    let at = start;
    for (const digest of [codeBidx, panBidx, mobileBidx, emailBidx, addressHash, bankHash, nomineeHash, contentHash]) {
      if (digest) bytes.set(digest, at);
      else bytes.fill(0, at, at + 32);
      at += 32;
    }
    const record = bytes.write(recordJson, at, 'utf8');
    const masked = bytes.write(maskedJson, at + record, 'utf8');
    const profile = bytes.write(profileJson, at + record + masked, 'utf8');
    this.#at = at + record + masked + profile;
    return { ...facts, at: start, lengths: [record, masked, profile], hasEmail: emailBidx !== null };
  }
}

/** Packs prepared clients in order (see `ClientPacker`). */
export function packClients(clients: readonly PreparedClient[], spare?: ArrayBuffer): PackedClients {
  const packer = new ClientPacker(spare);
  for (const c of clients) packer.push(c);
  return packer.finish();
}

/** The writer's side of `packClients`. */
export function unpackClients(packed: PackedClients): ClientToWrite[] {
  const bytes = new Uint8Array(packed.bytes);
  const view = (from: number, length: number) => bytes.subarray(from, from + length);
  return (JSON.parse(packed.meta) as ClientMeta[]).map(({ at, lengths: [record, masked, profile], hasEmail, ...facts }) => ({
    ...facts,
    codeBidx: view(at, 32), panBidx: view(at + 32, 32), mobileBidx: view(at + 64, 32), emailBidx: hasEmail ? view(at + 96, 32) : null,
    addressHash: view(at + 128, 32), bankHash: view(at + 160, 32), nomineeHash: view(at + 192, 32), contentHash: view(at + 224, 32),
    recordBytes: view(at + DIGESTS, record), maskedBytes: view(at + DIGESTS + record, masked), profileBytes: view(at + DIGESTS + record + masked, profile),
  }));
}
