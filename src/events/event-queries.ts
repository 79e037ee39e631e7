// Reading the event log for the console: events newest first with their outcome (filtered, keyset
// paginated by log id), and one event with everything it caused: the outcome, the notification
// requests, its dead letters and how far each consumer group has read its partition.
import type { Db } from '../store/db.ts';
import type { EventLog } from '../log/event-log.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { clientIdForCode } from '../kyc/client-id.ts';
import { normalizeCode } from '../kyc/validate/text.ts';
import { AppError } from '../platform/errors.ts';
import { listDeadLettersOf, type DeadLetter } from './dead-letters.ts';
import { deadLetterFilterSql, displayHeaders, displayVariables, eventIdSql, statusSql, toEventSummary, viewSelect, visibleTopics, type EventStatus, type EventSummary, type ViewRow } from './event-view.ts';

export type EventFilter = {
  type?: string[];
  /** A client code: matched through the client id derived from it, as intake keys events. */
  client?: string;
  status?: EventStatus;
  from?: Date;
  to?: Date;
  topic?: string;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
};

export type EventPage = { items: EventSummary[]; nextCursor: string | null };

export type EventDetail = {
  event: EventSummary & { variables: Record<string, unknown>; headers: Record<string, string> };
  outcome: { status: string; reason: string | null; requests: number; occurredAt: string | null; handledAt: string; logId: string } | null;
  requests: Array<{
    type: string; regulatory: boolean; channels: string[]; skipped: Array<{ channel: string; reason: string }>;
    destinations: Record<string, string>; variables: Record<string, unknown>; occurredAt: string; createdAt: string;
  }>;
  deadLetters: DeadLetter[];
  /** Per consumer group reading this record's topic: has its committed position passed the record? */
  deliveries: Array<{ group: string; topic: string; partition: number; committed: string; passed: boolean }>;
};

export const defaultPageSize = 50;
export const maxPageSize = 200;
const logIdPattern = /^[1-9]\d{0,18}$/;

export function createEventQueries(deps: { db: Db; log: Pick<EventLog, 'lag'>; blindIndex: BlindIndex }) {
  const { db, blindIndex } = deps;

  /** The key events of a client code are appended under (the client id). */
  function clientKey(code: string): string {
    return clientIdForCode(blindIndex, normalizeCode(code));
  }

  async function list(filter: EventFilter): Promise<EventPage> {
    const values: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${values.push(value)}`;
    if (filter.topic !== undefined && !visibleTopics.includes(filter.topic)) {
      throw new AppError('VALIDATION_FAILED', `topic must be one of ${visibleTopics.join(', ')}`, { details: [{ field: 'querystring.topic', rule: 'enum' }] });
    }
    where.push(`x.topic = ANY(${param(filter.topic === undefined ? visibleTopics : [filter.topic])}::text[])`);
    if (filter.type?.length) where.push(`x.type = ANY(${param(filter.type)}::text[])`);
    // Intake keys events by the client id; producers writing to the stream topic key them by the code.
    if (filter.client) where.push(`x.key = ANY(${param([clientKey(filter.client), normalizeCode(filter.client)])}::text[])`);
    if (filter.from) where.push(`x.created_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`x.created_at < ${param(filter.to)}`);
    if (filter.cursor !== undefined) {
      if (!logIdPattern.test(filter.cursor)) throw new AppError('VALIDATION_FAILED', 'cursor is not one this API gave', { details: [{ field: 'querystring.cursor', rule: 'format' }] });
      where.push(`x.id < ${param(filter.cursor)}::bigint`);
    }
    if (filter.status !== undefined) where.push(`${statusSql} = ${param(filter.status)}`);
    if (filter.status === 'dead_letter') {
      // Few events are dead-lettered: find their keys first, so the outbox is read through its key index.
      const { rows: dead } = await db.query<{ key: string; event_id: string }>(`SELECT DISTINCT d.key, d.headers ->> 'event-id' AS event_id FROM outbox d WHERE ${deadLetterFilterSql}`);
      if (!dead.length) return { items: [], nextCursor: null };
      where.push(`x.key = ANY(${param([...new Set(dead.map((d) => d.key))])}::text[])`, `${eventIdSql('x')} = ANY(${param(dead.map((d) => d.event_id))}::text[])`);
    }
    const limit = Math.min(maxPageSize, Math.max(1, filter.limit ?? defaultPageSize));
    const { rows } = await db.query<ViewRow>(`${viewSelect} WHERE ${where.join(' AND ')} ORDER BY x.id DESC LIMIT ${param(limit + 1)}`, values);
    const page = rows.slice(0, limit).map(toEventSummary);
    return { items: page, nextCursor: rows.length > limit ? page.at(-1)!.id : null };
  }

  /** The record an id names: a log id of a shown topic, else a business event id. */
  async function find(id: string): Promise<ViewRow | undefined> {
    if (logIdPattern.test(id)) {
      const { rows } = await db.query<ViewRow>(`${viewSelect} WHERE x.id = $1::bigint AND x.topic = ANY($2::text[])`, [id, visibleTopics]);
      if (rows[0]) return rows[0];
    }
    // A triggered event's intake row names its record; a domain event's id is its log id. Past the
    // intake's retention, the outcome still names the record it was handled from, and a dead
    // letter the record it failed on (which may be a retry of the original: matched by key below).
    const { rows: named } = await db.query<{ log_id: string }>(
      `SELECT log_id FROM event_intake WHERE event_id = $1 AND log_id IS NOT NULL
       UNION ALL SELECT log_id FROM event_outcomes WHERE event_id = $1
       UNION ALL (SELECT (headers ->> 'dead-letter.source-id')::bigint FROM outbox
                  WHERE topic LIKE '%.dead-letter' AND headers ->> 'event-id' = $1 AND headers ->> 'dead-letter.source-id' ~ '^[0-9]{1,18}$' ORDER BY id LIMIT 1)
       LIMIT 1`,
      [id],
    );
    if (!named[0]) return undefined;
    // The original record on a shown topic; failing that (its original is gone), the named record.
    const { rows } = await db.query<ViewRow>(
      `${viewSelect} WHERE x.id = $1::bigint
         OR (x.topic = ANY($2::text[]) AND x.headers ->> 'event-id' = $3 AND x.key = (SELECT key FROM outbox WHERE id = $1::bigint))
       ORDER BY x.topic = ANY($2::text[]) DESC, x.id LIMIT 1`,
      [named[0].log_id, visibleTopics, id],
    );
    return rows[0];
  }

  async function detail(id: string): Promise<EventDetail | undefined> {
    const row = await find(id);
    if (!row) return undefined;
    const summary = toEventSummary(row);
    const eventId = summary.eventId;
    const [outcome, requests, deadLetters, lag] = await Promise.all([
      db.query<{ status: string; reason: string | null; requests: number; occurred_at: Date | null; handled_at: Date; log_id: string }>(
        'SELECT status, reason, requests, occurred_at, handled_at, log_id FROM event_outcomes WHERE event_id = $1', [eventId],
      ),
      db.query<{ type: string; regulatory: boolean; channels: string[]; skipped: Array<{ channel: string; reason: string }>; destinations: Record<string, string>; variables: Record<string, unknown>; occurred_at: Date; created_at: Date }>(
        'SELECT type, regulatory, channels, skipped, destinations, variables, occurred_at, created_at FROM notification_requests WHERE event_id = $1 ORDER BY seq', [eventId],
      ),
      listDeadLettersOf(db, eventId),
      deps.log.lag(),
    ]);
    const o = outcome.rows[0];
    return {
      event: { ...summary, variables: displayVariables(row), headers: displayHeaders(row.headers) },
      outcome: o ? { status: o.status, reason: o.reason, requests: o.requests, occurredAt: o.occurred_at?.toISOString() ?? null, handledAt: o.handled_at.toISOString(), logId: o.log_id } : null,
      requests: requests.rows.map((r) => ({
        type: r.type, regulatory: r.regulatory, channels: r.channels, skipped: r.skipped, destinations: r.destinations,
        variables: r.variables, occurredAt: r.occurred_at.toISOString(), createdAt: r.created_at.toISOString(),
      })),
      deadLetters,
      deliveries: lag
        .filter((l) => l.topic === row.topic && l.partition === row.partition)
        .map((l) => ({ group: l.group, topic: l.topic, partition: l.partition, committed: l.position, passed: row.position !== null && BigInt(l.position) >= BigInt(row.position) })),
    };
  }

  return { list, detail, clientKey, clientCode: normalizeCode };
}

export type EventQueries = ReturnType<typeof createEventQueries>;
