// Event processing end to end: `npm run bench -- events --events 50000 [--clients 20000] [--rate 1000] [--steady-seconds 10]`.
// Not timed: a fresh database, --clients generated clients ingested (and their domain events
// processed), then --events catalog events for them submitted through intake. Timed: the processor
// handling the whole backlog (load clients, decrypt, consent, outcome + request per event).
// Baseline in the same run: the log's raw append-and-consume rate with an empty handler.
// Latency: append-to-handled p50/p99 while intake runs at a steady --rate events/s. The CPU seconds
// of the timed parts and the load average go with the figures: the 2 cores are usually shared.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openFileKeyStore } from '../src/crypto/keystore.ts';
import { createEnvelope } from '../src/crypto/envelope.ts';
import { createBlindIndex } from '../src/crypto/blind-index.ts';
import { createClientWriter } from '../src/kyc/ingest/client-writer.ts';
import { createIngestRunner } from '../src/kyc/ingest/ingest-job.ts';
import { runDemoGenerate } from '../src/kyc/demo/generate.ts';
import { generateClientRecords } from '../src/kyc/demo/generate-clients.ts';
import { clientIdForCode } from '../src/kyc/client-id.ts';
import { createPostgresEventLog } from '../src/log/postgres-event-log.ts';
import { createEventIntake } from '../src/events/intake.ts';
import { createEventProcessor } from '../src/events/processor.ts';
import { createRecordingPlanner } from '../src/events/notification-request.ts';
import { eventCatalog } from '../src/events/catalog.ts';
import { systemClock } from '../src/platform/time.ts';
import { createScratchDatabase, option, percentile, startCpuMeter } from './support.ts';

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const total = option(args, '--events', 50_000);
  const clientCount = option(args, '--clients', 20_000);
  const rate = option(args, '--rate', 1000);
  const steadySeconds = option(args, '--steady-seconds', 10);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-bench-events-'));
  const scratch = await createScratchDatabase();
  const db = createDb(scratch.url, { max: 8 });
  try {
    await migrate(db);
    const keys = await openFileKeyStore(path.join(dir, 'keys.json'));
    const envelope = createEnvelope({ db, keys, cacheSize: 50_000 });
    const blindIndex = createBlindIndex(keys);
    const log = await createPostgresEventLog({ db });
    const intake = createEventIntake({ db, log, blindIndex, clock: systemClock });
    const processor = createEventProcessor({ db, log, envelope, blindIndex, planner: createRecordingPlanner() });

    console.error(`ingesting ${clientCount} clients (not timed)…`);
    const file = path.join(dir, 'clients.jsonl');
    const today = '2025-03-31';
    await runDemoGenerate({ kind: 'kyc', records: clientCount, seed: 7, format: 'jsonl', out: file, today });
    const runner = createIngestRunner({ db, writer: createClientWriter({ envelope, log }), keys, clock: { now: () => new Date(`${today}T06:00:00Z`) } });
    await runner.run(await runner.create({ source: 'bench.jsonl', filePath: file, createdBy: 'bench' }));
    const stored = new Set((await db.query<{ id: string }>('SELECT id FROM clients')).rows.map((r) => r.id));
    const codes = [...new Set([...generateClientRecords({ seed: 7, count: clientCount, today })].map((r) => String((r as { clientCode?: unknown }).clientCode)))]
      .filter((code) => /^[A-Z0-9]{1,10}$/.test(code) && stored.has(clientIdForCode(blindIndex, code)));
    await processor.start();
    await processor.drained();
    await processor.stop();
    console.error(`${codes.length} clients stored; submitting ${total} catalog events (not timed)…`);

    const samples = eventCatalog.map((d) => ({ type: d.type, variables: d.sample }));
    let serial = 0;
    const makeEvents = (n: number, prefix: string) => Array.from({ length: n }, () => {
      const sample = samples[serial % samples.length]!;
      return { id: `${prefix}-${serial++}`, type: sample.type, clientCode: codes[Math.floor(Math.random() * codes.length)]!, variables: sample.variables };
    });
    for (let sent = 0; sent < total; sent += 1000) {
      const outcome = await intake.submit(makeEvents(Math.min(1000, total - sent), 'bench'), { source: 'cli' });
      if (outcome.rejected) throw new Error(`intake rejected ${outcome.rejected} sample events: ${JSON.stringify(outcome.results.find((r) => r.status === 'rejected'))}`);
    }

    console.error('processing the backlog (timed)…');
    const loadBefore = os.loadavg()[0]!;
    let cpu = await startCpuMeter(db);
    let t = performance.now();
    await processor.start();
    await processor.drained();
    const seconds = (performance.now() - t) / 1000;
    const cpuSeconds = await cpu.stop();
    const requests = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM notification_requests WHERE event_id LIKE 'bench-%'`)).rows[0]!.n);
    console.error(`  ${seconds.toFixed(2)} s, ${Math.round(total / seconds)} events/s, ${requests} requests; CPU ${JSON.stringify(cpuSeconds)} s, load ${loadBefore.toFixed(1)}`);

    console.error(`steady intake at ${rate} events/s for ${steadySeconds} s…`);
    const tick = 100;
    const perTick = Math.max(1, Math.round((rate * tick) / 1000));
    const started = performance.now();
    for (let i = 0; performance.now() - started < steadySeconds * 1000; i++) {
      await intake.submit(makeEvents(perTick, 'steady'), { source: 'cli' });
      const next = started + (i + 1) * tick;
      await sleep(Math.max(0, next - performance.now()));
    }
    await processor.drained();
    const latencies = (await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM (o.handled_at - x.created_at)) * 1000 AS ms
       FROM event_outcomes o JOIN outbox x ON x.id = o.log_id WHERE o.event_id LIKE 'steady-%'`,
    )).rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    await processor.stop();
    console.error(`  ${latencies.length} events: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);

    console.error('baseline: raw append and consume with an empty handler…');
    cpu = await startCpuMeter(db);
    t = performance.now();
    for (let sent = 0; sent < total; sent += 1000) {
      await log.append(Array.from({ length: Math.min(1000, total - sent) }, (_, i) => ({ topic: 'bench.raw', key: codes[(sent + i) % codes.length]!, type: 'raw', payload: { n: sent + i } })));
    }
    const raw = await log.subscribe({ group: 'bench-raw', topics: ['bench.raw'], handle: async () => undefined });
    await raw.drained();
    const baselineSeconds = (performance.now() - t) / 1000;
    const baselineCpuSeconds = await cpu.stop();
    await raw.stop();
    await log.close();
    console.error(`  ${baselineSeconds.toFixed(2)} s, ${Math.round(total / baselineSeconds)} events/s; CPU ${JSON.stringify(baselineCpuSeconds)} s`);
    return {
      events: total,
      clients: codes.length,
      requests,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSec: Math.round(total / seconds),
      baselineSeconds: Number(baselineSeconds.toFixed(2)),
      baselineEventsPerSec: Math.round(total / baselineSeconds),
      ratioToBaseline: Number((baselineSeconds / seconds).toFixed(3)),
      steadyRate: rate,
      steadyEvents: latencies.length,
      p50LatencyMs: Number(percentile(latencies, 50).toFixed(1)),
      p99LatencyMs: Number(percentile(latencies, 99).toFixed(1)),
      // What the machine gave the run: its 1-minute load average when the timed part began, and the
      // CPU seconds (this process and its PostgreSQL backends) the backlog and the baseline cost.
      cores: os.availableParallelism(),
      loadAverage: Number(loadBefore.toFixed(2)),
      ...(cpuSeconds ? { cpuSeconds, eventsPerCpuSecond: Math.round(total / cpuSeconds.total), cpuShare: Number((cpuSeconds.total / (seconds * os.availableParallelism())).toFixed(2)) } : {}),
      ...(baselineCpuSeconds ? { baselineCpuSeconds, baselineEventsPerCpuSecond: Math.round(total / baselineCpuSeconds.total) } : {}),
    };
  } finally {
    await db.close();
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
