// A receipt batch and a dispatch round often update the same messages at the same moment (the
// receipts came before the round recorded the sends). Locked in two orders, PostgreSQL aborted one
// of the two as a deadlock, losing a batch of receipts or a round's outcomes. Both now lock in id
// order: the same overlap, in opposite orders, again and again, always completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../helpers/db.ts';
import { createLedger } from '../../src/notify/ledger.ts';
import type { Receipt } from '../../src/notify/channel-provider.ts';

test('receipts and a round recording the same sends never deadlock', { timeout: 120_000 }, async () => {
  const database = await createTestDatabase();
  const { db } = database;
  try {
    const round = createLedger(db, { claimedBy: 'dispatcher-1', fallbackAfterMs: 60_000 });
    const webhooks = createLedger(db, { fallbackAfterMs: 60_000 });
    for (let repeat = 0; repeat < 8; repeat++) {
      const ids = Array.from({ length: 300 }, () => randomUUID());
      await db.query(
        `INSERT INTO notification_messages (id, idempotency_key, chain_id, event_id, client_id, type, category, regulatory, channel, language, status,
           providers, next_attempt_at, deadline, variables_enc, occurred_at, claimed_by, claimed_until, attempts)
         SELECT id, 'key-' || id, gen_random_uuid(), 'ev-' || id, gen_random_uuid(), 'funds.payin_received', 'funds', false, 'whatsapp', 'en', 'sending',
           '{wa}', now(), now() + interval '1 hour', '\\x00', now(), 'dispatcher-1', now() + interval '1 minute', 1
         FROM unnest($1::uuid[]) AS id`,
        [ids],
      );
      const now = new Date();
      const accepted = ids.map((id) => ({ m: { id, attempts: 1 } as never, provider: 'wa', providerMessageId: `wamid.${id}`, terminal: false }));
      const receipts: Receipt[] = [...ids].reverse().map((id) => ({
        provider: 'wa', providerMessageId: `wamid.${id}`, idempotencyKey: `key-${id}`, status: 'delivered', at: now, receiptId: `d-${id}`,
      }));
      const results = await Promise.allSettled([
        round.acceptedMany(accepted.slice(0, 150), now, 60_000),
        webhooks.applyReceipts(receipts.slice(0, 150), now),
        round.acceptedMany(accepted.slice(150), now, 60_000),
        webhooks.applyReceipts(receipts.slice(150), now),
      ]);
      const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failed, [], `repeat ${repeat}`);
      const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM notification_messages WHERE id = ANY($1::uuid[]) GROUP BY 1', [ids]);
      assert.deepEqual(rows, [{ status: 'delivered', n: 300 }], 'every message ends delivered, whichever came first');
    }
  } finally {
    await database.drop();
  }
});
