// Receipts applied as sets, a handful of statements per batch however many receipts it holds:
// de-duplicate (insert, ON CONFLICT nothing), find each receipt's message (our idempotency key when
// the provider echoes it, else the provider's message id; unknown ones wait, message_id NULL, for
// the send answer), reduce each message's receipts to one target (a delivered or read receipt is
// proof and wins; else a failure; else the furthest progress), move messages forward only, write
// the timeline, and settle chains: delivered cancels a waiting fallback, failure releases it.
import { prepared, type Queryable } from '../store/db.ts';
import type { Receipt } from './channel-provider.ts';
import { rankSql } from './ledger-rank.ts';

export type ApplyResult = { applied: number; duplicate: number; pending: number };
/** A receipt stored with no message yet (its send answer not recorded, or not visible, when it came). */
export type Waiting = { provider: string; receipt_id: string; provider_message_id: string };

type Matched = { provider: string; receipt_id: string; provider_message_id: string; message_id: string; status: Receipt['status']; code: string | null; recipient_invalid: boolean };

/** Inserts new receipts (dropping duplicates) and applies those whose message is known. */
export async function insertAndApply(tx: Queryable, receipts: Receipt[], now: Date, fallbackAfterMs: number): Promise<ApplyResult & { waiting: Waiting[] }> {
  if (!receipts.length) return { applied: 0, duplicate: 0, pending: 0, waiting: [] };
  const { rows } = await tx.query<Matched & { message_id: string | null }>(
    prepared(`WITH input AS (
       SELECT DISTINCT ON (provider, receipt_id) * FROM jsonb_to_recordset($1::jsonb) AS x(provider text, receipt_id text, provider_message_id text,
         idempotency_key text, status text, code text, recipient_invalid boolean)),
     resolved AS (
       SELECT i.*, coalesce(
         (SELECT m.id FROM notification_messages m WHERE i.idempotency_key IS NOT NULL AND m.idempotency_key = i.idempotency_key),
         (SELECT m.id FROM notification_messages m WHERE m.provider = i.provider AND m.provider_message_id = i.provider_message_id LIMIT 1)) AS message_id
       FROM input i)
     INSERT INTO notification_receipts (provider, receipt_id, provider_message_id, message_id, status, code, recipient_invalid, received_at)
     SELECT provider, receipt_id, provider_message_id, message_id, status, code, coalesce(recipient_invalid, false), $2 FROM resolved
     ON CONFLICT DO NOTHING
     RETURNING provider, receipt_id, provider_message_id, message_id, status, code, recipient_invalid`),
    [JSON.stringify(receipts.map((r) => ({
      provider: r.provider, receipt_id: `${r.providerMessageId}:${r.receiptId}`, provider_message_id: r.providerMessageId,
      idempotency_key: r.idempotencyKey ?? null, status: r.status, code: r.code ?? null, recipient_invalid: r.recipientInvalid === true,
    }))), now],
  );
  const matched = rows.filter((r): r is Matched => r.message_id !== null);
  await lockMessages(tx, matched.map((r) => r.message_id));
  await applyMatched(tx, matched, now, fallbackAfterMs);
  const waiting = rows.filter((r) => r.message_id === null).map((r) => ({ provider: r.provider, receipt_id: r.receipt_id, provider_message_id: r.provider_message_id }));
  return { applied: matched.length, duplicate: receipts.length - rows.length, pending: waiting.length, waiting };
}

/**
 * Receipts stored waiting for their message (`insertAndApply`'s `waiting`), looked for again in a
 * short transaction of their own once they are committed: its send answer may have been being
 * recorded, so the provider ids' locks are taken first (waiting for that answer to commit), then the
 * messages found take their receipts. Kept apart from the receipt batch's transaction so a send
 * answer waits, if at all, only for this, not for a whole batch. Returns how many were applied.
 */
export async function adoptWaiting(tx: Queryable, waiting: Waiting[], now: Date, fallbackAfterMs: number): Promise<number> {
  if (!waiting.length) return 0;
  await lockProviderIds(tx, waiting.map((r) => ({ provider: r.provider, providerMessageId: r.provider_message_id })));
  const found = await tx.query<Matched>(
    prepared(`UPDATE notification_receipts r SET message_id = m.id
     FROM jsonb_to_recordset($1::jsonb) AS w(provider text, receipt_id text), notification_messages m
     WHERE r.provider = w.provider AND r.receipt_id = w.receipt_id AND r.message_id IS NULL
       AND m.provider = r.provider AND m.provider_message_id = r.provider_message_id
     RETURNING r.provider, r.receipt_id, r.provider_message_id, r.message_id, r.status, r.code, r.recipient_invalid`),
    [JSON.stringify(waiting.map((r) => ({ provider: r.provider, receipt_id: r.receipt_id })))],
  );
  await lockMessages(tx, found.rows.map((r) => r.message_id));
  await applyMatched(tx, found.rows, now, fallbackAfterMs);
  return found.rows.length;
}

/**
 * Locks provider message ids (transaction-scoped advisory locks, in one order). A send answer being
 * recorded and a receipt for it that finds no message take the same lock, so one waits for the
 * other to commit and then sees it: the receipt its message, or the answer its waiting receipt.
 * Without it, a receipt looked for its message before the answer committed, the answer looked for
 * waiting receipts before the receipt committed, and the receipt waited for good.
 */
export async function lockProviderIds(tx: Queryable, ids: ReadonlyArray<{ provider: string; providerMessageId: string }>): Promise<void> {
  if (!ids.length) return;
  await tx.query(
    prepared(`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(p || ':' || id, 727274002) AS k FROM unnest($1::text[], $2::text[]) AS u(p, id) ORDER BY k) s`),
    [ids.map((i) => i.provider), ids.map((i) => i.providerMessageId)],
  );
}

/** Receipts that came before these messages' send answers: apply them now that the ids are known. */
export async function applyPending(tx: Queryable, messages: Array<{ id: string; provider: string; providerMessageId: string }>, now: Date, fallbackAfterMs: number): Promise<void> {
  if (!messages.length) return;
  const { rows } = await tx.query<Matched>(
    prepared(`UPDATE notification_receipts r SET message_id = x.id
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, provider text, provider_message_id text)
     WHERE r.message_id IS NULL AND r.provider = x.provider AND r.provider_message_id = x.provider_message_id
     RETURNING r.provider, r.receipt_id, r.provider_message_id, r.message_id, r.status, r.code, r.recipient_invalid`),
    [JSON.stringify(messages.map((m) => ({ id: m.id, provider: m.provider, provider_message_id: m.providerMessageId })))],
  );
  await applyMatched(tx, rows, now, fallbackAfterMs);
}

/**
 * Locks messages in id order before a transaction updates several of them. A receipt batch and a
 * dispatch round often touch the same messages (a receipt that comes before the round records its
 * send), and two transactions locking rows in different orders deadlock: PostgreSQL aborts one, and
 * with it a whole batch of receipts or a round's outcomes. In one order, one simply waits.
 */
export async function lockMessages(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length < 2) return;
  await tx.query(prepared('SELECT id FROM notification_messages WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE'), [[...new Set(ids)]]);
}

const r0 = (provider: string | null): string => provider ?? '';

/**
 * A primary stopped because its fallback was accepted first ('fell_back', see ledger.ts) goes on
 * when that fallback then fails to reach the client (an SMS whose delivery report says the number
 * takes none): retried from now, or failed if its retry window has passed, never left stopped with
 * nothing else moving. `chainIds`: SQL for a uuid[] of the chains whose fallback failed. Yields (id, status).
 */
export const resumeSupersededSql = (chainIds: string, at: string) => `UPDATE notification_messages SET
    status = CASE WHEN deadline > ${at} AND (expires_at IS NULL OR expires_at > ${at}) THEN 'retrying' ELSE 'failed' END,
    next_attempt_at = ${at}, provider_failures = 0, updated_at = ${at}
  WHERE chain_id = ANY(${chainIds}) AND status = 'fell_back' RETURNING id, status`;
/** The timeline state and detail of a primary `resumeSupersededSql` moved (its new `status`). */
export const resumedStateSql = (status: string) => `CASE WHEN ${status} = 'retrying' THEN 'resumed' ELSE 'failed' END`;
export const resumedDetailSql = (status: string) =>
  `CASE WHEN ${status} = 'retrying' THEN 'its fallback could not reach the client: trying again' ELSE 'its fallback could not reach the client, and its own retry window had passed' END`;

const positiveRank: Record<string, number> = { sent: 2, delivered: 3, read: 4 };

async function applyMatched(tx: Queryable, receipts: Matched[], now: Date, fallbackAfterMs: number): Promise<void> {
  if (!receipts.length) return;
  // One target per message.
  const byMessage = new Map<string, Matched[]>();
  for (const r of receipts) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r]);
  const targets: Array<{ id: string; status: string; negative: boolean; invalid: boolean; code: string | null; provider: string; provider_message_id: string }> = [];
  for (const [id, list] of byMessage) {
    const best = list.filter((r) => positiveRank[r.status]).sort((a, b) => positiveRank[b.status]! - positiveRank[a.status]!)[0];
    const failure = list.find((r) => r.status === 'failed' || r.status === 'undelivered');
    const pick = best && positiveRank[best.status]! >= 3 ? best : failure ?? best!;
    const negative = pick.status === 'failed' || pick.status === 'undelivered';
    targets.push({
      id, negative, invalid: pick.recipient_invalid, code: pick.code, provider: pick.provider, provider_message_id: pick.provider_message_id,
      status: negative ? (pick.recipient_invalid ? 'undeliverable' : 'failed') : pick.status,
    });
  }
  // A delivery failure reported by one provider rules it out for the message and moves it to the
  // channel's next provider not ruled out, round the list (another route may reach the handset);
  // with none left it fails and the chain falls back (migration 0018). A positive receipt for a
  // message whose send answer is not recorded yet starts its fallback clock afresh: the clock it had
  // ran from when it could first go, long past for a message sent out of a backlog, and a fallback
  // check before the answer is recorded would send the SMS too.
  const next = `pravah_next_provider(m.providers, m.provider_index, array_append(m.ruled_out, t.provider))`;
  const failover = `t.negative AND NOT t.invalid AND ${next} >= 0`;
  const { rows: moved } = await tx.query<{ id: string; chain_id: string; status: string; provider: string | null }>(
    prepared(`UPDATE notification_messages m SET
       status = CASE WHEN ${failover} THEN 'retrying' ELSE t.status END,
       provider_index = CASE WHEN ${failover} THEN ${next} ELSE m.provider_index END,
       ruled_out = CASE WHEN t.negative AND NOT t.provider = ANY (m.ruled_out) THEN array_append(m.ruled_out, t.provider) ELSE m.ruled_out END,
       provider_failures = CASE WHEN ${failover} THEN 0 ELSE m.provider_failures END,
       next_attempt_at = CASE WHEN ${failover} THEN $2 ELSE m.next_attempt_at END,
       last_code = coalesce(t.code, m.last_code), updated_at = $2, in_doubt_at = NULL, in_doubt_provider = NULL,
       provider = coalesce(m.provider, t.provider), provider_message_id = coalesce(m.provider_message_id, t.provider_message_id),
       delivered_at = CASE WHEN t.status IN ('delivered', 'read') THEN coalesce(m.delivered_at, $2) ELSE m.delivered_at END,
       fallback_at = CASE WHEN t.status IN ('delivered', 'read', 'failed', 'undeliverable') THEN NULL
                          WHEN m.fallback_channel IS NOT NULL AND m.status NOT IN ('accepted', 'sent') THEN $2::timestamptz + $3 * interval '1 millisecond'
                          ELSE m.fallback_at END
     FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, status text, negative boolean, invalid boolean, code text, provider text, provider_message_id text)
     WHERE m.id = t.id AND CASE WHEN t.negative
       THEN m.status NOT IN ('delivered', 'read', 'failed', 'undeliverable', 'cancelled') AND m.provider IS NOT DISTINCT FROM t.provider
       ELSE ${rankSql('m.status')} < ${rankSql('t.status')} AND m.status NOT IN ('failed', 'undeliverable', 'cancelled') END
     RETURNING m.id, m.chain_id, m.status, m.provider`),
    [JSON.stringify(targets), now, fallbackAfterMs],
  );
  const movedTo = new Map(moved.map((m) => [m.id, m.status]));
  // Timeline: each receipt, marked when it changed nothing (late, reordered or superseded).
  const entries = receipts.map((r) => {
    const finalStatus = movedTo.get(r.message_id);
    const mapped = r.status === 'failed' || r.status === 'undelivered' ? (r.recipient_invalid ? 'undeliverable' : 'failed') : r.status;
    const took = finalStatus === mapped || (finalStatus === 'retrying' && mapped === 'failed');
    return { message_id: r.message_id, state: took ? r.status : `${r.status} (no change)`, provider: r.provider, code: r.code, detail: null as string | null };
  });
  for (const m of moved) if (m.status === 'retrying') entries.push({ message_id: m.id, state: 'failover', provider: r0(m.provider), code: null, detail: 'delivery failed: trying the next provider' });
  // A delivered message makes the rest of its chain not needed: a fallback still waiting, and one
  // released but not yet sent (queued or retrying in a backlog, held for a window) are cancelled, so
  // the client does not get the SMS a moment after the WhatsApp message (nor the reverse). One
  // already in flight ('sending') goes; one in doubt (an earlier try may have reached its provider)
  // is not sent again, and a receipt for it is recorded without moving it. A chain delivered in
  // this batch is not also released.
  const delivered = moved.filter((m) => m.status === 'delivered' || m.status === 'read').map((m) => m.chain_id);
  const deliveredChains = new Set(delivered);
  const failed = moved.filter((m) => (m.status === 'failed' || m.status === 'undeliverable') && !deliveredChains.has(m.chain_id));
  await tx.query(
    prepared(`WITH cancelled AS (
       UPDATE notification_messages SET status = 'cancelled', updated_at = $2, fallback_at = NULL, claimed_by = NULL, claimed_until = NULL
       WHERE chain_id = ANY($3::uuid[]) AND status IN ('waiting', 'queued', 'retrying', 'held')
       RETURNING id, fallback_channel IS NOT NULL AS primary_message),
     released AS (
       UPDATE notification_messages SET status = 'queued', next_attempt_at = $2, updated_at = $2 WHERE chain_id = ANY($4::uuid[]) AND status = 'waiting' RETURNING id, chain_id),
     resumed AS (${resumeSupersededSql('$4::uuid[]', '$2')})
     INSERT INTO notification_timeline (message_id, at, state, provider, code, detail)
     SELECT message_id, $2, state, provider, code, detail FROM jsonb_to_recordset($1::jsonb) AS x(message_id uuid, state text, provider text, code text, detail text)
     UNION ALL SELECT id, $2, 'cancelled', NULL, NULL, CASE WHEN primary_message THEN 'not needed: its fallback was delivered' ELSE 'not needed: the primary message was delivered' END FROM cancelled
     UNION ALL SELECT id, $2, 'queued', NULL, NULL, 'fallback: delivery failed' FROM released
     UNION ALL SELECT id, $2, ${resumedStateSql('status')}, NULL, NULL, ${resumedDetailSql('status')} FROM resumed
     UNION ALL SELECT f.id, $2, 'fell_back', NULL, NULL, 'delivery failed' FROM jsonb_to_recordset($5::jsonb) AS f(id uuid, chain_id uuid)
       WHERE EXISTS (SELECT 1 FROM released r WHERE r.chain_id = f.chain_id)`),
    [JSON.stringify(entries), now, delivered, failed.map((m) => m.chain_id), JSON.stringify(failed.map((m) => ({ id: m.id, chain_id: m.chain_id })))],
  );
}
