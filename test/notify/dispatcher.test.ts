// Planner, ledger and dispatcher on a real database with scripted providers (the port's test
// doubles; the wire-format fakes are exercised in test/notify/providers and the end-to-end test):
// fallback chains, preferences, throttling, retries, failover, receipts in any order, in-doubt
// sends after a crash, and rate limits.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { render, scripted } from './scripted.ts';
import { createLedger } from '../../src/notify/ledger.ts';
import type { ChannelProvider } from '../../src/notify/channel-provider.ts';
import type { NotificationRequest } from '../../src/events/notification-request.ts';

describe('notifications: planner, ledger, dispatcher', () => {
  let database: TestDatabase;
  let dir: string;
  let envelope: Envelope;
  const clock = createManualClock('2026-11-25T06:00:00Z'); // 11:30 IST
  let wa: ReturnType<typeof scripted>;
  let smsA: ReturnType<typeof scripted>;
  let smsB: ReturnType<typeof scripted>;
  let push: ReturnType<typeof scripted>;
  const options = {
    batchSize: 50, concurrency: 4, leaseMs: 30 * SECOND, pollMs: 50, maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000,
    failoverAfter: 2, fallbackAfterMs: 5 * MINUTE, inDoubtGraceMs: 2 * MINUTE, rateLimits: {},
  };
  let dispatcher: ReturnType<typeof createDispatcher>;

  const planner = () => createNotificationPlanner({
    envelope, clock,
    options: { providersFor: (c) => ({ sms: ['smsA', 'smsB'], whatsapp: ['wa'], push: ['push'] })[c], fallbackAfterMs: options.fallbackAfterMs, deadlineMs: 30 * MINUTE, throttleWindowMs: 15 * MINUTE, sandboxPush: false },
  });

  function request(overrides: Partial<NotificationRequest> = {}): NotificationRequest {
    const clientId = randomUUID();
    return {
      eventId: `ev-${randomUUID()}`, logId: '1', type: 'funds.payin_received', regulatory: false, clientId, clientCode: 'AB1234',
      channels: ['whatsapp', 'sms', 'push'], skipped: [], contacts: { mobile: '+919800000001', name: 'Asha Verma' }, masked: { mobile: '+91XXXXXX0001' },
      variables: { amount: 500, mode: 'UPI', balance: 900 }, occurredAt: clock.now(), ...overrides,
    };
  }
  async function plan(...requests: NotificationRequest[]) {
    await database.db.transaction((tx) => planner().plan(requests, tx));
  }
  /** Plans with a template picker: the version active now is pinned on the message. */
  async function planPicking(activeVersion: number, ...requests: NotificationRequest[]) {
    const picking = createNotificationPlanner({
      envelope, clock, pickTemplate: async ({ type, channel }) => ({ id: `t-${type}-${channel}`, version: activeVersion }),
      options: { providersFor: (c) => ({ sms: ['smsA', 'smsB'], whatsapp: ['wa'], push: ['push'] })[c], fallbackAfterMs: options.fallbackAfterMs, deadlineMs: 30 * MINUTE, throttleWindowMs: 15 * MINUTE, sandboxPush: false },
    });
    await database.db.transaction((tx) => picking.plan(requests, tx));
  }
  async function messages(eventId: string) {
    const { rows } = await database.db.query<{ id: string; channel: string; status: string; provider: string | null; fallback_channel: string | null; attempts: number; provider_message_id: string | null }>(
      'SELECT id, channel, status, provider, fallback_channel, attempts, provider_message_id FROM notification_messages WHERE event_id = $1 ORDER BY channel', [eventId],
    );
    return Object.fromEntries(rows.map((r) => [r.channel, r]));
  }
  async function timeline(messageId: string) {
    const { rows } = await database.db.query<{ state: string }>('SELECT state FROM notification_timeline WHERE message_id = $1 ORDER BY id', [messageId]);
    return rows.map((r) => r.state);
  }
  async function drain() {
    while ((await dispatcher.runOnce()) > 0);
  }

  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-notify-'));
    envelope = createEnvelope({ db: database.db, keys: await openFileKeyStore(path.join(dir, 'keys.json')) });
  });
  beforeEach(() => {
    wa = scripted('wa', 'whatsapp');
    smsA = scripted('smsA', 'sms');
    smsB = scripted('smsB', 'sms');
    push = scripted('push', 'push', () => ({ kind: 'accepted', providerMessageId: randomUUID(), terminal: true }));
    dispatcher = createDispatcher({
      db: database.db, envelope, cache: createMemoryCache({ clock }), clock, random: () => 0.5,
      providers: new Map<string, ChannelProvider>([['wa', wa], ['smsA', smsA], ['smsB', smsB], ['push', push]]), render, options,
      onError: (error, context) => { throw Object.assign(new Error(`dispatcher failed (${context})`), { cause: error }); },
    });
  });
  after(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a request plans WhatsApp with SMS waiting behind it, and push alongside; destinations are stored encrypted', async () => {
    const r = request();
    await plan(r);
    const m = await messages(r.eventId);
    assert.equal(m['whatsapp']!.status, 'queued');
    assert.equal(m['whatsapp']!.fallback_channel, 'sms');
    assert.equal(m['sms']!.status, 'waiting');
    assert.equal(m['push'], undefined, 'no device registered: push is skipped');
    const { rows } = await database.db.query<{ text: string }>(`SELECT string_agg(m::text, ' ') AS text FROM notification_messages m WHERE event_id = $1`, [r.eventId]);
    assert.ok(!rows[0]!.text.includes('9800000001') && !rows[0]!.text.includes('Asha'));
    // Planning the same request again (a redelivered event) adds nothing.
    await plan(r);
    const again = await database.db.query('SELECT 1 FROM notification_messages WHERE event_id = $1', [r.eventId]);
    assert.equal(again.rowCount, 2);
  });

  test('WhatsApp delivered: its receipt cancels the SMS fallback', async () => {
    const r = request();
    await plan(r);
    await drain();
    let m = await messages(r.eventId);
    assert.equal(m['whatsapp']!.status, 'accepted');
    const mine = wa.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId));
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.idempotencyKey, `${r.eventId}:${r.clientId}:whatsapp`);
    assert.equal(mine[0]!.to, '+919800000001');
    await createLedger(database.db).applyReceipts([{ provider: 'wa', providerMessageId: m['whatsapp']!.provider_message_id!, status: 'delivered', at: clock.now(), receiptId: 'r1' }], clock.now());
    m = await messages(r.eventId);
    assert.equal(m['whatsapp']!.status, 'delivered');
    assert.equal(m['sms']!.status, 'cancelled');
    clock.advance(10 * MINUTE);
    await drain();
    assert.equal(smsA.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId)).length, 0);
  });

  test('WhatsApp unreachable: the message is undeliverable and SMS goes instead', async () => {
    wa.script = () => ({ kind: 'permanent', code: '131026', detail: 'not on WhatsApp', recipientInvalid: true });
    const r = request();
    await plan(r);
    await drain();
    const m = await messages(r.eventId);
    assert.equal(m['whatsapp']!.status, 'undeliverable');
    assert.equal(m['sms']!.status, 'accepted');
    assert.deepEqual(await timeline(m['whatsapp']!.id), ['planned', 'undeliverable', 'fell_back']);
  });

  test('no receipt within the fallback time: SMS is sent too', async () => {
    const r = request();
    await plan(r);
    await drain();
    clock.advance(4 * MINUTE);
    await drain();
    assert.equal((await messages(r.eventId))['sms']!.status, 'waiting');
    clock.advance(2 * MINUTE);
    await drain();
    assert.equal((await messages(r.eventId))['sms']!.status, 'accepted');
  });

  test('retryable failures back off, then fail over to the next SMS provider', async () => {
    smsA.script = () => ({ kind: 'retryable', code: '503', detail: 'unavailable', retryAfterMs: 2000 });
    const r = request({ channels: ['sms'] });
    await plan(r);
    await drain();
    let m = await messages(r.eventId);
    assert.equal(m['sms']!.status, 'retrying');
    clock.advance(1500);
    const sentFor = () => smsA.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId)).length;
    await drain();
    assert.equal(sentFor(), 1, 'Retry-After is honoured');
    clock.advance(1000);
    await drain();
    assert.equal(sentFor(), 2);
    await drain();
    clock.advance(10);
    await drain();
    m = await messages(r.eventId);
    assert.equal(m['sms']!.status, 'accepted');
    assert.equal(m['sms']!.provider, 'smsB');
    assert.deepEqual((await timeline(m['sms']!.id)), ['planned', 'send_failed', 'retry_scheduled', 'send_failed', 'failover', 'accepted']);
  });

  test('receipts never move a message backwards, duplicates are ignored, and an early receipt waits for the send answer', async () => {
    const ledger = createLedger(database.db);
    const r = request({ channels: ['sms'] });
    await plan(r);
    smsA.script = () => ({ kind: 'accepted', providerMessageId: 'SM-early' });
    // The receipt arrives before the dispatcher records the send.
    assert.deepEqual(await ledger.applyReceipts([{ provider: 'smsA', providerMessageId: 'SM-early', status: 'delivered', at: clock.now(), receiptId: 'd1' }], clock.now()), { applied: 0, duplicate: 0, pending: 1 });
    await drain();
    assert.equal((await messages(r.eventId))['sms']!.status, 'delivered');
    const late = await ledger.applyReceipts([
      { provider: 'smsA', providerMessageId: 'SM-early', status: 'sent', at: clock.now(), receiptId: 's1' },
      { provider: 'smsA', providerMessageId: 'SM-early', status: 'delivered', at: clock.now(), receiptId: 'd1' },
    ], clock.now());
    assert.deepEqual(late, { applied: 1, duplicate: 1, pending: 0 });
    assert.equal((await messages(r.eventId))['sms']!.status, 'delivered');
  });

  test('preferences: quiet hours hold non-regulatory messages; opted-out categories and muted channels are skipped unless regulatory', async () => {
    const quiet = request({ channels: ['sms'] });
    const optedOut = request({ channels: ['sms'] });
    const regulatory = request({ channels: ['sms'], regulatory: true, type: 'mtf.margin_call', variables: { shortfall: 1, dueBy: '2026-11-25T15:00:00+05:30', positions: 1 } });
    regulatory.clientId = optedOut.clientId;
    // A regulatory alert to the client in quiet hours goes at once.
    const quietRegulatory = request({ channels: ['sms'], regulatory: true, type: 'mtf.margin_call', variables: { shortfall: 2, dueBy: '2026-11-25T15:00:00+05:30', positions: 1 } });
    quietRegulatory.clientId = quiet.clientId;
    await database.db.query(`INSERT INTO notification_preferences (client_id, quiet_start, quiet_end) VALUES ($1, '11:00', '12:00')`, [quiet.clientId]);
    await database.db.query(`INSERT INTO notification_preferences (client_id, opted_out, muted) VALUES ($1, '{funds,mtf}', '{sms}')`, [optedOut.clientId]);
    await plan(quiet, optedOut, regulatory, quietRegulatory);
    assert.equal((await messages(quiet.eventId))['sms']!.status, 'held');
    assert.equal((await messages(optedOut.eventId))['sms'], undefined);
    assert.equal((await messages(regulatory.eventId))['sms']!.status, 'queued');
    assert.equal((await messages(quietRegulatory.eventId))['sms']!.status, 'queued');
    await drain();
    assert.equal((await messages(quiet.eventId))['sms']!.status, 'held');
    assert.equal((await messages(quietRegulatory.eventId))['sms']!.status, 'accepted');
    clock.advance(31 * MINUTE); // 12:01 IST
    await drain();
    assert.equal((await messages(quiet.eventId))['sms']!.status, 'accepted');
  });

  test('a message held for quiet hours keeps its whole retry window after release', async () => {
    // Quiet from this hour (IST) for two hours: far longer than the 30-minute retry window.
    const hour = new Date(clock.now().getTime() + 330 * MINUTE).getUTCHours();
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const r = request({ channels: ['sms'] });
    await database.db.query(`INSERT INTO notification_preferences (client_id, quiet_start, quiet_end) VALUES ($1, $2, $3)`, [r.clientId, hh(hour), hh(hour + 2)]);
    await plan(r);
    assert.equal((await messages(r.eventId))['sms']!.status, 'held');
    clock.advance(2 * 60 * MINUTE + MINUTE); // past the end of the quiet hours
    let failures = 0;
    smsA.script = () => (failures++ === 0 ? { kind: 'retryable', code: '503', detail: 'unavailable', retryAfterMs: 1000 } : { kind: 'accepted', providerMessageId: `A-${r.eventId}` });
    await drain();
    // Counted from planning, the window would have closed while held: the first failure would be the last.
    assert.equal((await messages(r.eventId))['sms']!.status, 'retrying');
    clock.advance(1500);
    await drain();
    const m = (await messages(r.eventId))['sms']!;
    assert.equal(m.status, 'accepted');
    assert.deepEqual(await timeline(m.id), ['held', 'send_failed', 'retry_scheduled', 'accepted']);
  });

  test('every attempt renders the template version pinned when the message was planned, whatever was edited since', async () => {
    const r = request({ channels: ['sms'] });
    await planPicking(1, r);
    // Version 2 becomes active before any attempt (the renderer would pick it): the first attempt
    // fails and the retry must carry version 1's text too (an in-doubt send is looked up at the
    // provider by its text; a changed text would miss it and the client could get two SMS).
    smsA.script = () => ({ kind: 'retryable', code: '503', detail: 'unavailable', retryAfterMs: 1000 });
    await drain();
    clock.advance(1500);
    smsA.script = () => ({ kind: 'accepted', providerMessageId: `A-${r.eventId}` });
    await drain();
    const texts = smsA.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId)).map((s) => s.sms?.text ?? '');
    assert.equal(texts.length, 2);
    assert.ok(texts.every((t) => t.startsWith(`${r.type} v1:`)), texts.join(' | '));
    const { rows } = await database.db.query<{ status: string; template_version: number }>('SELECT status, template_version FROM notification_messages WHERE event_id = $1', [r.eventId]);
    assert.deepEqual(rows, [{ status: 'accepted', template_version: 1 }]);
    // A message planned after the edit takes the new version.
    const later = request({ channels: ['sms'] });
    await planPicking(2, later);
    await drain();
    assert.ok(smsA.sends.find((s) => s.idempotencyKey.startsWith(later.eventId))?.sms?.text.startsWith(`${later.type} v2:`));
  });

  test('two dispatchers draining one ledger at once share the work and send each message exactly once', async () => {
    const second = createDispatcher({
      db: database.db, envelope, cache: createMemoryCache({ clock }), clock, random: () => 0.5,
      providers: new Map<string, ChannelProvider>([['wa', wa], ['smsA', smsA], ['smsB', smsB], ['push', push]]), render, options,
      onError: (error, context) => { throw Object.assign(new Error(`second dispatcher failed (${context})`), { cause: error }); },
    });
    const requests = Array.from({ length: 120 }, () => request({ channels: ['sms'] }));
    await plan(...requests);
    // Sends take a moment, so both dispatchers' rounds are in flight together.
    smsA.script = async (message) => {
      await sleep(2);
      return { kind: 'accepted', providerMessageId: `A-${message.idempotencyKey}` };
    };
    const claimed = [0, 0];
    const drainWith = async (d: ReturnType<typeof createDispatcher>, i: number) => {
      for (let n = await d.runOnce(); n > 0; n = await d.runOnce()) claimed[i]! += n;
    };
    await Promise.all([drainWith(dispatcher, 0), drainWith(second, 1)]);
    const ours = new Set(requests.map((r) => `${r.eventId}:${r.clientId}:sms`));
    const sent = smsA.sends.map((m) => m.idempotencyKey).filter((k) => ours.has(k));
    assert.equal(sent.length, 120, 'every message sent');
    assert.equal(new Set(sent).size, 120, 'none twice');
    assert.ok(claimed[0]! > 0 && claimed[1]! > 0, `both dispatchers took a share (${claimed.join(' / ')})`);
    const { rows } = await database.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM notification_messages WHERE event_id = ANY($1) GROUP BY status`, [requests.map((r) => r.eventId)],
    );
    assert.deepEqual(rows, [{ status: 'accepted', n: 120 }]);
  });

  test('a repeated margin alert for the same client and shortfall is throttled', async () => {
    const first = request({ channels: ['sms'], type: 'mtf.margin_call', regulatory: true, variables: { shortfall: 2500, dueBy: '2026-11-25T15:00:00+05:30', positions: 1 } });
    const second = { ...first, eventId: `ev-${randomUUID()}` };
    const other = { ...first, eventId: `ev-${randomUUID()}`, variables: { ...first.variables, shortfall: 4000 } };
    await plan(first);
    await plan(second, other);
    assert.equal((await messages(first.eventId))['sms']!.status, 'queued');
    assert.equal((await messages(second.eventId))['sms']!.status, 'throttled');
    assert.equal((await messages(other.eventId))['sms']!.status, 'queued');
  });

  test('throttling follows the catalog: the same alert (its throttleBy variables) within the window is held back, others and later ones go', async () => {
    const clientId = randomUUID();
    const ban = (symbol: string, banDate: string) => request({ clientId, channels: ['sms'], type: 'fno.ban_period', variables: { symbol, banDate } });
    const first = ban('IDEA', '2026-11-26');
    await plan(first);
    const again = ban('IDEA', '2026-11-26');
    const otherSymbol = ban('RBLBANK', '2026-11-26');
    const otherDay = ban('IDEA', '2026-11-27');
    const otherClient = { ...ban('IDEA', '2026-11-26'), clientId: randomUUID() };
    // A type with no throttleBy is never throttled, however alike.
    const payin = request({ clientId, channels: ['sms'] });
    const payinAgain = { ...payin, eventId: `ev-${randomUUID()}` };
    await plan(again, otherSymbol, otherDay, otherClient, payin, payinAgain);
    const status = async (r: NotificationRequest) => (await messages(r.eventId))['sms']!.status;
    assert.equal(await status(first), 'queued');
    assert.equal(await status(again), 'throttled');
    for (const r of [otherSymbol, otherDay, otherClient, payin, payinAgain]) assert.equal(await status(r), 'queued', r.type);
    // After the window the same alert goes again.
    clock.advance(15 * MINUTE + SECOND);
    const later = ban('IDEA', '2026-11-26');
    await plan(later);
    assert.equal(await status(later), 'queued');
    await drain();
  });

  test('an interrupted send is reconciled with the provider instead of being sent twice', async () => {
    const r = request({ channels: ['sms'] });
    await plan(r);
    const m = (await messages(r.eventId))['sms']!;
    // A dispatcher claimed it and died mid-send.
    await database.db.query(`UPDATE notification_messages SET status = 'sending', claimed_by = 'dead', claimed_until = $2 WHERE id = $1`, [m.id, new Date(clock.now().getTime() - 1000)]);
    smsA.findSent = async () => ({ providerMessageId: 'SM-found' });
    await drain();
    const after = (await messages(r.eventId))['sms']!;
    assert.equal(after.status, 'accepted');
    assert.equal(after.provider_message_id, 'SM-found');
    assert.equal(smsA.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId)).length, 0);
    // A provider that cannot tell waits for a receipt before sending again.
    const r2 = request({ channels: ['whatsapp'] });
    await plan(r2);
    const w = (await messages(r2.eventId))['whatsapp']!;
    await database.db.query(`UPDATE notification_messages SET status = 'sending', claimed_by = 'dead', claimed_until = $2, next_attempt_at = $3 WHERE id = $1`, [w.id, new Date(clock.now().getTime() - 1000), clock.now()]);
    await drain();
    const sentFor = () => wa.sends.filter((s) => s.idempotencyKey.startsWith(r2.eventId)).length;
    assert.equal(sentFor(), 0);
    clock.advance(3 * MINUTE);
    await drain();
    assert.equal(sentFor(), 1);
  });

  test('a receipt that settles a message while its send times out is not undone, and nothing is sent again', async () => {
    const r = request({ channels: ['whatsapp'] });
    await plan(r);
    const ledger = createLedger(database.db);
    // Meta took the message and its status webhook arrived before the send's answer, which never came.
    wa.script = (message) => {
      void ledger.applyReceipts([{ provider: 'wa', providerMessageId: 'wamid.1', idempotencyKey: message.idempotencyKey, status: 'delivered', at: clock.now(), receiptId: 'd' }], clock.now());
      return { kind: 'retryable', code: 'timeout', detail: 'no answer' };
    };
    await drain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock.advance(3 * MINUTE);
    await drain();
    const m = (await messages(r.eventId))['whatsapp']!;
    assert.equal(m.status, 'delivered');
    assert.equal(wa.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId)).length, 1);
  });

  test('doubt is kept until settled: a later transient failure neither forgets it nor moves the message to another provider', async () => {
    const r = request({ channels: ['sms'] });
    await plan(r);
    const dedupe = Object.assign(smsA, { dedupeWindowMs: 10 * SECOND });
    // The first send times out (maybe taken); the quick repeats inside the window meet transient failures.
    dedupe.script = (_message, n) => (n === 1 ? { kind: 'retryable', code: 'timeout', detail: 'no answer' }
      : n <= 4 ? { kind: 'retryable', code: 'http_503', detail: 'unavailable' } : { kind: 'accepted', providerMessageId: 'M-1' });
    const sentFor = (p: typeof smsA) => p.sends.filter((s) => s.idempotencyKey.startsWith(r.eventId)).length;
    await drain();
    assert.equal(sentFor(smsA), 4, 'repeated at once while inside the de-duplication window');
    clock.advance(6 * SECOND);
    await drain();
    assert.equal(sentFor(smsA), 4, 'outside half the window: waits for a receipt instead of sending again');
    assert.equal(sentFor(smsB), 0, 'no failover while the message may be with smsA');
    clock.advance(2 * MINUTE);
    await drain();
    const m = (await messages(r.eventId))['sms']!;
    assert.deepEqual([m.status, m.provider, sentFor(smsA), sentFor(smsB)], ['accepted', 'smsA', 5, 0]);
    assert.ok((await timeline(m.id)).includes('in_doubt'));
  });

  test('a delivery failure reported by one SMS provider moves the message to the next one', async () => {
    const r = request({ channels: ['sms'] });
    await plan(r);
    smsA.script = () => ({ kind: 'accepted', providerMessageId: `A-${r.eventId}` });
    await drain();
    await createLedger(database.db).applyReceipts([{ provider: 'smsA', providerMessageId: `A-${r.eventId}`, status: 'failed', code: 'ABSENT_SUBSCRIBER', at: clock.now(), receiptId: 'f1' }], clock.now());
    assert.equal((await messages(r.eventId))['sms']!.status, 'retrying');
    await drain();
    const m = (await messages(r.eventId))['sms']!;
    assert.equal(m.status, 'accepted');
    assert.equal(m.provider, 'smsB');
    assert.deepEqual(await timeline(m.id), ['planned', 'accepted', 'failed', 'failover', 'accepted']);
  });

  test('a template that cannot render fails the message with its code and falls back', async () => {
    const r = request({ variables: { broken: true } });
    await plan(r);
    await drain();
    const m = await messages(r.eventId);
    assert.equal(m['whatsapp']!.status, 'failed');
    const { rows } = await database.db.query<{ last_code: string }>('SELECT last_code FROM notification_messages WHERE id = $1', [m['whatsapp']!.id]);
    assert.equal(rows[0]!.last_code, 'template.missing_variable');
    assert.equal(m['sms']!.status, 'failed', 'the SMS template is broken too');
  });
});

// Kept separate: a rate-limited provider sends no faster than its bucket.
test('per-provider rate limits delay, never drop, messages', async () => {
  const database = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-notify-rate-'));
  try {
    const clock = createManualClock('2026-11-25T06:00:00Z');
    const envelope = createEnvelope({ db: database.db, keys: await openFileKeyStore(path.join(dir, 'keys.json')) });
    const sms = scripted('smsA', 'sms');
    const planner = createNotificationPlanner({ envelope, clock, options: { providersFor: () => ['smsA'], fallbackAfterMs: MINUTE, deadlineMs: 30 * MINUTE, throttleWindowMs: MINUTE, sandboxPush: false } });
    const dispatcher = createDispatcher({
      db: database.db, envelope, cache: createMemoryCache({ clock }), clock, providers: new Map([['smsA', sms]]), render,
      options: { batchSize: 50, concurrency: 2, leaseMs: 30_000, pollMs: 50, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, failoverAfter: 3, fallbackAfterMs: MINUTE, inDoubtGraceMs: MINUTE, rateLimits: { smsA: { capacity: 2, refillPerSecond: 2 } } },
    });
    const requests = Array.from({ length: 6 }, (_, i) => ({
      eventId: `rate-${i}`, logId: '1', type: 'funds.payin_received', regulatory: false, clientId: randomUUID(), clientCode: 'AB1', channels: ['sms' as const], skipped: [],
      contacts: { mobile: '+919800000002' }, masked: {}, variables: { amount: i + 1, mode: 'UPI', balance: 1 }, occurredAt: clock.now(),
    }));
    await database.db.transaction((tx) => planner.plan(requests, tx));
    await dispatcher.runOnce();
    assert.equal(sms.sends.length, 2);
    clock.advance(1000);
    await dispatcher.runOnce();
    assert.equal(sms.sends.length, 4);
    clock.advance(1000);
    await dispatcher.runOnce();
    assert.equal(sms.sends.length, 6);
  } finally {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
