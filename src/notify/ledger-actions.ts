// What an operator may do to a message: retry one that ended failed, undeliverable or cancelled
// (back to the queue now, from its first provider, with a fresh attempt budget), or cancel one that
// has not gone out (queued, held, retrying, or a fallback waiting). Each change commits with its
// timeline entry and its audit row; a message in any other status is refused with 409, so a
// message the dispatcher has claimed ('sending') is never changed under it.
import type { Db, Queryable } from '../store/db.ts';
import type { Clock } from '../platform/time.ts';
import { AppError } from '../platform/errors.ts';
import { appendAudit } from '../auth/audit.ts';
import { addTimeline } from './ledger.ts';
import { cancellableStatuses, readDetail, retryableStatuses, type NotificationDetail } from './ledger-queries.ts';

type Locked = { id: string; chain_id: string; status: string; channel: string; type: string; event_id: string };

/** Locks the row (waiting for a dispatcher that holds it) and checks the action is allowed now. */
async function lock(tx: Queryable, id: string, allowed: readonly string[], action: string): Promise<Locked> {
  const { rows } = await tx.query<Locked>('SELECT id, chain_id, status, channel, type, event_id FROM notification_messages WHERE id = $1 FOR UPDATE', [id]);
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', `no notification message ${id}`);
  if (!allowed.includes(row.status)) {
    throw new AppError('CONFLICT', `a ${row.status} message cannot be ${action}; only ${allowed.join(', ')} ones can`, { details: { status: row.status, allowed } });
  }
  return row;
}

export function createLedgerActions(deps: { db: Db; clock: Clock; /** Retry budget a manual retry gets, at least. */ retryDeadlineMs: number }) {
  const { db, clock } = deps;

  return {
    async retry(id: string, actor: string): Promise<NotificationDetail> {
      return db.transaction(async (tx) => {
        const m = await lock(tx, id, retryableStatuses, 'retried');
        const now = clock.now();
        await tx.query(
          `UPDATE notification_messages SET status = 'queued', next_attempt_at = $2,
             deadline = greatest(deadline, $2::timestamptz + $3 * interval '1 millisecond'),
             attempts = 0, provider_index = 0, provider_failures = 0, ruled_out = '{}', claimed_by = NULL, claimed_until = NULL, fallback_at = NULL, updated_at = $2
           WHERE id = $1`,
          [id, now, deps.retryDeadlineMs],
        );
        await addTimeline(tx, id, now, [{ state: 'manual_retry', detail: `manual retry by ${actor} (was ${m.status})` }, { state: 'queued' }]);
        await appendAudit(tx, { actor, action: 'notification.retried', target: `notification:${id}`, details: { from: m.status, channel: m.channel, type: m.type, eventId: m.event_id } });
        // Wakes idle dispatchers (the planner's channel).
        await tx.query(`SELECT pg_notify('pravah_notify', '')`);
        return (await readDetail(tx, id))!;
      });
    },

    /** Cancels the message; cancelling a primary also cancels the fallbacks waiting behind it. */
    async cancel(id: string, actor: string): Promise<NotificationDetail> {
      return db.transaction(async (tx) => {
        const m = await lock(tx, id, cancellableStatuses, 'cancelled');
        const now = clock.now();
        await tx.query(
          `UPDATE notification_messages SET status = 'cancelled', claimed_by = NULL, claimed_until = NULL, fallback_at = NULL, updated_at = $2 WHERE id = $1`,
          [id, now],
        );
        await addTimeline(tx, id, now, [{ state: 'cancelled', detail: `cancelled by ${actor} (was ${m.status})` }]);
        const fallbacks = m.status === 'waiting' ? { rows: [] } : await tx.query<{ id: string }>(
          `UPDATE notification_messages SET status = 'cancelled', updated_at = $3 WHERE chain_id = $1 AND id <> $2 AND status = 'waiting' RETURNING id`,
          [m.chain_id, id, now],
        );
        for (const f of fallbacks.rows) await addTimeline(tx, f.id, now, [{ state: 'cancelled', detail: `cancelled with its primary message by ${actor}` }]);
        await appendAudit(tx, {
          actor, action: 'notification.cancelled', target: `notification:${id}`,
          details: { from: m.status, channel: m.channel, type: m.type, eventId: m.event_id, fallbacksCancelled: fallbacks.rows.map((f) => f.id) },
        });
        return (await readDetail(tx, id))!;
      });
    },
  };
}

export type LedgerActions = ReturnType<typeof createLedgerActions>;
