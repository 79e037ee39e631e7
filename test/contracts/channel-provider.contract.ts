// The one suite every ChannelProvider adapter passes against its fake (test/fakes/<provider>.ts):
// the outcome classification the dispatcher relies on, the idempotency key reaching the provider,
// and webhook verification. Provider-specific cases (exact codes, wire details) live in each
// adapter's own test file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelProvider, OutgoingMessage, WebhookRequest } from '../../src/notify/channel-provider.ts';
import type { FakeServer } from '../fakes/fake-server.ts';

export type ChannelProviderHarness = {
  provider: ChannelProvider;
  fake: FakeServer;
  /** A valid message for this provider's channel, unique per `n`. */
  message(n: number): OutgoingMessage;
  /** A message the fake rejects as an unreachable recipient (e.g. a number it treats as invalid). */
  invalidRecipient(n: number): OutgoingMessage;
  /** For providers with webhooks: a correctly signed receipt for an accepted message, and the same tampered. */
  webhook?: {
    signed(providerMessageId: string, status: 'delivered' | 'failed'): WebhookRequest;
    tamper(request: WebhookRequest): WebhookRequest;
  };
  close(): Promise<void>;
};

export function describeChannelProviderContract(name: string, makeHarness: () => Promise<ChannelProviderHarness>): void {
  describe(`ChannelProvider contract: ${name}`, () => {
    let h: ChannelProviderHarness;
    const signal = new AbortController().signal;
    let n = 0;
    before(async () => {
      h = await makeHarness();
    });
    after(() => h.close());

    test('an accepted send returns the provider id and counts one delivery for the idempotency key', async () => {
      const message = h.message(++n);
      const outcome = await h.provider.send(message, { signal });
      assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
      if (outcome.kind === 'accepted') assert.ok(outcome.providerMessageId.length > 0);
      assert.equal(h.fake.deliveries.get(message.idempotencyKey), 1);
    });

    test('429 with Retry-After is retryable and carries the wait', async () => {
      h.fake.queueFaults({ kind: 'status', status: 429, retryAfterSeconds: 2 });
      const outcome = await h.provider.send(h.message(++n), { signal });
      assert.equal(outcome.kind, 'retryable', JSON.stringify(outcome));
      if (outcome.kind === 'retryable') assert.equal(outcome.retryAfterMs, 2000);
    });

    test('5xx, a timeout and a dropped connection are retryable, and nothing was delivered', async () => {
      for (const fault of [{ kind: 'status', status: 503 }, { kind: 'timeout' }, { kind: 'drop' }] as const) {
        h.fake.queueFaults(fault);
        const message = h.message(++n);
        const outcome = await h.provider.send(message, { signal });
        assert.equal(outcome.kind, 'retryable', `${fault.kind}: ${JSON.stringify(outcome)}`);
        assert.equal(h.fake.deliveries.get(message.idempotencyKey) ?? 0, 0);
      }
    });

    test('an unreachable recipient is permanent and marked invalid', async () => {
      const outcome = await h.provider.send(h.invalidRecipient(++n), { signal });
      assert.equal(outcome.kind, 'permanent', JSON.stringify(outcome));
      if (outcome.kind === 'permanent') {
        assert.ok(outcome.code.length > 0);
        assert.equal(outcome.recipientInvalid, true);
      }
    });

    test('webhooks: a signed receipt is verified and parsed; a tampered one is refused', { skip: false }, async (t) => {
      if (!h.webhook || !h.provider.handleWebhook) return t.skip('this provider sends no webhooks (push: accepted is terminal)');
      const message = h.message(++n);
      const sent = await h.provider.send(message, { signal });
      assert.equal(sent.kind, 'accepted');
      const id = sent.kind === 'accepted' ? sent.providerMessageId : '';
      const good = await h.provider.handleWebhook(h.webhook.signed(id, 'delivered'));
      assert.equal(good.verified, true, JSON.stringify(good));
      if (good.verified) {
        assert.equal(good.receipts.length, 1);
        assert.equal(good.receipts[0]!.providerMessageId, id);
        assert.equal(good.receipts[0]!.status, 'delivered');
        assert.ok(good.receipts[0]!.receiptId.length > 0);
      }
      const bad = await h.provider.handleWebhook(h.webhook.tamper(h.webhook.signed(id, 'failed')));
      assert.equal(bad.verified, false);
    });
  });
}
