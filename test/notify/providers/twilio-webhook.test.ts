// Twilio status callbacks end to end: the fake posts signed callbacks (its own HMAC, not the SDK's)
// to a loopback receiver, and the adapter verifies and parses what arrived, as the webhook route will.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioProvider } from '../../../src/notify/providers/twilio/twilio-provider.ts';
import type { ChannelProvider, OutgoingMessage, Receipt, WebhookRequest } from '../../../src/notify/channel-provider.ts';
import { signTwilioRequest, startTwilioFake, type TwilioFake } from '../../fakes/twilio.ts';

const accountSid = `AC${'4'.repeat(32)}`;
const authToken = 'webhook-test-token';
const signal = new AbortController().signal;
const at = new Date('2026-11-26T10:15:00Z');

/** Collects every POST as the webhook route would see it: full URL, headers, exact bytes. */
async function startReceiver() {
  const received: WebhookRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: `http://${req.headers.host}${req.url}`, method: req.method ?? 'POST', headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/twilio?tenant=main`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Twilio status callbacks', () => {
  let fake: TwilioFake;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let provider: ChannelProvider;
  let n = 0;
  const message = (to: string): OutgoingMessage => ({
    messageId: `msg-${++n}`,
    idempotencyKey: `evt-${n}:client-3:sms`,
    channel: 'sms',
    to,
    sms: { text: `Pravah: F&O expiry reminder ${n}`, unicode: false, dlt: { peId: '1101', header: 'PRAVAH', templateId: '1107', category: 'transactional' } },
    statusCallbackUrl: receiver.url,
  });
  async function sendAndSettle(to: string): Promise<string> {
    const outcome = await provider.send(message(to), { signal });
    assert.equal(outcome.kind, 'accepted');
    await fake.receiptsSettled();
    return outcome.kind === 'accepted' ? outcome.providerMessageId : '';
  }
  async function receiptsFor(sid: string): Promise<Receipt[]> {
    const receipts: Receipt[] = [];
    for (const request of receiver.received) {
      const result = await provider.handleWebhook!(request);
      assert.equal(result.verified, true, JSON.stringify(result));
      if (result.verified) receipts.push(...result.receipts.filter((r) => r.providerMessageId === sid));
    }
    return receipts;
  }

  before(async () => {
    fake = await startTwilioFake({ accountSid, authToken, seed: 3 });
    receiver = await startReceiver();
    provider = createTwilioProvider({ accountSid, authToken, from: '+15005550006', baseUrl: fake.url, timeoutMs: 2000, now: () => at });
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });

  test("the fake's signature follows Twilio's documented example", () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };
    assert.equal(signTwilioRequest('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params), 'GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  test('a delivered message posts sent then delivered, each verified and parsed with its token', async () => {
    receiver.received.length = 0;
    const sid = await sendAndSettle('+919811112222');
    const receipts = await receiptsFor(sid);
    assert.deepEqual(receipts.map((r) => r.status), ['sent', 'delivered']);
    const tokens = fake.callbacksSent.filter((c) => c.sid === sid).map((c) => c.token);
    assert.deepEqual(receipts.map((r) => r.receiptId), tokens);
    assert.ok(receipts.every((r) => r.provider === 'twilio' && r.at === at && r.code === undefined));
  });

  test('undelivered and failed receipts carry the error code', async () => {
    receiver.received.length = 0;
    const undelivered = await sendAndSettle('+919811119999');
    const failed = await sendAndSettle('+919811118888');
    assert.deepEqual((await receiptsFor(undelivered)).map((r) => [r.status, r.code]), [['sent', undefined], ['undelivered', '30003']]);
    assert.deepEqual((await receiptsFor(failed)).map((r) => [r.status, r.code]), [['failed', '30006']]);
  });

  test('a duplicated callback gives the same receiptId twice; reordered ones keep their ids', async () => {
    receiver.received.length = 0;
    fake.receiptFaults = { duplicate: 1, reorder: true };
    const sid = await sendAndSettle('+919811113333');
    fake.receiptFaults = {};
    const receipts = await receiptsFor(sid);
    assert.equal(receipts.length, 4);
    const byId = new Map<string, string[]>();
    for (const r of receipts) byId.set(r.receiptId, [...(byId.get(r.receiptId) ?? []), r.status]);
    assert.equal(byId.size, 2);
    assert.deepEqual([...byId.values()].map((s) => s.join()).sort(), ['delivered,delivered', 'sent,sent']);
  });

  test('without the idempotency token the receiptId is sid and status', async () => {
    const request = toRequest(fake.statusCallback(`SM${'a'.repeat(32)}`, 'delivered', { url: receiver.url }));
    delete request.headers['i-twilio-idempotency-token'];
    const result = await provider.handleWebhook!(request);
    assert.equal(result.verified && result.receipts[0]!.receiptId, `SM${'a'.repeat(32)}:delivered`);
  });

  test('statuses before the message left Twilio verify but give no receipt', async () => {
    for (const status of ['queued', 'accepted', 'sending']) {
      const result = await provider.handleWebhook!(toRequest(fake.statusCallback(`SM${'b'.repeat(32)}`, status, { url: receiver.url })));
      assert.deepEqual(result, { verified: true, receipts: [] });
    }
  });

  test('forged, tampered, re-addressed or unsigned callbacks are refused', async () => {
    const good = toRequest(fake.statusCallback(`SM${'c'.repeat(32)}`, 'failed', { url: receiver.url, errorCode: '30006' }));
    assert.equal((await provider.handleWebhook!(good)).verified, true);
    const refused: Array<[string, WebhookRequest]> = [
      ['tampered body', { ...good, rawBody: Buffer.from(good.rawBody.toString().replace('MessageStatus=failed', 'MessageStatus=delivered')) }],
      ['added parameter', { ...good, rawBody: Buffer.concat([good.rawBody, Buffer.from('&Extra=1')]) }],
      ['wrong URL', { ...good, url: receiver.url.replace('tenant=main', 'tenant=other') }],
      ['missing header', { ...good, headers: withoutSignature(good.headers) }],
      ['signed with another token', toRequest(signedWithToken('another-token', good))],
      ['not a POST', { ...good, method: 'GET' }],
    ];
    for (const [what, request] of refused) {
      const result = await provider.handleWebhook!(request);
      assert.equal(result.verified, false, what);
      assert.ok(!('receipts' in result), what);
    }
  });
});

function toRequest(callback: { url: string; headers: Record<string, string>; body: string }): WebhookRequest {
  return { url: callback.url, method: 'POST', headers: { ...callback.headers }, rawBody: Buffer.from(callback.body) };
}

function withoutSignature(headers: WebhookRequest['headers']): WebhookRequest['headers'] {
  const copy = { ...headers };
  delete copy['x-twilio-signature'];
  return copy;
}

/** The same callback, signed by someone holding a different auth token. */
function signedWithToken(token: string, request: WebhookRequest): { url: string; headers: Record<string, string>; body: string } {
  const body = request.rawBody.toString();
  const signature = signTwilioRequest(token, request.url, Object.fromEntries(new URLSearchParams(body)));
  return { url: request.url, headers: { 'x-twilio-signature': signature }, body };
}
