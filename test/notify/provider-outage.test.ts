// A provider down for minutes, end to end with the default retry settings: the platform (manual
// clock, running fast) sends SMS through the Twilio wire-format fake, which answers 503 for 12
// minutes of that clock. Every message is retried (backoff up to 5 minutes, no attempt cap) until
// Twilio is back, then delivered, each exactly once. With the old default of 8 attempts (~64 s of
// backoff) every one of them failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPlatform } from '../helpers/platform.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';
import { startTwilioFake } from '../fakes/twilio.ts';
import { freePort } from '../helpers/net.ts';
import { createManualClock, MINUTE, SECOND } from '../../src/platform/time.ts';

test('Twilio down for 12 minutes: every SMS is delivered once it is back, none twice, with the default settings', { timeout: 120_000 }, async () => {
  const clock = createManualClock(new Date());
  const twilio = await startTwilioFake({ accountSid: `AC${'4'.repeat(32)}`, authToken: 'twilio-secret', seed: 21, now: () => clock.now().getTime() });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-outage-'));
  const port = await freePort();
  const t = await startTestPlatform({
    env: {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, NOTIFY_SANDBOX: 'false',
      TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: twilio.url,
    },
    platform: { clock },
  });
  try {
    const clients = Array.from({ length: 20 }, (_, i) => i + 10);
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, clients.map((i) => clientInput(i)));
    twilio.downFor(12 * MINUTE);
    const downSince = clock.now().getTime();
    await t.platform.ingest.run(await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    const events = clients.map((i) => ({ id: `payin-${i}`, type: 'funds.payin_received', clientCode: clientCode(i), variables: { amount: 500 + i, mode: 'UPI', balance: 9000 } }));
    assert.equal((await t.platform.eventIntake.submit(events, { source: 'cli' })).accepted, events.length);
    await t.platform.events.processor.drained();

    // Time runs ~250× fast: 5 s of the platform's clock every 20 ms, for up to 45 minutes of it.
    const open = async () => (await t.database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification_messages WHERE channel = 'sms' AND status NOT IN ('delivered', 'read', 'failed', 'undeliverable', 'cancelled')`,
    )).rows[0]!.n;
    while ((await open()) > 0 && clock.now().getTime() - downSince < 45 * MINUTE) {
      clock.advance(5 * SECOND);
      await sleep(20);
    }
    await twilio.receiptsSettled();
    const { rows } = await t.database.db.query<{ status: string; attempts: number; n: number }>(
      `SELECT status, attempts, count(*)::int AS n FROM notification_messages WHERE channel = 'sms' GROUP BY status, attempts ORDER BY attempts`,
    );
    const byStatus = (s: string) => rows.filter((r) => r.status === s).reduce((a, r) => a + r.n, 0);
    assert.equal(byStatus('delivered'), clients.length, `every pay-in SMS delivered: ${JSON.stringify(rows)}`);
    assert.equal(rows.reduce((a, r) => a + r.n, 0), clients.length, 'and no other SMS');
    assert.ok(rows.every((r) => r.attempts > 8), `each needed more than 8 attempts: ${JSON.stringify(rows)}`);
    // The first acceptance came only after the outage, and none was sent twice.
    const { rows: first } = await t.database.db.query<{ at: Date }>(`SELECT min(at) AS at FROM notification_timeline WHERE state = 'accepted'`);
    assert.ok(first[0]!.at.getTime() >= downSince + 12 * MINUTE, 'accepted only once Twilio was back');
    assert.ok(twilio.stats.faults > 100, `Twilio refused ${twilio.stats.faults} requests while down`);
    assert.deepEqual([...twilio.deliveries].filter(([, n]) => n > 1), []);
    assert.equal(twilio.deliveries.size, byStatus('delivered'));
  } finally {
    await t.stop();
    await twilio.close();
    await rm(dir, { recursive: true, force: true });
  }
});
