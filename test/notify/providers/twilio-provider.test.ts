// The Twilio adapter's own cases beyond the contract: the exact form it posts, each documented code's
// classification, Retry-After, its timeout and the caller's abort, an in-doubt send reconciled by
// findSent, pollStatus, and outcomes that never quote the number or the text.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTwilioProvider, type TwilioProviderOptions } from '../../../src/notify/providers/twilio/twilio-provider.ts';
import { parseRetryAfter } from '../../../src/notify/providers/retry-after.ts';
import type { OutgoingMessage, SendOutcome } from '../../../src/notify/channel-provider.ts';
import { startTwilioFake, type TwilioFake } from '../../fakes/twilio.ts';

const accountSid = `AC${'2'.repeat(32)}`;
const authToken = 'provider-test-token';
const signal = new AbortController().signal;
let n = 0;

function sms(to: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  n++;
  return {
    messageId: `msg-${n}`,
    idempotencyKey: `evt-${n}:client-7:sms`,
    channel: 'sms',
    to,
    sms: { text: `Pravah: MTF margin call ${n}, shortfall Rs 12,500.00 due 26 Nov`, unicode: false, dlt: { peId: '1101', header: 'PRAVAH', templateId: '1107', category: 'transactional' } },
    ...overrides,
  };
}
/** A number the fake delivers to, unique per call. */
const deliverable = () => `+9198${String(n + 1).padStart(4, '0')}1234`;

describe('Twilio provider', () => {
  let fake: TwilioFake;
  const make = (o: Partial<TwilioProviderOptions> = {}) => createTwilioProvider({ accountSid, authToken, from: '+15005550006', baseUrl: fake.url, timeoutMs: 2000, ...o });

  before(async () => {
    fake = await startTwilioFake({ accountSid, authToken, seed: 5 });
  });
  after(() => fake.close());

  test('posts To, From, Body and StatusCallback, with the idempotency key as a header', async () => {
    const message = sms(deliverable(), { statusCallbackUrl: 'http://127.0.0.1:9/unused?m=1' });
    fake.receiptFaults.lose = 1; // nobody listens at the callback URL
    const outcome = await make().send(message, { signal });
    fake.receiptFaults.lose = 0;
    assert.equal(outcome.kind, 'accepted');
    const sent = fake.createRequests.at(-1)!;
    assert.deepEqual(sent.form, { To: message.to, From: '+15005550006', Body: message.sms!.text, StatusCallback: 'http://127.0.0.1:9/unused?m=1' });
    assert.equal(sent.idempotencyKey, message.idempotencyKey);
    assert.equal(outcome.kind === 'accepted' && /^SM[0-9a-f]{32}$/.test(outcome.providerMessageId), true);
  });

  test('a messaging service replaces From; without a callback URL no StatusCallback is sent', async () => {
    const message = sms(deliverable());
    const outcome = await make({ messagingServiceSid: `MG${'3'.repeat(32)}` }).send(message, { signal });
    assert.equal(outcome.kind, 'accepted');
    assert.deepEqual(fake.createRequests.at(-1)!.form, { To: message.to, MessagingServiceSid: `MG${'3'.repeat(32)}`, Body: message.sms!.text });
  });

  test("the provider's default StatusCallback applies when the message has none", async () => {
    fake.receiptFaults.lose = 1;
    await make({ statusCallbackUrl: 'http://127.0.0.1:9/default' }).send(sms(deliverable()), { signal });
    fake.receiptFaults.lose = 0;
    assert.equal(fake.createRequests.at(-1)!.form.StatusCallback, 'http://127.0.0.1:9/default');
  });

  test('a provider needs a sender; a message for another channel is a programming error', async () => {
    assert.throws(() => createTwilioProvider({ accountSid, authToken, timeoutMs: 1000 }), /from.*messagingServiceSid/);
    await assert.rejects(make().send({ ...sms(deliverable()), channel: 'push' }, { signal }), /SMS only/);
  });

  test('each documented permanent code is permanent; unreachable recipients are marked invalid', async () => {
    const provider = make();
    const expected: Array<[string, boolean]> = [['21211', true], ['21610', true], ['21614', true], ['30006', true], ['21608', false], ['21900', false], ['21901', false]];
    for (const [code, recipientInvalid] of expected) {
      fake.queueFaults({ kind: 'status', status: 400, code });
      const outcome = await provider.send(sms(deliverable()), { signal });
      assert.equal(outcome.kind, 'permanent', `${code}: ${JSON.stringify(outcome)}`);
      if (outcome.kind !== 'permanent') continue;
      assert.equal(outcome.code, code);
      assert.equal(outcome.recipientInvalid ?? false, recipientInvalid, code);
    }
  });

  test("the fake's refused numbers come back permanent with their codes, and nothing is delivered", async () => {
    for (const [suffix, code] of [['0000', '21211'], ['0001', '21614'], ['0002', '21610']] as const) {
      const message = sms(`+919876${suffix}`);
      const outcome = await make().send(message, { signal });
      assert.deepEqual([outcome.kind, outcome.kind === 'permanent' && outcome.code, outcome.kind === 'permanent' && outcome.recipientInvalid], ['permanent', code, true]);
      assert.equal(fake.deliveries.get(message.idempotencyKey), undefined);
    }
  });

  test('throttling, 5xx and handset-unreachable are retryable; a refused credential is permanent', async () => {
    const provider = make();
    const cases: Array<[number, string | undefined, string]> = [[429, undefined, '20429'], [429, '20429', '20429'], [500, undefined, '20500'], [503, undefined, '20503'], [502, undefined, '20500'], [400, '30003', '30003']];
    for (const [status, code, want] of cases) {
      fake.queueFaults({ kind: 'status', status, ...(code ? { code } : {}) });
      const outcome = await provider.send(sms(deliverable()), { signal });
      assert.deepEqual([outcome.kind, outcome.kind !== 'accepted' && outcome.code], ['retryable', want], `${status}/${code}`);
    }
    const wrongToken = make({ authToken: 'not-the-token' });
    const outcome = await wrongToken.send(sms(deliverable()), { signal });
    assert.deepEqual([outcome.kind, outcome.kind !== 'accepted' && outcome.code], ['permanent', '20003']);
  });

  test('Retry-After is honoured on 429 and 503, in seconds or as an HTTP date', async () => {
    fake.queueFaults({ kind: 'status', status: 429, retryAfterSeconds: 7 }, { kind: 'status', status: 503, retryAfterSeconds: 3 });
    const provider = make();
    const first = await provider.send(sms(deliverable()), { signal });
    const second = await provider.send(sms(deliverable()), { signal });
    assert.equal(first.kind === 'retryable' && first.retryAfterMs, 7000);
    assert.equal(second.kind === 'retryable' && second.retryAfterMs, 3000);
    const now = Date.parse('2026-11-26T10:00:00Z');
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    const plain = await provider.send(sms(deliverable()), { signal });
    assert.equal(plain.kind, 'accepted');
  });

  test('timeoutMs bounds a request that never answers', async () => {
    fake.queueFaults({ kind: 'timeout' });
    const started = performance.now();
    const outcome = await make({ timeoutMs: 150 }).send(sms(deliverable()), { signal });
    const elapsed = performance.now() - started;
    // On a loaded machine the request may give up before the fake has read it: its fault must not pass to the next test.
    fake.clearFaults();
    assert.deepEqual([outcome.kind, outcome.kind !== 'accepted' && outcome.code], ['retryable', 'timeout']);
    assert.ok(elapsed >= 140 && elapsed < 1000, `took ${elapsed} ms`);
  });

  test("the caller's abort ends a send at once, as retryable", async () => {
    fake.queueFaults({ kind: 'timeout' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const outcome = await make({ timeoutMs: 10_000 }).send(sms(deliverable()), { signal: controller.signal });
    fake.clearFaults();
    assert.deepEqual([outcome.kind, outcome.kind !== 'accepted' && outcome.code], ['retryable', 'aborted']);
    assert.ok(performance.now() - started < 1000);
  });

  test('an in-doubt send (accepted, connection dropped) is found by findSent without sending again', async () => {
    const provider = make();
    const message = sms(deliverable());
    const since = new Date();
    fake.queueFaults({ kind: 'accept-then-drop' });
    const outcome = await provider.send(message, { signal });
    assert.deepEqual([outcome.kind, outcome.kind !== 'accepted' && outcome.code], ['retryable', 'connection']);
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);

    const found = await provider.findSent!(message, since, { signal });
    const stored = [...fake.messages.values()].find((m) => m.idempotencyKey === message.idempotencyKey)!;
    assert.deepEqual(found, { providerMessageId: stored.sid });
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
    assert.equal(fake.createRequests.filter((r) => r.idempotencyKey === message.idempotencyKey).length, 1);
  });

  test('findSent finds nothing for a message never sent, another text to the number, or an earlier send', async () => {
    const provider = make();
    const message = sms(deliverable());
    const since = new Date(Date.now() - 1000);
    assert.equal(await provider.findSent!(message, since, { signal }), null);
    assert.equal((await provider.send(message, { signal })).kind, 'accepted');
    const other = { ...message, sms: { ...message.sms!, text: 'Pravah: a different alert' } };
    assert.equal(await provider.findSent!(other, since, { signal }), null);
    // `since` less the minute allowed for Twilio's clock is still after the send.
    assert.equal(await provider.findSent!(message, new Date(Date.now() + 62_000), { signal }), null);
    assert.notEqual(await provider.findSent!(message, since, { signal }), null);
  });

  test('a message still in Twilio\'s queue (no DateSent yet) is found too; pollStatus waits for it', async () => {
    const provider = make();
    const message = sms(deliverable());
    const since = new Date();
    fake.holdInQueue = true;
    fake.queueFaults({ kind: 'accept-then-drop' });
    try {
      assert.equal((await provider.send(message, { signal })).kind, 'retryable');
      const stored = [...fake.messages.values()].find((m) => m.idempotencyKey === message.idempotencyKey)!;
      assert.equal(stored.status, 'queued');
      assert.deepEqual(await provider.findSent!(message, since, { signal }), { providerMessageId: stored.sid });
      assert.equal(await provider.pollStatus!(stored.sid, { signal }), null);
      fake.releaseQueue();
      assert.equal((await provider.pollStatus!(stored.sid, { signal }))?.status, 'delivered');
      assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
    } finally {
      fake.holdInQueue = false;
    }
  });

  test('findSent reads past the first page of messages to the number', async () => {
    const provider = make();
    const to = deliverable();
    const since = new Date(Date.now() - 1000);
    const first = sms(to);
    assert.equal((await provider.send(first, { signal })).kind, 'accepted');
    for (let i = 0; i < 120; i++) assert.equal((await provider.send(sms(to), { signal })).kind, 'accepted');
    const found = await provider.findSent!(first, since, { signal });
    assert.equal(found?.providerMessageId, [...fake.messages.values()].find((m) => m.idempotencyKey === first.idempotencyKey)!.sid);
  });

  test('pollStatus maps delivered, undelivered and failed, and is null for an unknown message', async () => {
    const provider = make();
    const cases: Array<[string, string, string | undefined]> = [[deliverable(), 'delivered', undefined], ['+919876549999', 'undelivered', '30003'], ['+919876548888', 'failed', '30006']];
    for (const [to, status, code] of cases) {
      const outcome = await provider.send(sms(to), { signal });
      assert.equal(outcome.kind, 'accepted');
      const sid = outcome.kind === 'accepted' ? outcome.providerMessageId : '';
      const receipt = await provider.pollStatus!(sid, { signal });
      assert.ok(receipt);
      assert.deepEqual([receipt.provider, receipt.providerMessageId, receipt.status, receipt.code, receipt.receiptId], ['twilio', sid, status, code, `${sid}:${status}`]);
      assert.ok(receipt.at instanceof Date && !Number.isNaN(receipt.at.getTime()));
    }
    assert.equal(await provider.pollStatus!(`SM${'0'.repeat(32)}`, { signal }), null);
  });

  test('a lookup Twilio cannot answer throws an error that names the code, not the number', async () => {
    const provider = make();
    const message = sms('+919812340000');
    fake.queueFaults({ kind: 'status', status: 503 });
    await assert.rejects(provider.pollStatus!(`SM${'0'.repeat(32)}`, { signal }), (e: Error) => /20503/.test(e.message));
    fake.queueFaults({ kind: 'drop' });
    await assert.rejects(provider.findSent!(message, new Date(), { signal }), (e: Error) => /connection/.test(e.message) && !e.message.includes('9812340000'));
  });

  test('no outcome detail quotes the phone number or the message text', async () => {
    const provider = make();
    const outcomes: SendOutcome[] = [];
    const messages: OutgoingMessage[] = [];
    const send = async (m: OutgoingMessage) => {
      messages.push(m);
      outcomes.push(await provider.send(m, { signal }));
    };
    // The fake, like Twilio, quotes the number in these errors' messages.
    for (const suffix of ['0000', '0001', '0002']) await send(sms(`+919845${suffix}`));
    for (const code of ['21608', '21211', '30003']) {
      fake.queueFaults({ kind: 'status', status: 400, code });
      await send(sms('+919845671234'));
    }
    for (const fault of [{ kind: 'status', status: 429, retryAfterSeconds: 1 }, { kind: 'status', status: 500 }, { kind: 'drop' }, { kind: 'accept-then-drop' }] as const) {
      fake.queueFaults(fault);
      await send(sms('+919845671234'));
    }
    fake.queueFaults({ kind: 'timeout' });
    const slow = make({ timeoutMs: 100 });
    const late = sms('+919845671234');
    messages.push(late);
    outcomes.push(await slow.send(late, { signal }));
    assert.equal(outcomes.length, 11);
    for (const [i, outcome] of outcomes.entries()) {
      assert.notEqual(outcome.kind, 'accepted');
      if (outcome.kind === 'accepted') continue;
      const m = messages[i]!;
      assert.ok(outcome.detail.length > 0);
      assert.ok(!outcome.detail.includes(m.to.slice(3)), `number in ${outcome.detail}`);
      assert.ok(!outcome.detail.includes(m.sms!.text.slice(0, 20)), `text in ${outcome.detail}`);
    }
  });
});
