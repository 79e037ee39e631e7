// WhatsApp webhooks through the adapter: the subscription handshake, X-Hub-Signature-256 over the
// raw bytes (a re-serialised body must fail), status parsing, and the fake's real webhooks posted
// to a local receiver with Meta's habits (read without delivered, failed by webhook only).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWhatsAppFake, type WhatsAppFake } from '../../fakes/whatsapp.ts';
import { createWhatsAppProvider } from '../../../src/notify/providers/whatsapp/whatsapp-provider.ts';
import { signWhatsAppBody } from '../../../src/notify/providers/whatsapp/whatsapp-webhook.ts';
import type { ChannelProvider, OutgoingMessage, Receipt, WebhookRequest } from '../../../src/notify/channel-provider.ts';

const credentials = { accessToken: 'EAAG-test-token', phoneNumberId: '106540352242922', appSecret: 'app-secret-for-tests', verifyToken: 'verify-me' };
const hookUrl = 'https://pravah.example/api/notify/webhooks/whatsapp';
const signal = new AbortController().signal;

function post(rawBody: Buffer | string, headers: Record<string, string>): WebhookRequest {
  return { url: hookUrl, method: 'POST', headers, rawBody: Buffer.from(rawBody) };
}

function message(n: number, suffix = '2347'): OutgoingMessage {
  return {
    messageId: `msg-${n}`,
    idempotencyKey: `evt-${n}:client-${n}:whatsapp`,
    channel: 'whatsapp',
    to: `+9197${String(n).padStart(4, '0')}${suffix}`,
    whatsapp: { templateName: 'funds_credited', language: 'en', category: 'utility', parameters: ['₹5,000.00'] },
  };
}

describe('WhatsApp webhooks: handshake and signatures', () => {
  let fake: WhatsAppFake;
  let provider: ChannelProvider;
  before(async () => {
    fake = await startWhatsAppFake({ ...credentials });
    provider = createWhatsAppProvider({ ...credentials, apiVersion: 'v21.0', baseUrl: fake.url, timeoutMs: 2000 });
  });
  after(() => fake.close());

  test('GET handshake: the right verify token echoes hub.challenge; a wrong token or mode is refused', async () => {
    const query = (mode: string, token: string) => `${hookUrl}?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const get = (url: string): WebhookRequest => ({ url, method: 'GET', headers: {}, rawBody: Buffer.alloc(0) });
    assert.deepEqual(await provider.handleWebhook!(get(query('subscribe', 'verify-me'))), { verified: true, receipts: [], reply: { status: 200, body: '1158201444' } });
    assert.equal((await provider.handleWebhook!(get(query('subscribe', 'verify-you')))).verified, false);
    assert.equal((await provider.handleWebhook!(get(query('subscribe', '')))).verified, false);
    assert.equal((await provider.handleWebhook!(get(query('unsubscribe', 'verify-me')))).verified, false);
    assert.equal((await provider.handleWebhook!(get(`${hookUrl}?hub.mode=subscribe&hub.challenge=1`))).verified, false);
  });

  test('statuses are parsed: wamid, status, time from the unix timestamp, receipt id, idempotency key, failure code', async () => {
    const sent = await provider.send(message(1), { signal });
    assert.equal(sent.kind, 'accepted');
    const id = sent.kind === 'accepted' ? sent.providerMessageId : '';
    const { rawBody, headers } = fake.statusWebhook([
      { id, status: 'sent', timestamp: 1_790_000_000 },
      { id, status: 'failed', timestamp: 1_790_000_005, errorCode: 131026 },
    ]);
    const result = await provider.handleWebhook!(post(rawBody, headers));
    assert.ok(result.verified, JSON.stringify(result));
    assert.deepEqual(result.receipts, [
      { provider: 'whatsapp-cloud', providerMessageId: id, status: 'sent', at: new Date(1_790_000_000_000), receiptId: `${id}:sent`, idempotencyKey: message(1).idempotencyKey },
      { provider: 'whatsapp-cloud', providerMessageId: id, status: 'failed', code: '131026', recipientInvalid: true, at: new Date(1_790_000_005_000), receiptId: `${id}:failed`, idempotencyKey: message(1).idempotencyKey },
    ]);
  });

  test('the signature holds over the raw bytes only: the same JSON re-serialised with other whitespace or unescaped text fails', async () => {
    const { rawBody, headers } = fake.statusWebhook([{ id: 'wamid.A', status: 'delivered', idempotencyKey: 'evt:₹:whatsapp' }]);
    assert.ok(rawBody.toString('utf8').includes('\\u20b9'), 'Meta escapes non-ASCII');
    assert.equal((await provider.handleWebhook!(post(rawBody, headers))).verified, true);
    const spaced = JSON.stringify(JSON.parse(rawBody.toString('utf8')), null, 2);
    assert.equal((await provider.handleWebhook!(post(spaced, headers))).verified, false);
    const unescaped = JSON.stringify(JSON.parse(rawBody.toString('utf8')));
    assert.notEqual(unescaped, rawBody.toString('utf8'));
    assert.equal((await provider.handleWebhook!(post(unescaped, headers))).verified, false);
  });

  test('a tampered body, a missing or malformed header, another secret and other methods are refused with no receipts', async () => {
    const { rawBody, headers } = fake.statusWebhook([{ id: 'wamid.B', status: 'delivered', idempotencyKey: 'k' }]);
    const tampered = Buffer.from(rawBody.toString('utf8').replace('"delivered"', '"read"'));
    const refused = [
      post(tampered, headers),
      post(rawBody, { 'content-type': 'application/json' }),
      post(rawBody, { 'x-hub-signature-256': headers['x-hub-signature-256']!.replace('sha256=', '') }),
      post(rawBody, { 'x-hub-signature-256': 'sha256=zz' }),
      post(rawBody, { 'x-hub-signature-256': signWhatsAppBody(rawBody, 'another-app-secret') }),
      { ...post(rawBody, headers), headers: { 'x-hub-signature-256': [headers['x-hub-signature-256']!, headers['x-hub-signature-256']!] } },
      { ...post(rawBody, headers), method: 'PUT' },
    ];
    for (const request of refused) {
      const result = await provider.handleWebhook!(request);
      assert.equal(result.verified, false, JSON.stringify(request.headers));
      assert.equal('receipts' in result, false);
    }
    // Header names arrive in any case.
    assert.equal((await provider.handleWebhook!(post(rawBody, { 'X-Hub-Signature-256': headers['x-hub-signature-256']! }))).verified, true);
  });

  test('inbound messages, other fields, other phone numbers and unknown statuses give no receipts', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{
        id: 'WABA',
        changes: [
          { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: credentials.phoneNumberId }, contacts: [{ profile: { name: 'A' }, wa_id: '919800000000' }], messages: [{ from: '919800000000', id: 'wamid.IN', timestamp: '1790000000', type: 'text', text: { body: 'STOP' } }] } },
          { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'mtf_margin_call' } },
          { field: 'messages', value: { metadata: { phone_number_id: 'another-number' }, statuses: [{ id: 'wamid.OTHER', status: 'delivered', timestamp: '1790000000' }] } },
          { field: 'messages', value: { metadata: { phone_number_id: credentials.phoneNumberId }, statuses: [{ id: 'wamid.P', status: 'played', timestamp: '1790000000' }, { status: 'read' }] } },
        ],
      }],
    });
    const result = await provider.handleWebhook!(post(body, { 'x-hub-signature-256': signWhatsAppBody(body, credentials.appSecret) }));
    assert.deepEqual(result, { verified: true, receipts: [] });
    const notJson = 'not json';
    assert.equal((await provider.handleWebhook!(post(notJson, { 'x-hub-signature-256': signWhatsAppBody(notJson, credentials.appSecret) }))).verified, false);
  });
});

describe('WhatsApp webhooks: the fake posts signed statuses to a receiver', () => {
  let fake: WhatsAppFake;
  let provider: ChannelProvider;
  let receiver: http.Server;
  const received: Receipt[] = [];
  const refused: string[] = [];
  before(async () => {
    fake = await startWhatsAppFake({ ...credentials, seed: 11 });
    provider = createWhatsAppProvider({ ...credentials, apiVersion: 'v21.0', baseUrl: fake.url, timeoutMs: 2000 });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void provider.handleWebhook!({ url: `http://127.0.0.1${req.url}`, method: req.method ?? 'GET', headers: req.headers, rawBody: Buffer.concat(chunks) }).then((result) => {
          if (!result.verified) {
            refused.push(result.reason);
            return void res.writeHead(401).end();
          }
          received.push(...result.receipts);
          res.writeHead(result.reply?.status ?? 200).end(result.reply?.body ?? '');
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    fake.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/whatsapp`);
  });
  after(async () => {
    await fake.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test("Meta's subscription handshake passes with our verify token only", async () => {
    assert.equal(await fake.verifySubscription('verify-me'), true);
    assert.equal(await fake.verifySubscription('guess'), false);
  });

  test('every accepted message gets sent and delivered or read, some read without delivered, all with their idempotency key', async () => {
    received.length = 0;
    refused.length = 0;
    const messages = Array.from({ length: 30 }, (_, i) => message(100 + i));
    const ids = new Map<string, string>();
    for (const m of messages) {
      const outcome = await provider.send(m, { signal });
      assert.equal(outcome.kind, 'accepted');
      if (outcome.kind === 'accepted') ids.set(outcome.providerMessageId, m.idempotencyKey);
    }
    await fake.receiptsSettled();
    assert.deepEqual(refused, []);
    let readOnly = 0;
    for (const [id, key] of ids) {
      const mine = received.filter((r) => r.providerMessageId === id);
      assert.ok(mine.every((r) => r.idempotencyKey === key));
      const statuses = new Set(mine.map((r) => r.status));
      assert.ok(statuses.has('sent'), id);
      assert.ok(statuses.has('delivered') || statuses.has('read'), id);
      if (statuses.has('read') && !statuses.has('delivered')) readOnly++;
    }
    assert.ok(readOnly > 0, 'some messages were read in an open chat without a delivered status');
  });

  test('a number Meta can only fail by webhook: accepted, then failed with 131026', async () => {
    received.length = 0;
    const m = message(500, '0001');
    const outcome = await provider.send(m, { signal });
    assert.equal(outcome.kind, 'accepted');
    await fake.receiptsSettled();
    const failed = received.find((r) => r.status === 'failed');
    assert.equal(failed?.code, '131026');
    assert.equal(failed?.idempotencyKey, m.idempotencyKey);
  });

  test('duplicated and reordered statuses keep one receipt id per status, so the receipts service can drop repeats', async () => {
    received.length = 0;
    fake.receiptFaults = { duplicate: 1, reorder: true };
    try {
      const outcome = await provider.send(message(600), { signal });
      assert.equal(outcome.kind, 'accepted');
      await fake.receiptsSettled();
    } finally {
      fake.receiptFaults = {};
    }
    const ids = received.map((r) => r.receiptId);
    assert.ok(ids.length >= 4);
    assert.equal(new Set(ids).size * 2, ids.length);
  });
});
