// Records that upstream producers append straight to the stream topic `events.triggered` (through
// the EventLog, an INSERT into the outbox, or later the NATS subject): they have not been through
// intake, so the processor checks them as intake would, against the catalog, with the same
// field-and-rule answers. Such a record is the intake's envelope without the id and the type:
//
//   type    = the record's type (a catalog type)
//   header  `event-id` = the event id (de-duplicated with every other source's ids by the processor;
//           without it the log id is the event id, so a producer's retried append is a new event)
//   key     = the client code (it cannot be the client id: that takes the blind-index key)
//   payload = { clientCode, occurredAt?, variables }
//
// Intake's own records carry the client id in the payload; that is how the two are told apart.
import type { BlindIndex } from '../crypto/blind-index.ts';
import type { EventRecord } from '../log/event-log.ts';
import { clientIdForCode } from '../kyc/client-id.ts';
import { getEventDefinition } from './catalog.ts';
import { triggeredEventsTopic } from './intake.ts';
import type { Interpretation } from './interpret-record.ts';
import { validateEvent } from './validate-event.ts';

export type ProducerEnvelopeOptions = { blindIndex: BlindIndex; maxEventBytes?: number };

/** True for a record a producer appended to the stream topic itself (not through intake). */
export function isProducerEnvelope(record: Pick<EventRecord, 'topic' | 'payload'>): boolean {
  return record.topic === triggeredEventsTopic && typeof record.payload['clientId'] !== 'string';
}

/** Validates a producer's record like intake validates a submitted event; the reason names fields and rules only. */
export function readProducerEnvelope(record: EventRecord, options: ProducerEnvelopeOptions): Interpretation {
  const payload = record.payload;
  // The type and the id have their own places in a record; a second copy in the payload could disagree.
  const misplaced = ['id', 'type'].filter((name) => name in payload);
  if (misplaced.length) return { ok: false, reason: misplaced.map((name) => `${name}: field.unknown`).join('; '), clientId: null };
  const checked = validateEvent({ type: record.type, ...payload }, { maxBytes: options.maxEventBytes });
  if (!checked.ok) {
    const reasons = checked.errors.slice(0, 5).map((e) => `${e.field || 'event'}: ${e.rule}`);
    if (checked.errors.length > 5) reasons.push(`${checked.errors.length - 5} more`);
    return { ok: false, reason: reasons.join('; '), clientId: null };
  }
  const event = checked.event;
  return {
    ok: true,
    event: {
      eventId: record.eventId, logId: record.id, topic: record.topic, definition: getEventDefinition(event.type)!,
      clientId: clientIdForCode(options.blindIndex, event.clientCode), clientCode: event.clientCode,
      occurredAt: event.occurredAt ? new Date(event.occurredAt) : record.appendedAt, variables: event.variables,
    },
  };
}
