// The one derivation of a client's id from its client code: ingestion stores clients under it and
// event intake keys events by it, so an event for a client not yet ingested still has a stable key.
import type { BlindIndex } from '../crypto/blind-index.ts';

/** A stable uuid (v4 layout) from a keyed hash: the same client code always maps to the same id. */
export function uuidFromHash(hash: Buffer): string {
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The client id for a normalised (trimmed, uppercase) client code. */
export function clientIdForCode(blindIndex: BlindIndex, clientCode: string): string {
  return uuidFromHash(blindIndex('client.id', clientCode));
}
