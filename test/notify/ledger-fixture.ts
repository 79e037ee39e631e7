// A small ledger made by the real planner and dispatcher on a started platform, for the
// notification routes and the browser test: sandbox deliveries on every channel (so the inbox has
// an SMS bubble, a WhatsApp card and a push banner), one SMS that failed, and a WhatsApp message
// still queued with its SMS fallback waiting behind it.
import { randomUUID } from 'node:crypto';
import type { Platform } from '../../src/app.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { maskMobile } from '../../src/crypto/mask.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { createMemoryCache } from '../../src/cache/memory-cache.ts';
import { systemClock, MINUTE, SECOND } from '../../src/platform/time.ts';
import { createNotificationPlanner } from '../../src/notify/planner.ts';
import { createDispatcher, type Renderer } from '../../src/notify/dispatcher.ts';
import { createSandboxProvider } from '../../src/notify/providers/sandbox/sandbox-provider.ts';
import type { Channel, ChannelProvider } from '../../src/notify/channel-provider.ts';
import type { NotificationRequest } from '../../src/events/notification-request.ts';
import { clientCode, mobileFor } from '../helpers/clients.ts';

export const render: Renderer = async ({ type, channel, variables }) => {
  const amount = `Rs ${String(variables['amount'])}`;
  return {
    ok: true, templateId: `${type}.${channel}.en`, version: 1,
    content: channel === 'sms'
      ? { sms: { text: `Dear client, ${amount} received via ${String(variables['mode'])}. -PRAVAH`, unicode: false, dlt: { peId: '1201159100000000001', header: 'PRVAHB', templateId: '1207161000000000001', category: 'transactional' } } }
      : channel === 'whatsapp'
        ? { whatsapp: { templateName: 'funds_payin_received', language: 'en', category: 'utility', parameters: [amount, String(variables['mode'])] } }
        : { push: { title: 'Funds received', body: `${amount} added to your account`, data: { type } } },
  };
};

export type LedgerFixture = {
  /** Client i's id (clients 1 and 2 are expected to be ingested for their codes to show). */
  clientId(i: number): string;
  ids: { deliveredSms: string; failedSms: string; deliveredPush: string; deliveredWhatsapp: string; queuedWhatsapp: string; waitingSms: string };
  eventIds: { failed: string; queued: string };
};

/** Plans and dispatches the fixture's messages; a failing 'sandbox' SMS for client 2's mobile. */
export async function seedLedger(platform: Platform): Promise<LedgerFixture> {
  const db = platform.store.db;
  const envelope = platform.envelope;
  const blindIndex = createBlindIndex(platform.keys);
  const clientId = (i: number) => clientIdForCode(blindIndex, clientCode(i));
  const sandbox = (channel: Channel) => createSandboxProvider({ db, envelope, channel });
  const sms = sandbox('sms');
  const flakySms: ChannelProvider = {
    name: 'sandbox', channel: 'sms',
    send: (message, options) => message.to === `+91${mobileFor(2)}`
      ? Promise.resolve({ kind: 'permanent', code: '30003', detail: 'Unreachable destination handset' })
      : sms.send(message, options),
  };
  const planner = createNotificationPlanner({
    envelope, clock: systemClock,
    options: { providersFor: () => ['sandbox'], fallbackAfterMs: 2 * MINUTE, deadlineMs: 30 * MINUTE, throttleWindowMs: 15 * MINUTE, sandboxPush: true },
  });
  const byChannel = new Map<Channel, ChannelProvider>([['sms', flakySms], ['whatsapp', sandbox('whatsapp')], ['push', sandbox('push')]]);
  const request = (i: number, channels: Channel[], amount: number): NotificationRequest => ({
    eventId: `pay-${randomUUID()}`, logId: '1', type: 'funds.payin_received', regulatory: false, clientId: clientId(i), clientCode: clientCode(i),
    channels, skipped: [], contacts: { mobile: `+91${mobileFor(i)}`, name: 'Asha Verma' }, masked: { mobile: maskMobile(`+91${mobileFor(i)}`) },
    variables: { amount, mode: 'UPI', balance: 9000 }, occurredAt: new Date(),
  });
  const plan = (requests: NotificationRequest[]) => db.transaction((tx) => planner.plan(requests, tx));
  /** Dispatches each channel with its own sandbox (the dispatcher knows providers by name). */
  async function dispatch(channel: Channel) {
    const one = createDispatcher({
      db, envelope, cache: createMemoryCache({ clock: systemClock }), clock: systemClock, random: () => 0.5, render,
      providers: new Map([['sandbox', byChannel.get(channel)!]]),
      options: { batchSize: 50, concurrency: 1, leaseMs: 30 * SECOND, pollMs: 50, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, failoverAfter: 2, fallbackAfterMs: 2 * MINUTE, inDoubtGraceMs: MINUTE, rateLimits: {} },
      onError: (error) => {
        throw error;
      },
    });
    // Only this channel's rows are due: park the others for the round.
    await db.query(`UPDATE notification_messages SET next_attempt_at = next_attempt_at + interval '100 years' WHERE status = 'queued' AND channel <> $1`, [channel]);
    while ((await one.runOnce()) > 0);
    await db.query(`UPDATE notification_messages SET next_attempt_at = next_attempt_at - interval '100 years' WHERE status = 'queued' AND channel <> $1`, [channel]);
  }

  const delivered = request(1, ['sms'], 500);
  const failed = request(2, ['sms'], 700);
  const push = request(2, ['push'], 900);
  const whatsapp = request(1, ['whatsapp'], 1200);
  await plan([delivered, failed, push, whatsapp]);
  for (const channel of ['sms', 'push', 'whatsapp'] as const) await dispatch(channel);
  // Planned last and not dispatched: still queued, its SMS fallback waiting.
  const queued = request(1, ['whatsapp', 'sms'], 300);
  await plan([queued]);

  const idOf = async (eventId: string, channel: Channel) =>
    (await db.query<{ id: string }>('SELECT id FROM notification_messages WHERE event_id = $1 AND channel = $2', [eventId, channel])).rows[0]!.id;
  return {
    clientId,
    ids: {
      deliveredSms: await idOf(delivered.eventId, 'sms'), failedSms: await idOf(failed.eventId, 'sms'), deliveredPush: await idOf(push.eventId, 'push'),
      deliveredWhatsapp: await idOf(whatsapp.eventId, 'whatsapp'), queuedWhatsapp: await idOf(queued.eventId, 'whatsapp'), waitingSms: await idOf(queued.eventId, 'sms'),
    },
    eventIds: { failed: failed.eventId, queued: queued.eventId },
  };
}
