// The ledger's state changes, each one UPDATE plus its timeline row in one statement. Statuses
// only move forward: a late or reordered receipt never takes a delivered message back to sent,
// and a send answer recorded after a fast receipt does not undo it (rank, below).
import { prepared, type Db, type Queryable } from '../store/db.ts';
import type { Receipt } from './channel-provider.ts';
import { rankSql, terminalSql as terminal } from './ledger-rank.ts';
import { adoptWaiting, applyPending, insertAndApply, lockMessages, lockProviderIds, resumedDetailSql, resumedStateSql, resumeSupersededSql, type ApplyResult } from './receipt-apply.ts';

export type MessageRow = {
  id: string; idempotency_key: string; chain_id: string; event_id: string; client_id: string; type: string; category: string; regulatory: boolean;
  channel: 'sms' | 'whatsapp' | 'push'; language: string; status: string; providers: string[]; provider_index: number; provider: string | null;
  provider_message_id: string | null; attempts: number; provider_failures: number; next_attempt_at: Date; deadline: Date; claimed_by: string | null;
  fallback_channel: string | null; to_enc: Buffer | null; variables_enc: Buffer; masked_to: string | null; created_at: Date; occurred_at: Date;
  last_code: string | null; in_doubt_at: Date | null; in_doubt_provider: string | null; template_id: string | null; template_version: number | null;
  expires_at: Date | null; ruled_out: string[];
};

/** The columns a dispatcher claims a message with: what sending it and recording the outcome need. */
export const claimedColumns = ['id', 'idempotency_key', 'chain_id', 'client_id', 'type', 'channel', 'language', 'regulatory', 'providers', 'provider_index',
  'provider_failures', 'attempts', 'deadline', 'to_enc', 'variables_enc', 'in_doubt_at', 'in_doubt_provider', 'template_id', 'template_version', 'expires_at',
  'ruled_out'] as const;
export type ClaimedMessage = Pick<MessageRow, (typeof claimedColumns)[number]>;

/** An attempt whose outcome is unknown (it may have reached the provider) and not yet settled. */
export type Doubt = { at: Date; provider: string };

export { rankSql } from './ledger-rank.ts';

export type TimelineEntry = { state: string; provider?: string | null; code?: string | null; detail?: string | null; attempt?: number | null };

export async function addTimeline(q: Queryable, messageId: string, at: Date, entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await q.query(
    prepared(`INSERT INTO notification_timeline (message_id, at, state, provider, code, detail, attempt)
     SELECT $1, $2::timestamptz + (n * interval '1 microsecond'), state, provider, code, detail, attempt
     FROM jsonb_to_recordset($3::jsonb) AS x(state text, provider text, code text, detail text, attempt integer, n integer) ORDER BY n`),
    [messageId, at, JSON.stringify(entries.map((e, n) => ({ provider: null, code: null, detail: null, attempt: null, ...e, n })))],
  );
}

/** Primaries whose fallback clock counts: accepted or sent (waiting for a receipt), or tried and failing (the partial index's condition, 0016). */
const fallbackPendingSql = `(status IN ('accepted', 'sent') OR (status = 'retrying' AND attempts > 0))`;

/**
 * After messages were accepted (`acceptedIds`: SQL for their ids, at `at`): a primary of the same chain not yet accepted
 * (its fallback went because it kept failing) stops, as 'fell_back', so the client does not get
 * both once its provider is back. Yields (id) of those stopped.
 */
const supersedeSql = (acceptedIds: string, at: string) => `UPDATE notification_messages p SET status = 'fell_back', fallback_at = NULL, claimed_by = NULL, claimed_until = NULL,
       last_code = coalesce(p.last_code, 'superseded'), updated_at = ${at}
     FROM notification_messages a WHERE a.id IN (${acceptedIds}) AND p.chain_id = a.chain_id AND p.id <> a.id AND p.fallback_channel IS NOT NULL
       AND p.status IN ('queued', 'retrying') RETURNING p.id`;

/**
 * The index of the provider a failover moves to: the next of the channel's round the list (the
 * first after the last) that is not ruled out for the message (`also`: one more to rule out); the
 * current one when it is the only one left; null when none is. As pravah_next_provider (0018).
 */
export function nextProviderIndex(m: Pick<ClaimedMessage, 'providers' | 'provider_index' | 'ruled_out'>, also?: string): number | null {
  const out = new Set([...(m.ruled_out ?? []), ...(also ? [also] : [])]);
  for (let k = 1; k <= m.providers.length; k++) {
    const i = (m.provider_index + k) % m.providers.length;
    if (!out.has(m.providers[i]!)) return i;
  }
  return null;
}
/** Where a failover after busy errors goes: the next provider not ruled out, or the current one when it is the only one left. */
const failoverIndex = (m: Pick<ClaimedMessage, 'providers' | 'provider_index' | 'ruled_out'>): number => nextProviderIndex(m) ?? m.provider_index;

export function createLedger(db: Db, options: { fallbackAfterMs?: number; claimedBy?: string } = {}) {
  const fallbackAfterMs = options.fallbackAfterMs ?? 120_000;
  // A dispatcher's outcome is written only while the row is still its claim: a receipt may have
  // settled the message meanwhile (a WhatsApp status for a send whose answer timed out), and a
  // late 'retrying' must not undo that and send it again.
  const mine = (alias: string, param: string) => ` AND (${param}::text IS NULL OR (${alias}status = 'sending' AND ${alias}claimed_by = ${param}))`;
  const claimer = options.claimedBy ?? null;
  /**
   * A message failed: moves the waiting fallback of its chain to the queue, or, when it was itself
   * the fallback of a primary it had stopped, lets that primary go on. Returns whether a fallback was released.
   */
  async function triggerFallback(q: Queryable, message: { id: string; chain_id: string }, now: Date, reason: string): Promise<boolean> {
    const { rows } = await q.query<{ id: string }>(
      prepared(`UPDATE notification_messages SET status = 'queued', next_attempt_at = $2, updated_at = $2
       WHERE chain_id = $1 AND status = 'waiting' RETURNING id`),
      [message.chain_id, now],
    );
    for (const r of rows) await addTimeline(q, r.id, now, [{ state: 'queued', detail: `fallback: ${reason}` }]);
    if (rows.length) await addTimeline(q, message.id, now, [{ state: 'fell_back', detail: reason }]);
    await q.query(
      prepared(`WITH resumed AS (${resumeSupersededSql('ARRAY[$1::uuid]', '$2')})
       INSERT INTO notification_timeline (message_id, at, state, detail) SELECT id, $2, ${resumedStateSql('status')}, ${resumedDetailSql('status')} FROM resumed`),
      [message.chain_id, now],
    );
    return rows.length > 0;
  }

  return {
    triggerFallback,

    /** The provider took the message. Pending receipts that arrived before this answer are applied. */
    async accepted(m: ClaimedMessage, provider: string, providerMessageId: string, terminalSuccess: boolean, now: Date, fallbackAfterMs: number, note?: string, template?: { id: string; version: number }): Promise<void> {
      await db.transaction(async (tx) => {
        await lockProviderIds(tx, [{ provider, providerMessageId }]);
        await tx.query(
          prepared(`UPDATE notification_messages SET
             status = CASE WHEN ${rankSql('status')} >= 1 OR status IN ${terminal} THEN status WHEN $4 THEN 'delivered' ELSE 'accepted' END,
             provider = $2, provider_message_id = $3, accepted_at = coalesce(accepted_at, $5), claimed_by = NULL, claimed_until = NULL,
             delivered_at = CASE WHEN $4 THEN coalesce(delivered_at, $5) ELSE delivered_at END,
             fallback_at = CASE WHEN fallback_channel IS NOT NULL AND NOT $4 THEN $5::timestamptz + $6 * interval '1 millisecond' END,
             template_id = coalesce($7, template_id), template_version = coalesce($8, template_version), updated_at = $5,
             in_doubt_at = NULL, in_doubt_provider = NULL
           WHERE id = $1`),
          [m.id, provider, providerMessageId, terminalSuccess, now, fallbackAfterMs, template?.id ?? null, template?.version ?? null],
        );
        await addTimeline(tx, m.id, now, [{ state: terminalSuccess ? 'delivered' : 'accepted', provider, attempt: m.attempts, detail: note ?? null }]);
        const superseded = await tx.query<{ id: string }>(prepared(supersedeSql('$1::uuid', '$2')), [m.id, now]);
        for (const p of superseded.rows) await addTimeline(tx, p.id, now, [{ state: 'superseded', detail: 'stopped: its fallback was accepted first' }]);
        if (terminalSuccess) {
          const cancelled = await tx.query<{ id: string }>(prepared(`UPDATE notification_messages SET status = 'cancelled', updated_at = $2 WHERE chain_id = $1 AND status = 'waiting' RETURNING id`), [m.chain_id, now]);
          for (const c of cancelled.rows) await addTimeline(tx, c.id, now, [{ state: 'cancelled', detail: 'not needed: the primary message was delivered' }]);
        }
        await applyPending(tx, [{ id: m.id, provider, providerMessageId }], now, fallbackAfterMs);
      });
    },

    /** A retryable failure: retry later, or fail over to the next provider, or give up at the deadline. */
    async retry(m: ClaimedMessage, input: { provider: string; code: string; detail: string; delayMs: number; failover: boolean; exhausted: boolean; doubt: Doubt | null }, now: Date): Promise<'retrying' | 'failed' | 'settled'> {
      return db.transaction(async (tx) => {
        const base = { provider: input.provider, code: input.code, detail: input.detail, attempt: m.attempts };
        if (input.exhausted) {
          const failed = await tx.query(prepared(`UPDATE notification_messages SET status = 'failed', last_code = $2, last_detail = $3, claimed_by = NULL, updated_at = $4 WHERE id = $1${mine('', '$5')}`), [m.id, input.code, input.detail, now, claimer]);
          if (!failed.rowCount) return 'settled';
          await addTimeline(tx, m.id, now, [{ state: 'failed', ...base }]);
          await triggerFallback(tx, m, now, 'retries exhausted');
          return 'failed';
        }
        const next = new Date(now.getTime() + input.delayMs);
        const nextIndex = failoverIndex(m);
        const retried = await tx.query(
          prepared(`UPDATE notification_messages SET status = 'retrying', next_attempt_at = $2, last_code = $3, last_detail = $4, claimed_by = NULL, claimed_until = NULL,
             provider_index = CASE WHEN $5 THEN $10::integer ELSE provider_index END,
             provider_failures = CASE WHEN $5 THEN 0 ELSE provider_failures + 1 END, updated_at = $6, in_doubt_at = $7, in_doubt_provider = $8
           WHERE id = $1${mine('', '$9')}`),
          [m.id, next, input.code, input.detail, input.failover, now, input.doubt?.at ?? null, input.doubt?.provider ?? null, claimer, nextIndex],
        );
        if (!retried.rowCount) return 'settled';
        await addTimeline(tx, m.id, now, [
          { state: 'send_failed', ...base },
          input.failover
            ? { state: 'failover', provider: m.providers[nextIndex] ?? null, detail: `from ${input.provider}` }
            : { state: 'retry_scheduled', provider: input.provider, detail: `in ${Math.round(input.delayMs)} ms` },
        ]);
        return 'retrying';
      });
    },

    /** Records many retryable failures of one round at once: retry later, or on the next provider. */
    async retryMany(list: Array<{ m: ClaimedMessage; provider: string; code: string; detail: string; delayMs: number; failover: boolean; doubt: Doubt | null }>, now: Date): Promise<void> {
      if (!list.length) return;
      await db.query(
        prepared(`WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, next_attempt_at timestamptz, code text, detail text, failover boolean,
             provider text, next_index integer, next_provider text, attempt integer, delay_ms integer, in_doubt_at timestamptz, in_doubt_provider text)),
         locked AS (SELECT id FROM notification_messages WHERE id IN (SELECT id FROM input) ORDER BY id FOR UPDATE),
         upd AS (
           UPDATE notification_messages m SET status = 'retrying', next_attempt_at = i.next_attempt_at, last_code = i.code, last_detail = i.detail,
             claimed_by = NULL, claimed_until = NULL,
             provider_index = CASE WHEN i.failover THEN i.next_index ELSE m.provider_index END,
             provider_failures = CASE WHEN i.failover THEN 0 ELSE m.provider_failures + 1 END, updated_at = $2,
             in_doubt_at = i.in_doubt_at, in_doubt_provider = i.in_doubt_provider
           FROM input i JOIN locked USING (id) WHERE m.id = i.id${mine('m.', '$3')} RETURNING m.id)
         INSERT INTO notification_timeline (message_id, at, state, provider, code, detail, attempt)
         SELECT id, $2, 'send_failed', provider, code, detail, attempt FROM input JOIN upd USING (id)
         UNION ALL
         SELECT id, $2::timestamptz + interval '1 microsecond', CASE WHEN failover THEN 'failover' ELSE 'retry_scheduled' END,
           CASE WHEN failover THEN next_provider ELSE provider END, NULL,
           CASE WHEN failover THEN 'from ' || provider ELSE 'in ' || delay_ms || ' ms' END, NULL FROM input JOIN upd USING (id)`),
        [JSON.stringify(list.map((r) => {
          const nextIndex = failoverIndex(r.m);
          return {
            id: r.m.id, next_attempt_at: new Date(now.getTime() + r.delayMs).toISOString(), code: r.code, detail: r.detail, failover: r.failover,
            provider: r.provider, next_index: nextIndex, next_provider: r.m.providers[nextIndex] ?? null, attempt: r.m.attempts, delay_ms: Math.round(r.delayMs),
            in_doubt_at: r.doubt?.at.toISOString() ?? null, in_doubt_provider: r.doubt?.provider ?? null,
          };
        })), now, claimer],
      );
    },

    /**
     * A permanent failure: the provider is ruled out for the message, which moves to the next one not
     * ruled out (`nextProvider`: whether another may be tried at all); else it fails (undeliverable
     * recipients apart) and falls back.
     */
    async permanent(m: ClaimedMessage, input: { provider: string; code: string; detail: string; recipientInvalid: boolean; nextProvider: boolean }, now: Date): Promise<void> {
      await db.transaction(async (tx) => {
        const base = { provider: input.provider, code: input.code, detail: input.detail, attempt: m.attempts };
        const nextIndex = nextProviderIndex(m, input.provider);
        if (input.nextProvider && !input.recipientInvalid && nextIndex !== null) {
          const moved = await tx.query(
            prepared(`UPDATE notification_messages SET status = 'retrying', next_attempt_at = $2, provider_index = $6, provider_failures = 0,
               ruled_out = CASE WHEN $7 = ANY (ruled_out) THEN ruled_out ELSE array_append(ruled_out, $7) END,
               last_code = $3, last_detail = $4, claimed_by = NULL, claimed_until = NULL, updated_at = $2, in_doubt_at = NULL, in_doubt_provider = NULL WHERE id = $1${mine('', '$5')}`),
            [m.id, now, input.code, input.detail, claimer, nextIndex, input.provider],
          );
          if (!moved.rowCount) return;
          await addTimeline(tx, m.id, now, [{ state: 'send_failed', ...base }, { state: 'failover', provider: m.providers[nextIndex] ?? null, detail: `from ${input.provider}` }]);
          return;
        }
        const status = input.recipientInvalid ? 'undeliverable' : 'failed';
        const ended = await tx.query(prepared(`UPDATE notification_messages SET status = $2, last_code = $3, last_detail = $4, claimed_by = NULL, claimed_until = NULL, updated_at = $5 WHERE id = $1${mine('', '$6')}`), [m.id, status, input.code, input.detail, now, claimer]);
        if (!ended.rowCount) return;
        await addTimeline(tx, m.id, now, [{ state: status, ...base }]);
        await triggerFallback(tx, m, now, status === 'undeliverable' ? 'recipient unreachable on this channel' : 'permanent failure');
      });
    },

    /**
     * Puts a claimed message back without counting an attempt (rate limit, hold, in-doubt wait),
     * keeping its doubt; a hold may move its deadline (`deadline`: its retry window starts at release).
     */
    async requeue(m: ClaimedMessage, at: Date, now: Date, state: string, detail: string, doubt: Doubt | null, deadline?: Date): Promise<void> {
      await db.query(
        prepared(`WITH requeued AS (
           UPDATE notification_messages SET status = $2, next_attempt_at = $3, attempts = greatest(attempts - 1, 0), claimed_by = NULL, claimed_until = NULL,
             updated_at = $4, in_doubt_at = $5, in_doubt_provider = $6, deadline = coalesce($10, deadline) WHERE id = $1${mine('', '$9')} RETURNING id)
         INSERT INTO notification_timeline (message_id, at, state, detail)
         SELECT id, $4, $7, $8 FROM requeued WHERE $7 <> 'rate_limited'`),
        [m.id, state === 'held' ? 'held' : 'retrying', at, now, doubt?.at ?? null, doubt?.provider ?? null, state, detail, claimer, deadline ?? null],
      );
    },

    /** The event expired before the message could go: it is cancelled, with its chain's waiting fallback (same event, same expiry). */
    async expired(m: ClaimedMessage, now: Date, detail: string): Promise<void> {
      await db.transaction(async (tx) => {
        const ended = await tx.query(
          prepared(`UPDATE notification_messages SET status = 'cancelled', last_code = 'expired', last_detail = $3, claimed_by = NULL, claimed_until = NULL, fallback_at = NULL,
             updated_at = $2 WHERE id = $1${mine('', '$4')}`),
          [m.id, now, detail, claimer],
        );
        if (!ended.rowCount) return;
        await addTimeline(tx, m.id, now, [{ state: 'cancelled', code: 'expired', detail }]);
        const waiting = await tx.query<{ id: string }>(prepared(`UPDATE notification_messages SET status = 'cancelled', last_code = 'expired', updated_at = $2 WHERE chain_id = $1 AND status = 'waiting' RETURNING id`), [m.chain_id, now]);
        for (const w of waiting.rows) await addTimeline(tx, w.id, now, [{ state: 'cancelled', code: 'expired', detail: 'expired with the message it was the fallback of' }]);
      });
    },

    /** Applies provider receipts as one set, de-duplicated; unknown messages' receipts wait for the send answer. */
    async applyReceipts(receipts: Receipt[], now: Date): Promise<ApplyResult> {
      const { waiting, ...result } = await db.transaction((tx) => insertAndApply(tx, receipts, now, fallbackAfterMs));
      // Stored and committed: now look again for those that found no message (see adoptWaiting).
      const adopted = waiting.length ? await db.transaction((tx) => adoptWaiting(tx, waiting, now, fallbackAfterMs)) : 0;
      return { ...result, applied: result.applied + adopted, pending: result.pending - adopted };
    },

    /** Records many accepted sends at once (one dispatch round), with their timelines and early receipts. */
    async acceptedMany(list: Array<{ m: ClaimedMessage; provider: string; providerMessageId: string; terminal: boolean; template?: { id: string; version: number } }>, now: Date, fallbackAfterMs: number): Promise<void> {
      if (!list.length) return;
      await db.transaction(async (tx) => {
        // Provider ids first, then messages: a receipt batch takes them in the same order.
        await lockProviderIds(tx, list);
        await lockMessages(tx, list.map((a) => a.m.id));
        await tx.query(
          prepared(`WITH input AS (
             SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, provider text, provider_message_id text, terminal boolean, attempt integer,
               template_id text, template_version integer)),
           upd AS (
             UPDATE notification_messages m SET
               status = CASE WHEN ${rankSql('m.status')} >= 1 OR m.status IN ${terminal} THEN m.status WHEN i.terminal THEN 'delivered' ELSE 'accepted' END,
               provider = i.provider, provider_message_id = i.provider_message_id, accepted_at = coalesce(m.accepted_at, $2), claimed_by = NULL, claimed_until = NULL,
               delivered_at = CASE WHEN i.terminal THEN coalesce(m.delivered_at, $2) ELSE m.delivered_at END,
               fallback_at = CASE WHEN m.fallback_channel IS NOT NULL AND NOT i.terminal THEN $2::timestamptz + $3 * interval '1 millisecond' END,
               template_id = coalesce(i.template_id, m.template_id), template_version = coalesce(i.template_version, m.template_version), updated_at = $2,
               in_doubt_at = NULL, in_doubt_provider = NULL
             FROM input i WHERE m.id = i.id
             RETURNING m.id, m.chain_id, i.terminal),
           cancelled AS (
             UPDATE notification_messages w SET status = 'cancelled', updated_at = $2 FROM upd
             WHERE upd.terminal AND w.chain_id = upd.chain_id AND w.status = 'waiting' RETURNING w.id),
           superseded AS (${supersedeSql('SELECT id FROM input', '$2')})
         INSERT INTO notification_timeline (message_id, at, state, provider, attempt, detail)
         SELECT id, $2, CASE WHEN terminal THEN 'delivered' ELSE 'accepted' END, provider, attempt, NULL FROM input
         UNION ALL SELECT id, $2, 'cancelled', NULL, NULL, 'not needed: the primary message was delivered' FROM cancelled
         UNION ALL SELECT id, $2, 'superseded', NULL, NULL, 'stopped: its fallback was accepted first' FROM superseded`),
          [JSON.stringify(list.map((a) => ({
            id: a.m.id, provider: a.provider, provider_message_id: a.providerMessageId, terminal: a.terminal, attempt: a.m.attempts,
            template_id: a.template?.id ?? null, template_version: a.template?.version ?? null,
          }))), now, fallbackAfterMs],
        );
        await applyPending(tx, list.map((a) => ({ id: a.m.id, provider: a.provider, providerMessageId: a.providerMessageId })), now, fallbackAfterMs);
      });
    },

    /**
     * Primaries whose fallback clock ran out: accepted or sent with no delivery receipt yet, or tried
     * and still not accepted (retrying: their provider failing). The chain's waiting fallback is
     * queued; the primary goes on (a receipt may still come; a retry may still succeed if the
     * fallback cannot reach the client) until the fallback is accepted, which stops a primary not yet
     * accepted (see `supersedeSql`). A primary not yet tried (a backlog, a quiet-hours hold) waits
     * its turn. One statement: it runs before every dispatch round, mostly finding nothing.
     */
    async fallbackDue(now: Date, limit: number): Promise<number> {
      const { rows } = await db.query<{ released: number }>(
        prepared(`WITH due AS (
           SELECT id FROM notification_messages WHERE fallback_at <= $1 AND ${fallbackPendingSql}
           ORDER BY fallback_at LIMIT $2 FOR UPDATE SKIP LOCKED),
         cleared AS (
           UPDATE notification_messages m SET fallback_at = NULL, updated_at = $1 FROM due WHERE m.id = due.id
           RETURNING m.id, m.chain_id, m.status AS was),
         released AS (
           UPDATE notification_messages w SET status = 'queued', next_attempt_at = $1, updated_at = $1 FROM cleared c
           WHERE w.chain_id = c.chain_id AND w.status = 'waiting' RETURNING w.id, w.chain_id),
         timeline AS (
           INSERT INTO notification_timeline (message_id, at, state, detail)
           SELECT r.id, $1, 'queued', CASE WHEN c.was IN ('accepted', 'sent') THEN 'fallback: no delivery receipt in time' ELSE 'fallback: the primary was not accepted in time' END
           FROM released r JOIN cleared c USING (chain_id)
           UNION ALL SELECT c.id, $1, 'fell_back', CASE WHEN c.was IN ('accepted', 'sent') THEN 'no delivery receipt in time' ELSE 'not accepted in time: the fallback goes too, and this stops once that is accepted' END
           FROM cleared c WHERE EXISTS (SELECT 1 FROM released r WHERE r.chain_id = c.chain_id))
         SELECT count(*)::int AS released FROM released`),
        [now, limit],
      );
      return rows[0]?.released ?? 0;
    },
  };
}
