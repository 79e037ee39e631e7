// MSG91 adapter against the fake MSG91 gateway: the shared contract, then the exact send form,
// every documented error code class (DLT scrubbing, auth, invalid numbers, promotional window,
// throttling), the duplicate-request answer, the client reference, delivery-report webhooks with
// their token, the logs report, and outcome details free of numbers and message text.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelProvider, OutgoingMessage, Receipt, SendOutcome, WebhookRequest } from '../../../src/notify/channel-provider.ts';
import { createMsg91Provider, msg91WebhookUrl, type Msg91ProviderOptions } from '../../../src/notify/providers/msg91/msg91-provider.ts';
import { idempotencyKeyOfReference, msg91ClientReference } from '../../../src/notify/providers/msg91/msg91-reference.ts';
import { deriveMsg91WebhookToken } from '../../../src/notify/providers/msg91/msg91-webhook.ts';
import { startMsg91Fake, type DltTemplate, type Msg91Fake } from '../../fakes/msg91.ts';
import { describeChannelProviderContract } from '../../contracts/channel-provider.contract.ts';

const authKey = '412345AbCdEfGhIjKlMn0p1';
const peId = '1101234567890123456';
const webhookToken = 'wh-secret-0123456789';
const signal = new AbortController().signal;

const margin: DltTemplate = {
  templateId: '1107161234567890001',
  peId,
  header: 'PRVAHB',
  pattern: 'Dear client, your margin shortfall of Rs {#var#} on {#var#} must be met by {#var#}. -Pravah Broking',
};
const marginHindi: DltTemplate = {
  templateId: '1107161234567890002',
  peId,
  header: 'PRVAHB',
  pattern: 'प्रिय ग्राहक, आपके खाते में ₹{#var#} की मार्जिन कमी है। -प्रवाह ब्रोकिंग',
};
const offer: DltTemplate = { templateId: '1107161234567890003', peId, header: 'PRVAHO', pattern: 'Open an MTF account this week and get {#var#} off brokerage. -Pravah Broking' };

function smsMessage(n: number, to = `+9198${String(n).padStart(8, '0')}`): OutgoingMessage {
  return {
    messageId: `msg-${n}`,
    idempotencyKey: `evt-${n}.client-${n}.sms`,
    channel: 'sms',
    to,
    sms: {
      text: `Dear client, your margin shortfall of Rs 12,500.00 on ${n} must be met by 3 pm. -Pravah Broking`,
      dlt: { peId, header: 'PRVAHB', templateId: margin.templateId, category: 'service_implicit' },
      unicode: false,
    },
  };
}

function webhookRequest(rawBody: Buffer, token: string | null = webhookToken, method = 'POST'): WebhookRequest {
  const url = token === null ? 'https://pravah.example/api/webhooks/msg91' : `https://pravah.example/api/webhooks/msg91?token=${encodeURIComponent(token)}`;
  return { url, method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody };
}

function providerFor(fake: Msg91Fake, extra: Partial<Msg91ProviderOptions> = {}): ChannelProvider {
  return createMsg91Provider({ authKey, senderId: 'PRVAHB', peId, baseUrl: fake.url, timeoutMs: 500, webhookToken, ...extra });
}

describeChannelProviderContract('msg91', async () => {
  const fake = await startMsg91Fake({ authKey, templates: [margin] });
  return {
    provider: providerFor(fake),
    fake,
    message: (n) => smsMessage(n),
    invalidRecipient: (n) => smsMessage(n, `+910000${String(n).padStart(6, '0')}`),
    webhook: {
      signed: (requestId, status) =>
        webhookRequest(fake.reportBody([{ requestId, number: '919800000000', status: status === 'delivered' ? '1' : '2', desc: status === 'delivered' ? 'DELIVERED' : 'FAILED' }])),
      tamper: (request) => ({ ...request, url: request.url.replace(/token=[^&]*/, 'token=forged') }),
    },
    close: () => fake.close(),
  };
});

describe('MSG91 provider: sending', () => {
  let fake: Msg91Fake;
  let provider: ChannelProvider;
  let n = 1000;
  before(async () => {
    // 11:00 IST: inside the promotional window.
    fake = await startMsg91Fake({ authKey, templates: [margin, marginHindi, offer], now: () => new Date('2026-03-02T05:30:00Z'), seed: 3 });
    provider = providerFor(fake);
  });
  after(() => fake.close());

  test('posts the HTTP send API form: rendered text, DLT template and entity ids, header, route, CRQID', async () => {
    const message = smsMessage(++n);
    const outcome = await provider.send(message, { signal });
    assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
    assert.equal(outcome.kind === 'accepted' && outcome.providerMessageId, fake.sends.at(-1)!.requestId);
    assert.deepEqual(fake.sends.at(-1)!.form, {
      authkey: authKey,
      mobiles: message.to.slice(1),
      message: message.sms!.text,
      sender: 'PRVAHB',
      route: '4',
      country: '91',
      DLT_TE_ID: margin.templateId,
      PE_ID: peId,
      CRQID: message.idempotencyKey,
      response: 'json',
    });
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
  });

  test('Hindi goes with unicode=1; promotional templates go on route 1 with their own header', async () => {
    const hindi = { ...smsMessage(++n), sms: { text: 'प्रिय ग्राहक, आपके खाते में ₹12,500.00 की मार्जिन कमी है। -प्रवाह ब्रोकिंग', dlt: { peId, header: 'PRVAHB', templateId: marginHindi.templateId, category: 'transactional' as const }, unicode: true } };
    assert.equal((await provider.send(hindi, { signal })).kind, 'accepted');
    assert.equal(fake.sends.at(-1)!.form.unicode, '1');
    assert.equal(fake.sends.at(-1)!.form.message, hindi.sms.text);
    const promo = { ...smsMessage(++n), sms: { text: 'Open an MTF account this week and get 50% off brokerage. -Pravah Broking', dlt: { peId, header: 'PRVAHO', templateId: offer.templateId, category: 'promotional' as const }, unicode: false } };
    assert.equal((await provider.send(promo, { signal })).kind, 'accepted');
    assert.equal(fake.sends.at(-1)!.form.route, '1');
    assert.equal(fake.sends.at(-1)!.form.sender, 'PRVAHO');
  });

  test('DLT scrubbing failures are permanent: unknown template, text off the pattern, wrong header, wrong entity', async () => {
    const base = smsMessage(++n);
    const cases: Array<[OutgoingMessage, string]> = [
      [{ ...base, sms: { ...base.sms!, dlt: { ...base.sms!.dlt, templateId: '1107169999999999999' } } }, '630'],
      [{ ...base, sms: { ...base.sms!, text: `${base.sms!.text} Ignore.` } }, '630'],
      [{ ...base, sms: { ...base.sms!, text: base.sms!.text.replace('12,500.00', 'a'.repeat(31)) } }, '630'],
      [{ ...base, sms: { ...base.sms!, dlt: { ...base.sms!.dlt, header: 'OTHERH' } } }, '620'],
      [{ ...base, sms: { ...base.sms!, dlt: { ...base.sms!.dlt, peId: '1101999999999999999' } } }, '623'],
    ];
    for (const [message, code] of cases) {
      const outcome = await provider.send(message, { signal });
      assert.deepEqual(pick(outcome), { kind: 'permanent', code }, JSON.stringify(message.sms?.dlt));
      assert.match(outcome.kind === 'permanent' ? outcome.detail : '', /DLT/);
    }
    assert.equal(fake.deliveries.get(base.idempotencyKey) ?? 0, 0);
  });

  test('auth, invalid number and account errors are classified by MSG91 code', async () => {
    const wrongKey = providerFor(fake, { authKey: 'not-the-key' });
    assert.deepEqual(pick(await wrongKey.send(smsMessage(++n), { signal })), { kind: 'permanent', code: '207' });
    assert.deepEqual(pick(await provider.send(smsMessage(++n, '+911234567890'), { signal })), { kind: 'permanent', code: '202', recipientInvalid: true });
    assert.deepEqual(pick(await provider.send(smsMessage(++n, ''), { signal })), { kind: 'permanent', code: '101', recipientInvalid: true });
    // A number abroad is not invalid, only beyond the DLT route: not asked, and left to the next SMS provider.
    const asked = fake.sends.length;
    assert.deepEqual(pick(await provider.send(smsMessage(++n, '+447700900123'), { signal })), { kind: 'permanent', code: 'not_indian_number' });
    assert.equal(fake.sends.length, asked);
    fake.queueFaults({ kind: 'status', status: 200, code: '301' });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'retryable', code: '301' });
    fake.queueFaults({ kind: 'status', status: 200, code: '303' });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'permanent', code: '303' });
    fake.queueFaults({ kind: 'status', status: 200, code: '999' });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'permanent', code: '999' });
    fake.queueFaults({ kind: 'status', status: 401 });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'permanent', code: '401' });
  });

  test('throttling and server failures are retryable, with Retry-After', async () => {
    fake.queueFaults({ kind: 'status', status: 429, retryAfterSeconds: 12 });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'retryable', code: 'http_429', retryAfterMs: 12_000 });
    fake.queueFaults({ kind: 'status', status: 503, retryAfterSeconds: 3 });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'retryable', code: 'http_503', retryAfterMs: 3000 });
    fake.queueFaults({ kind: 'status', status: 500 });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'retryable', code: 'http_500' });
    fake.queueFaults({ kind: 'timeout' });
    assert.deepEqual(pick(await provider.send(smsMessage(++n), { signal })), { kind: 'retryable', code: 'timeout' });
  });

  test('an in-doubt send retried at once meets "same request within 10 s" (311): accepted, one delivery', async () => {
    const message = smsMessage(++n);
    fake.queueFaults({ kind: 'accept-then-drop' });
    assert.equal((await provider.send(message, { signal })).kind, 'retryable');
    const retry = await provider.send(message, { signal });
    assert.deepEqual(retry, { kind: 'accepted', providerMessageId: `crqid:${message.idempotencyKey}` });
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
  });

  test('a ledger key (event:client:channel) travels escaped as CRQID and comes back whole in receipts', async () => {
    const key = `evt_${n + 1}:4b0e8a5c-1d2f-4c3b-9a8e-7f6d5c4b3a21:sms`;
    const message = { ...smsMessage(++n), idempotencyKey: key };
    const sent = await provider.send(message, { signal });
    assert.equal(sent.kind, 'accepted');
    const crqid = fake.sends.at(-1)!.form.CRQID!;
    assert.equal(crqid, `evt__${n}_-4b0e8a5c-1d2f-4c3b-9a8e-7f6d5c4b3a21_-sms`);
    assert.equal(fake.deliveries.get(crqid), 1);
    const id = sent.kind === 'accepted' ? sent.providerMessageId : '';
    const result = await provider.handleWebhook!(webhookRequest(fake.reportBody([{ requestId: id, number: '919800000000', status: '1', desc: 'DELIVERED', crqid }])));
    assert.equal(result.verified && result.receipts[0]?.idempotencyKey, key);
    for (const k of ['a', 'a_b', 'a__b', 'a_-b', 'x:y:z', '_:_', 'k.v-1']) {
      assert.equal(idempotencyKeyOfReference(msg91ClientReference(k)), k, k);
    }
    assert.equal(idempotencyKeyOfReference('bad_x'), undefined);
  });

  test('a key outside the CRQID alphabet travels hashed, stable and within 80 characters', async () => {
    const message = { ...smsMessage(++n), idempotencyKey: `evt:${n}:client/42:sms` };
    assert.equal((await provider.send(message, { signal })).kind, 'accepted');
    const crqid = fake.sends.at(-1)!.form.CRQID!;
    assert.match(crqid, /^h-[A-Za-z0-9_-]{43}$/);
    assert.equal(crqid, msg91ClientReference(message.idempotencyKey));
    assert.equal(fake.deliveries.get(crqid), 1);
    assert.equal(msg91ClientReference('x'.repeat(80)), 'x'.repeat(80));
    assert.match(msg91ClientReference('x'.repeat(81)), /^h-/);
  });

  test('the promotional route outside 10:00-21:00 IST is refused (306) and permanent', async () => {
    const night = await startMsg91Fake({ authKey, templates: [offer], now: () => new Date('2026-03-02T16:30:00Z') });
    try {
      const promo = { ...smsMessage(++n), sms: { text: 'Open an MTF account this week and get 50% off brokerage. -Pravah Broking', dlt: { peId, header: 'PRVAHO', templateId: offer.templateId, category: 'promotional' as const }, unicode: false } };
      assert.deepEqual(pick(await providerFor(night).send(promo, { signal })), { kind: 'permanent', code: '306' });
    } finally {
      await night.close();
    }
  });

  test('outcome details never contain the number or the message text', async () => {
    const secretNumber = '+919876543210';
    const outcomes: SendOutcome[] = [];
    const secret = (m: OutgoingMessage): OutgoingMessage => ({ ...m, sms: { ...m.sms!, text: m.sms!.text.replace('12,500.00', '98,765.43') } });
    outcomes.push(await provider.send(secret(smsMessage(++n, '+911234598765')), { signal }));
    outcomes.push(await provider.send(secret({ ...smsMessage(++n, secretNumber), sms: { ...smsMessage(n).sms!, text: 'Secret text 98,765.43' } }), { signal }));
    for (const fault of [{ kind: 'status', status: 200, code: '301' }, { kind: 'status', status: 503 }, { kind: 'drop' }, { kind: 'timeout' }] as const) {
      fake.queueFaults(fault);
      outcomes.push(await provider.send(secret(smsMessage(++n, secretNumber)), { signal }));
    }
    for (const outcome of outcomes) {
      assert.notEqual(outcome.kind, 'accepted');
      const detail = outcome.kind === 'accepted' ? '' : outcome.detail;
      for (const s of ['9876543210', '1234598765', '98,765.43', 'Secret', authKey]) assert.ok(!detail.includes(s), `${s} in "${detail}"`);
    }
  });
});

describe('MSG91 provider: delivery reports', () => {
  let fake: Msg91Fake;
  let provider: ChannelProvider;
  let receiver: http.Server;
  const received: Array<{ verified: boolean; receipts: Receipt[] }> = [];
  let n = 5000;
  before(async () => {
    fake = await startMsg91Fake({ authKey, templates: [margin] });
    provider = providerFor(fake);
    // Our webhook route in miniature: hands the exact bytes to handleWebhook.
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void provider.handleWebhook!({ url: `http://127.0.0.1${req.url}`, method: req.method ?? 'POST', headers: req.headers, rawBody: Buffer.concat(chunks) }).then((result) => {
          received.push(result.verified ? { verified: true, receipts: result.receipts } : { verified: false, receipts: [] });
          res.writeHead(result.verified ? 200 : 403).end();
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    fake.setWebhookUrl(msg91WebhookUrl(`http://127.0.0.1:${port}/api/webhooks/msg91`, { authKey, webhookToken }));
  });
  after(async () => {
    await fake.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test('MSG91 posts a v2 report per message; it is verified and parsed into receipts that carry our key', async () => {
    const ok = smsMessage(++n);
    const absent = smsMessage(++n, '+919800000001');
    const sentOk = await provider.send(ok, { signal });
    const sentAbsent = await provider.send(absent, { signal });
    await fake.receiptsSettled();
    const receipts = received.flatMap((r) => r.receipts);
    assert.ok(received.every((r) => r.verified));
    const delivered = receipts.find((r) => r.providerMessageId === (sentOk.kind === 'accepted' ? sentOk.providerMessageId : ''));
    assert.equal(delivered?.status, 'delivered');
    assert.equal(delivered?.idempotencyKey, ok.idempotencyKey);
    assert.equal(delivered?.receiptId, `${delivered?.providerMessageId}:delivered`);
    const failed = receipts.find((r) => r.providerMessageId === (sentAbsent.kind === 'accepted' ? sentAbsent.providerMessageId : ''));
    assert.deepEqual([failed?.status, failed?.code], ['undelivered', 'ABSENT SUBSCRIBER']);
    for (const r of receipts) assert.ok(!JSON.stringify(r).includes('9198'), 'no number in receipts');
  });

  test('webhooks without the token, with a wrong token, or not POST are refused', async () => {
    const body = fake.reportBody([{ requestId: 'abc123', number: '919800000000', status: '1', desc: 'DELIVERED' }]);
    for (const [request, reason] of [
      [webhookRequest(body, null), 'webhook token missing'],
      [webhookRequest(body, 'guess'), 'webhook token mismatch'],
      [webhookRequest(body, `${webhookToken}x`), 'webhook token mismatch'],
      [webhookRequest(body, webhookToken, 'GET'), 'method GET not accepted'],
      [webhookRequest(Buffer.from('data=not-json'), webhookToken), 'unreadable delivery report body'],
    ] as const) {
      assert.deepEqual(await provider.handleWebhook!(request), { verified: false, reason });
    }
  });

  test('report statuses map to ours; times are India time; v3 JSON bodies are read too', async () => {
    const at = new Date('2026-03-02T04:30:10Z');
    const body = fake.reportBody([
      { requestId: 'r1', number: '919800000000', status: '1', desc: 'DELIVERED', crqid: 'evt-1.c.sms', date: at },
      { requestId: 'r2', number: '919800000000', status: '9', desc: 'NDNC', crqid: '0' },
      { requestId: 'r3', number: '919800000000', status: '16', desc: 'REJECTED', failedReason: 'TEMPLATE-NOT-MATCHED' },
      { requestId: 'r4', number: '919800000000', status: '17', desc: 'BLOCKED' },
      { requestId: 'r5', number: '919800000000', status: '25', desc: 'REJECTED' },
    ]);
    const result = await provider.handleWebhook!(webhookRequest(body));
    assert.ok(result.verified);
    const byId = new Map((result.verified ? result.receipts : []).map((r) => [r.providerMessageId, r]));
    assert.equal(byId.get('r1')?.at.toISOString(), at.toISOString());
    assert.equal(byId.get('r1')?.idempotencyKey, 'evt-1.c.sms');
    assert.equal(byId.get('r2')?.idempotencyKey, undefined);
    assert.deepEqual(['r2', 'r3', 'r4', 'r5'].map((id) => [byId.get(id)?.status, byId.get(id)?.code]), [
      ['failed', 'NDNC'],
      ['failed', 'TEMPLATE-NOT-MATCHED'],
      ['failed', 'BLOCKED'],
      ['failed', 'REJECTED'],
    ]);
    const v3 = Buffer.from(JSON.stringify({ date: '2026-03-02 10:00:10', number: '919800000000', senderId: 'PRVAHB', requestId: 'r6', CRQID: 'evt-6.c.sms', status: '1', desc: 'DELIVERED' }));
    const parsed = await provider.handleWebhook!({ ...webhookRequest(v3), headers: { 'content-type': 'application/json' } });
    assert.deepEqual(parsed.verified ? parsed.receipts.map((r) => [r.providerMessageId, r.status, r.idempotencyKey]) : [], [['r6', 'delivered', 'evt-6.c.sms']]);
  });

  test('the webhook URL carries a token derived from the auth key unless one is configured', () => {
    const derived = msg91WebhookUrl('https://pravah.example/api/webhooks/msg91', { authKey });
    const token = new URL(derived).searchParams.get('token');
    assert.equal(token, deriveMsg91WebhookToken(authKey));
    assert.ok(token && !token.includes(authKey) && token.length >= 40);
  });

  test('pollStatus reads the SMS logs report', async () => {
    const message = smsMessage(++n);
    const sent = await provider.send(message, { signal });
    assert.equal(sent.kind, 'accepted');
    const id = sent.kind === 'accepted' ? sent.providerMessageId : '';
    const receipt = await provider.pollStatus!(id, { signal });
    assert.equal(receipt?.status, 'delivered');
    assert.equal(receipt?.providerMessageId, id);
    assert.equal(receipt?.idempotencyKey, message.idempotencyKey);
    assert.equal(receipt?.receiptId, `${id}:delivered`);
    assert.equal(await provider.pollStatus!('000000000000000000000000', { signal }), null);
    assert.equal(await provider.pollStatus!('crqid:evt-1', { signal }), null);
    // A lookup that failed is not "unknown": it throws, so reconciliation asks again, and says
    // nothing of the report (its rows carry numbers).
    fake.queueFaults({ kind: 'status', status: 503 });
    await assert.rejects(provider.pollStatus!(id, { signal }), /^Error: msg91: status lookup failed \(HTTP 503\)$/);
    fake.queueFaults({ kind: 'drop' });
    await assert.rejects(provider.pollStatus!(id, { signal }), /^Error: msg91: status lookup failed \(connection\)$/);
    assert.equal((await provider.pollStatus!(id, { signal }))?.status, 'delivered', 'and answers again once the API is back');
  });
});

function pick(outcome: SendOutcome): Record<string, unknown> {
  const { detail: _detail, ...rest } = outcome as SendOutcome & { detail?: string };
  return rest;
}
