// The WhatsApp Cloud API adapter against its fake: the shared provider contract, then the wire
// details the contract does not fix (the exact JSON, each Meta code's classification, waits,
// timeouts) and the promise that no phone number or parameter value reaches an outcome.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeChannelProviderContract } from '../../contracts/channel-provider.contract.ts';
import { startWhatsAppFake, type WhatsAppFake } from '../../fakes/whatsapp.ts';
import { createWhatsAppProvider } from '../../../src/notify/providers/whatsapp/whatsapp-provider.ts';
import { classifyErrorAnswer, redact } from '../../../src/notify/providers/whatsapp/whatsapp-errors.ts';
import { parseRetryAfter } from '../../../src/notify/providers/retry-after.ts';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../../../src/notify/channel-provider.ts';

const credentials = { accessToken: 'EAAG-test-token', phoneNumberId: '106540352242922', appSecret: 'app-secret-for-tests', verifyToken: 'verify-me' };
const signal = new AbortController().signal;

/** A WhatsApp template message to an Indian mobile; `suffix` picks how the fake treats the number. */
function whatsAppMessage(n: number, options: { suffix?: string; parameters?: string[]; templateName?: string } = {}): OutgoingMessage {
  return {
    messageId: `msg-${n}`,
    idempotencyKey: `evt-${n}:client-${n}:whatsapp`,
    channel: 'whatsapp',
    to: `+9198${String(n).padStart(4, '0')}${options.suffix ?? '2347'}`,
    whatsapp: { templateName: options.templateName ?? 'mtf_margin_call', language: 'en', category: 'utility', parameters: options.parameters ?? ['₹12,500.00', '26 Nov 2026'] },
  };
}

function providerFor(fake: WhatsAppFake, timeoutMs = 2000): ChannelProvider {
  return createWhatsAppProvider({ ...credentials, apiVersion: 'v21.0', baseUrl: fake.url, timeoutMs });
}

describeChannelProviderContract('whatsapp-cloud', async () => {
  const fake = await startWhatsAppFake({ ...credentials, seed: 7 });
  return {
    provider: providerFor(fake, 300),
    fake,
    message: (n) => whatsAppMessage(n),
    invalidRecipient: (n) => whatsAppMessage(n, { suffix: '0000' }),
    webhook: {
      signed(providerMessageId, status) {
        const { rawBody, headers } = fake.statusWebhook([{ id: providerMessageId, status, timestamp: 1_790_000_000 }]);
        return { url: 'https://pravah.example/api/notify/webhooks/whatsapp', method: 'POST', headers, rawBody };
      },
      tamper: (request) => ({ ...request, rawBody: Buffer.from(request.rawBody.toString('utf8').replace('"failed"', '"read"')) }),
    },
    close: () => fake.close(),
  };
});

describe('WhatsApp Cloud API provider: sending', () => {
  let fake: WhatsAppFake;
  let provider: ChannelProvider;
  let n = 1000;
  before(async () => {
    fake = await startWhatsAppFake({ ...credentials, seed: 3, templates: { mtf_margin_call: 2, kyc_approved: 0 } });
    provider = providerFor(fake);
  });
  after(() => fake.close());

  test('sends the template as Meta documents it: no +, name, language, text parameters, idempotency key as opaque data', async () => {
    const message = { ...whatsAppMessage(++n), whatsapp: { templateName: 'mtf_margin_call', language: 'hi', category: 'utility' as const, parameters: ['₹12,500.00', '26 नवंबर 2026'] } };
    const outcome = await provider.send(message, { signal });
    assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
    const sent = fake.sends.at(-1)!;
    assert.equal(sent.path, `/v21.0/${credentials.phoneNumberId}/messages`);
    assert.deepEqual(sent.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: message.to.slice(1),
      type: 'template',
      template: {
        name: 'mtf_margin_call',
        language: { code: 'hi' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: '₹12,500.00' }, { type: 'text', text: '26 नवंबर 2026' }] }],
      },
      biz_opaque_callback_data: message.idempotencyKey,
    });
    assert.ok(!sent.raw.includes('+'));
    assert.equal(outcome.kind === 'accepted' && outcome.providerMessageId, sent.wamid);
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
  });

  test('a template without variables is sent without components', async () => {
    const outcome = await provider.send(whatsAppMessage(++n, { templateName: 'kyc_approved', parameters: [] }), { signal });
    assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
    assert.equal((fake.sends.at(-1)!.body as { template: { components?: unknown } }).template.components, undefined);
  });

  test('Meta codes answered by the fake itself: 131026 invalid recipient, 132000 parameter mismatch, 132001 unknown template, 190 bad token', async () => {
    const invalid = await provider.send(whatsAppMessage(++n, { suffix: '0000' }), { signal });
    assert.deepEqual(pick(invalid), { kind: 'permanent', code: '131026', recipientInvalid: true });
    const mismatch = await provider.send(whatsAppMessage(++n, { parameters: ['₹1.00'] }), { signal });
    assert.deepEqual(pick(mismatch), { kind: 'permanent', code: '132000', recipientInvalid: undefined });
    const unknown = await provider.send(whatsAppMessage(++n, { templateName: 'no_such_template' }), { signal });
    assert.deepEqual(pick(unknown), { kind: 'permanent', code: '132001', recipientInvalid: undefined });
    const badToken = createWhatsAppProvider({ ...credentials, accessToken: 'wrong', apiVersion: 'v21.0', baseUrl: fake.url, timeoutMs: 2000 });
    assert.deepEqual(pick(await badToken.send(whatsAppMessage(++n), { signal })), { kind: 'permanent', code: '190', recipientInvalid: undefined });
    const wrongNumber = createWhatsAppProvider({ ...credentials, phoneNumberId: '999', apiVersion: 'v21.0', baseUrl: fake.url, timeoutMs: 2000 });
    assert.deepEqual(pick(await wrongNumber.send(whatsAppMessage(++n), { signal })), { kind: 'permanent', code: '100', recipientInvalid: undefined });
  });

  test('each listed Meta error code is classified as PROVIDERS.md says', async () => {
    const cases: Array<[status: number, code: string, kind: SendOutcome['kind'], recipientInvalid?: boolean]> = [
      [400, '131026', 'permanent', true],
      [400, '131047', 'permanent'],
      [400, '132000', 'permanent'],
      [404, '132001', 'permanent'],
      [400, '131050', 'permanent'],
      [400, '100', 'permanent'],
      [401, '190', 'permanent'],
      [400, '130429', 'retryable'],
      [400, '131056', 'retryable'],
      [400, '131048', 'retryable'],
      [500, '131000', 'retryable'],
      [503, '131016', 'retryable'],
    ];
    for (const [status, code, kind, recipientInvalid] of cases) {
      fake.queueFaults({ kind: 'status', status, code });
      const outcome = await provider.send(whatsAppMessage(++n), { signal });
      assert.equal(outcome.kind, kind, `${code}: ${JSON.stringify(outcome)}`);
      assert.equal(outcome.kind !== 'accepted' && outcome.code, code);
      assert.equal(outcome.kind === 'permanent' ? outcome.recipientInvalid : undefined, recipientInvalid, code);
    }
  });

  test('an unlisted 4xx is permanent, an unlisted 5xx and a bare 429 are retryable', async () => {
    fake.queueFaults({ kind: 'status', status: 400, code: '135000' }, { kind: 'status', status: 502, code: '1' }, { kind: 'status', status: 504, code: '424242' });
    assert.equal((await provider.send(whatsAppMessage(++n), { signal })).kind, 'permanent');
    assert.equal((await provider.send(whatsAppMessage(++n), { signal })).kind, 'retryable');
    assert.equal((await provider.send(whatsAppMessage(++n), { signal })).kind, 'retryable');
    assert.deepEqual(classifyErrorAnswer(429, null, undefined, []), { kind: 'retryable', code: 'http_429', detail: 'HTTP 429: no Graph API error in the answer' });
  });

  test('waits: Retry-After is honoured, 131056 waits about 6 s, 130429 without Retry-After leaves the wait to the caller', async () => {
    fake.queueFaults({ kind: 'status', status: 429, retryAfterSeconds: 7 }, { kind: 'status', status: 400, code: '130429' });
    const throttled = await provider.send(whatsAppMessage(++n), { signal });
    assert.deepEqual(pick(throttled), { kind: 'retryable', code: '130429', retryAfterMs: 7000 });
    const noHeader = await provider.send(whatsAppMessage(++n), { signal });
    assert.deepEqual(pick(noHeader), { kind: 'retryable', code: '130429', retryAfterMs: undefined });

    const pairFake = await startWhatsAppFake({ ...credentials, pairRateLimitMs: 6000 });
    try {
      const pairProvider = providerFor(pairFake);
      const first = whatsAppMessage(++n);
      assert.equal((await pairProvider.send(first, { signal })).kind, 'accepted');
      const second = { ...whatsAppMessage(++n), to: first.to };
      assert.deepEqual(pick(await pairProvider.send(second, { signal })), { kind: 'retryable', code: '131056', retryAfterMs: 6000 });
      assert.equal(pairFake.deliveries.get(second.idempotencyKey), undefined);
    } finally {
      await pairFake.close();
    }
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 17:00:30 GMT', Date.parse('2026-11-25T17:00:00Z')), 30_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });

  test('the timeout is honoured, and a caller abort ends the send at once; both retryable', async () => {
    const quick = providerFor(fake, 250);
    fake.queueFaults({ kind: 'timeout' });
    let started = performance.now();
    const timedOut = await quick.send(whatsAppMessage(++n), { signal });
    const elapsed = performance.now() - started;
    assert.equal(timedOut.kind === 'retryable' && timedOut.code, 'timeout', JSON.stringify(timedOut));
    assert.ok(elapsed >= 200 && elapsed < 1500, `took ${elapsed} ms`);

    fake.queueFaults({ kind: 'timeout' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    started = performance.now();
    const aborted = await provider.send(whatsAppMessage(++n), { signal: controller.signal });
    assert.equal(aborted.kind === 'retryable' && aborted.code, 'aborted', JSON.stringify(aborted));
    assert.ok(performance.now() - started < 1000);
  });

  test('a refused connection is retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = createWhatsAppProvider({ ...credentials, apiVersion: 'v21.0', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    const outcome = await nowhere.send(whatsAppMessage(++n), { signal });
    assert.equal(outcome.kind === 'retryable' && outcome.code, 'connection', JSON.stringify(outcome));
  });

  test('a 200 without a message id is retryable (in doubt), not accepted', async () => {
    const odd = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"messaging_product":"whatsapp","messages":[]}'));
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = odd.address() as AddressInfo;
      const oddProvider = createWhatsAppProvider({ ...credentials, apiVersion: 'v21.0', baseUrl: `http://127.0.0.1:${port}/`, timeoutMs: 2000 });
      assert.deepEqual(pick(await oddProvider.send(whatsAppMessage(++n), { signal })), { kind: 'retryable', code: 'bad_response', retryAfterMs: undefined });
    } finally {
      odd.closeAllConnections();
      await new Promise((resolve) => odd.close(resolve));
    }
  });

  test('no phone number or parameter value in any outcome detail', async () => {
    const parameters = ['₹12,500.00', 'RELIANCE', 'Rahul Sharma'];
    const messages = [whatsAppMessage(++n, { suffix: '0000', parameters }), whatsAppMessage(++n, { parameters })];
    const outcomes = [await provider.send(messages[0]!, { signal }), await provider.send(messages[1]!, { signal })];
    fake.queueFaults({ kind: 'status', status: 429, retryAfterSeconds: 1 });
    outcomes.push(await provider.send(whatsAppMessage(++n, { parameters }), { signal }));
    // Meta's texts can quote what was sent: the adapter must strip it.
    const echo = `Recipient ${messages[0]!.to} (${messages[0]!.to.slice(1)}) rejected param ₹12,500.00, RELIANCE and Rahul Sharma; call 98765 43210`;
    outcomes.push(classifyErrorAnswer(400, { code: 131009, details: echo, fbtraceId: 'Atrace' }, undefined, [messages[0]!.to, messages[0]!.to.slice(1), ...parameters]));
    for (const outcome of outcomes) {
      assert.notEqual(outcome.kind, 'accepted');
      const detail = outcome.kind === 'accepted' ? '' : outcome.detail;
      for (const secret of [...messages.map((m) => m.to.slice(3)), ...parameters, '9876543210']) assert.ok(!detail.replace(/\s/g, '').includes(secret.replace(/\s/g, '')), `${secret} in "${detail}"`);
    }
    assert.match(outcomes.at(-1)!.kind === 'permanent' ? (outcomes.at(-1) as { detail: string }).detail : '', /fbtrace_id Atrace/);
    assert.equal(redact('code 42 of 142 and 420', ['42']), 'code [redacted] of 142 and 420');
  });

  test('a message for another channel is a programming error', async () => {
    await assert.rejects(provider.send({ ...whatsAppMessage(++n), channel: 'sms', whatsapp: undefined }, { signal }));
  });
});

function pick(outcome: SendOutcome) {
  if (outcome.kind === 'accepted') return { kind: outcome.kind };
  if (outcome.kind === 'retryable') return { kind: outcome.kind, code: outcome.code, retryAfterMs: outcome.retryAfterMs };
  return { kind: outcome.kind, code: outcome.code, recipientInvalid: outcome.recipientInvalid };
}
