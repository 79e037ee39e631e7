// The outbox row as the Postgres adapter reads it, and its mapping to the port's record.
import type { EventRecord, Headers } from './event-log.ts';

export type OutboxRow = {
  id: string;
  topic: string;
  partition: number | null;
  position: string | null;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers: Headers;
  created_at: Date;
};

export const outboxColumns = 'id, topic, partition, position, key, type, payload, headers, created_at';

export function toEventRecord(row: OutboxRow): EventRecord {
  return {
    id: row.id,
    eventId: row.headers['event-id'] ?? row.id,
    topic: row.topic,
    partition: row.partition ?? -1,
    position: row.position ?? '0',
    key: row.key,
    type: row.type,
    payload: row.payload,
    headers: row.headers,
    appendedAt: row.created_at,
  };
}
