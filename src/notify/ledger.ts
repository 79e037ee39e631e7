// The ledger's state changes, each one UPDATE plus its timeline row in one statement. Statuses
// only move forward: a late or reordered receipt never takes a delivered message back to sent,
// and a send answer recorded after a fast receipt does not undo it (rank, below).
import type { Db, Queryable } from '../store/db.ts';
import type { Receipt } from './channel-provider.ts';

export type MessageRow = {
  id: string; idempotency_key: string; chain_id: string; event_id: string; client_id: string; type: string; category: string; regulatory: boolean;
  channel: 'sms' | 'whatsapp' | 'push'; language: string; status: string; providers: string[]; provider_index: number; provider: string | null;
  provider_message_id: string | null; attempts: number; provider_failures: number; next_attempt_at: Date; deadline: Date; claimed_by: string | null;
  fallback_channel: string | null; to_enc: Buffer | null; variables_enc: Buffer; masked_to: string | null; created_at: Date; occurred_at: Date;
  last_code: string | null;
};

/** SQL rank of a status: pending states 0, then accepted < sent < delivered < read. */
export const rankSql = (column: string) =>
  `(CASE ${column} WHEN 'accepted' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END)`;
const terminal = `('delivered', 'read', 'failed', 'undeliverable', 'fell_back', 'cancelled', 'throttled')`;

export type TimelineEntry = { state: string; provider?: string | null; code?: string | null; detail?: string | null; attempt?: number | null };

export async function addTimeline(q: Queryable, messageId: string, at: Date, entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await q.query(
    `INSERT INTO notification_timeline (message_id, at, state, provider, code, detail, attempt)
     SELECT $1, $2::timestamptz + (n * interval '1 microsecond'), state, provider, code, detail, attempt
     FROM jsonb_to_recordset($3::jsonb) AS x(state text, provider text, code text, detail text, attempt integer, n integer) ORDER BY n`,
    [messageId, at, JSON.stringify(entries.map((e, n) => ({ provider: null, code: null, detail: null, attempt: null, ...e, n })))],
  );
}

export function createLedger(db: Db) {
  /** Moves the waiting fallback of a chain to the queue; returns whether there was one. */
  async function triggerFallback(q: Queryable, message: { id: string; chain_id: string }, now: Date, reason: string): Promise<boolean> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE notification_messages SET status = 'queued', next_attempt_at = $2, updated_at = $2
       WHERE chain_id = $1 AND status = 'waiting' RETURNING id`,
      [message.chain_id, now],
    );
    for (const r of rows) await addTimeline(q, r.id, now, [{ state: 'queued', detail: `fallback: ${reason}` }]);
    if (rows.length) await addTimeline(q, message.id, now, [{ state: 'fell_back', detail: reason }]);
    return rows.length > 0;
  }

  return {
    triggerFallback,

    /** The provider took the message. Pending receipts that arrived before this answer are applied. */
    async accepted(m: MessageRow, provider: string, providerMessageId: string, terminalSuccess: boolean, now: Date, fallbackAfterMs: number, note?: string, template?: { id: string; version: number }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE notification_messages SET
             status = CASE WHEN ${rankSql('status')} >= 1 OR status IN ${terminal} THEN status WHEN $4 THEN 'delivered' ELSE 'accepted' END,
             provider = $2, provider_message_id = $3, accepted_at = coalesce(accepted_at, $5), claimed_by = NULL, claimed_until = NULL,
             delivered_at = CASE WHEN $4 THEN coalesce(delivered_at, $5) ELSE delivered_at END,
             fallback_at = CASE WHEN fallback_channel IS NOT NULL AND NOT $4 THEN $5::timestamptz + $6 * interval '1 millisecond' END,
             template_id = coalesce($7, template_id), template_version = coalesce($8, template_version), updated_at = $5
           WHERE id = $1`,
          [m.id, provider, providerMessageId, terminalSuccess, now, fallbackAfterMs, template?.id ?? null, template?.version ?? null],
        );
        await addTimeline(tx, m.id, now, [{ state: terminalSuccess ? 'delivered' : 'accepted', provider, attempt: m.attempts, detail: note ?? null }]);
        if (terminalSuccess) {
          const cancelled = await tx.query<{ id: string }>(`UPDATE notification_messages SET status = 'cancelled', updated_at = $2 WHERE chain_id = $1 AND status = 'waiting' RETURNING id`, [m.chain_id, now]);
          for (const c of cancelled.rows) await addTimeline(tx, c.id, now, [{ state: 'cancelled', detail: 'not needed: the primary message was delivered' }]);
        }
        const pending = await tx.query<{ receipt_id: string; status: Receipt['status'] }>(
          `UPDATE notification_receipts SET message_id = $3 WHERE provider = $1 AND receipt_id IN (
             SELECT receipt_id FROM notification_receipts WHERE provider = $1 AND message_id IS NULL AND receipt_id LIKE $2 || '%') RETURNING receipt_id, status`,
          [provider, `${providerMessageId}:`, m.id],
        );
        for (const r of pending.rows) await applyStatus(tx, m.id, { status: r.status, provider, code: undefined }, now);
      });
    },

    /** A retryable failure: retry later, or fail over to the next provider, or give up at the deadline. */
    async retry(m: MessageRow, input: { provider: string; code: string; detail: string; delayMs: number; failover: boolean; exhausted: boolean }, now: Date): Promise<'retrying' | 'failed'> {
      return db.transaction(async (tx) => {
        const base = { provider: input.provider, code: input.code, detail: input.detail, attempt: m.attempts };
        if (input.exhausted) {
          await tx.query(`UPDATE notification_messages SET status = 'failed', last_code = $2, last_detail = $3, claimed_by = NULL, updated_at = $4 WHERE id = $1`, [m.id, input.code, input.detail, now]);
          await addTimeline(tx, m.id, now, [{ state: 'failed', ...base }]);
          await triggerFallback(tx, m, now, 'retries exhausted');
          return 'failed';
        }
        const next = new Date(now.getTime() + input.delayMs);
        await tx.query(
          `UPDATE notification_messages SET status = 'retrying', next_attempt_at = $2, last_code = $3, last_detail = $4, claimed_by = NULL, claimed_until = NULL,
             provider_index = provider_index + CASE WHEN $5 THEN 1 ELSE 0 END,
             provider_failures = CASE WHEN $5 THEN 0 ELSE provider_failures + 1 END, updated_at = $6
           WHERE id = $1`,
          [m.id, next, input.code, input.detail, input.failover, now],
        );
        await addTimeline(tx, m.id, now, [
          { state: 'send_failed', ...base },
          input.failover
            ? { state: 'failover', provider: m.providers[m.provider_index + 1] ?? null, detail: `from ${input.provider}` }
            : { state: 'retry_scheduled', provider: input.provider, detail: `in ${Math.round(input.delayMs)} ms` },
        ]);
        return 'retrying';
      });
    },

    /** A permanent failure: try the next provider if there is one, else fail (undeliverable recipients apart) and fall back. */
    async permanent(m: MessageRow, input: { provider: string; code: string; detail: string; recipientInvalid: boolean; nextProvider: boolean }, now: Date): Promise<void> {
      await db.transaction(async (tx) => {
        const base = { provider: input.provider, code: input.code, detail: input.detail, attempt: m.attempts };
        if (input.nextProvider && !input.recipientInvalid) {
          await tx.query(
            `UPDATE notification_messages SET status = 'retrying', next_attempt_at = $2, provider_index = provider_index + 1, provider_failures = 0,
               last_code = $3, last_detail = $4, claimed_by = NULL, claimed_until = NULL, updated_at = $2 WHERE id = $1`,
            [m.id, now, input.code, input.detail],
          );
          await addTimeline(tx, m.id, now, [{ state: 'send_failed', ...base }, { state: 'failover', provider: m.providers[m.provider_index + 1] ?? null, detail: `from ${input.provider}` }]);
          return;
        }
        const status = input.recipientInvalid ? 'undeliverable' : 'failed';
        await tx.query(`UPDATE notification_messages SET status = $2, last_code = $3, last_detail = $4, claimed_by = NULL, claimed_until = NULL, updated_at = $5 WHERE id = $1`, [m.id, status, input.code, input.detail, now]);
        await addTimeline(tx, m.id, now, [{ state: status, ...base }]);
        await triggerFallback(tx, m, now, status === 'undeliverable' ? 'recipient unreachable on this channel' : 'permanent failure');
      });
    },

    /** Puts a claimed message back without counting an attempt (rate limit, hold). */
    async requeue(m: MessageRow, at: Date, now: Date, state: string, detail: string, lastCode?: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE notification_messages SET status = $2, next_attempt_at = $3, attempts = greatest(attempts - 1, 0), claimed_by = NULL, claimed_until = NULL,
             last_code = coalesce($5, last_code), updated_at = $4 WHERE id = $1`,
          [m.id, state === 'held' ? 'held' : 'retrying', at, now, lastCode ?? null],
        );
        if (state !== 'rate_limited') await addTimeline(tx, m.id, now, [{ state, detail }]);
      });
    },

    /** Applies provider receipts, de-duplicated; unknown messages are kept until the send answer arrives. */
    async applyReceipts(receipts: Receipt[], now: Date): Promise<{ applied: number; duplicate: number; pending: number }> {
      const result = { applied: 0, duplicate: 0, pending: 0 };
      for (const r of receipts) {
        await db.transaction(async (tx) => {
          const found = await tx.query<{ id: string }>(
            r.idempotencyKey
              ? 'SELECT id FROM notification_messages WHERE idempotency_key = $1'
              : 'SELECT id FROM notification_messages WHERE provider = $2 AND provider_message_id = $1',
            r.idempotencyKey ? [r.idempotencyKey] : [r.providerMessageId, r.provider],
          );
          const messageId = found.rows[0]?.id ?? null;
          // Receipt ids are stored as `<provider message id>:<receipt id>` so early ones can be matched later.
          const seen = await tx.query(
            `INSERT INTO notification_receipts (provider, receipt_id, message_id, status, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
            [r.provider, `${r.providerMessageId}:${r.receiptId}`, messageId, r.status, now],
          );
          if (!seen.rowCount) {
            result.duplicate++;
            return;
          }
          if (!messageId) {
            result.pending++;
            return;
          }
          if (r.idempotencyKey) {
            await tx.query(`UPDATE notification_messages SET provider_message_id = coalesce(provider_message_id, $2), provider = coalesce(provider, $3) WHERE id = $1`, [messageId, r.providerMessageId, r.provider]);
          }
          await applyStatus(tx, messageId, { status: r.status, provider: r.provider, code: r.code, recipientInvalid: r.recipientInvalid }, now);
          result.applied++;
        });
      }
      return result;
    },

    /** Messages accepted long ago with no delivery receipt and a waiting fallback: send the fallback. */
    async fallbackDue(now: Date, limit: number): Promise<number> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string; chain_id: string }>(
          `UPDATE notification_messages SET fallback_at = NULL, updated_at = $1
           WHERE id IN (SELECT id FROM notification_messages WHERE fallback_at <= $1 AND status IN ('accepted', 'sent') ORDER BY fallback_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING id, chain_id`,
          [now, limit],
        );
        let n = 0;
        for (const m of rows) if (await triggerFallback(tx, m, now, 'no delivery receipt in time')) n++;
        return n;
      });
    },
  };
}

/** Moves a message forward on a receipt; never backwards. Delivered cancels a waiting fallback; failure triggers it. */
async function applyStatus(tx: Queryable, messageId: string, r: { status: Receipt['status']; provider: string; code: string | undefined; recipientInvalid?: boolean | undefined }, now: Date): Promise<void> {
  const forward = r.status === 'failed' || r.status === 'undelivered'
    ? `status NOT IN ('delivered', 'read', 'failed', 'undeliverable', 'cancelled')`
    : `${rankSql('status')} < ${rankSql('$2')} AND status NOT IN ('failed', 'undeliverable', 'cancelled')`;
  const newStatus = r.status === 'failed' || r.status === 'undelivered' ? (r.recipientInvalid ? 'undeliverable' : 'failed') : r.status;
  const { rows } = await tx.query<{ chain_id: string }>(
    `UPDATE notification_messages SET status = $2, last_code = coalesce($3, last_code), updated_at = $4,
       delivered_at = CASE WHEN $2 IN ('delivered', 'read') THEN coalesce(delivered_at, $4) ELSE delivered_at END,
       fallback_at = CASE WHEN $2 IN ('delivered', 'read', 'failed', 'undeliverable') THEN NULL ELSE fallback_at END
     WHERE id = $1 AND ${forward} RETURNING chain_id`,
    [messageId, newStatus, r.code ?? null, now],
  );
  await addTimeline(tx, messageId, now, [{ state: rows.length ? r.status : `${r.status} (ignored: out of order)`, provider: r.provider, code: r.code ?? null }]);
  if (!rows.length) return;
  const chainId = rows[0]!.chain_id;
  if (newStatus === 'delivered' || newStatus === 'read') {
    const cancelled = await tx.query<{ id: string }>(`UPDATE notification_messages SET status = 'cancelled', updated_at = $2 WHERE chain_id = $1 AND status = 'waiting' RETURNING id`, [chainId, now]);
    for (const c of cancelled.rows) await addTimeline(tx, c.id, now, [{ state: 'cancelled', detail: 'not needed: the primary message was delivered' }]);
  } else if (newStatus === 'failed' || newStatus === 'undeliverable') {
    const queued = await tx.query<{ id: string }>(`UPDATE notification_messages SET status = 'queued', next_attempt_at = $2, updated_at = $2 WHERE chain_id = $1 AND status = 'waiting' RETURNING id`, [chainId, now]);
    for (const q of queued.rows) await addTimeline(tx, q.id, now, [{ state: 'queued', detail: 'fallback: delivery failed' }]);
    if (queued.rowCount) await addTimeline(tx, messageId, now, [{ state: 'fell_back', detail: 'delivery failed' }]);
  }
}
