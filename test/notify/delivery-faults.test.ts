// End to end through the platform against the wire-format fakes (MSG91, Twilio, WhatsApp Cloud API,
// FCM) with faults: 20% transient provider failures (503, 429 with Retry-After), requests that time
// out, connections dropped before and after the provider took the message, receipts lost,
// duplicated and reordered, MSG91 down for a while so SMS fails over to Twilio, WhatsApp dropping
// connections for a while, unreachable numbers and unregistered push tokens. Every deliverable message ends delivered
// (retry, failover, fallback, reconciliation), and no client gets one twice.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login } from '../helpers/session.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';
import { startTwilioFake, type TwilioFake } from '../fakes/twilio.ts';
import { startWhatsAppFake, type WhatsAppFake } from '../fakes/whatsapp.ts';
import { startFcmFake, type FcmFake } from '../fakes/fcm.ts';
import { startMsg91Fake, type Msg91Fake } from '../fakes/msg91.ts';
import type { Fault } from '../fakes/fake-server.ts';
import { seedDrafts } from '../../src/notify/templates/seed-templates.ts';
import { msg91WebhookUrl } from '../../src/notify/providers/msg91/msg91-provider.ts';
import { freePort } from '../helpers/net.ts';

// Client 0's number ends 0000: not on WhatsApp and refused by Twilio at send time (MSG91 takes it). Client 1 (0001) is left
// out: the WhatsApp fake fails it only by webhook and Twilio refuses it, so when that one webhook is
// lost the WhatsApp message stays 'sent' for good: no provider can say more (WhatsApp has no status API).
const clientIds = [0, ...Array.from({ length: 39 }, (_, i) => i + 2)];
const whatsappOptIn = [{ purpose: 'TRADE_ALERTS', channel: 'WHATSAPP', givenAt: '2026-01-02T10:00:00Z' }];

describe('notifications end to end with provider faults', () => {
  let t: TestPlatform;
  let dir: string;
  let twilio: TwilioFake;
  let whatsapp: WhatsAppFake;
  let fcm: FcmFake;
  let msg91: Msg91Fake;
  const peId = '1201159100000000001';
  const header = 'PRVAHB';

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-delivery-'));
    twilio = await startTwilioFake({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-secret', seed: 7 });
    whatsapp = await startWhatsAppFake({ accessToken: 'wa-token', phoneNumberId: '1055', appSecret: 'meta-secret', seed: 8 });
    fcm = await startFcmFake({ projectId: 'pravah-test', seed: 9 });
    // The DLT-native gateway knows the seeded SMS templates as registered on the DLT platform.
    msg91 = await startMsg91Fake({ authKey: 'msg91-key', seed: 10 });
    for (const draft of seedDrafts({ peId, header })) {
      if (draft.channel === 'sms') msg91.registerTemplate({ templateId: draft.sms.dltTemplateId, peId, header, pattern: draft.sms.dltText });
    }
    const serviceAccountFile = path.join(dir, 'fcm.json');
    await writeFile(serviceAccountFile, JSON.stringify({ type: 'service_account', project_id: 'pravah-test', ...fcm.serviceAccount }));
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    whatsapp.setWebhookUrl(`${publicUrl}/api/webhooks/whatsapp-cloud`);
    msg91.setWebhookUrl(msg91WebhookUrl(`${publicUrl}/api/webhooks/msg91`, { authKey: 'msg91-key' }));
    t = await startTestPlatform({
      env: {
        PORT: String(port), PUBLIC_URL: publicUrl, NOTIFY_SANDBOX: 'false',
        TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: twilio.url,
        WHATSAPP_ACCESS_TOKEN: 'wa-token', WHATSAPP_PHONE_NUMBER_ID: '1055', WHATSAPP_APP_SECRET: 'meta-secret', WHATSAPP_VERIFY_TOKEN: 'verify-me', WHATSAPP_BASE_URL: whatsapp.url,
        MSG91_AUTH_KEY: 'msg91-key', MSG91_SENDER_ID: header, DLT_PE_ID: peId, MSG91_BASE_URL: msg91.url,
        FCM_PROJECT_ID: 'pravah-test', FCM_SERVICE_ACCOUNT_FILE: serviceAccountFile, FCM_BASE_URL: fcm.url, FCM_TOKEN_URL: fcm.tokenUrl,
        PROVIDER_TIMEOUT_MS: '1500', NOTIFY_FALLBACK_AFTER_MS: '3000', NOTIFY_IN_DOUBT_GRACE_MS: '3000', NOTIFY_RECONCILE_AFTER_MS: '2000', NOTIFY_DEADLINE_MS: '120000', NOTIFY_RETRY_MAX_DELAY_MS: '3000',
        EVENT_LEASE_MS: '1000',
      },
    });
    // Clients: half opted in to WhatsApp; client 0's number ends 0000 (unreachable everywhere).
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, clientIds.map((i) => clientInput(i, i % 2 || i === 0 ? { consents: whatsappOptIn } : {})));
    await t.platform.ingest.run(await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    // Push devices for a third of them; some tokens are dead.
    const ops = { authorization: `Bearer ${(await login(t.platform.http, t.admin.email, t.admin.password)).accessToken}` };
    for (const i of clientIds.filter((_, n) => n % 3 === 0)) {
      const token = `${i % 9 === 0 ? 'dead-' : 'live-'}${'x'.repeat(30)}-${i}`;
      const res = await t.platform.http.inject({ method: 'POST', url: `/api/clients/${clientCode(i)}/devices`, headers: ops, payload: { token, platform: 'android' } });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  after(async () => {
    await t?.stop();
    await Promise.all([twilio?.close(), whatsapp?.close(), fcm?.close(), msg91?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  test('every deliverable message is delivered, none twice', { timeout: 120_000 }, async () => {
    // Let ingestion's kyc.approved notifications settle first, fault-free.
    await t.platform.events.processor.drained();
    for (const fake of [msg91, twilio, whatsapp, fcm]) {
      fake.setTransientRate(0.2);
      fake.receiptFaults = { lose: 0.05, duplicate: 0.2, reorder: true, delayMs: [0, 30] };
    }
    // Connection-level faults, first in line: a request held until the client gives up, connections
    // dropped before the provider saw the message, and (where the adapter can settle it: Twilio by
    // lookup, MSG91 by its 10-second de-duplication of a repeat) after it took it.
    const unanswered: Fault[] = [{ kind: 'timeout' }, { kind: 'drop' }, { kind: 'status', status: 500 }, { kind: 'drop' }];
    for (const fake of [whatsapp, fcm]) fake.queueFaults(...unanswered);
    for (const fake of [msg91, twilio]) fake.queueFaults(...unanswered, { kind: 'accept-then-drop' }, { kind: 'accept-then-drop' });
    // MSG91 down for a while (503: surely not taken) so SMS fails over to Twilio; WhatsApp dropping
    // connections for a while (each send in doubt: it waits for a receipt before going again).
    msg91.downFor(6000);
    whatsapp.downFor(1500, 'drop');
    const events = [];
    for (const i of clientIds) {
      events.push({ id: `margin-${i}`, type: 'mtf.margin_call', clientCode: clientCode(i), variables: { shortfall: 1000 + i, dueBy: '2026-11-26T15:30:00+05:30', positions: 2 } });
      events.push({ id: `payin-${i}`, type: 'funds.payin_received', clientCode: clientCode(i), variables: { amount: 500 + i, mode: 'UPI', balance: 9000 } });
    }
    const outcome = await t.platform.eventIntake.submit(events, { source: 'cli' });
    assert.equal(outcome.accepted, events.length);
    await t.platform.events.processor.drained();

    // Wait until nothing is in flight: every chain delivered, failed or undeliverable.
    const deadline = Date.now() + 100_000;
    let inFlight = -1;
    while (Date.now() < deadline) {
      // A chain (a message and its fallbacks) is in flight until one of its messages is delivered or none can move.
      const { rows } = await t.database.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT chain_id FROM notification_messages GROUP BY chain_id
           HAVING NOT bool_or(status IN ('delivered', 'read')) AND bool_or(status IN ('planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent'))) c`,
      );
      inFlight = rows[0]!.n;
      if (inFlight === 0) break;
      await sleep(250);
    }
    await Promise.all([twilio.receiptsSettled(), whatsapp.receiptsSettled(), fcm.receiptsSettled(), msg91.receiptsSettled()]);
    if (inFlight) {
      const stuck = await t.database.db.query(
        `SELECT m.channel, m.status, m.provider, m.last_code, m.fallback_channel, (SELECT string_agg(state || coalesce('(' || code || ')', ''), ' > ' ORDER BY id) FROM notification_timeline WHERE message_id = m.id) AS timeline
         FROM notification_messages m WHERE status IN ('planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent')
           AND NOT EXISTS (SELECT 1 FROM notification_messages d WHERE d.chain_id = m.chain_id AND d.status IN ('delivered', 'read')) LIMIT 5`,
      );
      assert.fail(`messages still in flight: ${JSON.stringify(stuck.rows)}`);
    }

    // Never twice: every idempotency key reached a handset at most once.
    for (const [name, fake] of [['msg91', msg91], ['twilio', twilio], ['whatsapp', whatsapp], ['fcm', fcm]] as const) {
      const twice = [...fake.deliveries].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], `${name} delivered some messages twice`);
    }
    // Every deliverable chain delivered: chains are undeliverable only when every message in them is.
    const { rows } = await t.database.db.query<{ delivered: number; deliverable: number; undeliverable: number }>(
      `SELECT count(*) FILTER (WHERE delivered)::int AS delivered,
              count(*) FILTER (WHERE NOT undeliverable)::int AS deliverable,
              count(*) FILTER (WHERE undeliverable)::int AS undeliverable
       FROM (SELECT chain_id, bool_or(status IN ('delivered', 'read')) AS delivered,
                    bool_and(status IN ('undeliverable', 'waiting', 'cancelled')) AND bool_or(status = 'undeliverable') AS undeliverable
             FROM notification_messages WHERE status <> 'throttled' GROUP BY chain_id) c`,
    );
    const r = rows[0]!;
    if (r.delivered !== r.deliverable) {
      const lost = await t.database.db.query(
        `SELECT m.type, m.channel, m.status, m.last_code, count(*)::int AS n FROM notification_messages m
         WHERE NOT EXISTS (SELECT 1 FROM notification_messages d WHERE d.chain_id = m.chain_id AND d.status IN ('delivered', 'read'))
         GROUP BY 1, 2, 3, 4 ORDER BY n DESC LIMIT 12`,
      );
      console.error(JSON.stringify(lost.rows));
    }
    assert.ok(r.deliverable > 100, JSON.stringify(r));
    assert.equal(r.delivered, r.deliverable, `accuracy ${r.delivered}/${r.deliverable}`);
    assert.ok(r.undeliverable >= 1, `a dead push token is undeliverable: ${JSON.stringify(r)}`);
    // Client 0 is not on WhatsApp (refused at send time): its chains fell back to SMS (MSG91 takes
    // its number; Twilio, failed over to while MSG91 is down, refuses it as invalid).
    const zero = await t.database.db.query<{ channel: string; status: string; provider: string | null }>(
      `SELECT m.channel, m.status, m.provider FROM notification_messages m JOIN notification_messages w ON w.chain_id = m.chain_id
       WHERE w.channel = 'whatsapp' AND w.status = 'undeliverable' AND m.channel = 'sms'`,
    );
    assert.ok(zero.rows.length >= 2, 'client 0\'s WhatsApp messages were undeliverable');
    for (const row of zero.rows) assert.ok(['delivered', 'read', 'undeliverable'].includes(row.status), `the SMS fallback went: ${JSON.stringify(row)}`);
    // The faults did happen, and were survived.
    const states = await t.database.db.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM notification_timeline GROUP BY state');
    const count = (s: string) => states.rows.find((x) => x.state === s)?.n ?? 0;
    assert.ok(count('retry_scheduled') > 0, 'transient failures were retried');
    assert.ok(count('failover') > 0, 'SMS failed over between providers');
    assert.ok(count('fell_back') > 0, 'fallbacks happened');
    const used = await t.database.db.query<{ provider: string; n: number }>(`SELECT provider, count(*)::int AS n FROM notification_messages WHERE status IN ('delivered', 'read') GROUP BY provider`);
    for (const provider of ['msg91', 'twilio', 'whatsapp-cloud', 'fcm']) assert.ok(used.rows.some((r) => r.provider === provider && r.n > 0), `${provider} delivered some: ${JSON.stringify(used.rows)}`);
    // Every queued connection fault was met (none left over for a later request).
    const faulted = await t.database.db.query<{ code: string; n: number }>(`SELECT code, count(*)::int AS n FROM notification_timeline WHERE state = 'send_failed' GROUP BY code`);
    const codes = new Set(faulted.rows.map((r) => r.code));
    for (const code of ['timeout', 'connection']) assert.ok(codes.has(code), `a ${code} failure was met and survived: ${[...codes].join(', ')}`);
    const removed = await t.database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM client_devices WHERE removed_reason LIKE '%UNREGISTERED%'`);
    assert.ok(removed.rows[0]!.n > 0, 'an UNREGISTERED token removed its device');
  });

  test('a forged webhook is refused and counted', async () => {
    const auth = { authorization: `Bearer ${(await login(t.platform.http, t.admin.email, t.admin.password)).accessToken}` };
    const rejectedCount = async () => {
      const metrics = await t.platform.http.inject({ url: '/metrics', headers: auth });
      return Number(/^pravah_webhook_rejected_total\{provider="whatsapp-cloud"\} (\d+)$/m.exec(metrics.body)?.[1] ?? 0);
    };
    const before = await rejectedCount();
    const forged = whatsapp.statusWebhook([{ id: 'wamid.forged', status: 'delivered', recipient_id: '919800000001' } as never]);
    const res = await fetch(`${t.url}/api/webhooks/whatsapp-cloud`, { method: 'POST', headers: { ...forged.headers, 'x-hub-signature-256': 'sha256=00' }, body: new Uint8Array(forged.rawBody) });
    assert.equal(res.status, 403);
    assert.equal(await rejectedCount(), before + 1, 'pravah_webhook_rejected_total counts it');
    const handshake = await whatsapp.verifySubscription('verify-me');
    assert.equal(handshake, true);
  });
});
