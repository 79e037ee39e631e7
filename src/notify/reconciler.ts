// Reconciliation: messages a provider accepted but whose delivery receipt never came (lost
// webhooks) are looked up with the provider's status API, oldest first, each at most once per
// interval; what it says is applied like a receipt (de-duplicated, never backwards).
import type { Db } from '../store/db.ts';
import type { Clock } from '../platform/time.ts';
import type { ChannelProvider, Receipt } from './channel-provider.ts';
import { createLedger } from './ledger.ts';

export function createReconciler(deps: {
  db: Db; clock: Clock; providers: Map<string, ChannelProvider>;
  options: { afterMs: number; everyMs: number; batchSize: number };
  onError?: (error: unknown) => void;
}) {
  const { db, clock, providers, options } = deps;
  const ledger = createLedger(db);
  const pollable = [...providers.values()].filter((p) => p.pollStatus).map((p) => p.name);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runOnce(): Promise<number> {
    if (!pollable.length) return 0;
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
    for (const row of rows) {
      const provider = providers.get(row.provider)!;
      const receipt = await provider.pollStatus!(row.provider_message_id, { signal: AbortSignal.timeout(30_000) }).catch(() => null);
      if (receipt) receipts.push({ ...receipt, receiptId: `poll:${receipt.status}` });
    }
    if (receipts.length) await ledger.applyReceipts(receipts, clock.now());
    return receipts.length;
  }

  return {
    name: 'notification-reconciler',
    runOnce,
    start() {
      timer = setInterval(() => {
        running ??= runOnce().catch((error: unknown) => {
          deps.onError?.(error);
          return 0;
        }).finally(() => (running = undefined));
      }, options.everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
