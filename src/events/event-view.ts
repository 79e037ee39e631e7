// How the console sees a business event of the log: its record, what the processor made of it
// (its outcome, or pending, or dead-lettered), and only the catalog's variables and ids of its
// payload. One SQL shape and one mapping, shared by the list, the detail and the live feed.
import { deadLetterTopic } from '../log/event-log.ts';
import { getEventDefinition } from './catalog.ts';
import { interpretRecord } from './interpret-record.ts';
import { personalVariables } from './notification-request.ts';
import { processedTopics, processorGroup } from './processor.ts';

/** The topics the Events page shows: the ones the processor consumes. */
export const visibleTopics: readonly string[] = processedTopics;

/** An outcome's status, or `pending` (not handled yet), or `dead_letter` (handling failed). */
export const eventStatuses = ['pending', 'planned', 'skipped', 'invalid', 'client_unknown', 'dead_letter'] as const;
export type EventStatus = (typeof eventStatuses)[number];

export type EventSummary = {
  /** The log's id of the record. */
  id: string;
  eventId: string;
  topic: string;
  partition: number | null;
  /** Null until the log's sequencer has placed the record. */
  position: string | null;
  type: string;
  title: string | null;
  clientId: string | null;
  clientCode: string | null;
  /** api, cli, stream, scheduler for triggered events; ingestion for domain events. */
  source: string | null;
  appendedAt: string;
  occurredAt: string | null;
  status: EventStatus;
  reason: string | null;
  requests: number;
  handledAt: string | null;
};

export type ViewRow = {
  id: string;
  topic: string;
  partition: number | null;
  position: string | null;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  created_at: Date;
  status: EventStatus;
  reason: string | null;
  requests: number | null;
  handled_at: Date | null;
  /** The client the processor found for the event (for a producer's record, keyed by client code). */
  client_id: string | null;
};

/** The event id of an outbox row `x`, as the log derives it (`headers['event-id']`, else the id). */
export const eventIdSql = (alias: string) => `coalesce(${alias}.headers ->> 'event-id', ${alias}.id::text)`;

/** The processor's dead letters, as outbox rows `d` (the LIKE lets the partial index serve). */
export const deadLetterFilterSql = `d.topic LIKE '%.dead-letter' AND d.topic = '${deadLetterTopic(processorGroup)}'`;

/** The status of the row `x` of `viewSelect`, for filters. */
export const statusSql = `coalesce(o.status, CASE WHEN dl.id IS NULL THEN 'pending' ELSE 'dead_letter' END)`;

/**
 * Selects view rows from `outbox x` (the caller adds WHERE, ORDER and LIMIT): the outcome looked up
 * by event id, and, without an outcome, whether the processor dead-lettered the event. The lookups
 * are LATERAL with LIMIT so the planner keeps them per row: a page newest-first then reads the
 * outbox backwards by id and stops at the page's end, however long the log.
 */
export const viewSelect = `
  SELECT x.id, x.topic, x.partition, x.position, x.key, x.type, x.payload, x.headers, x.created_at,
    ${statusSql} AS status, o.reason, o.requests, o.handled_at, o.client_id
  FROM outbox x
  LEFT JOIN LATERAL (
    SELECT o.status, o.reason, o.requests, o.handled_at, o.client_id FROM event_outcomes o WHERE o.event_id = ${eventIdSql('x')} LIMIT 1) o ON true
  LEFT JOIN LATERAL (
    SELECT d.id FROM outbox d
    WHERE o.status IS NULL AND ${deadLetterFilterSql} AND d.headers ->> 'event-id' = ${eventIdSql('x')}
    LIMIT 1) dl ON true`;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toEventSummary(row: ViewRow): EventSummary {
  const payload = row.payload;
  const clientId = typeof payload['clientId'] === 'string' && uuid.test(payload['clientId']) ? payload['clientId'] : uuid.test(row.key) ? row.key : row.client_id;
  const occurredAt = typeof payload['occurredAt'] === 'string' ? payload['occurredAt'] : null;
  return {
    id: row.id,
    eventId: row.headers['event-id'] ?? row.id,
    topic: row.topic,
    partition: row.partition,
    position: row.position,
    type: row.type,
    title: getEventDefinition(row.type)?.title ?? null,
    clientId,
    clientCode: typeof payload['clientCode'] === 'string' ? payload['clientCode'] : null,
    source: row.headers['source'] ?? (row.headers['jobId'] ? 'ingestion' : null),
    appendedAt: row.created_at.toISOString(),
    occurredAt,
    status: row.status,
    reason: row.reason,
    requests: row.requests ?? 0,
    handledAt: row.handled_at?.toISOString() ?? null,
  };
}

/**
 * The event's catalog variables, as the processor reads them (a domain event's facts mapped to the
 * catalog), without personal ones (the client's name) and without anything the catalog does not
 * name: payloads hold no personal data in clear, and this keeps it so whatever a producer sent.
 */
export function displayVariables(row: Pick<ViewRow, 'id' | 'topic' | 'partition' | 'position' | 'key' | 'type' | 'payload' | 'headers' | 'created_at'>): Record<string, unknown> {
  const definition = getEventDefinition(row.type);
  if (!definition) return {};
  const interpreted = interpretRecord({
    id: row.id, eventId: row.headers['event-id'] ?? row.id, topic: row.topic, partition: row.partition ?? -1, position: row.position ?? '0',
    key: row.key, type: row.type, payload: row.payload, headers: row.headers, appendedAt: row.created_at,
  });
  const raw = interpreted.ok ? interpreted.event.variables : typeof row.payload['variables'] === 'object' && row.payload['variables'] !== null ? (row.payload['variables'] as Record<string, unknown>) : {};
  // In the catalog's order (jsonb keeps its own), without what the catalog does not name.
  return Object.fromEntries(Object.keys(definition.variables.properties).filter((k) => k in raw && !personalVariables.has(k)).map((k) => [k, raw[k]]));
}

/** The headers worth showing: where the event came from. Ids only, never personal data. */
export function displayHeaders(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [from, to] of [['source', 'source'], ['caller', 'caller'], ['received-at', 'receivedAt'], ['jobId', 'jobId'], ['retry-of', 'retryOf']] as const) {
    if (typeof headers[from] === 'string') shown[to] = headers[from];
  }
  return shown;
}
