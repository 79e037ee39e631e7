// Ingestion across threads and jobs: the worker thread prepares exactly what the job's own thread
// would, and two jobs writing overlapping clients at once store each client once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openFileKeyStore, type KeyStore } from '../../src/crypto/keystore.ts';
import { createEnvelope, type Envelope } from '../../src/crypto/envelope.ts';
import { createClientWriter } from '../../src/kyc/ingest/client-writer.ts';
import { createIngestRunner } from '../../src/kyc/ingest/ingest-job.ts';
import { createPostgresEventLog } from '../../src/log/postgres-event-log.ts';
import { runDemoGenerate } from '../../src/kyc/demo/generate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { clientInput, writeJsonl } from '../helpers/clients.ts';

type Setup = { t: TestDatabase; envelope: Envelope; runner: ReturnType<typeof createIngestRunner> };

describe('ingestion across threads and concurrent jobs', () => {
  let dir: string;
  let keys: KeyStore;
  const setups: Setup[] = [];

  async function setup(inThread: boolean, workerHeapMb?: number): Promise<Setup> {
    const t = await createTestDatabase();
    const envelope = createEnvelope({ db: t.db, keys });
    const log = await createPostgresEventLog({ db: t.db });
    const runner = createIngestRunner({ db: t.db, writer: createClientWriter({ envelope, log }), keys, clock: { now: () => new Date('2025-03-31T06:00:00Z') }, inThread, workerHeapMb });
    const s = { t, envelope, runner };
    setups.push(s);
    return s;
  }

  async function run(s: Setup, file: string, batchRows = 97) {
    return s.runner.run(await s.runner.create({ source: path.basename(file), filePath: file, createdBy: 'test' }), { batchRows });
  }

  async function stored(s: Setup) {
    const { rows } = await s.t.db.query<{ id: string; personal_enc: Buffer } & Record<string, unknown>>(
      `SELECT id, code_bidx, pan_bidx, mobile_bidx, email_bidx, address_hash, bank_hash, nominee_hash, content_hash, masked, profile,
              kra_status, segments, source_system, source_version, source_as_of, personal_enc FROM clients ORDER BY id`,
    );
    await s.envelope.prepare(rows.map((r) => `client:${r.id}`));
    return Promise.all(rows.map(async ({ personal_enc, ...r }) => ({ ...r, record: JSON.parse(await s.envelope.decrypt(`client:${r.id}`, 'record', personal_enc)) as unknown })));
  }

  async function outbox(s: Setup) {
    return (await s.t.db.query('SELECT topic, key, type, payload FROM outbox ORDER BY id')).rows;
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-parallel-'));
    keys = await openFileKeyStore(path.join(dir, 'keys.json'));
  });
  after(async () => {
    for (const s of setups) await s.t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a worker thread stores the same rows, events, counts and rejects as the job thread', async () => {
    const file = path.join(dir, 'generated.csv');
    await runDemoGenerate({ kind: 'kyc', records: 1500, seed: 5, format: 'csv', out: file });
    const [inThread, worker] = [await setup(true), await setup(false)];
    const a = await run(inThread, file);
    const b = await run(worker, file);
    const counts = (j: typeof a) => [j.status, j.read, j.accepted, j.updated, j.unchanged, j.rejected, j.duplicate, j.events];
    assert.deepEqual(counts(b), counts(a));
    assert.ok(a.rejected > 0 && a.duplicate > 0 && a.accepted > 1000, 'the generated file has noise');
    assert.deepEqual(await stored(worker), await stored(inThread));
    assert.deepEqual(await outbox(worker), await outbox(inThread));
    const rejects = (s: Setup, id: string) => s.t.db.query('SELECT ordinal, row_number, field, rule, message FROM ingest_rejects WHERE job_id = $1 ORDER BY 1, 3, 4', [id]);
    assert.deepEqual((await rejects(worker, b.id)).rows, (await rejects(inThread, a.id)).rows);
  });

  test('two jobs over overlapping clients at once: each client stored once, its events once', async () => {
    const s = await setup(false);
    const first = path.join(dir, 'first.jsonl');
    const second = path.join(dir, 'second.jsonl');
    await writeJsonl(first, Array.from({ length: 600 }, (_, i) => clientInput(i)));
    await writeJsonl(second, Array.from({ length: 600 }, (_, i) => clientInput(i + 300)));
    const [a, b] = await Promise.all([run(s, first, 40), run(s, second, 40)]);
    assert.equal(a.status, 'completed');
    assert.equal(b.status, 'completed');
    assert.equal(a.accepted + b.accepted, 900, 'every client is new to exactly one job');
    assert.equal(a.unchanged + b.unchanged, 300, 'the other job finds the overlap unchanged');
    const { rows } = await s.t.db.query<{ n: string; approved: string; history: string }>(
      `SELECT (SELECT count(*) FROM clients) AS n, (SELECT count(*) FROM outbox WHERE type = 'kyc.approved') AS approved,
              (SELECT count(*) FROM client_status_history) AS history`,
    );
    assert.deepEqual(rows[0], { n: '900', approved: '900', history: '900' });
  });

  test('a file that needs more memory than the worker may use fails its job with that reason; the rows before it are kept', async () => {
    const s = await setup(false, 12);
    const file = path.join(dir, 'big.jsonl');
    await writeJsonl(file, Array.from({ length: 3000 }, (_, i) => clientInput(i, { name: { first: 'Asha', middle: 'x'.repeat(90), last: 'Verma' } })));
    const job = await run(s, file, 2000);
    assert.equal(job.status, 'failed');
    assert.match(String(job.error), /more memory than an ingestion job may use/);
    const { rows } = await s.t.db.query<{ n: string }>('SELECT count(*) AS n FROM clients');
    assert.equal(Number(rows[0]!.n), job.accepted, 'what was committed is counted');
  });
});
