// Ingestion end to end: `npm run bench -- ingest --records 500000 [--seed S] [--in-thread]`. The
// file is generated first by a child process (not timed, and not in this process's memory); then
// the whole ingest is timed (parse, validate, encrypt, store, events committed) and, as the
// baseline in the same run, a raw COPY of the same file into a plain table. `--in-thread` prepares
// rows on the job's thread instead of a worker thread (the single-threaded baseline).
// Peak RSS is the process's high-water mark (getrusage), worker threads included.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openFileKeyStore } from '../src/crypto/keystore.ts';
import { createEnvelope } from '../src/crypto/envelope.ts';
import { createClientWriter } from '../src/kyc/ingest/client-writer.ts';
import { createPostgresEventLog } from '../src/log/postgres-event-log.ts';
import { createIngestRunner } from '../src/kyc/ingest/ingest-job.ts';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, option, startCpuMeter } from './support.ts';

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const records = option(args, '--records', 100_000);
  const seed = option(args, '--seed', 42);
  const inThread = args.includes('--in-thread');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-bench-ingest-'));
  const file = path.join(dir, 'clients.csv');
  const scratch = await createScratchDatabase();
  const db = createDb(scratch.url, { max: 4 });
  try {
    console.error(`generating ${records} records (seed ${seed})…`);
    const cli = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    execFileSync(process.execPath, [cli, 'demo', 'generate', '--kind', 'kyc', '--records', String(records), '--seed', String(seed), '--format', 'csv', '--out', file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const bytes = (await stat(file)).size;
    await migrate(db);

    // Baseline: raw COPY of the same CSV into a plain table of text columns.
    const header = await new Promise<string>((resolve) => {
      createReadStream(file, { end: 64 * 1024 }).once('data', (d) => resolve(d.toString().split(/\r?\n/, 1)[0]!.replace(/^\uFEFF/, '')));
    });
    const columns = header.split(',').map((_c, i) => `c${i} text`).join(', ');
    await db.query(`CREATE UNLOGGED TABLE IF NOT EXISTS copy_baseline (${columns})`);
    const client = await db.pool.connect();
    let t = performance.now();
    try {
      await pipeline(createReadStream(file), client.query(copyFrom("COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)")));
    } finally {
      client.release();
    }
    const copySeconds = (performance.now() - t) / 1000;
    console.error(`raw COPY: ${copySeconds.toFixed(2)} s`);

    const keys = await openFileKeyStore(path.join(dir, 'keys.json'));
    const runner = createIngestRunner({ db, writer: createClientWriter({ envelope: createEnvelope({ db, keys, cacheSize: 50_000 }), log: await createPostgresEventLog({ db }) }), keys, clock: { now: () => new Date('2025-03-31T06:00:00Z') }, inThread });
    const id = await runner.create({ source: 'bench.csv', filePath: file, createdBy: 'bench' });
    const cpu = await startCpuMeter(db);
    const load = os.loadavg()[0]!;
    t = performance.now();
    const summary = await runner.run(id, {
      onProgress: (p) => process.stderr.write(`\r  ${p.read} rows, ${p.ratePerSec ?? 0}/s   `),
    });
    const seconds = (performance.now() - t) / 1000;
    const cpuSeconds = await cpu.stop();
    process.stderr.write('\n');
    console.error(`ingest: ${seconds.toFixed(2)} s, ${summary.status}`);
    return {
      records,
      bytes,
      status: summary.status,
      seconds: Number(seconds.toFixed(2)),
      recordsPerSec: Math.round(records / seconds),
      copySeconds: Number(copySeconds.toFixed(2)),
      copyRecordsPerSec: Math.round(records / copySeconds),
      ratioToCopy: Number((copySeconds / seconds).toFixed(3)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      preparedIn: inThread ? 'job thread' : 'worker thread',
      // CPU per record (this process, its worker, and its PostgreSQL backends): what the work
      // costs whatever else shares the cores; `coresUsed` is how much of the machine the run got.
      cpuUsPerRecord: cpuSeconds && { node: Math.round((cpuSeconds.node * 1e6) / records), postgres: Math.round((cpuSeconds.postgres * 1e6) / records) },
      coresUsed: cpuSeconds && Number((cpuSeconds.total / seconds).toFixed(2)),
      loadAverage: Number(load.toFixed(1)),
      accepted: summary.accepted,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      duplicate: summary.duplicate,
      events: summary.events,
    };
  } finally {
    await db.close();
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
