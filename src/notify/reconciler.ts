// Reconciliation: messages a provider accepted but whose delivery receipt never came (lost
// webhooks) are looked up with the provider's status API, oldest first, each at most once per
// interval; what it says is applied like a receipt (de-duplicated, never backwards). Lookups run
// several at once (`concurrency`), and a run that found a full batch is followed at once by the
// next: one lookup at a time, at an API's ~100-300 ms, would cover 3-10 messages a second, fewer
// than a busy day loses receipts (5% of 2,000 messages/s is 100 a second). A lookup that failed
// (the status API's own 503 or timeout) is asked again after 250 ms and 1 s before it waits for the
// next interval. Between runs it sleeps until the next message comes due (at most the interval), so
// a lost receipt is asked about when its wait is over, not up to an interval later.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../store/db.ts';
import type { Clock } from '../platform/time.ts';
import type { ChannelProvider, Receipt } from './channel-provider.ts';
import { createLedger } from './ledger.ts';
import { forEachConcurrently, startRepeating, type Repeating } from '../platform/repeat.ts';

export function createReconciler(deps: {
  db: Db; clock: Clock; providers: Map<string, ChannelProvider>;
  /**
   * `concurrency`: lookups in flight at once (default 8); `retryDelaysMs`: the waits before asking
   * again when a lookup itself failed (default 250 ms, then 1 s; then it waits for the next interval).
   */
  options: { afterMs: number; everyMs: number; batchSize: number; concurrency?: number; retryDelaysMs?: readonly number[] };
  onError?: (error: unknown) => void;
}) {
  const { db, clock, providers, options } = deps;
  const ledger = createLedger(db);
  const pollable = [...providers.values()].filter((p) => p.pollStatus).map((p) => p.name);
  const retryDelaysMs = options.retryDelaysMs ?? [250, 1000];
  /** One lookup, asked again after a short wait when it failed (a status API's 503 or timeout), not an interval later. */
  async function lookUp(provider: ChannelProvider, providerMessageId: string): Promise<Receipt | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await provider.pollStatus!(providerMessageId, { signal: AbortSignal.timeout(30_000) });
      } catch {
        if (attempt >= retryDelaysMs.length) return null;
        await sleep(retryDelaysMs[attempt]!);
      }
    }
  }

  /** One batch: the oldest due messages asked about, `concurrency` at a time. Returns how many were asked and how many answers were learned. */
  async function runBatch(): Promise<{ asked: number; learned: number }> {
    if (!pollable.length) return { asked: 0, learned: 0 };
    const now = clock.now();
    const { rows } = await db.query<{ id: string; provider: string; provider_message_id: string }>(
      `UPDATE notification_messages SET polled_at = $1
       WHERE id IN (
         SELECT id FROM notification_messages
         WHERE status IN ('accepted', 'sent') AND accepted_at < $2 AND provider = ANY($3) AND provider_message_id IS NOT NULL
           AND (polled_at IS NULL OR polled_at < $4)
         ORDER BY accepted_at LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING id, provider, provider_message_id`,
      [now, new Date(now.getTime() - options.afterMs), pollable, new Date(now.getTime() - options.afterMs), options.batchSize],
    );
    const receipts: Receipt[] = [];
    await forEachConcurrently(rows, options.concurrency ?? 8, async (row) => {
      const receipt = await lookUp(providers.get(row.provider)!, row.provider_message_id);
      if (receipt) receipts.push({ ...receipt, receiptId: `poll:${receipt.status}` });
    });
    if (receipts.length) await ledger.applyReceipts(receipts, clock.now());
    return { asked: rows.length, learned: receipts.length };
  }

  const minGapMs = Math.min(options.everyMs, 100);
  /** How long until the next unconfirmed message is due for a lookup: at least `minGapMs`, at most the interval. */
  async function untilNextDue(): Promise<number> {
    if (!pollable.length) return options.everyMs;
    const { rows } = await db.query<{ since: Date | null }>(
      `SELECT min(greatest(accepted_at, polled_at)) AS since FROM notification_messages
       WHERE status IN ('accepted', 'sent') AND provider = ANY($1) AND provider_message_id IS NOT NULL`,
      [pollable],
    );
    const since = rows[0]?.since;
    if (!since) return options.everyMs;
    return Math.min(options.everyMs, Math.max(minGapMs, since.getTime() + options.afterMs - clock.now().getTime()));
  }

  /** One batch; returns how many answers were learned. */
  async function runOnce(): Promise<number> {
    return (await runBatch()).learned;
  }

  let repeating: Repeating | undefined;

  return {
    name: 'notification-reconciler',
    runOnce,
    /** How long the started job would now wait before its next run (for tests). */
    untilNextDue,
    start() {
      // At once: messages left unconfirmed before a restart are asked about without waiting an
      // interval; after a full batch more are due, so the next goes at once; else when the next is due.
      repeating ??= startRepeating(async () => ((await runBatch()).asked >= options.batchSize ? 0 : untilNextDue()), {
        firstDelayMs: 0, afterErrorMs: options.everyMs, onError: (error) => deps.onError?.(error),
      });
    },
    async stop() {
      await repeating?.stop();
      repeating = undefined;
    },
  };
}
