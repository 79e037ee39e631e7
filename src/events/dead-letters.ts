// Dead letters: records a consumer group gave up on, kept in the log on `<group>.dead-letter`. An
// operator retries one (the original record goes again to `<group>.retry`, which the group also
// consumes) or discards it; either happens once (dead_letter_actions, migration 0010), commits with
// its audit row, and a second action is refused.
import type { Db, Queryable } from '../store/db.ts';
import { retryTopic, type EventLog } from '../log/event-log.ts';
import { appendAudit } from '../auth/audit.ts';
import { AppError } from '../platform/errors.ts';
import { maskEmail, maskTail } from '../crypto/mask.ts';

export const deadLetterStatuses = ['open', 'retried', 'discarded'] as const;
export type DeadLetterStatus = (typeof deadLetterStatuses)[number];

export type DeadLetter = {
  /** The dead letter's own log id. */
  id: string;
  group: string;
  eventId: string;
  type: string;
  clientId: string | null;
  clientCode: string | null;
  /** The record that failed, and its topic. */
  sourceId: string | null;
  sourceTopic: string | null;
  /** The handler's last error, with anything that looks personal masked. */
  error: string | null;
  attempts: number | null;
  deadAt: string;
  status: DeadLetterStatus;
  actedBy: string | null;
  actedAt: string | null;
  /** The record a retry appended to the group's retry topic. */
  retryId: string | null;
};

type Row = {
  id: string; topic: string; key: string; type: string; payload: Record<string, unknown>; headers: Record<string, string>; created_at: Date;
  action: 'retried' | 'discarded' | null; actor: string | null; acted_at: Date | null; retry_log_id: string | null;
};

const suffix = '.dead-letter';
const select = `
  SELECT d.id, d.topic, d.key, d.type, d.payload, d.headers, d.created_at, a.action, a.actor, a.acted_at, a.retry_log_id
  FROM outbox d LEFT JOIN dead_letter_actions a ON a.dead_letter_id = d.id`;

/**
 * Error texts come from handlers and drivers and may quote a value: mask emails, PAN-shaped codes
 * and long digit runs (mobiles, accounts, Aadhaar) before anything leaves the server.
 */
export function redactErrorText(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, (m) => maskEmail(m))
    .replace(/\b[A-Z]{5}\d{4}[A-Z]\b/g, (m) => maskTail(m))
    // A run of digits on its own (not inside an id such as a uuid or a reference code).
    .replace(/(?<![\w-])\d{8,}(?![\w-])/g, (m) => maskTail(m));
}

function toDeadLetter(r: Row): DeadLetter {
  const attempts = Number(r.headers['dead-letter.attempts']);
  const clientId = typeof r.payload['clientId'] === 'string' ? r.payload['clientId'] : r.key;
  return {
    id: r.id,
    group: r.topic.slice(0, -suffix.length),
    eventId: r.headers['event-id'] ?? r.headers['dead-letter.source-id'] ?? r.id,
    type: r.type,
    clientId,
    clientCode: typeof r.payload['clientCode'] === 'string' ? r.payload['clientCode'] : null,
    sourceId: r.headers['dead-letter.source-id'] ?? null,
    sourceTopic: r.headers['dead-letter.source-topic'] ?? null,
    error: r.headers['dead-letter.error'] === undefined ? null : redactErrorText(r.headers['dead-letter.error']),
    attempts: Number.isFinite(attempts) ? attempts : null,
    deadAt: r.created_at.toISOString(),
    status: r.action ?? 'open',
    actedBy: r.actor,
    actedAt: r.acted_at?.toISOString() ?? null,
    retryId: r.retry_log_id,
  };
}

/** Every dead letter (of any group) holding this business event, oldest first. */
export async function listDeadLettersOf(db: Queryable, eventId: string): Promise<DeadLetter[]> {
  const { rows } = await db.query<Row>(`${select} WHERE d.topic LIKE '%${suffix}' AND d.headers ->> 'event-id' = $1 ORDER BY d.id`, [eventId]);
  return rows.map(toDeadLetter);
}

export type DeadLetterFilter = { group: string; status?: DeadLetterStatus; limit?: number; cursor?: string };

export function createDeadLetters(deps: { db: Db; log: Pick<EventLog, 'append'> }) {
  const { db, log } = deps;

  /** Locks in the action (once per dead letter) and returns the dead letter; 404 or 409 otherwise. */
  async function claim(tx: Queryable, id: string, action: 'retried' | 'discarded', actor: string): Promise<Row> {
    const { rows } = await tx.query<Row>(`${select} WHERE d.id = $1::bigint AND d.topic LIKE '%${suffix}'`, [id]);
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', `no dead letter ${id}`);
    const group = row.topic.slice(0, -suffix.length);
    const inserted = await tx.query(
      'INSERT INTO dead_letter_actions (dead_letter_id, group_name, action, actor) VALUES ($1, $2, $3, $4) ON CONFLICT (dead_letter_id) DO NOTHING',
      [id, group, action, actor],
    );
    if (!inserted.rowCount) {
      const { rows: done } = await tx.query<{ action: string }>('SELECT action FROM dead_letter_actions WHERE dead_letter_id = $1', [id]);
      throw new AppError('CONFLICT', `dead letter ${id} was already ${done[0]?.action ?? 'handled'}`, { details: { status: done[0]?.action ?? null } });
    }
    return row;
  }

  async function reread(tx: Queryable, id: string): Promise<DeadLetter> {
    const { rows } = await tx.query<Row>(`${select} WHERE d.id = $1::bigint`, [id]);
    return toDeadLetter(rows[0]!);
  }

  return {
    async list(filter: DeadLetterFilter): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
      const limit = Math.min(200, Math.max(1, filter.limit ?? 50));
      const values: unknown[] = [`${filter.group}${suffix}`, limit + 1];
      const where = [`d.topic LIKE '%${suffix}'`, 'd.topic = $1'];
      if (filter.status === 'open') where.push('a.action IS NULL');
      else if (filter.status) where.push(`a.action = $${values.push(filter.status)}`);
      if (filter.cursor !== undefined) {
        if (!/^[1-9]\d{0,18}$/.test(filter.cursor)) throw new AppError('VALIDATION_FAILED', 'cursor is not one this API gave', { details: [{ field: 'querystring.cursor', rule: 'format' }] });
        where.push(`d.id < $${values.push(filter.cursor)}::bigint`);
      }
      const { rows } = await db.query<Row>(`${select} WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT $2`, values);
      const items = rows.slice(0, limit).map(toDeadLetter);
      return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
    },

    /** Open dead letters per group (groups with none are absent). */
    async openCounts(): Promise<Map<string, number>> {
      const { rows } = await db.query<{ topic: string; n: number }>(
        `SELECT d.topic, count(*)::int AS n FROM outbox d LEFT JOIN dead_letter_actions a ON a.dead_letter_id = d.id
         WHERE d.topic LIKE '%${suffix}' AND a.action IS NULL GROUP BY d.topic`,
      );
      return new Map(rows.map((r) => [r.topic.slice(0, -suffix.length), r.n]));
    },

    /**
     * Appends the original record (key, type, payload; headers without the dead-letter ones, plus
     * `retry-of`) to the group's retry topic, in the transaction that records the action and audits it.
     */
    async retry(id: string, actor: string): Promise<DeadLetter> {
      return db.transaction(async (tx) => {
        const row = await claim(tx, id, 'retried', actor);
        const group = row.topic.slice(0, -suffix.length);
        const headers = Object.fromEntries(Object.entries(row.headers).filter(([k]) => !k.startsWith('dead-letter.')));
        const [appended] = await log.append([{ topic: retryTopic(group), key: row.key, type: row.type, payload: row.payload, headers: { ...headers, 'retry-of': row.id } }], { tx });
        await tx.query('UPDATE dead_letter_actions SET retry_log_id = $2 WHERE dead_letter_id = $1', [id, appended!.id]);
        await appendAudit(tx, { actor, action: 'event.dead_letter_retried', target: `dead-letter:${id}`, details: { group, eventId: headers['event-id'] ?? null, type: row.type, retryId: appended!.id } });
        return reread(tx, id);
      });
    },

    async discard(id: string, actor: string): Promise<DeadLetter> {
      return db.transaction(async (tx) => {
        const row = await claim(tx, id, 'discarded', actor);
        await appendAudit(tx, { actor, action: 'event.dead_letter_discarded', target: `dead-letter:${id}`, details: { group: row.topic.slice(0, -suffix.length), eventId: row.headers['event-id'] ?? null, type: row.type } });
        return reread(tx, id);
      });
    },
  };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
