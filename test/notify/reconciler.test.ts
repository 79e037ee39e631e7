// The reconciliation job on its own, on a real database and a manual clock: messages accepted with
// no receipt after a while are looked up with the provider's status API, oldest first, a batch at a
// time, each at most once per interval; what the provider says is applied like a receipt; a lookup that fails or knows nothing changes nothing and is asked again later;
// providers without a status API are never asked.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { openFileKeyStore } from '../../src/crypto/keystore.ts';
import { createEnvelope, type Envelope } from '../../src/crypto/envelope.ts';
import { createMemoryCache } from '../../src/cache/memory-cache.ts';
import { createManualClock, MINUTE, SECOND } from '../../src/platform/time.ts';
import { createNotificationPlanner } from '../../src/notify/planner.ts';
import { createDispatcher } from '../../src/notify/dispatcher.ts';
import { createReconciler } from '../../src/notify/reconciler.ts';
import type { Channel, ChannelProvider, Receipt } from '../../src/notify/channel-provider.ts';
import { render, scripted } from './scripted.ts';

describe('notification reconciler', () => {
  let database: TestDatabase;
  let dir: string;
  let envelope: Envelope;
  const clock = createManualClock('2026-11-25T06:00:00Z');
  const afterMs = 5 * MINUTE;
  // The SMS provider answers lookups from `answers` (by provider message id); WhatsApp's has no status API.
  const polled: string[] = [];
  const answers = new Map<string, Receipt['status'] | 'unknown' | 'error'>();
  const sms = Object.assign(scripted('sms', 'sms'), {
    async pollStatus(providerMessageId: string): Promise<Receipt | null> {
      polled.push(providerMessageId);
      const answer = answers.get(providerMessageId) ?? 'unknown';
      if (answer === 'error') throw new Error('status API down');
      if (answer === 'unknown') return null;
      return { provider: 'sms', providerMessageId, status: answer, at: clock.now(), receiptId: `${providerMessageId}:${answer}`, ...(answer === 'failed' ? { code: '30003' } : {}) };
    },
  });
  const whatsapp = scripted('whatsapp', 'whatsapp');
  const providers = new Map<string, ChannelProvider>([['sms', sms], ['whatsapp', whatsapp]]);

  async function sendMessages(channel: Channel, count: number): Promise<Array<{ id: string; providerMessageId: string }>> {
    const planner = createNotificationPlanner({
      envelope, clock, options: { providersFor: (c) => (c === channel ? [channel] : []), fallbackAfterMs: MINUTE, deadlineMs: 30 * MINUTE, throttleWindowMs: 0, sandboxPush: false },
    });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = `ev-${randomUUID()}`;
      await database.db.transaction((tx) => planner.plan([{
        eventId, logId: '1', type: 'funds.payin_received', regulatory: false, clientId: randomUUID(), clientCode: 'AB1234', channels: [channel], skipped: [],
        contacts: { mobile: '+919800000001' }, masked: { mobile: '+91XXXXXX0001' }, variables: { amount: 500, mode: 'UPI', balance: 900 }, occurredAt: clock.now(),
      }], tx));
      ids.push(eventId);
      clock.advance(SECOND); // accepted one after another: oldest first is observable
      const dispatcher = createDispatcher({
        db: database.db, envelope, cache: createMemoryCache({ clock }), clock, random: () => 0.5, providers, render,
        options: { batchSize: 10, concurrency: 1, leaseMs: 30 * SECOND, pollMs: 50, baseDelayMs: 1000, maxDelayMs: 60_000, failoverAfter: 2, fallbackAfterMs: MINUTE, inDoubtGraceMs: MINUTE, rateLimits: {} },
      });
      await dispatcher.runOnce();
    }
    const { rows } = await database.db.query<{ id: string; provider_message_id: string }>(
      'SELECT id, provider_message_id FROM notification_messages WHERE event_id = ANY($1) ORDER BY accepted_at', [ids],
    );
    return rows.map((r) => ({ id: r.id, providerMessageId: r.provider_message_id }));
  }
  async function status(id: string): Promise<string> {
    return (await database.db.query<{ status: string }>('SELECT status FROM notification_messages WHERE id = $1', [id])).rows[0]!.status;
  }

  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-reconcile-'));
    envelope = createEnvelope({ db: database.db, keys: await openFileKeyStore(path.join(dir, 'keys.json')) });
  });
  after(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('looks up unconfirmed messages after the wait, oldest first, once per interval, and applies what it learns', async () => {
    const [a, b, c] = await sendMessages('sms', 3);
    const [p] = await sendMessages('whatsapp', 1);
    assert.ok(a && b && c && p);
    for (const m of [a, b, c]) assert.equal(await status(m.id), 'accepted');
    // No asking again within a run here (a later test covers it): a failed lookup waits its interval.
    const reconciler = createReconciler({ db: database.db, clock, providers, options: { afterMs, everyMs: MINUTE, batchSize: 2, retryDelaysMs: [] } });

    // Too soon: nothing is asked.
    assert.equal(await reconciler.runOnce(), 0);
    assert.equal(polled.length, 0);

    clock.advance(afterMs + SECOND);
    answers.set(a.providerMessageId, 'delivered');
    answers.set(b.providerMessageId, 'error');
    answers.set(c.providerMessageId, 'sent');
    // A batch of two: the oldest two; the lookup that failed changes nothing.
    assert.equal(await reconciler.runOnce(), 1, 'one receipt learned');
    assert.deepEqual([...polled].sort(), [a.providerMessageId, b.providerMessageId].sort(), 'the two oldest');
    assert.equal(await status(a.id), 'delivered');
    assert.equal(await status(b.id), 'accepted');
    // The next round takes the one left; the two just asked wait for their interval.
    assert.equal(await reconciler.runOnce(), 1);
    assert.deepEqual(polled.slice(2), [c.providerMessageId]);
    assert.equal(await status(c.id), 'sent');
    assert.equal(await reconciler.runOnce(), 0);
    assert.equal(polled.length, 3, 'nothing asked twice within the interval');

    // After the interval: b (asked before, failed) and c (sent, still no delivery) are asked again;
    // a is delivered and is not; the WhatsApp provider has no status API and is never asked.
    clock.advance(afterMs + SECOND);
    answers.set(b.providerMessageId, 'failed');
    answers.set(c.providerMessageId, 'delivered');
    while ((await reconciler.runOnce()) > 0);
    assert.deepEqual(polled.slice(3).sort(), [b.providerMessageId, c.providerMessageId].sort());
    assert.equal(await status(b.id), 'failed', 'a failure learned by lookup fails the message (no other SMS provider)');
    assert.equal(await status(c.id), 'delivered');
    assert.ok(!polled.includes(p.providerMessageId));
    const { rows } = await database.db.query<{ state: string }>('SELECT state FROM notification_timeline WHERE message_id = $1 ORDER BY id', [c.id]);
    assert.deepEqual(rows.map((r) => r.state).slice(-2), ['sent', 'delivered']);

  });

  test('lookups run several at once, never more than the concurrency', async () => {
    const list = await sendMessages('sms', 10);
    clock.advance(afterMs + SECOND);
    let inFlight = 0;
    let most = 0;
    const slow = Object.assign(scripted('sms', 'sms'), {
      async pollStatus(providerMessageId: string): Promise<Receipt | null> {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return { provider: 'sms', providerMessageId, status: 'delivered', at: clock.now(), receiptId: `${providerMessageId}:delivered` };
      },
    });
    const reconciler = createReconciler({ db: database.db, clock, providers: new Map([['sms', slow]]), options: { afterMs, everyMs: MINUTE, batchSize: 50, concurrency: 4 } });
    assert.equal(await reconciler.runOnce(), 10);
    assert.equal(most, 4, 'four at a time');
    for (const m of list) assert.equal(await status(m.id), 'delivered');
  });

  test('a lookup that fails is asked again at once, twice, before it waits for the interval', async () => {
    const [m, n] = await sendMessages('sms', 2);
    assert.ok(m && n);
    clock.advance(afterMs + SECOND);
    const failures = new Map([[m.providerMessageId, 2], [n.providerMessageId, 3]]);
    const calls: string[] = [];
    const flaky = Object.assign(scripted('sms', 'sms'), {
      async pollStatus(providerMessageId: string): Promise<Receipt | null> {
        calls.push(providerMessageId);
        const left = failures.get(providerMessageId) ?? 0;
        if (left > 0) {
          failures.set(providerMessageId, left - 1);
          throw new Error('status API: 503');
        }
        return { provider: 'sms', providerMessageId, status: 'delivered', at: clock.now(), receiptId: `${providerMessageId}:delivered` };
      },
    });
    const reconciler = createReconciler({ db: database.db, clock, providers: new Map([['sms', flaky]]), options: { afterMs, everyMs: MINUTE, batchSize: 10, retryDelaysMs: [1, 1] } });
    assert.equal(await reconciler.runOnce(), 1, 'the lookup that failed twice got its answer on the third ask');
    assert.equal(await status(m.id), 'delivered');
    assert.equal(await status(n.id), 'accepted', 'three failures: it waits for the next interval');
    assert.equal(calls.filter((c) => c === n.providerMessageId).length, 3);
    clock.advance(afterMs + SECOND);
    assert.equal(await reconciler.runOnce(), 1);
    assert.equal(await status(n.id), 'delivered');
  });

  test('between runs it waits until the next unconfirmed message is due, never more than the interval', async () => {
    await database.db.query('TRUNCATE notification_messages, notification_timeline, notification_receipts');
    const reconciler = createReconciler({ db: database.db, clock, providers, options: { afterMs, everyMs: 60 * MINUTE, batchSize: 10, retryDelaysMs: [] } });
    assert.equal(await reconciler.untilNextDue(), 60 * MINUTE, 'nothing unconfirmed: the interval');
    const [first, second] = await sendMessages('sms', 2);
    assert.ok(first && second);
    const acceptedAt = async (id: string) => (await database.db.query<{ at: Date }>('SELECT accepted_at AS at FROM notification_messages WHERE id = $1', [id])).rows[0]!.at.getTime();
    const firstAccepted = await acceptedAt(first.id);
    clock.advance(firstAccepted + afterMs - 10 * SECOND - clock.now().getTime());
    assert.equal(await reconciler.untilNextDue(), 10 * SECOND, 'the oldest is due in 10 s');
    clock.advance(10 * SECOND + 500);
    assert.equal(await reconciler.untilNextDue(), 100, 'one is due: at once (a short gap)');
    assert.equal(await reconciler.runOnce(), 0, 'asked; the provider knows nothing yet');
    assert.equal(polled.at(-1), first.providerMessageId);
    const secondAccepted = await acceptedAt(second.id);
    assert.equal(await reconciler.untilNextDue(), secondAccepted + afterMs - clock.now().getTime(), 'the next is the second, not yet asked');
    assert.ok(secondAccepted + afterMs - clock.now().getTime() > 100);
    // A message asked about, then accepted again (a failover after a failed delivery) counts from its acceptance.
    await database.db.query('UPDATE notification_messages SET polled_at = $2 WHERE id = $1', [second.id, new Date(secondAccepted - MINUTE)]);
    await database.db.query('UPDATE notification_messages SET polled_at = $2 WHERE id = $1', [first.id, new Date(clock.now().getTime() + MINUTE)]);
    assert.equal(await reconciler.untilNextDue(), secondAccepted + afterMs - clock.now().getTime());
  });

  test('start() asks at once, and takes the next batch at once while batches come full', async () => {
    const list = await sendMessages('sms', 5);
    for (const m of list) answers.set(m.providerMessageId, 'delivered');
    clock.advance(afterMs + SECOND);
    // An interval of an hour: only draining full batches can settle five messages two at a time.
    const reconciler = createReconciler({ db: database.db, clock, providers, options: { afterMs, everyMs: 60 * MINUTE, batchSize: 2 } });
    reconciler.start();
    try {
      const until = Date.now() + 5000;
      const settled = async () => (await Promise.all(list.map((m) => status(m.id)))).every((s) => s === 'delivered');
      while (!(await settled()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.ok(await settled(), 'all five delivered in three batches without waiting the interval');
    } finally {
      await reconciler.stop();
    }
  });

  test('start() polls on its interval until stop()', async () => {
    const [m] = await sendMessages('sms', 1);
    assert.ok(m);
    answers.set(m.providerMessageId, 'read');
    clock.advance(afterMs + SECOND);
    const reconciler = createReconciler({ db: database.db, clock, providers, options: { afterMs, everyMs: 20, batchSize: 10 } });
    reconciler.start();
    try {
      const until = Date.now() + 5000;
      while ((await status(m.id)) !== 'read' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await status(m.id), 'read');
    } finally {
      await reconciler.stop();
    }
  });
});
