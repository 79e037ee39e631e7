// Domain events of a client change, derived by comparing what was stored with what arrives. Only
// non-personal facts travel in payloads (ids, codes, statuses, masked values); consumers load the
// client and decrypt contacts in memory when they need them.
import { decodeKraStatus } from '../kra-status.ts';
import type { ClientRecord } from '../client-record.ts';

export type StoredFacts = {
  kraStatus: string;
  segments: ClientRecord['segments'];
  mobileBidx: Buffer;
  emailBidx: Buffer | null;
  addressHash: Buffer;
  bankHash: Buffer;
  nomineeHash: Buffer;
};

export type DomainEvent = { type: string; payload: Record<string, unknown> };

type StatusClass = 'approved' | 'on_hold' | 'rejected' | 'other';

/** Registered and validated KYC is approved; hold and rejection have their own events. */
export function classifyKraStatus(code: string): StatusClass {
  const name = decodeKraStatus(code)?.status;
  if (name === 'REGISTERED' || name === 'VALIDATED') return 'approved';
  if (name === 'ON_HOLD') return 'on_hold';
  if (name === 'REJECTED') return 'rejected';
  return 'other';
}

const statusEvent: Record<Exclude<StatusClass, 'other'>, string> = { approved: 'kyc.approved', on_hold: 'kyc.on_hold', rejected: 'kyc.rejected' };

/** The events a change from `before` (undefined: a new client) to `after` emits, in a stable order. */
export function deriveClientEvents(before: StoredFacts | undefined, after: StoredFacts, record: ClientRecord, masked: { mobile: string; email: string | null }): DomainEvent[] {
  const events: DomainEvent[] = [];
  const clientCode = record.clientCode;
  const newClass = classifyKraStatus(after.kraStatus);
  const oldClass = before ? classifyKraStatus(before.kraStatus) : undefined;
  if (before && before.kraStatus !== after.kraStatus) {
    events.push({ type: 'kyc.kra_status_changed', payload: { clientCode, oldStatus: before.kraStatus, newStatus: after.kraStatus, kra: record.kra } });
  }
  if (newClass !== 'other' && newClass !== oldClass) {
    const payload: Record<string, unknown> = { clientCode, kraStatus: after.kraStatus };
    if (newClass === 'approved') payload['segments'] = record.segments.filter((s) => s.status === 'ACTIVE').map((s) => s.segment);
    events.push({ type: statusEvent[newClass], payload });
  }
  if (before) {
    const changed: Array<[string, boolean, string | null]> = [
      ['mobile', !before.mobileBidx.equals(after.mobileBidx), masked.mobile],
      ['email', !(before.emailBidx ?? Buffer.alloc(0)).equals(after.emailBidx ?? Buffer.alloc(0)), masked.email],
      ['address', !before.addressHash.equals(after.addressHash), null],
      ['bank', !before.bankHash.equals(after.bankHash), null],
    ];
    for (const [field, did, maskedNewValue] of changed) {
      if (did) events.push({ type: 'account.contact_changed', payload: { clientCode, field, maskedNewValue } });
    }
    const wasActive = new Set(before.segments.filter((s) => s.status === 'ACTIVE').map((s) => s.segment));
    for (const s of after.segments) {
      if (s.status === 'ACTIVE' && !wasActive.has(s.segment)) events.push({ type: 'segment.activated', payload: { clientCode, segment: s.segment, effectiveDate: s.activatedOn ?? null } });
    }
    if (!before.nomineeHash.equals(after.nomineeHash)) {
      events.push({ type: 'nomination.updated', payload: { clientCode, nomineeCount: record.nominees.length, optOut: record.nominationOptOut } });
    }
  }
  return events;
}
