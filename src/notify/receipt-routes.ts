// Provider webhooks: /api/webhooks/:provider. Public (providers cannot hold our tokens) but every
// request is verified by the provider adapter over the exact bytes received (Twilio's signature
// covers the public URL too); a request that fails is refused with 403 and counted. Verified
// receipts are de-duplicated and applied forward-only by the ledger.
import { Type } from 'typebox';
import type { App, RouteModule } from '../platform/http.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { Clock } from '../platform/time.ts';
import type { Db } from '../store/db.ts';
import type { ChannelProvider, Receipt, WebhookRequest } from './channel-provider.ts';
import type { ApplyResult } from './receipt-apply.ts';
import { createLedger } from './ledger.ts';

export type ReceiptRouteDeps = {
  db: Db;
  providers: Map<string, ChannelProvider>;
  clock: Clock;
  metrics: Metrics;
  /** How long a message whose send answer a receipt replaced waits for delivery before its fallback. */
  fallbackAfterMs: number;
  /** The public base URL the providers call (PUBLIC_URL), for signature checks over the full URL. */
  publicUrl: () => string;
};

/**
 * Group commit for receipts: webhook calls arriving together are applied in one transaction (one
 * flush at a time, the next batch gathering meanwhile); each call is answered once its batch is
 * durable, so a provider that got 200 never loses a receipt.
 */
export function createReceiptBatcher(apply: (receipts: Receipt[]) => Promise<ApplyResult>, onApplied: (result: ApplyResult, provider: string) => void) {
  let waiting: Array<{ receipts: Receipt[]; done: (error?: unknown) => void }> = [];
  let flushing: Promise<void> | undefined;
  async function flush(): Promise<void> {
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      const receipts = batch.flatMap((b) => b.receipts);
      try {
        const result = await apply(receipts);
        onApplied(result, receipts[0]?.provider ?? 'unknown');
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error);
      }
    }
    flushing = undefined;
  }
  return {
    add(receipts: Receipt[]): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ receipts, done: (error) => (error ? reject(error) : resolve()) });
        flushing ??= flush();
      });
    },
  };
}

export function receiptRoutes(deps: ReceiptRouteDeps): RouteModule {
  const ledger = createLedger(deps.db, { fallbackAfterMs: deps.fallbackAfterMs });
  const rejected = deps.metrics.counter('pravah_webhook_rejected_total', 'Provider webhooks refused because they could not be verified', ['provider']);
  const received = deps.metrics.counter('pravah_webhook_receipts_total', 'Delivery receipts received, by provider and outcome', ['provider', 'outcome']);
  const batcher = createReceiptBatcher((receipts) => ledger.applyReceipts(receipts, deps.clock.now()), (result, provider) => {
    for (const [outcome, n] of Object.entries(result)) if (n) received.inc({ provider, outcome }, n);
  });

  return async (root: App) => {
    await root.register(async (app) => {
      // Signatures cover the raw bytes: keep them, parse nothing.
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

      const handle = async (request: { url: string; method: string; headers: Record<string, string | string[] | undefined>; body: unknown; params: { provider: string } }) => {
        const provider = deps.providers.get(request.params.provider);
        if (!provider?.handleWebhook) return { status: 404, body: { error: 'no such webhook' } } as const;
        const webhook: WebhookRequest = {
          url: `${deps.publicUrl()}${request.url}`,
          method: request.method,
          headers: request.headers,
          rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        };
        const result = await provider.handleWebhook(webhook);
        if (!result.verified) {
          rejected.inc({ provider: provider.name });
          return { status: 403, body: { error: 'webhook could not be verified' } } as const;
        }
        if (result.receipts.length) await batcher.add(result.receipts);
        return { status: result.reply?.status ?? 200, body: result.reply?.body ?? '' } as const;
      };

      const schema = {
        tags: ['webhooks'],
        params: Type.Object({ provider: Type.String({ maxLength: 40 }) }),
      };
      app.post('/api/webhooks/:provider', {
        config: { access: { public: true } },
        schema: { ...schema, summary: 'Delivery receipts from a provider (Twilio status callbacks, WhatsApp status webhooks, MSG91 reports); verified by signature' },
      }, async (request, reply) => {
        const out = await handle(request as never);
        return reply.status(out.status).send(out.body);
      });
      app.get('/api/webhooks/:provider', {
        config: { access: { public: true } },
        schema: { ...schema, summary: 'Webhook subscription handshake (WhatsApp: echoes hub.challenge when hub.verify_token matches)' },
      }, async (request, reply) => {
        const out = await handle(request as never);
        return reply.status(out.status).type('text/plain').send(out.body);
      });
    });
  };
}
