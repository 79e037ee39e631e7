// Retries over time, on a real database and a manual clock with the dispatcher settings the
// configuration gives by default: backoff growth and jitter, a provider down for many minutes,
// give-up at the deadline and the fallback after it, failover round the channel's providers, a
// WhatsApp message that no provider accepts in time giving way to its SMS, the DLT-window hold
// (its retry window starts at release; an event that expires first cancels it).
import { describe, test, before, after, beforeEach } from 'node:test';
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
import { loadConfig } from '../../src/config.ts';
import { dispatcherOptions } from '../../src/compose-notify.ts';
import { createNotificationPlanner } from '../../src/notify/planner.ts';
import { createDispatcher, retryDelayMs, type DispatcherOptions } from '../../src/notify/dispatcher.ts';
import { createLedger } from '../../src/notify/ledger.ts';
import type { Channel, ChannelProvider, SendOutcome } from '../../src/notify/channel-provider.ts';
import type { NotificationRequest } from '../../src/events/notification-request.ts';
import { seededRandom } from '../fakes/fake-server.ts';
import { render, scripted, type ScriptedProvider } from './scripted.ts';

const down: SendOutcome = { kind: 'retryable', code: 'http_503', detail: 'Service Unavailable' };

test('backoff: full jitter under a ceiling that doubles from the base up to the cap', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 5 * MINUTE };
  // The ceiling is what random() → 1 approaches; 0 gives 0 (full jitter: any wait from nothing up).
  const ceilings = [1, 2, 3, 4, 5, 6, 10, 11, 12, 50].map((n) => retryDelayMs(n, policy, () => 0.999_999_9));
  assert.deepEqual(ceilings, [499, 999, 1999, 3999, 7999, 15_999, 255_999, 299_999, 299_999, 299_999]);
  assert.equal(retryDelayMs(7, policy, () => 0), 0);
  assert.equal(retryDelayMs(0, policy, () => 0.5), 250, 'attempt 0 is treated as the first');
  // Spread: many draws for one attempt cover the range evenly, not bunched at the ceiling.
  const random = seededRandom(11);
  const draws = Array.from({ length: 4000 }, () => retryDelayMs(4, policy, random));
  assert.ok(draws.every((d) => d >= 0 && d < 4000), 'inside [0, 4000)');
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  assert.ok(mean > 1850 && mean < 2150, `mean ${mean} near half the ceiling`);
  const quarters = [0, 1, 2, 3].map((q) => draws.filter((d) => Math.floor(d / 1000) === q).length);
  for (const n of quarters) assert.ok(n > 850 && n < 1150, `each quarter of the range is drawn about as often: ${quarters.join(', ')}`);
});

describe('dispatcher retries over time (default settings)', () => {
  let database: TestDatabase;
  let dir: string;
  let envelope: Envelope;
  let clock: ReturnType<typeof createManualClock>;
  let providers: Record<string, ScriptedProvider>;
  const defaults = dispatcherOptions(loadConfig({ DATABASE_URL: 'postgres://pravah@127.0.0.1:5432/pravah' }));
  const deadlineMs = loadConfig({ DATABASE_URL: 'postgres://pravah@127.0.0.1:5432/pravah' }).notify.deadlineMs;

  function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
    return createDispatcher({
      db: database.db, envelope, cache: createMemoryCache({ clock }), clock, random: seededRandom(5),
      providers: new Map<string, ChannelProvider>(Object.entries(providers)), render, options: { ...defaults, ...overrides },
      onError: (error, context) => { throw Object.assign(new Error(`dispatcher failed (${context})`), { cause: error }); },
    });
  }
  async function plan(request: NotificationRequest, options: { fallbackAfterMs?: number; sms?: string[] } = {}) {
    const planner = createNotificationPlanner({
      envelope, clock,
      options: {
        providersFor: (c: Channel) => ({ sms: options.sms ?? ['smsA', 'smsB'], whatsapp: ['wa'], push: [] as string[] })[c],
        fallbackAfterMs: options.fallbackAfterMs ?? defaults.fallbackAfterMs, deadlineMs, throttleWindowMs: 15 * MINUTE, sandboxPush: false,
      },
    });
    await database.db.transaction((tx) => planner.plan([request], tx));
  }
  function request(overrides: Partial<NotificationRequest> = {}): NotificationRequest {
    return {
      eventId: `ev-${randomUUID()}`, logId: '1', type: 'funds.payin_received', regulatory: false, clientId: randomUUID(), clientCode: 'AB1234',
      channels: ['sms'], skipped: [], contacts: { mobile: '+919800000001' }, masked: { mobile: '+91XXXXXX0001' },
      variables: { amount: 500, mode: 'UPI', balance: 900 }, occurredAt: clock.now(), ...overrides,
    };
  }
  type Row = { id: string; channel: string; status: string; provider: string | null; attempts: number; deadline: Date; next_attempt_at: Date; last_code: string | null };
  async function rows(eventId: string): Promise<Record<string, Row>> {
    const { rows: list } = await database.db.query<Row>(
      'SELECT id, channel, status, provider, attempts, deadline, next_attempt_at, last_code FROM notification_messages WHERE event_id = $1', [eventId],
    );
    return Object.fromEntries(list.map((r) => [r.channel, r]));
  }
  async function timeline(id: string) {
    const { rows: list } = await database.db.query<{ state: string; provider: string | null; detail: string | null }>(
      'SELECT state, provider, detail FROM notification_timeline WHERE message_id = $1 ORDER BY id', [id],
    );
    return list;
  }
  /**
   * Runs the dispatcher as time passes: a round, then the clock moves to whatever is due next (a
   * retry, a fallback clock), until nothing is. Returns the rounds run.
   */
  async function runThrough(d: ReturnType<typeof dispatcher>, until: Date): Promise<number> {
    let rounds = 0;
    for (;;) {
      while ((await d.runOnce()) > 0) rounds++;
      const { rows: next } = await database.db.query<{ at: Date | null }>(
        `SELECT least(
           (SELECT min(next_attempt_at) FROM notification_messages WHERE status IN ('queued', 'retrying', 'held')),
           (SELECT min(fallback_at) FROM notification_messages WHERE status IN ('queued', 'retrying', 'held', 'accepted', 'sent'))) AS at`,
      );
      const at = next[0]!.at;
      if (!at || at.getTime() > until.getTime()) return rounds;
      if (at.getTime() > clock.now().getTime()) clock.advance(at.getTime() - clock.now().getTime());
      else if (rounds > 10_000) throw new Error('not converging');
    }
  }

  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-retries-'));
    envelope = createEnvelope({ db: database.db, keys: await openFileKeyStore(path.join(dir, 'keys.json')) });
  });
  beforeEach(async () => {
    await database.db.query('TRUNCATE notification_messages, notification_timeline, notification_receipts');
    clock = createManualClock('2026-11-25T06:00:00Z'); // 11:30 IST
    providers = { smsA: scripted('smsA', 'sms'), smsB: scripted('smsB', 'sms'), wa: scripted('wa', 'whatsapp') };
  });
  after(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('the defaults retry until the deadline: no attempt cap, backoff capped at 5 minutes', () => {
    assert.ok(!defaults.maxAttempts, 'no attempt cap by default');
    assert.equal(defaults.maxDelayMs, 5 * MINUTE);
    assert.equal(deadlineMs, 30 * MINUTE);
  });

  test('a provider down for 12 minutes: the message is retried until it is back, then sent once', async () => {
    const start = clock.now().getTime();
    const backAt = start + 12 * MINUTE;
    providers['smsA']!.script = () => (clock.now().getTime() < backAt ? down : { kind: 'accepted', providerMessageId: `smsA-${randomUUID()}` });
    const r = request();
    await plan(r, { sms: ['smsA'] });
    await runThrough(dispatcher(), new Date(start + deadlineMs));
    const m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'accepted', `ended ${m.status} (${m.last_code}) after ${m.attempts} attempts`);
    assert.ok(m.attempts > 8, `${m.attempts} attempts: more than the 8 that the old default cap allowed`);
    const sends = providers['smsA']!.sends;
    assert.equal(sends.length, m.attempts);
    assert.equal(new Set(sends.map((s) => s.idempotencyKey)).size, 1, 'every attempt carries the same key');
    // Backoff: the waits grew and never exceeded the cap; it came back soon after the outage.
    const waits = (await timeline(m.id)).filter((e) => e.state === 'retry_scheduled').map((e) => Number(/in (\d+) ms/.exec(e.detail ?? '')?.[1]));
    assert.equal(waits.length, m.attempts - 1);
    assert.ok(waits.every((w) => w <= 5 * MINUTE), 'no wait beyond 5 minutes');
    assert.ok(Math.max(...waits.slice(-3)) > Math.max(...waits.slice(0, 3)), `waits grew: ${waits.join(', ')}`);
    assert.ok(clock.now().getTime() - backAt < 5 * MINUTE, 'sent within one capped wait of the provider coming back');
  });

  test('a provider that never comes back: the last try is at the deadline, then the message fails and its fallback goes', async () => {
    providers['wa']!.script = () => down;
    const start = clock.now().getTime();
    const r = request({ channels: ['whatsapp', 'sms'] });
    // A fallback clock longer than the deadline, so the deadline is what ends the WhatsApp message.
    await plan(r, { fallbackAfterMs: 2 * deadlineMs });
    await runThrough(dispatcher(), new Date(start + 3 * deadlineMs));
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'failed');
    assert.equal(m['whatsapp']!.last_code, 'http_503');
    assert.equal(m['sms']!.status, 'accepted', 'the SMS fallback went after the give-up');
    const states = (await timeline(m['whatsapp']!.id)).map((e) => e.state);
    assert.deepEqual(states.slice(-2), ['failed', 'fell_back']);
    // The give-up came at the deadline, not before (attempts ran out) nor long after.
    const { rows: at } = await database.db.query<{ at: Date }>(`SELECT at FROM notification_timeline WHERE message_id = $1 AND state = 'failed'`, [m['whatsapp']!.id]);
    assert.equal(at[0]!.at.getTime(), start + deadlineMs);
    assert.equal(m['whatsapp']!.deadline.getTime(), start + deadlineMs);
    assert.ok(providers['wa']!.sends.length > 8, `${providers['wa']!.sends.length} attempts`);
  });

  test('failover goes round the providers: back to the first when the second is down and the first is back', async () => {
    const start = clock.now().getTime();
    // smsA has a short outage; smsB is down for good.
    providers['smsA']!.script = () => (clock.now().getTime() < start + 20 * SECOND ? down : { kind: 'accepted', providerMessageId: `smsA-${randomUUID()}` });
    providers['smsB']!.script = () => down;
    const r = request();
    await plan(r);
    await runThrough(dispatcher(), new Date(start + deadlineMs));
    const m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'accepted');
    assert.equal(m.provider, 'smsA');
    const failovers = (await timeline(m.id)).filter((e) => e.state === 'failover').map((e) => e.provider);
    assert.deepEqual(failovers.slice(0, 2), ['smsB', 'smsA'], 'to smsB after three failures, and back to smsA after three more');
    assert.equal(providers['smsB']!.sends.length % 3, 0, 'three tries on smsB per turn');
  });

  test('a WhatsApp message no provider accepts within the fallback time stops, and its SMS goes instead', async () => {
    providers['wa']!.script = () => down;
    const start = clock.now().getTime();
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    const before = await rows(r.eventId);
    assert.equal(before['sms']!.status, 'waiting');
    await runThrough(dispatcher(), new Date(start + deadlineMs));
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'fell_back');
    assert.equal(m['sms']!.status, 'accepted');
    const wa = await timeline(m['whatsapp']!.id);
    assert.deepEqual(wa.slice(-2).map((e) => e.state), ['fell_back', 'superseded'], 'fell back when the clock ran out, stopped when the SMS was accepted');
    assert.match(wa.find((e) => e.state === 'fell_back')!.detail ?? '', /not accepted in time/);
    const waSends = providers['wa']!.sends.length;
    // The SMS went when the fallback clock ran out (2 minutes by default), not at the 30-minute deadline.
    const { rows: queued } = await database.db.query<{ at: Date }>(`SELECT at FROM notification_timeline WHERE message_id = $1 AND state = 'queued'`, [m['sms']!.id]);
    assert.equal(queued[0]!.at.getTime(), start + defaults.fallbackAfterMs);
    // Nothing more goes to WhatsApp, whenever it comes back.
    providers['wa']!.script = () => ({ kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    clock.advance(10 * MINUTE);
    await runThrough(dispatcher(), new Date(start + deadlineMs));
    assert.equal(providers['wa']!.sends.length, waSends);
    assert.equal((await rows(r.eventId))['whatsapp']!.status, 'fell_back');
  });

  test('a fallback not yet sent when its primary is delivered is cancelled: the client does not get both', async () => {
    // Seen in the benchmark's slowest chains: WhatsApp busy past the fallback time released the SMS
    // into a backlog; WhatsApp's retry was accepted and delivered first, and the SMS went a second later.
    const start = clock.now().getTime();
    providers['wa']!.script = () => (clock.now().getTime() < start + defaults.fallbackAfterMs ? down : { kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    const d = dispatcher();
    await runThrough(d, new Date(start + defaults.fallbackAfterMs - 1));
    clock.advance(start + defaults.fallbackAfterMs - clock.now().getTime());
    assert.equal(await createLedger(database.db).fallbackDue(clock.now(), 10), 1, 'the SMS is released');
    let m = await rows(r.eventId);
    assert.deepEqual([m['whatsapp']!.status, m['sms']!.status], ['retrying', 'queued']);
    // A backlog in which WhatsApp's retry comes up first: a round of one takes it.
    await database.db.query('UPDATE notification_messages SET next_attempt_at = $2 WHERE id = $1', [m['whatsapp']!.id, new Date(clock.now().getTime() - SECOND)]);
    assert.equal(await d.runOnce(1), 1);
    m = await rows(r.eventId);
    assert.deepEqual([m['whatsapp']!.status, m['sms']!.status], ['accepted', 'queued']);
    const { rows: wa } = await database.db.query<{ provider_message_id: string }>('SELECT provider_message_id FROM notification_messages WHERE id = $1', [m['whatsapp']!.id]);
    await createLedger(database.db).applyReceipts([{
      provider: 'wa', providerMessageId: wa[0]!.provider_message_id, status: 'delivered', at: clock.now(), receiptId: 'wa-delivered',
    }], clock.now());
    await runThrough(d, new Date(start + deadlineMs));
    m = await rows(r.eventId);
    assert.deepEqual([m['whatsapp']!.status, m['sms']!.status], ['delivered', 'cancelled']);
    assert.equal(providers['smsA']!.sends.length + providers['smsB']!.sends.length, 0, 'no SMS sent');
    const sms = await timeline(m['sms']!.id);
    assert.deepEqual([sms.at(-1)!.state, sms.at(-1)!.detail], ['cancelled', 'not needed: the primary message was delivered']);
  });

  test('when the fallback cannot reach the client, the primary goes on retrying and is delivered once its provider is back', async () => {
    const start = clock.now().getTime();
    providers['wa']!.script = () => (clock.now().getTime() < start + 6 * MINUTE ? down : { kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    for (const name of ['smsA', 'smsB']) providers[name]!.script = () => ({ kind: 'permanent', code: '21610', detail: 'unsubscribed recipient', recipientInvalid: true });
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    await runThrough(dispatcher(), new Date(start + deadlineMs));
    const m = await rows(r.eventId);
    assert.equal(m['sms']!.status, 'undeliverable');
    assert.equal(m['whatsapp']!.status, 'accepted', 'WhatsApp went on after its fallback failed');
    assert.equal(providers['wa']!.sends.filter((s) => s.idempotencyKey === `${r.eventId}:${r.clientId}:whatsapp`).length, providers['wa']!.sends.length);
  });

  test('a primary stopped because its SMS was accepted goes on when that SMS then fails to reach the client', async () => {
    // Seen in the benchmark: WhatsApp rate-limited past the fallback time, the SMS accepted (so
    // WhatsApp stopped), then the SMS's delivery report said the number takes no SMS. The chain was
    // left with nothing moving though WhatsApp could still reach the client.
    const start = clock.now().getTime();
    providers['wa']!.script = () => (clock.now().getTime() < start + 6 * MINUTE ? down : { kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    const d = dispatcher();
    await runThrough(d, new Date(start + 3 * MINUTE));
    let m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'fell_back', 'stopped once the SMS was accepted');
    assert.equal(m['sms']!.status, 'accepted');
    const { rows: sms } = await database.db.query<{ provider: string; provider_message_id: string }>('SELECT provider, provider_message_id FROM notification_messages WHERE id = $1', [m['sms']!.id]);
    await createLedger(database.db).applyReceipts([{
      provider: sms[0]!.provider, providerMessageId: sms[0]!.provider_message_id, status: 'undelivered', code: '21614', recipientInvalid: true, at: clock.now(), receiptId: 'dlr-1',
    }], clock.now());
    m = await rows(r.eventId);
    assert.equal(m['sms']!.status, 'undeliverable');
    assert.equal(m['whatsapp']!.status, 'retrying', 'WhatsApp goes on');
    assert.equal((await timeline(m['whatsapp']!.id)).at(-1)!.state, 'resumed');
    await runThrough(d, new Date(start + deadlineMs));
    m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'accepted', 'delivered through WhatsApp once it was back');
    assert.equal(providers['smsA']!.sends.length + providers['smsB']!.sends.length, 1, 'one SMS only');
  });

  test('the same when the SMS fails over after its delivery report and the next SMS provider refuses it', async () => {
    const start = clock.now().getTime();
    providers['wa']!.script = () => (clock.now().getTime() < start + 6 * MINUTE ? down : { kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    providers['smsB']!.script = () => ({ kind: 'permanent', code: '21408', detail: 'region not enabled', recipientInvalid: false });
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    const d = dispatcher();
    await runThrough(d, new Date(start + 3 * MINUTE));
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'fell_back');
    const { rows: sms } = await database.db.query<{ provider: string; provider_message_id: string }>('SELECT provider, provider_message_id FROM notification_messages WHERE id = $1', [m['sms']!.id]);
    assert.equal(sms[0]!.provider, 'smsA');
    // Not a dead number: the SMS moves to smsB, which refuses it for good.
    await createLedger(database.db).applyReceipts([{ provider: 'smsA', providerMessageId: sms[0]!.provider_message_id, status: 'undelivered', code: '30008', at: clock.now(), receiptId: 'dlr-3' }], clock.now());
    await runThrough(d, new Date(start + deadlineMs));
    const after = await rows(r.eventId);
    assert.equal(after['sms']!.status, 'failed');
    assert.equal(providers['smsB']!.sends.length, 1);
    assert.equal(after['whatsapp']!.status, 'accepted', 'WhatsApp went on once both SMS routes had failed');
  });

  test('a delivery failure reported by the second provider, reached by failover, sends through the first, which never failed to deliver it', async () => {
    // Seen in the benchmark (1 chain in 56,308): MSG91 503s moved an SMS to Twilio, whose report said
    // the handset was unreachable; with Twilio the last of the list the message failed, though
    // MSG91 had only been busy.
    const start = clock.now().getTime();
    providers['smsA']!.script = () => (clock.now().getTime() < start + 10 * SECOND ? down : { kind: 'accepted', providerMessageId: `smsA-${randomUUID()}` });
    const r = request();
    await plan(r);
    const d = dispatcher();
    await runThrough(d, new Date(start + 5 * SECOND));
    let m = (await rows(r.eventId))['sms']!;
    assert.equal(m.provider, 'smsB', 'failed over to smsB after three 503s');
    assert.equal(m.status, 'accepted');
    const pmid = (await database.db.query<{ provider_message_id: string }>('SELECT provider_message_id FROM notification_messages WHERE id = $1', [m.id])).rows[0]!.provider_message_id;
    const ledger = createLedger(database.db);
    await ledger.applyReceipts([{ provider: 'smsB', providerMessageId: pmid, status: 'undelivered', code: '30003', at: clock.now(), receiptId: 'dlr-b' }], clock.now());
    m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'retrying', 'back to smsA, which never reported a failed delivery');
    clock.advance(10 * SECOND);
    await runThrough(d, new Date(start + deadlineMs));
    m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'accepted');
    assert.equal(m.provider, 'smsA');
    // smsA's report fails it too: both providers have now failed to deliver it, so it fails.
    const pmidA = (await database.db.query<{ provider_message_id: string }>('SELECT provider_message_id FROM notification_messages WHERE id = $1', [m.id])).rows[0]!.provider_message_id;
    await ledger.applyReceipts([{ provider: 'smsA', providerMessageId: pmidA, status: 'undelivered', code: 'ABSENT', at: clock.now(), receiptId: 'dlr-a' }], clock.now());
    assert.equal((await rows(r.eventId))['sms']!.status, 'failed');
  });

  test('a refusal by the second provider, reached by failover, sends through the first; one that failed to deliver it is not tried again', async () => {
    const start = clock.now().getTime();
    // smsA busy for 10 s; smsB refuses this message for good (not about the recipient).
    providers['smsA']!.script = () => (clock.now().getTime() < start + 10 * SECOND ? down : { kind: 'accepted', providerMessageId: `smsA-${randomUUID()}` });
    providers['smsB']!.script = () => ({ kind: 'permanent', code: '21408', detail: 'region not enabled', recipientInvalid: false });
    const r = request();
    await plan(r);
    const d = dispatcher();
    await runThrough(d, new Date(start + deadlineMs));
    let m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'accepted', 'delivered through smsA once it was free');
    assert.equal(m.provider, 'smsA');
    assert.equal(providers['smsB']!.sends.length, 1, 'smsB asked once');
    const failovers = (await timeline(m.id)).filter((e) => e.state === 'failover').map((e) => e.provider);
    assert.deepEqual(failovers, ['smsB', 'smsA']);

    // A second message: smsA reports a failed delivery, smsB is then busy for a while. Busy errors
    // fail over, but never back to smsA, which failed to deliver it: it waits for smsB.
    const later = clock.now().getTime();
    providers['smsA']!.script = () => ({ kind: 'accepted', providerMessageId: `smsA-${randomUUID()}` });
    providers['smsB']!.script = () => (clock.now().getTime() < later + 20 * SECOND ? down : { kind: 'accepted', providerMessageId: `smsB-${randomUUID()}` });
    const r2 = request();
    await plan(r2);
    await runThrough(d, new Date(later + SECOND));
    m = (await rows(r2.eventId))['sms']!;
    const pmid = (await database.db.query<{ provider_message_id: string }>('SELECT provider_message_id FROM notification_messages WHERE id = $1', [m.id])).rows[0]!.provider_message_id;
    await createLedger(database.db).applyReceipts([{ provider: 'smsA', providerMessageId: pmid, status: 'undelivered', code: '30003', at: clock.now(), receiptId: 'dlr-r2' }], clock.now());
    const sendsA = providers['smsA']!.sends.length;
    await runThrough(d, new Date(later + deadlineMs));
    m = (await rows(r2.eventId))['sms']!;
    assert.equal(m.status, 'accepted');
    assert.equal(m.provider, 'smsB');
    assert.equal(providers['smsA']!.sends.length, sendsA, 'smsA not tried again');
  });

  test('a superseded primary past its deadline fails when its fallback fails, rather than staying stopped', async () => {
    const start = clock.now().getTime();
    providers['wa']!.script = () => down;
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    await runThrough(dispatcher(), new Date(start + 3 * MINUTE));
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'fell_back');
    clock.advance(deadlineMs);
    const { rows: sms } = await database.db.query<{ provider: string; provider_message_id: string }>('SELECT provider, provider_message_id FROM notification_messages WHERE id = $1', [m['sms']!.id]);
    await createLedger(database.db).applyReceipts([{
      provider: sms[0]!.provider, providerMessageId: sms[0]!.provider_message_id, status: 'undelivered', code: '21614', recipientInvalid: true, at: clock.now(), receiptId: 'dlr-2',
    }], clock.now());
    const after = await rows(r.eventId);
    assert.equal(after['whatsapp']!.status, 'failed', 'its time was up: the chain ends failed, not stopped');
    assert.equal(after['whatsapp']!.last_code, 'http_503');
  });

  test('a WhatsApp receipt that comes before the send is recorded restarts the fallback clock: a backlog does not send the SMS too', async () => {
    // Found when a round's writes overlapped the next round (and so with two dispatchers): a message
    // planned minutes ago (its fallback clock long run out) was sent, Meta's "sent" came before the
    // round recorded the acceptance, and the fallback check in between saw a 'sent' message with the
    // planning-time clock: the SMS went too, though "delivered" came a moment later.
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    clock.advance(10 * MINUTE); // a backlog: sent long after it was planned
    const ledger = createLedger(database.db, { fallbackAfterMs: defaults.fallbackAfterMs });
    let released = -1;
    providers['wa']!.script = async (message) => {
      const providerMessageId = `wa-${randomUUID()}`;
      await ledger.applyReceipts([{ provider: 'wa', providerMessageId, status: 'sent', at: clock.now(), receiptId: 'sent', idempotencyKey: message.idempotencyKey }], clock.now());
      released = await ledger.fallbackDue(clock.now(), 100); // what another round or dispatcher does meanwhile
      return { kind: 'accepted', providerMessageId };
    };
    await dispatcher().runOnce();
    assert.equal(released, 0, 'no fallback released while the receipt is fresh');
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'sent');
    assert.equal(m['sms']!.status, 'waiting');
    assert.equal(providers['smsA']!.sends.length, 0);
  });

  test('the fallback clock of a message sent from a backlog starts at its first attempt: one busy answer does not send the SMS too', async () => {
    // Seen in the benchmark: WhatsApp messages planned 30-40 s before a busy dispatcher reached them
    // (5 s fallback clock there) released their SMS at their first 503, and WhatsApp then went too.
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    clock.advance(10 * MINUTE); // our own backlog: not the provider's fault
    let calls = 0;
    providers['wa']!.script = () => (++calls === 1 ? down : { kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    const start = clock.now().getTime();
    await runThrough(dispatcher(), new Date(start + 30 * SECOND));
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'accepted', 'accepted on its second attempt');
    assert.equal(m['sms']!.status, 'waiting', 'the SMS still waits (for a receipt, now)');
    assert.equal(providers['smsA']!.sends.length, 0);
  });

  test('a WhatsApp message accepted in time keeps its SMS waiting', async () => {
    const start = clock.now().getTime();
    providers['wa']!.script = () => (clock.now().getTime() < start + 30 * SECOND ? down : { kind: 'accepted', providerMessageId: `wa-${randomUUID()}` });
    const r = request({ channels: ['whatsapp', 'sms'] });
    await plan(r);
    await runThrough(dispatcher(), new Date(start + defaults.fallbackAfterMs - SECOND));
    const m = await rows(r.eventId);
    assert.equal(m['whatsapp']!.status, 'accepted');
    assert.equal(m['sms']!.status, 'waiting', 'the fallback clock restarted at acceptance, waiting for a receipt');
    assert.equal(providers['smsA']!.sends.length, 0);
  });

  test('a promotional SMS planned at night is held for the DLT window and gets its whole retry window from 10:00 IST', async () => {
    clock.advance(10 * 60 * MINUTE); // 16:00Z = 21:30 IST
    const heldAt = clock.now().getTime();
    let failures = 0;
    providers['smsA']!.script = () => (failures++ < 2 ? down : { kind: 'accepted', providerMessageId: `smsA-${randomUUID()}` });
    const r = request({ variables: { amount: 500, mode: 'UPI', balance: 900, promo: true } });
    await plan(r, { sms: ['smsA'] });
    const d = dispatcher();
    await d.runOnce();
    const held = (await rows(r.eventId))['sms']!;
    assert.equal(held.status, 'held');
    const opens = Date.parse('2026-11-26T04:30:00Z'); // 10:00 IST
    assert.equal(held.next_attempt_at.getTime(), opens);
    assert.equal(held.deadline.getTime(), opens + deadlineMs, 'the retry window starts when the DLT window opens');
    assert.equal(held.attempts, 0, 'a hold is not an attempt');
    assert.equal(providers['smsA']!.sends.length, 0);
    assert.ok(heldAt + deadlineMs < opens, 'the planned deadline had passed by the time it could go');
    await runThrough(d, new Date(opens + deadlineMs));
    const sent = (await rows(r.eventId))['sms']!;
    assert.equal(sent.status, 'accepted', 'failures after release were retried, not final');
    assert.equal(providers['smsA']!.sends.length, 3);
    assert.ok(clock.now().getTime() >= opens);
  });

  test('an event that expires before the DLT window opens cancels its promotional SMS instead of holding it', async () => {
    clock.advance(10 * 60 * MINUTE); // 21:30 IST
    const r = request({
      type: 'mtf.pledge_pending', variables: { isinCount: 2, cutoffTime: '2026-11-25T23:00:00+05:30', promo: true },
    });
    await plan(r, { sms: ['smsA'] });
    await dispatcher().runOnce();
    const m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'cancelled');
    assert.equal(m.last_code, 'expired');
    assert.equal(providers['smsA']!.sends.length, 0);
  });

  test('a message still retrying when its event expires is cancelled, not sent late', async () => {
    const start = clock.now().getTime();
    providers['smsA']!.script = () => down;
    // The cut-off is 10 minutes away: its deadline is the cut-off, and at the cut-off it stops.
    const cutoff = new Date(start + 10 * MINUTE);
    const r = request({ type: 'mtf.pledge_pending', variables: { isinCount: 2, cutoffTime: cutoff.toISOString() } });
    await plan(r, { sms: ['smsA'] });
    assert.equal((await rows(r.eventId))['sms']!.deadline.getTime(), cutoff.getTime());
    await runThrough(dispatcher(), new Date(start + deadlineMs));
    const m = (await rows(r.eventId))['sms']!;
    assert.equal(m.status, 'cancelled', 'its last try, at the cut-off, found it expired');
    assert.equal(m.last_code, 'expired');
    assert.ok(providers['smsA']!.sends.length > 3, 'it was retried until then');
    const { rows: late } = await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification_timeline WHERE message_id = $1 AND state = 'send_failed' AND at > $2`, [m.id, cutoff],
    );
    assert.equal(late[0]!.n, 0, 'no attempt after the cut-off');
  });
});
