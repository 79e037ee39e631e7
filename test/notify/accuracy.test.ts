// Delivery accuracy against hand-built ledger rows: per chain (a fallback that delivered counts),
// undeliverable recipients, throttled and cancelled chains left out, in-flight chains left out only
// while they settle, held messages settling from their release, the time window, and the
// breakdowns by channel and provider (per message).
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { deliveryAccuracy } from '../../src/notify/accuracy.ts';
import { MINUTE, HOUR } from '../../src/platform/time.ts';

const now = new Date('2026-11-25T10:00:00Z');
const settleMs = 30 * MINUTE;
const old = new Date(now.getTime() - 2 * HOUR);
const recent = new Date(now.getTime() - 5 * MINUTE);

type Message = { channel: 'sms' | 'whatsapp' | 'push'; status: string; provider?: string | null; providers?: string[]; providerIndex?: number; createdAt?: Date; nextAttemptAt?: Date };

describe('delivery accuracy', () => {
  let database: TestDatabase;

  /** Inserts one chain of messages; returns its id. */
  async function chain(...messages: Message[]): Promise<string> {
    const chainId = randomUUID();
    const eventId = `ev-${randomUUID()}`;
    const clientId = randomUUID();
    for (const m of messages) {
      const createdAt = m.createdAt ?? old;
      await database.db.query(
        `INSERT INTO notification_messages (id, idempotency_key, chain_id, event_id, client_id, type, category, regulatory, channel, language, status,
           providers, provider_index, provider, next_attempt_at, deadline, variables_enc, occurred_at, created_at)
         VALUES ($1, $2, $3, $4, $5, 'funds.payin_received', 'funds', false, $6, 'en', $7, $8, $9, $10, $11, $11, '\\x00', $12, $12)`,
        [randomUUID(), `${eventId}:${clientId}:${m.channel}`, chainId, eventId, clientId, m.channel, m.status,
          m.providers ?? [m.channel === 'sms' ? 'twilio' : m.channel === 'whatsapp' ? 'whatsapp-cloud' : 'fcm'], m.providerIndex ?? 0,
          m.provider === undefined ? (['planned', 'queued', 'held', 'waiting', 'throttled', 'cancelled'].includes(m.status) ? null : (m.providers?.[m.providerIndex ?? 0] ?? (m.channel === 'sms' ? 'twilio' : m.channel === 'whatsapp' ? 'whatsapp-cloud' : 'fcm'))) : m.provider,
          m.nextAttemptAt ?? createdAt, createdAt],
      );
    }
    return chainId;
  }
  const accuracy = (options: { from?: Date; to?: Date } = {}) => deliveryAccuracy(database.db, { ...options, settleMs, now });

  before(async () => {
    database = await createTestDatabase();
  });
  beforeEach(async () => {
    await database.db.query('DELETE FROM notification_messages');
  });
  after(() => database.drop());

  test('an empty ledger is accurate: nothing was deliverable', async () => {
    const a = await accuracy();
    assert.deepEqual({ ...a, byChannel: a.byChannel.length, byProvider: a.byProvider.length }, {
      delivered: 0, deliverable: 0, accuracy: 1, inFlight: 0, undeliverable: 0, skipped: 0, byChannel: 0, byProvider: 0,
    });
  });

  test('a chain counts once: WhatsApp failed and its SMS fallback delivered is one delivered chain', async () => {
    await chain({ channel: 'whatsapp', status: 'failed' }, { channel: 'sms', status: 'delivered' });
    await chain({ channel: 'whatsapp', status: 'read' }, { channel: 'sms', status: 'cancelled' });
    await chain({ channel: 'push', status: 'delivered' });
    await chain({ channel: 'sms', status: 'failed' });
    const a = await accuracy();
    assert.equal(a.delivered, 3);
    assert.equal(a.deliverable, 4);
    assert.equal(a.accuracy, 0.75);
    assert.equal(a.skipped, 0);
  });

  test('undeliverable recipients are left out; a chain with one deliverable message is not', async () => {
    await chain({ channel: 'whatsapp', status: 'undeliverable' }, { channel: 'sms', status: 'undeliverable' });
    await chain({ channel: 'whatsapp', status: 'undeliverable' }, { channel: 'sms', status: 'waiting' });
    await chain({ channel: 'whatsapp', status: 'undeliverable' }, { channel: 'sms', status: 'cancelled' });
    await chain({ channel: 'whatsapp', status: 'undeliverable' }, { channel: 'sms', status: 'delivered' });
    await chain({ channel: 'whatsapp', status: 'undeliverable' }, { channel: 'sms', status: 'failed' });
    const a = await accuracy();
    assert.equal(a.undeliverable, 3);
    assert.equal(a.delivered, 1);
    assert.equal(a.deliverable, 2);
    assert.equal(a.accuracy, 0.5);
  });

  test('throttled and cancelled chains are left out', async () => {
    await chain({ channel: 'sms', status: 'throttled' });
    await chain({ channel: 'whatsapp', status: 'cancelled' }, { channel: 'sms', status: 'cancelled' });
    await chain({ channel: 'push', status: 'delivered' });
    const a = await accuracy();
    assert.equal(a.skipped, 2);
    assert.equal(a.deliverable, 1);
    assert.equal(a.accuracy, 1);
  });

  test('chains in flight are left out while they settle, and count as not delivered after', async () => {
    await chain({ channel: 'sms', status: 'queued', createdAt: recent });
    await chain({ channel: 'whatsapp', status: 'accepted', createdAt: recent }, { channel: 'sms', status: 'waiting', createdAt: recent });
    await chain({ channel: 'sms', status: 'retrying', createdAt: recent });
    // Accepted two hours ago and no receipt since: a lost receipt or a lost message.
    await chain({ channel: 'sms', status: 'sent' });
    await chain({ channel: 'whatsapp', status: 'accepted' }, { channel: 'sms', status: 'waiting' });
    await chain({ channel: 'sms', status: 'delivered' });
    const a = await accuracy();
    assert.equal(a.inFlight, 3);
    assert.equal(a.delivered, 1);
    assert.equal(a.deliverable, 3);
    assert.equal(a.accuracy, 1 / 3);
  });

  test('a message held for quiet hours settles from its release, not its planning', async () => {
    await chain({ channel: 'sms', status: 'held', createdAt: old, nextAttemptAt: new Date(now.getTime() + 6 * HOUR) });
    await chain({ channel: 'sms', status: 'held', createdAt: old, nextAttemptAt: new Date(now.getTime() - HOUR) });
    const a = await accuracy();
    assert.equal(a.inFlight, 1);
    assert.equal(a.deliverable, 1);
    assert.equal(a.delivered, 0);
    assert.equal(a.accuracy, 0);
  });

  test('from and to bound the time the chain was planned', async () => {
    await chain({ channel: 'sms', status: 'delivered', createdAt: new Date('2026-11-24T10:00:00Z') });
    await chain({ channel: 'sms', status: 'failed', createdAt: new Date('2026-11-25T08:00:00Z') });
    await chain({ channel: 'sms', status: 'delivered', createdAt: new Date('2026-11-25T09:00:00Z') });
    assert.equal((await accuracy()).deliverable, 3);
    const day = await accuracy({ from: new Date('2026-11-25T00:00:00Z'), to: new Date('2026-11-25T09:00:00Z') });
    assert.deepEqual([day.delivered, day.deliverable], [0, 1]);
    const since = await accuracy({ from: new Date('2026-11-25T00:00:00Z') });
    assert.deepEqual([since.delivered, since.deliverable, since.accuracy], [1, 2, 0.5]);
  });

  test('by channel and by provider count messages, attributed to the provider that last handled each', async () => {
    await chain({ channel: 'whatsapp', status: 'failed' }, { channel: 'sms', status: 'delivered', providers: ['twilio', 'msg91'], providerIndex: 1 });
    await chain({ channel: 'whatsapp', status: 'delivered' }, { channel: 'sms', status: 'cancelled' });
    await chain({ channel: 'whatsapp', status: 'undeliverable' }, { channel: 'sms', status: 'failed' });
    await chain({ channel: 'sms', status: 'queued', createdAt: recent });
    await chain({ channel: 'push', status: 'delivered' });
    const a = await accuracy();
    const channel = Object.fromEntries(a.byChannel.map((c) => [c.channel, [c.delivered, c.deliverable, c.undeliverable, c.skipped, c.inFlight]]));
    assert.deepEqual(channel, { push: [1, 1, 0, 0, 0], sms: [1, 2, 0, 1, 1], whatsapp: [1, 2, 1, 0, 0] });
    const provider = Object.fromEntries(a.byProvider.map((p) => [`${p.channel}/${p.provider}`, [p.delivered, p.deliverable]]));
    assert.deepEqual(provider, { 'push/fcm': [1, 1], 'sms/msg91': [1, 1], 'sms/twilio': [0, 1], 'whatsapp/whatsapp-cloud': [1, 2] });
    assert.equal(a.byProvider.find((p) => p.provider === 'twilio')!.accuracy, 0);
    // Chains: delivered, delivered, failed (its SMS was deliverable), in flight, delivered.
    assert.deepEqual([a.delivered, a.deliverable, a.inFlight], [3, 4, 1]);
  });
});
