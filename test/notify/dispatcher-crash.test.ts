// Kill -9 of the dispatcher process mid-send, again and again, then restart: every deliverable
// message still ends delivered and none is delivered twice. In-doubt sends are settled by asking
// Twilio (findSent) or, for WhatsApp which cannot be asked, by waiting for a receipt first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import { startPlatform } from '../../src/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';
import { startTwilioFake } from '../fakes/twilio.ts';
import { startWhatsAppFake } from '../fakes/whatsapp.ts';
import { freePort } from '../helpers/net.ts';

const childScript = fileURLToPath(new URL('./run-dispatcher.ts', import.meta.url));

test('SIGKILL of the dispatcher mid-send: after restarts every deliverable message is delivered, none twice', { timeout: 180_000 }, async () => {
  const database = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-dispatch-crash-'));
  const twilio = await startTwilioFake({ accountSid: `AC${'2'.repeat(32)}`, authToken: 'twilio-secret', seed: 3 });
  const whatsapp = await startWhatsAppFake({ accessToken: 'wa-token', phoneNumberId: '1066', appSecret: 'meta-secret', seed: 4 });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  whatsapp.setWebhookUrl(`${publicUrl}/api/webhooks/whatsapp-cloud`);
  const env = testEnv(database.url, {
    PORT: String(port), PUBLIC_URL: publicUrl, NOTIFY_SANDBOX: 'false', ROLES: 'api,ingest,events',
    TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: twilio.url,
    WHATSAPP_ACCESS_TOKEN: 'wa-token', WHATSAPP_PHONE_NUMBER_ID: '1066', WHATSAPP_APP_SECRET: 'meta-secret', WHATSAPP_VERIFY_TOKEN: 'verify', WHATSAPP_BASE_URL: whatsapp.url,
    PROVIDER_TIMEOUT_MS: '1000', NOTIFY_FALLBACK_AFTER_MS: '2000', NOTIFY_IN_DOUBT_GRACE_MS: '2000', NOTIFY_RECONCILE_AFTER_MS: '2000', NOTIFY_CONCURRENCY: '16', EVENT_LEASE_MS: '1000',
  });
  const platform = await startPlatform(loadConfig(env));
  let child: ChildProcess | undefined;
  const start = async () => {
    const c = spawn(process.execPath, [childScript], { env: { ...process.env, ...env, ROLES: 'notify' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(c.stdout!, 'data')) as [Buffer];
    assert.match(line.toString(), /ready/);
    return c;
  };
  try {
    const file = path.join(dir, 'clients.jsonl');
    const whatsappOptIn = [{ purpose: 'TRADE_ALERTS', channel: 'WHATSAPP', givenAt: '2026-01-02T10:00:00Z' }];
    await writeJsonl(file, Array.from({ length: 120 }, (_, i) => clientInput(i + 1, i % 2 ? { consents: whatsappOptIn } : {})));
    await platform.ingest.run(await platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    const events = Array.from({ length: 600 }, (_, i) => ({ id: `crash-${i}`, type: 'mtf.margin_call', clientCode: clientCode((i % 120) + 1), variables: { shortfall: 100 + i, dueBy: '2026-11-26T15:30:00+05:30', positions: 1 } }));
    assert.equal((await platform.eventIntake.submit(events, { source: 'cli' })).accepted, 600);
    await platform.events.processor.drained();

    const inFlight = async () => (await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT chain_id FROM notification_messages GROUP BY chain_id
       HAVING NOT bool_or(status IN ('delivered', 'read')) AND bool_or(status IN ('planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent'))) c`,
    )).rows[0]!.n;
    const killedWith: number[] = [];
    child = await start();
    while (killedWith.length < 6) {
      await sleep(150 + Math.random() * 500);
      const open = await inFlight();
      if (!open) break;
      child.kill('SIGKILL');
      await once(child, 'exit');
      killedWith.push(open);
      child = await start();
    }
    const deadline = Date.now() + 120_000;
    while ((await inFlight()) > 0 && Date.now() < deadline) await sleep(250);
    assert.equal(await inFlight(), 0, 'messages still in flight');
    assert.ok(killedWith.length >= 3, `killed mid-flow ${killedWith.length} times`);
    await Promise.all([twilio.receiptsSettled(), whatsapp.receiptsSettled()]);

    for (const [name, fake] of [['twilio', twilio], ['whatsapp', whatsapp]] as const) {
      const twice = [...fake.deliveries].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], `${name} delivered some messages twice`);
    }
    const { rows } = await database.db.query<{ delivered: number; deliverable: number }>(
      `SELECT count(*) FILTER (WHERE delivered)::int AS delivered, count(*) FILTER (WHERE NOT undeliverable)::int AS deliverable
       FROM (SELECT bool_or(status IN ('delivered', 'read')) AS delivered,
                    bool_and(status IN ('undeliverable', 'waiting', 'cancelled')) AND bool_or(status = 'undeliverable') AS undeliverable
             FROM notification_messages WHERE status <> 'throttled' GROUP BY chain_id) c`,
    );
    assert.ok(rows[0]!.deliverable >= 600, JSON.stringify(rows[0]));
    if (rows[0]!.delivered !== rows[0]!.deliverable) {
      const shapes = await database.db.query<{ shape: string }>(
        `SELECT string_agg(channel || ':' || status || coalesce('(' || last_code || ')', '') || ' [' ||
           (SELECT string_agg(state, '>' ORDER BY id) FROM notification_timeline t WHERE t.message_id = m.id) || ']', ' + ') AS shape
         FROM notification_messages m GROUP BY chain_id HAVING NOT bool_or(status IN ('delivered', 'read'))
           AND NOT (bool_and(status IN ('undeliverable', 'waiting', 'cancelled')) AND bool_or(status = 'undeliverable'))`,
      );
      assert.fail(`undelivered chains: ${shapes.rows.map((r) => r.shape).join(' | ')}`);
    }
    const reconciled = await database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_timeline WHERE state IN ('in_doubt') OR detail LIKE 'reconciled%'`);
    assert.ok(reconciled.rows[0]!.n > 0, 'some sends were in doubt after a kill and were settled without a second send');
  } finally {
    child?.kill('SIGKILL');
    await platform.stop();
    await Promise.all([twilio.close(), whatsapp.close()]);
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
