// Part of the composition root (only src/app.ts and benchmarks import it): builds the notification
// providers the configuration turns on, and the planner, dispatcher and reconciler around them.
// A provider without credentials is off; in embedded mode the sandbox serves every channel no
// real provider covers, so messages land in the web inbox.
import type { Config } from './config.ts';
import type { Db } from './store/db.ts';
import type { Envelope } from './crypto/envelope.ts';
import type { Cache } from './cache/cache.ts';
import type { Clock } from './platform/time.ts';
import { channels, type Channel, type ChannelProvider } from './notify/channel-provider.ts';
import { createTwilioProvider } from './notify/providers/twilio/twilio-provider.ts';
import { createWhatsAppProvider } from './notify/providers/whatsapp/whatsapp-provider.ts';
import { createFcmProvider } from './notify/providers/fcm/fcm-provider.ts';
import { createMsg91Provider } from './notify/providers/msg91/msg91-provider.ts';
import { readServiceAccountFile } from './notify/providers/fcm/service-account.ts';
import { createSandboxProvider } from './notify/providers/sandbox/sandbox-provider.ts';
import { createNotificationPlanner, type TemplatePicker } from './notify/planner.ts';
import { createDispatcher, type DispatcherOptions, type Renderer } from './notify/dispatcher.ts';
import { createReconciler } from './notify/reconciler.ts';
import type { DeviceStore } from './notify/devices.ts';
import { SECOND } from './platform/time.ts';

export type ProviderSet = {
  /** Every provider by name; per channel, `order` gives failover order (DLT-native SMS first). */
  byName: Map<string, ChannelProvider>;
  order(channel: Channel): string[];
};

export async function buildProviders(config: Config, deps: { db: Db; envelope: Envelope; clock: Clock }): Promise<ProviderSet> {
  const p = config.providers;
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const list: ChannelProvider[] = [];
  if (p.twilio) {
    list.push(createTwilioProvider({
      accountSid: p.twilio.accountSid, authToken: p.twilio.authToken, from: p.twilio.from, messagingServiceSid: p.twilio.messagingServiceSid,
      baseUrl: p.twilio.baseUrl, timeoutMs: p.timeoutMs, statusCallbackUrl: `${publicUrl}/api/webhooks/twilio`, now: () => deps.clock.now(),
    }));
  }
  if (p.msg91) {
    // Delivery reports: register msg91WebhookUrl(`${PUBLIC_URL}/api/webhooks/msg91`, { authKey }) in MSG91's panel.
    list.push(createMsg91Provider({ ...p.msg91, timeoutMs: p.timeoutMs, clock: deps.clock }));
  }
  if (p.whatsapp) {
    list.push(createWhatsAppProvider({ ...p.whatsapp, timeoutMs: p.timeoutMs, clock: deps.clock }));
  }
  if (p.fcm) {
    list.push(createFcmProvider({
      projectId: p.fcm.projectId, serviceAccount: await readServiceAccountFile(p.fcm.serviceAccountFile), baseUrl: p.fcm.baseUrl, tokenUrl: p.fcm.tokenUrl,
      timeoutMs: p.timeoutMs, clock: deps.clock,
    }));
  }
  const smsOrder = ['msg91', 'twilio'];
  const byChannel = new Map<Channel, ChannelProvider[]>(channels.map((c) => [c, list.filter((x) => x.channel === c)]));
  byChannel.get('sms')!.sort((a, b) => smsOrder.indexOf(a.name) - smsOrder.indexOf(b.name));
  const byName = new Map(list.map((x) => [x.name, x]));
  const sandboxed = new Set<Channel>();
  if (config.notify.sandbox) {
    for (const c of channels) if (!byChannel.get(c)!.length) sandboxed.add(c);
  }
  // One sandbox per channel under one name: the dispatcher looks providers up by name, so a
  // channel-aware wrapper picks the right one.
  if (sandboxed.size) {
    const sandboxes = new Map([...sandboxed].map((c) => [c, createSandboxProvider({ db: deps.db, envelope: deps.envelope, channel: c })]));
    byName.set('sandbox', {
      name: 'sandbox',
      channel: [...sandboxed][0]!,
      send: (message, options) => {
        const target = sandboxes.get(message.channel);
        if (!target) return Promise.resolve({ kind: 'permanent', code: 'sandbox.channel_off', detail: `the sandbox does not serve ${message.channel}` });
        return target.send(message, options);
      },
    });
  }
  return {
    byName,
    order: (channel) => [...byChannel.get(channel)!.map((x) => x.name), ...(sandboxed.has(channel) ? ['sandbox'] : [])],
  };
}

/**
 * The dispatcher's settings from the configuration: backoff from 0.5 s doubling to at most
 * NOTIFY_RETRY_MAX_DELAY_MS (5 minutes; full jitter), failover after 3 retryable failures in a row,
 * retries until the deadline.
 */
export function dispatcherOptions(config: Config): DispatcherOptions {
  const n = config.notify;
  return {
    batchSize: 200, concurrency: n.concurrency, leaseMs: Math.max(5 * SECOND, config.providers.timeoutMs * 3), pollMs: 100, maxAttempts: n.maxAttempts, deadlineMs: n.deadlineMs,
    baseDelayMs: 500, maxDelayMs: n.retryMaxDelayMs, failoverAfter: 3, fallbackAfterMs: n.fallbackAfterMs, inDoubtGraceMs: n.inDoubtGraceMs,
    rateLimits: Object.fromEntries(Object.entries(n.rateLimits).map(([name, rate]) => [name, { capacity: rate, refillPerSecond: rate }])),
  };
}

export function createNotificationPipeline(deps: {
  config: Config; db: Db; envelope: Envelope; cache: Cache; clock: Clock; providers: ProviderSet; render: Renderer; pickTemplate?: TemplatePicker; devices: DeviceStore;
  onError: (error: unknown, context: string) => void;
}) {
  const { config, providers } = deps;
  const n = config.notify;
  const planner = createNotificationPlanner({
    envelope: deps.envelope, clock: deps.clock, ...(deps.pickTemplate ? { pickTemplate: deps.pickTemplate } : {}),
    options: { providersFor: providers.order, fallbackAfterMs: n.fallbackAfterMs, deadlineMs: n.deadlineMs, throttleWindowMs: n.throttleWindowMs, sandboxPush: providers.order('push').includes('sandbox') },
  });
  const dispatcher = createDispatcher({
    db: deps.db, envelope: deps.envelope, cache: deps.cache, clock: deps.clock, providers: providers.byName, render: deps.render,
    options: dispatcherOptions(config),
    onError: deps.onError,
    onTokenUnregistered: async (_clientId, token) => void (await deps.devices.remove(token, 'FCM reported UNREGISTERED')),
  });
  const reconciler = createReconciler({
    db: deps.db, clock: deps.clock, providers: providers.byName,
    options: { afterMs: n.reconcileAfterMs, everyMs: Math.min(30 * SECOND, n.reconcileAfterMs), batchSize: 200 },
    onError: (error) => deps.onError(error, 'reconciliation'),
  });
  return { planner, dispatcher, reconciler };
}
