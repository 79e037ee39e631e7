// Notifications end to end: `npm run bench -- notify --events 50000 --fault-rate 0.2 [--clients 20000] [--receipt-loss 0.05]`.
// Not timed: a fresh database, --clients generated clients ingested (half with an app device), the
// provider fakes (MSG91, Twilio, WhatsApp Cloud API, FCM) on loopback, and --events catalog events
// submitted through intake. Timed: a second platform process role (events + notify) handling them:
// plan, dispatch with --fault-rate transient provider failures and --receipt-loss lost receipts,
// until every chain is settled. Then, with no faults, event-to-accepted latency at a steady 200
// events/s. Baseline in the same run: the fakes' raw request rate (plain HTTP, no pipeline), and
// from it the CPU of one bare HTTP exchange (both ends) times the exchanges a message took: the
// floor under the pipeline's cost.
//
// The fakes stand for remote providers and run in a child process of their own (--fakes-inline puts
// them in this process, as before 2026-12-07): their HTTP servers, webhook clients and signatures no
// longer share the pipeline's event loop, as in a real deployment, though on this machine their CPU
// still comes from the same two cores. The cores are shared with other work, so besides wall-clock
// figures the result gives CPU per message (pipeline process, PostgreSQL backends of the benchmark's
// database, fakes), SQL statements per message (--statements), rows written per message and the
// load average. --profile FILE writes a CPU profile of the timed phase (this process); --log FILE
// the platform's warnings (a failed round or receipt batch). --processes 2 runs the timed roles
// (events, notify) in a child process of their own, --processes 3 each in its own (distributed
// mode: the receipts' webhooks stay in this process); the pipeline's CPU counts them all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.ts';
import { startPlatform, type Platform } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { runDemoGenerate } from '../src/kyc/demo/generate.ts';
import { generateClientRecords } from '../src/kyc/demo/generate-clients.ts';
import { clientIdForCode } from '../src/kyc/client-id.ts';
import { createBlindIndex } from '../src/crypto/blind-index.ts';
import { createDeviceStore } from '../src/notify/devices.ts';
import { eventCatalog } from '../src/events/catalog.ts';
import { processorGroup } from '../src/events/processor.ts';
import { clientEventsTopic } from '../src/kyc/ingest/client-writer.ts';
import pg from 'pg';
import pino from 'pino';
import { countStatements, createBackendCpuSampler, createScratchDatabase, option, percentile, startCpuProfile } from './support.ts';
import { startFleetInChild, startFleetInProcess } from './notify-fakes.ts';
import { startRolesInChild, type RolesProcess } from './platform-child.ts';
import { freePort } from '../test/helpers/net.ts';
import { postWebhook } from '../test/fakes/fake-server.ts';

/** Chains (a message and its fallbacks) by state: delivered, undeliverable, still moving. */
const chainsSql = `
  SELECT count(*) FILTER (WHERE delivered)::int AS delivered,
         count(*) FILTER (WHERE NOT delivered AND undeliverable)::int AS undeliverable,
         count(*) FILTER (WHERE NOT delivered AND NOT undeliverable AND moving)::int AS moving,
         count(*) FILTER (WHERE NOT delivered AND NOT undeliverable AND NOT moving)::int AS stuck
  FROM (SELECT bool_or(status IN ('delivered', 'read')) AS delivered,
               bool_and(status IN ('undeliverable', 'waiting', 'cancelled')) AND bool_or(status = 'undeliverable') AS undeliverable,
               bool_or(status IN ('planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent')) AS moving
        FROM notification_messages WHERE status <> 'throttled' AND event_id LIKE $1 GROUP BY chain_id) c`;

/** Rows inserted and updated (HOT or not) so far in the tables of the current database. */
async function rowWrites(db: { query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> }): Promise<Record<string, number>> {
  await sleep(1100); // table statistics are flushed about once a second
  const { rows } = await db.query<{ inserted: string; updated: string; hot: string }>(
    'SELECT sum(n_tup_ins) AS inserted, sum(n_tup_upd) AS updated, sum(n_tup_hot_upd) AS hot FROM pg_stat_user_tables',
  );
  return { inserted: Number(rows[0]!.inserted), updated: Number(rows[0]!.updated), hotUpdated: Number(rows[0]!.hot) };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const total = option(args, '--events', 50_000);
  const clientCount = option(args, '--clients', 20_000);
  const faultRate = option(args, '--fault-rate', 0.2);
  const receiptLoss = option(args, '--receipt-loss', 0.05);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-bench-notify-'));
  const scratch = await createScratchDatabase();
  const fakesInline = args.includes('--fakes-inline');
  const processes = option(args, '--processes', 1);
  if (![1, 2, 3].includes(processes)) throw new Error('--processes takes 1, 2 or 3');
  const statements = args.includes('--statements') ? countStatements() : undefined;
  const peId = '1101000000000000000';
  const header = 'PRVAHB';
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const fleet = await (fakesInline ? startFleetInProcess : startFleetInChild)({ publicUrl, peId, header });
  const serviceAccountFile = path.join(dir, 'fcm.json');
  await writeFile(serviceAccountFile, JSON.stringify({ type: 'service_account', ...fleet.fcm.serviceAccount }));
  const env = {
    DATABASE_URL: scratch.url, DATA_DIR: dir, PORT: String(port), PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent', DB_POOL_SIZE: '12',
    MASTER_KEYS: `bench:${randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: randomBytes(32).toString('base64'), TOKEN_SIGNING_KEY: randomBytes(32).toString('base64'),
    NOTIFY_SANDBOX: 'false', MSG91_AUTH_KEY: 'msg91-key', MSG91_SENDER_ID: header, DLT_PE_ID: peId, MSG91_BASE_URL: fleet.urls.msg91!,
    TWILIO_ACCOUNT_SID: fleet.twilio.accountSid, TWILIO_AUTH_TOKEN: fleet.twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: fleet.urls.twilio!,
    WHATSAPP_ACCESS_TOKEN: 'wa-token', WHATSAPP_PHONE_NUMBER_ID: '1077', WHATSAPP_APP_SECRET: 'meta-secret', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_BASE_URL: fleet.urls.whatsapp!,
    FCM_PROJECT_ID: 'pravah-bench', FCM_SERVICE_ACCOUNT_FILE: serviceAccountFile, FCM_BASE_URL: fleet.urls.fcm!, FCM_TOKEN_URL: fleet.fcm.tokenUrl,
    PROVIDER_RATE_LIMITS: 'twilio:100000,msg91:100000,whatsapp-cloud:100000,fcm:100000', PROVIDER_TIMEOUT_MS: '3000',
    NOTIFY_FALLBACK_AFTER_MS: '5000', NOTIFY_IN_DOUBT_GRACE_MS: '30000', NOTIFY_RECONCILE_AFTER_MS: '5000', NOTIFY_DEADLINE_MS: '600000', NOTIFY_MAX_ATTEMPTS: '40', NOTIFY_CONCURRENCY: '64',
    NOTIFY_THROTTLE_WINDOW_MS: '0', EVENT_CONCURRENCY: '2',
  };
  // --log FILE: the platform's warnings and errors (a failed round, a failed receipt batch) in FILE.
  const logAt = args.indexOf('--log');
  const log = createLogger(logAt >= 0 && args[logAt + 1] ? { level: 'warn', destination: pino.destination({ dest: args[logAt + 1]!, sync: false }) } : { level: 'silent' });
  let front: Platform | undefined;
  let workers: Platform | undefined;
  const children: RolesProcess[] = [];
  let closeProgress: (() => Promise<void>) | undefined;
  try {
    // The front: HTTP (webhooks) and ingestion. Processing and dispatch start later, timed.
    front = await startPlatform(loadConfig({ ...env, ROLES: 'api,ingest' }), { log });
    console.error(`ingesting ${clientCount} clients, registering devices (not timed)…`);
    const file = path.join(dir, 'clients.jsonl');
    const today = '2025-03-31';
    await runDemoGenerate({ kind: 'kyc', records: clientCount, seed: 21, format: 'jsonl', out: file, today });
    await front.ingest.run(await front.ingest.create({ source: 'bench.jsonl', filePath: file, createdBy: 'bench' }));
    await front.eventLog.seek(processorGroup, clientEventsTopic, 'latest');
    const blindIndex = createBlindIndex(front.keys);
    const stored = new Set((await front.store.db.query<{ id: string }>('SELECT id FROM clients')).rows.map((r) => r.id));
    const codes = [...new Set([...generateClientRecords({ seed: 21, count: clientCount, today })].map((r) => String((r as { clientCode?: unknown }).clientCode)))]
      .filter((code) => /^[A-Z0-9]{1,10}$/.test(code) && stored.has(clientIdForCode(blindIndex, code)));
    const devices = createDeviceStore({ db: front.store.db, envelope: front.envelope });
    for (let i = 0; i < codes.length; i += 2) await devices.register(clientIdForCode(blindIndex, codes[i]!), `device-${i}-${'t'.repeat(40)}`, 'android');

    // Samples carry fixed dates; a variable that ends a notification's life (a pledge cut-off) moves into the future.
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const samples = eventCatalog.map((d) => ({ type: d.type, variables: d.expiresWith ? { ...d.sample, [d.expiresWith]: inAnHour } : d.sample }));
    let serial = 0;
    const makeEvents = (n: number, prefix: string) => Array.from({ length: n }, () => {
      const sample = samples[serial % samples.length]!;
      return { id: `${prefix}-${serial++}`, type: sample.type, clientCode: codes[Math.floor(Math.random() * codes.length)]!, variables: sample.variables };
    });
    console.error(`submitting ${total} events (not timed)…`);
    for (let sent = 0; sent < total; sent += 1000) await front.eventIntake.submit(makeEvents(Math.min(1000, total - sent), 'bench'), { source: 'cli' });

    await fleet.setFaults(faultRate, { lose: receiptLoss, duplicate: 0.02, reorder: true, delayMs: [0, 20] });
    // Progress queries on a connection of their own, left out of the PostgreSQL CPU count.
    const progress = new pg.Pool({ connectionString: scratch.url, max: 2, application_name: 'bench-progress' });
    closeProgress = () => progress.end();
    const db = { query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => progress.query<R>(text, values) };
    const pgCpu = createBackendCpuSampler(db, ['bench-progress']);
    await pgCpu.sample(true);
    const fakesCpu0 = await fleet.cpu();
    const exchanges0 = await fleet.exchanges();
    statements?.reset();
    const profileAt = args.indexOf('--profile');
    const profile = profileAt >= 0 && args[profileAt + 1] ? await startCpuProfile(args[profileAt + 1]!) : undefined;
    console.error(`processing and dispatching with ${faultRate * 100}% transient faults, ${receiptLoss * 100}% receipts lost (timed)…`);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const rowWrites0 = await rowWrites(db);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const t0Wall = Date.now();
    const logFile = logAt >= 0 ? args[logAt + 1] : undefined;
    if (processes === 1) workers = await startPlatform(loadConfig({ ...env, PORT: '0', ROLES: 'events,notify' }), { log, listen: false });
    else {
      for (const roles of processes === 2 ? ['events,notify'] : ['events', 'notify']) children.push(await startRolesInChild({ ...env, PORT: '0', ROLES: roles }, logFile));
    }
    const childCpu0 = await Promise.all(children.map((c) => c.cpu()));
    let last = '';
    let lastChange = performance.now();
    let stalled = false;
    let moving = Infinity;
    let pending = Infinity;
    for (;;) {
      // The progress query groups every message, on the same two cores as what it measures: every
      // 3 s while thousands are moving, every 1.5 s near the end (when it decides the time).
      await sleep(moving > 2000 ? 3000 : 1500);
      await pgCpu.sample();
      const { rows } = await db.query<{ delivered: number; undeliverable: number; moving: number; stuck: number }>(chainsSql, ['bench-%']);
      const r = rows[0]!;
      moving = r.moving;
      // Events are all submitted before the clock starts: once none is pending, none will be.
      if (pending > 0) {
        pending = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox o WHERE topic = 'events.triggered' AND NOT EXISTS (SELECT 1 FROM event_outcomes e WHERE e.log_id = o.id)`)).rows[0]!.n;
      }
      const line = `  ${Math.round((performance.now() - t0) / 1000)} s: ${r.delivered} delivered, ${r.undeliverable} undeliverable, ${r.moving} moving, ${pending} events pending`;
      const state = `${r.delivered}/${r.undeliverable}/${r.moving}/${pending}`;
      if (state !== last) {
        process.stderr.write(`\r${line}   `);
        lastChange = performance.now();
      }
      last = state;
      if (!pending && !r.moving) break;
      // Messages that can only wait for a receipt that was lost (WhatsApp has no status API) never
      // settle; a message with an attempt due within a backoff's longest wait (5 min) will. One held
      // for the DLT window (a promotional SMS at night, IST) is left out: it waits for 10:00.
      if (performance.now() - lastChange > 30_000) {
        const { rows: toSend } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notification_messages
           WHERE status IN ('queued', 'retrying', 'sending') AND next_attempt_at < now() + interval '6 minutes' AND event_id LIKE 'bench-%'`,
        );
        if (toSend[0]!.n > 0) continue;
        stalled = true;
        break;
      }
    }
    const seconds = (performance.now() - t0) / 1000 - (stalled ? 30 : 0);
    const cpu = process.cpuUsage(cpu0);
    (await Promise.all(children.map((c) => c.cpu()))).forEach((c, i) => {
      cpu.user += c.user - childCpu0[i]!.user;
      cpu.system += c.system - childCpu0[i]!.system;
    });
    loopDelay.disable();
    const rowWrites1 = await rowWrites(db);
    await pgCpu.sample();
    const fakesCpu1 = await fleet.cpu();
    const exchanges1 = await fleet.exchanges();
    const statementCount = statements?.total() ?? 0;
    await profile?.stop();
    process.stderr.write(stalled ? '\n  (stopped: nothing moved for 30 s)\n' : '\n');
    const span = (await db.query<{ n: number; seconds: number }>(
      `SELECT count(*)::int AS n, extract(epoch FROM max(accepted_at) - min(accepted_at)) AS seconds FROM notification_messages WHERE event_id LIKE 'bench-%' AND accepted_at IS NOT NULL`,
    )).rows[0]!;
    const chains = (await db.query<{ delivered: number; undeliverable: number; moving: number; stuck: number }>(chainsSql, ['bench-%'])).rows[0]!;
    const messages = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM notification_messages WHERE event_id LIKE 'bench-%' AND status NOT IN ('waiting', 'cancelled', 'throttled')`)).rows[0]!.n);
    await fleet.receiptsSettled();
    const duplicatesBy = await fleet.duplicates();
    const duplicates = Object.values(duplicatesBy).reduce((a, b) => a + b, 0);
    if (duplicates) {
      console.error(`  duplicates by provider: ${JSON.stringify(duplicatesBy)}; timelines of some:`);
      const keys = await fleet.duplicateKeys(6);
      const lines = await db.query<{ key: string; line: string }>(
        `SELECT m.idempotency_key AS key, string_agg(t.state || coalesce('(' || t.code || ')', '') || '@' || to_char(t.at, 'MI:SS.MS'), ' > ' ORDER BY t.id) AS line
         FROM notification_messages m JOIN notification_timeline t ON t.message_id = m.id WHERE m.idempotency_key = ANY($1) GROUP BY 1`, [keys]);
      for (const r of lines.rows) console.error(`    ${r.line}`);
    }
    const deliverable = chains.delivered + chains.stuck + chains.moving;
    if (chains.stuck || chains.moving) {
      const stuck = await db.query<{ shape: string; n: number }>(
        `SELECT shape, count(*)::int AS n FROM (
           SELECT string_agg(channel || ':' || status || coalesce('(' || last_code || ')', ''), ' + ' ORDER BY channel) AS shape
           FROM notification_messages WHERE event_id LIKE 'bench-%' AND status <> 'throttled' GROUP BY chain_id
           HAVING NOT bool_or(status IN ('delivered', 'read')) AND NOT (bool_and(status IN ('undeliverable', 'waiting', 'cancelled')) AND bool_or(status = 'undeliverable'))) c
         GROUP BY shape ORDER BY n DESC LIMIT 8`,
      );
      console.error(`  not delivered: ${stuck.rows.map((r) => `${r.n} × ${r.shape}`).join('; ')}`);
    }
    // Messages sent though another of their chain had already been delivered (the client got both).
    const redundant = (await db.query<{ n: number }>(
      `SELECT count(DISTINCT a.id)::int AS n FROM notification_messages a JOIN notification_messages b ON b.chain_id = a.chain_id AND b.id <> a.id
       WHERE a.event_id LIKE 'bench-%' AND b.delivered_at IS NOT NULL AND a.accepted_at > b.delivered_at`,
    )).rows[0]!.n;
    console.error(`  messages sent after another of their chain was delivered: ${redundant}`);
    // When chains settled (their last timeline entry), from the start of the timed phase: the bulk
    // against the tail, which one unlucky message's backoff decides.
    const settled = (await db.query<{ p: number[] }>(
      `SELECT percentile_cont(ARRAY[0.5, 0.99, 0.999]) WITHIN GROUP (ORDER BY settled) AS p FROM (
         SELECT extract(epoch FROM max(t.at)) * 1000 AS settled FROM notification_messages m JOIN notification_timeline t ON t.message_id = m.id
         WHERE m.event_id LIKE 'bench-%' AND m.status <> 'throttled' GROUP BY m.chain_id) c`,
    )).rows[0]!.p.map((ms) => Number(((ms - t0Wall) / 1000).toFixed(1)));
    const chainsSettledBySeconds = { p50: settled[0], p99: settled[1], p999: settled[2] };
    console.error(`  chains settled by (s from the start): ${JSON.stringify(chainsSettledBySeconds)}`);
    // The tail: the chains that settled last, and what they waited for (times from the first plan).
    const tail = await db.query<{ line: string }>(
      `WITH bench AS (SELECT min(created_at) AS t0 FROM notification_messages WHERE event_id LIKE 'bench-%'),
       last AS (SELECT m.chain_id, max(t.at) AS settled FROM notification_messages m JOIN notification_timeline t ON t.message_id = m.id
                WHERE m.event_id LIKE 'bench-%' GROUP BY m.chain_id ORDER BY settled DESC LIMIT 5)
       SELECT string_agg(m.channel || ' ' || t.state || coalesce('(' || t.code || ')', '') || coalesce('[' || t.provider || ']', '') || ' ' ||
                to_char(extract(epoch FROM t.at - bench.t0), 'FM990.0') || 's', ' > ' ORDER BY t.at, t.id) AS line
       FROM last JOIN notification_messages m ON m.chain_id = last.chain_id JOIN notification_timeline t ON t.message_id = m.id, bench
       GROUP BY last.chain_id, last.settled ORDER BY last.settled DESC`,
    );
    console.error(`  the chains that settled last:\n${tail.rows.map((r) => `    ${r.line}`).join('\n')}`);
    // What failed on the way (transient faults are injected; timeouts and dropped connections are not: those come from load).
    const failures = Object.fromEntries((await db.query<{ code: string; n: number }>(
      `SELECT coalesce(t.code, t.state) AS code, count(*)::int AS n FROM notification_timeline t JOIN notification_messages m ON m.id = t.message_id
       WHERE m.event_id LIKE 'bench-%' AND t.state IN ('send_failed', 'in_doubt') GROUP BY 1 ORDER BY 2 DESC`,
    )).rows.map((r) => [r.code, r.n]));
    console.error(`  send failures by code: ${JSON.stringify(failures)}`);
    console.error(`  ${seconds.toFixed(1)} s, ${messages} messages, ${Math.round(messages / seconds)} messages/s, accuracy ${chains.delivered}/${deliverable}, duplicates ${duplicates}`);
    // CPU per message: what the work costs, whatever else shares the cores.
    const perMessage = (ms: number) => Number((ms / messages).toFixed(3));
    const cpuMs = {
      pipeline: perMessage((cpu.user + cpu.system) / 1000),
      postgres: perMessage(pgCpu.total()),
      ...(fakesCpu0 && fakesCpu1 ? { fakes: perMessage((fakesCpu1.user + fakesCpu1.system - fakesCpu0.user - fakesCpu0.system) / 1000) } : {}),
    };
    console.error(`  CPU ms per message: ${JSON.stringify(cpuMs)}${fakesInline ? ' (pipeline includes the fakes)' : ''}`);
    const eventLoopDelayMs = { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) };
    // Rows written per message (PostgreSQL's table statistics; reported with up to a second's delay).
    const rowWritesPerMessage = Object.fromEntries(Object.entries(rowWrites1).map(([k, v]) => [k, Number(((v - (rowWrites0[k] ?? 0)) / messages).toFixed(2))]));
    console.error(`  event loop delay (pipeline process): ${JSON.stringify(eventLoopDelayMs)} ms; rows written per message: ${JSON.stringify(rowWritesPerMessage)}`);
    if (statements) {
      console.error(`  ${statementCount} SQL statements, ${(statementCount / messages).toFixed(2)} per message; most sent:`);
      for (const [shape, n] of statements.top(20)) console.error(`    ${String(n).padStart(7)}  ${shape}`);
      console.error('  by total time to the answer (ms, count):');
      for (const [shape, ms, n] of statements.slowest(12)) console.error(`    ${String(ms).padStart(8)} ${String(n).padStart(6)}  ${shape}`);
    }

    console.error('no faults: steady 200 events/s for 10 s, event-to-accepted latency…');
    await fleet.setFaults(0, {});
    const started = performance.now();
    for (let i = 0; performance.now() - started < 10_000; i++) {
      await front.eventIntake.submit(makeEvents(20, 'steady'), { source: 'cli' });
      await sleep(Math.max(0, started + (i + 1) * 100 - performance.now()));
    }
    for (let waited = 0; waited < 60_000; waited += 250) {
      const { rows } = await db.query<{ moving: number }>(chainsSql, ['steady-%']);
      if (!rows[0]!.moving) break;
      await sleep(250);
    }
    const latencies = (await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM (m.accepted_at - o.created_at)) * 1000 AS ms FROM notification_messages m
       JOIN event_intake i ON i.event_id = m.event_id JOIN outbox o ON o.id = i.log_id
       WHERE m.event_id LIKE 'steady-%' AND m.accepted_at IS NOT NULL`,
    )).rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    console.error(`  ${latencies.length} messages: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);

    console.error('baseline: raw HTTP requests to the fakes (64 in flight, node:http keep-alive like the adapters)…');
    const baseline: Record<string, number> = {};
    const probeCpu0 = process.cpuUsage();
    const probeFakes0 = await fleet.cpu();
    let probes = 0;
    for (const [label, url] of Object.entries(fleet.urls)) {
      const n = 5000;
      let next = 0;
      const b0 = performance.now();
      await Promise.all(Array.from({ length: 64 }, async () => {
        while (next++ < n) await postWebhook(`${url}/baseline-probe`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
      }));
      probes += n;
      baseline[label] = Math.round(n / ((performance.now() - b0) / 1000));
    }
    const probeCpu = process.cpuUsage(probeCpu0);
    const probeFakes1 = await fleet.cpu();
    console.error(`  ${JSON.stringify(baseline)}`);
    // The floor no pipeline can go under: the HTTP exchanges a message takes (sends, retries, receipts)
    // times the CPU of one bare exchange, both ends (client here, server in the fakes' process).
    const exchangesPerMessage = (exchanges1.requests - exchanges0.requests + exchanges1.receipts - exchanges0.receipts) / messages;
    const exchangeCpuMs = probeFakes0 && probeFakes1
      ? (probeCpu.user + probeCpu.system + probeFakes1.user + probeFakes1.system - probeFakes0.user - probeFakes0.system) / 1000 / probes : undefined;
    const httpFloor = exchangeCpuMs !== undefined ? Number((exchangesPerMessage * exchangeCpuMs).toFixed(3)) : undefined;
    if (httpFloor !== undefined) {
      console.error(`  ${exchangesPerMessage.toFixed(2)} HTTP exchanges per message × ${exchangeCpuMs!.toFixed(3)} ms CPU per bare exchange = ${httpFloor} ms per message: at most ${Math.round(2000 / httpFloor)} messages/s on two idle cores for the HTTP alone`);
    }
    return {
      events: total,
      clients: codes.length,
      messages,
      seconds: Number(seconds.toFixed(1)),
      messagesPerSec: Math.round(messages / seconds),
      acceptedMessages: span.n,
      acceptedPerSec: Math.round(span.n / Number(span.seconds)),
      faultRate,
      receiptLoss,
      deliveryAccuracy: Number((deliverable ? chains.delivered / deliverable : 1).toFixed(4)),
      deliveredChains: chains.delivered,
      deliverableChains: deliverable,
      undeliverableChains: chains.undeliverable,
      duplicates,
      duplicatesByProvider: duplicatesBy,
      sentAfterChainDelivered: redundant,
      chainsSettledBySeconds,
      sendFailures: failures,
      p50EventToAcceptedMs: Math.round(percentile(latencies, 50)),
      p99EventToAcceptedMs: Math.round(percentile(latencies, 99)),
      baselineRequestsPerSec: baseline,
      fakes: fakesInline ? 'in process' : 'child process',
      pipelineProcesses: processes,
      cpuMsPerMessage: cpuMs,
      eventLoopDelayMs,
      rowWritesPerMessage,
      httpExchangesPerMessage: Number(exchangesPerMessage.toFixed(2)),
      ...(httpFloor !== undefined ? { httpFloorCpuMsPerMessage: httpFloor, bareExchangeCpuMs: Number(exchangeCpuMs!.toFixed(3)) } : {}),
      ...(statements ? { sqlStatementsPerMessage: Number((statementCount / messages).toFixed(2)) } : {}),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    };
  } finally {
    await workers?.stop();
    for (const child of children) await child.stop();
    await front?.stop();
    await closeProgress?.();
    await fleet.close();
    statements?.stop();
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
