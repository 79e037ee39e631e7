// FCM HTTP v1 adapter against the fake FCM and its fake token endpoint: the shared contract, then
// the wire format, each error FCM documents, Retry-After, access-token caching and refresh, the
// 4 KB payload limit, replacement by tag, and outcome details free of tokens and message text.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../../../src/notify/channel-provider.ts';
import { apnsCollapseId, createFcmProvider, type FcmProviderOptions } from '../../../src/notify/providers/fcm/fcm-provider.ts';
import { parseRetryAfter } from '../../../src/notify/providers/retry-after.ts';
import { readServiceAccountFile } from '../../../src/notify/providers/fcm/service-account.ts';
import { startFcmFake, type FcmFake } from '../../fakes/fcm.ts';
import { describeChannelProviderContract } from '../../contracts/channel-provider.contract.ts';

const projectId = 'pravah-test';
const signal = new AbortController().signal;

function pushMessage(n: number, to = `device-${n}-${'x'.repeat(120)}`): OutgoingMessage {
  return {
    messageId: `msg-${n}`,
    idempotencyKey: `evt-${n}:client-${n}:push`,
    channel: 'push',
    to,
    push: { title: `Margin call ${n}`, body: `Add ₹12,500.00 to your account by 15:00 (${n})`, data: { eventType: 'mtf.margin_call', ref: `ref-${n}` } },
  };
}

function providerFor(fake: FcmFake, extra: Partial<FcmProviderOptions> = {}): ChannelProvider {
  return createFcmProvider({ projectId, serviceAccount: fake.serviceAccount, baseUrl: fake.url, tokenUrl: fake.tokenUrl, timeoutMs: 500, ...extra });
}

describeChannelProviderContract('fcm', async () => {
  const fake = await startFcmFake({ projectId });
  return {
    provider: providerFor(fake),
    fake,
    message: (n) => pushMessage(n),
    invalidRecipient: (n) => pushMessage(n, `dead-${n}`),
    close: () => fake.close(),
  };
});

describe('FCM provider', () => {
  let fake: FcmFake;
  let provider: ChannelProvider;
  let n = 1000;
  before(async () => {
    fake = await startFcmFake({ projectId, seed: 7 });
    provider = providerFor(fake);
  });
  after(() => fake.close());

  test('sends the documented messages:send body with a Bearer token from the service account', async () => {
    const message = pushMessage(++n);
    const outcome = await provider.send(message, { signal });
    assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
    assert.ok(outcome.kind === 'accepted' && outcome.terminal === true, 'push: accepted is terminal');
    assert.match(outcome.kind === 'accepted' ? outcome.providerMessageId : '', new RegExp(`^projects/${projectId}/messages/`));
    const sent = fake.sends.at(-1)!;
    assert.match(String(sent.headers.authorization), /^Bearer ya29\.fake-/);
    assert.match(String(sent.headers['content-type']), /^application\/json/);
    assert.deepEqual(sent.body, {
      message: {
        token: message.to,
        notification: { title: message.push!.title, body: message.push!.body },
        data: message.push!.data,
        android: { priority: 'high', ttl: '3600s', notification: { tag: message.idempotencyKey } },
        apns: { headers: { 'apns-collapse-id': message.idempotencyKey } },
      },
    });
  });

  test('a message without data sends no data member, and the ttl is configurable', async () => {
    const p = providerFor(fake, { ttlSeconds: 900 });
    const message = { ...pushMessage(++n), push: { title: 'Funds', body: 'Payout processed', data: {} } };
    assert.equal((await p.send(message, { signal })).kind, 'accepted');
    const body = fake.sends.at(-1)!.body as { message: Record<string, unknown> & { android: { ttl: string } } };
    assert.equal('data' in body.message, false);
    assert.equal(body.message.android.ttl, '900s');
  });

  test('device tokens FCM refuses: UNREGISTERED and a malformed token are dropped; another sender is permanent', async () => {
    const dead = await provider.send(pushMessage(++n, 'dead-device'), { signal });
    assert.deepEqual(pick(dead), { kind: 'permanent', code: 'UNREGISTERED', recipientInvalid: true, tokenUnregistered: true });
    const bad = await provider.send(pushMessage(++n, 'bad-token'), { signal });
    assert.deepEqual(pick(bad), { kind: 'permanent', code: 'INVALID_ARGUMENT', recipientInvalid: true, tokenUnregistered: true });
    const other = await provider.send(pushMessage(++n, 'other-sender-device'), { signal });
    assert.deepEqual(pick(other), { kind: 'permanent', code: 'SENDER_ID_MISMATCH' });
  });

  test('each FCM error code is classified as PROVIDERS.md says, honouring Retry-After', async () => {
    const cases = [
      { fault: { status: 400, code: 'INVALID_ARGUMENT' }, expect: { kind: 'permanent', code: 'INVALID_ARGUMENT' } },
      { fault: { status: 403, code: 'SENDER_ID_MISMATCH' }, expect: { kind: 'permanent', code: 'SENDER_ID_MISMATCH' } },
      { fault: { status: 401, code: 'THIRD_PARTY_AUTH_ERROR' }, expect: { kind: 'permanent', code: 'THIRD_PARTY_AUTH_ERROR' } },
      { fault: { status: 404, code: 'UNREGISTERED' }, expect: { kind: 'permanent', code: 'UNREGISTERED', recipientInvalid: true, tokenUnregistered: true } },
      { fault: { status: 429, code: 'QUOTA_EXCEEDED', retryAfterSeconds: 30 }, expect: { kind: 'retryable', code: 'QUOTA_EXCEEDED', retryAfterMs: 30_000 } },
      { fault: { status: 503, code: 'UNAVAILABLE', retryAfterSeconds: 7 }, expect: { kind: 'retryable', code: 'UNAVAILABLE', retryAfterMs: 7000 } },
      { fault: { status: 503, code: 'UNAVAILABLE' }, expect: { kind: 'retryable', code: 'UNAVAILABLE' } },
      { fault: { status: 500, code: 'INTERNAL' }, expect: { kind: 'retryable', code: 'INTERNAL' } },
      { fault: { status: 502 }, expect: { kind: 'retryable', code: 'http_502' } },
    ] as const;
    for (const c of cases) {
      fake.queueFaults({ kind: 'status', ...c.fault });
      const message = pushMessage(++n);
      const outcome = await provider.send(message, { signal });
      assert.deepEqual(pick(outcome), c.expect, JSON.stringify(c.fault));
      assert.equal(fake.deliveries.get(message.idempotencyKey) ?? 0, 0);
    }
  });

  test('Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 10:00:45 GMT', now), 45_000);
    assert.equal(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });

  test('a re-sent push carries the same tag and collapse id, so the device replaces it: one delivery, two sends', async () => {
    const message = pushMessage(++n);
    assert.equal((await provider.send(message, { signal })).kind, 'accepted');
    assert.equal((await provider.send(message, { signal })).kind, 'accepted');
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
    assert.equal(fake.rawSends.get(message.idempotencyKey), 2);
  });

  test('an in-doubt send (answer lost) retried is still one delivery', async () => {
    const message = pushMessage(++n);
    fake.queueFaults({ kind: 'accept-then-drop' });
    assert.equal((await provider.send(message, { signal })).kind, 'retryable');
    assert.equal((await provider.send(message, { signal })).kind, 'accepted');
    assert.equal(fake.deliveries.get(message.idempotencyKey), 1);
  });

  test('an idempotency key over 64 bytes is hashed for apns-collapse-id and kept whole as the Android tag', async () => {
    const message = { ...pushMessage(++n), idempotencyKey: `evt-${'e'.repeat(70)}:client-42:push` };
    assert.equal((await provider.send(message, { signal })).kind, 'accepted');
    const body = fake.sends.at(-1)!.body as { message: { android: { notification: { tag: string } }; apns: { headers: Record<string, string> } } };
    assert.equal(body.message.android.notification.tag, message.idempotencyKey);
    const collapseId = body.message.apns.headers['apns-collapse-id']!;
    assert.ok(Buffer.byteLength(collapseId) <= 64);
    assert.equal(collapseId, apnsCollapseId(message.idempotencyKey));
    assert.notEqual(collapseId, message.idempotencyKey);
  });

  test('a payload over 4096 bytes is permanent and never sent', async () => {
    const before = fake.sends.length;
    const message = { ...pushMessage(++n), push: { title: 'Contract note', body: 'x'.repeat(4000), data: { note: 'y'.repeat(200) } } };
    const outcome = await provider.send(message, { signal });
    assert.deepEqual(pick(outcome), { kind: 'permanent', code: 'payload_too_large' });
    assert.equal(fake.sends.length, before);
  });

  test('outcome details never contain the device token or the message text', async () => {
    const outcomes: SendOutcome[] = [];
    const secretToken = `dead-${'s3cr3t'.repeat(20)}`;
    const message = (to: string) => ({ ...pushMessage(++n, to), push: { title: 'Secret title', body: 'Secret body ₹99,999', data: { pan: 'ABCDE1234F' } } });
    outcomes.push(await provider.send(message(secretToken), { signal }));
    outcomes.push(await provider.send(message(`bad-${'s3cr3t'.repeat(20)}`), { signal }));
    for (const fault of [{ kind: 'status', status: 400, code: 'INVALID_ARGUMENT' }, { kind: 'status', status: 503 }, { kind: 'drop' }, { kind: 'timeout' }] as const) {
      fake.queueFaults(fault);
      outcomes.push(await provider.send(message(`tok-${'s3cr3t'.repeat(20)}`), { signal }));
    }
    outcomes.push(await provider.send({ ...message('tok-s3cr3t'), push: { title: 'Secret title', body: 'Secret body'.repeat(500), data: {} } }, { signal }));
    for (const outcome of outcomes) {
      assert.notEqual(outcome.kind, 'accepted');
      const detail = outcome.kind === 'accepted' ? '' : outcome.detail;
      for (const secret of ['s3cr3t', 'Secret', '99,999', 'ABCDE1234F']) assert.ok(!detail.includes(secret), `${secret} in "${detail}"`);
    }
  });

  test('a send aborted by the caller is retryable', async () => {
    const controller = new AbortController();
    fake.queueFaults({ kind: 'timeout', ms: 2000 });
    const pending = provider.send(pushMessage(++n), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assert.deepEqual(pick(await pending), { kind: 'retryable', code: 'aborted' });
  });
});

describe('FCM access tokens', () => {
  let fake: FcmFake;
  let n = 2000;
  before(async () => {
    fake = await startFcmFake({ projectId, seed: 11 });
  });
  after(() => fake.close());

  test('one access token serves many sends while it is fresh', async () => {
    const provider = providerFor(fake);
    const issued = fake.tokensIssued();
    for (let i = 0; i < 5; i++) assert.equal((await provider.send(pushMessage(++n), { signal })).kind, 'accepted');
    assert.equal(fake.tokensIssued() - issued, 1);
  });

  test('concurrent first sends share one token fetch', async () => {
    const provider = providerFor(fake);
    const issued = fake.tokensIssued();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => provider.send(pushMessage(++n), { signal })));
    assert.ok(outcomes.every((o) => o.kind === 'accepted'));
    assert.equal(fake.tokensIssued() - issued, 1);
  });

  test('a token within the refresh margin of its expiry is replaced before use', async () => {
    fake.setTokenTtl(120);
    try {
      // 120 s tokens with a 5-minute margin are always "about to expire": every send refreshes.
      const provider = providerFor(fake);
      const issued = fake.tokensIssued();
      for (let i = 0; i < 3; i++) assert.equal((await provider.send(pushMessage(++n), { signal })).kind, 'accepted');
      assert.equal(fake.tokensIssued() - issued, 3);
      // With a 1-minute margin the same tokens are cached.
      const relaxed = providerFor(fake, { tokenRefreshMarginMs: 60_000 });
      const before = fake.tokensIssued();
      for (let i = 0; i < 3; i++) assert.equal((await relaxed.send(pushMessage(++n), { signal })).kind, 'accepted');
      assert.equal(fake.tokensIssued() - before, 1);
    } finally {
      fake.setTokenTtl(3600);
    }
  });

  test('a token FCM refuses (401) is retryable and dropped: the next send fetches a new one', async () => {
    const provider = providerFor(fake);
    assert.equal((await provider.send(pushMessage(++n), { signal })).kind, 'accepted');
    fake.revokeTokens();
    const issued = fake.tokensIssued();
    const refused = await provider.send(pushMessage(++n), { signal });
    assert.deepEqual(pick(refused), { kind: 'retryable', code: 'UNAUTHENTICATED' });
    assert.equal((await provider.send(pushMessage(++n), { signal })).kind, 'accepted');
    assert.equal(fake.tokensIssued() - issued, 1);
  });

  test('a token endpoint that fails or is slow makes the send retryable, and nothing is sent', async () => {
    for (const fault of [{ kind: 'status', status: 503 }, { kind: 'drop' }, { kind: 'timeout' }] as const) {
      const provider = providerFor(fake, { timeoutMs: 300 });
      fake.tokenServer.queueFaults(fault);
      const before = fake.sends.length;
      const outcome = await provider.send(pushMessage(++n), { signal });
      assert.deepEqual(pick(outcome), { kind: 'retryable', code: 'token_unavailable' }, fault.kind);
      assert.equal(fake.sends.length, before);
      // The failure is not cached: the next send gets a token.
      assert.equal((await provider.send(pushMessage(++n), { signal })).kind, 'accepted');
    }
  });

  test('an assertion signed with another key is refused by the token endpoint: retryable, key not in the detail', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const provider = createFcmProvider({ projectId, serviceAccount: { client_email: fake.serviceAccount.client_email, private_key: pem }, baseUrl: fake.url, tokenUrl: fake.tokenUrl, timeoutMs: 500 });
    const outcome = await provider.send(pushMessage(++n), { signal });
    assert.deepEqual(pick(outcome), { kind: 'retryable', code: 'token_unavailable' });
    assert.match(outcome.kind === 'retryable' ? outcome.detail : '', /HTTP 400 invalid_grant/);
    assert.ok(!(outcome.kind === 'retryable' ? outcome.detail : '').includes('PRIVATE KEY'));
  });
});

describe('FCM service-account file', () => {
  test('reads client_email and private_key; a bad file names the missing field, never the key', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pravah-fcm-'));
    try {
      const good = path.join(dir, 'sa.json');
      const key = '-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----\n';
      await writeFile(good, JSON.stringify({ type: 'service_account', project_id: projectId, client_email: 'a@b.iam.gserviceaccount.com', private_key: key }));
      assert.deepEqual(await readServiceAccountFile(good), { client_email: 'a@b.iam.gserviceaccount.com', private_key: key });
      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ private_key: key }));
      await assert.rejects(readServiceAccountFile(bad), (error: Error) => /lacks client_email/.test(error.message) && !error.message.includes('MIIsecret'));
      await assert.rejects(readServiceAccountFile(path.join(dir, 'missing.json')), /cannot be read: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The outcome without its human detail (and without an accepted id), for exact comparison. */
function pick(outcome: SendOutcome): Record<string, unknown> {
  const { detail: _detail, ...rest } = outcome as SendOutcome & { detail?: string };
  return rest;
}
