// Domain events of a client change, derived by comparing what was stored with what arrives. Only
// non-personal facts travel in payloads (ids, codes, statuses, masked values); consumers load the
// client and decrypt contacts in memory when they need them.
import { decodeKraStatus } from '../kra-status.ts';
import type { ClientFacts, StoredFacts } from './client-prepare.ts';

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

const same = (a: Uint8Array | null, b: Uint8Array | null) => (a === null || b === null ? a === b : Buffer.compare(a, b) === 0);

/** The events a change from `before` (undefined: a new client) to `after` emits, in a stable order. */
export function deriveClientEvents(before: StoredFacts | undefined, after: ClientFacts): DomainEvent[] {
  const events: DomainEvent[] = [];
  const clientCode = after.clientCode;
  const newClass = classifyKraStatus(after.kraStatus);
  const oldClass = before ? classifyKraStatus(before.kraStatus) : undefined;
  if (before && before.kraStatus !== after.kraStatus) {
    events.push({ type: 'kyc.kra_status_changed', payload: { clientCode, oldStatus: before.kraStatus, newStatus: after.kraStatus, kra: after.kra } });
  }
  if (newClass !== 'other' && newClass !== oldClass) {
    const payload: Record<string, unknown> = { clientCode, kraStatus: after.kraStatus };
    if (newClass === 'approved') payload['segments'] = after.segments.filter((s) => s.status === 'ACTIVE').map((s) => s.segment);
    events.push({ type: statusEvent[newClass], payload });
  }
  if (before) {
    const changed: Array<[string, boolean, string | null]> = [
      ['mobile', !same(before.mobileBidx, after.mobileBidx), after.maskedMobile],
      ['email', !same(before.emailBidx, after.emailBidx), after.maskedEmail],
      ['address', !same(before.addressHash, after.addressHash), null],
      ['bank', !same(before.bankHash, after.bankHash), null],
    ];
    for (const [field, did, maskedNewValue] of changed) {
      if (did) events.push({ type: 'account.contact_changed', payload: { clientCode, field, maskedNewValue } });
    }
    const wasActive = new Set(before.segments.filter((s) => s.status === 'ACTIVE').map((s) => s.segment));
    for (const s of after.segments) {
      if (s.status === 'ACTIVE' && !wasActive.has(s.segment)) events.push({ type: 'segment.activated', payload: { clientCode, segment: s.segment, effectiveDate: s.activatedOn ?? null } });
    }
    if (!same(before.nomineeHash, after.nomineeHash)) {
      events.push({ type: 'nomination.updated', payload: { clientCode, nomineeCount: after.nomineeCount, optOut: after.nominationOptOut } });
    }
  }
  return events;
}
