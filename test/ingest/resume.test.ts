// Exactly-once ingestion across crashes: the job is killed with SIGKILL at several points, and
// PostgreSQL is restarted under it; after resuming, the clients, their events and the job's counts
// equal those of one uninterrupted run.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { clientInput, writeJsonl } from '../helpers/clients.ts';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.ts';
import { createDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createLogger } from '../../src/platform/logger.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const rows = 1500;
const batch = '100';

function records(): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 97 === 13) out.push('{"broken": true');
    else if (i % 89 === 7) out.push(clientInput(i - 1)); // duplicate of an earlier client
    else out.push(clientInput(i, i % 5 === 0 ? { kraStatus: '003' } : {}));
  }
  return out;
}

function runJob(env: Record<string, string>, file: string, killWhen?: (db: Db) => Promise<boolean>, db?: Db): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, 'run-job.ts'), file, batch], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    if (killWhen && db) {
      timer = setInterval(() => {
        void killWhen(db).then((yes) => {
          if (yes && child.exitCode === null) child.kill('SIGKILL');
        });
      }, 20);
    }
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, out });
    });
  });
}

async function snapshot(db: Db) {
  const clients = await db.query<{ id: string; content_hash: Buffer; source_version: string; kra_status: string }>('SELECT id, content_hash, source_version, kra_status FROM clients ORDER BY id');
  const events = await db.query<{ key: string; type: string; payload: unknown }>('SELECT key, type, payload FROM outbox ORDER BY key, id');
  const history = await db.query<{ n: string }>('SELECT count(*) AS n FROM client_status_history');
  const job = await db.query('SELECT status, rows_read, accepted, updated, unchanged, rejected, duplicate, events FROM ingest_jobs');
  const rejects = await db.query<{ n: string }>('SELECT count(*) AS n FROM ingest_rejects');
  return {
    clients: clients.rows.map((c) => `${c.id}:${c.content_hash.toString('hex')}:${c.source_version}:${c.kra_status}`),
    events: events.rows.map((e) => `${e.key}:${e.type}:${JSON.stringify(e.payload)}`),
    history: Number(history.rows[0]!.n),
    job: job.rows,
    rejects: Number(rejects.rows[0]!.n),
  };
}

const checkpointAtLeast = (n: number) => async (db: Db) => {
  const { rows: r } = await db.query<{ c: string }>('SELECT coalesce(max(checkpoint_row), 0) AS c FROM ingest_jobs');
  return Number(r[0]!.c) >= n;
};

describe('ingestion survives crashes exactly once', () => {
  let dir: string;
  let file: string;
  let env: Record<string, string>;
  let reference: Awaited<ReturnType<typeof snapshot>>;
  const databases: TestDatabase[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-resume-'));
    file = path.join(dir, 'crash.jsonl');
    await writeJsonl(file, records());
    const ref = await createTestDatabase();
    databases.push(ref);
    env = testEnv(ref.url, { LOG_LEVEL: 'silent' });
    const clean = await runJob(env, file);
    assert.equal(clean.code, 0, clean.out);
    reference = await snapshot(ref.db);
    assert.equal(reference.clients.length > 1300, true);
  });
  after(async () => {
    for (const d of databases) await d.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('killed with SIGKILL at four points, then resumed: same clients, events and counts', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const run = { ...env, DATABASE_URL: db.url };
    for (const point of [1, 400, 800, 1200]) {
      const killed = await runJob(run, file, checkpointAtLeast(point), db.db);
      assert.equal(killed.signal, 'SIGKILL', `expected a kill at checkpoint ${point}: ${killed.out}`);
    }
    const finished = await runJob(run, file);
    assert.equal(finished.code, 0, finished.out);
    assert.deepEqual(await snapshot(db.db), reference);
  });

  test('PostgreSQL restarted mid-job: the job fails, and a rerun finishes exactly', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-pg-restart-'));
    const log = createLogger({ level: 'silent' });
    let pg = await startEmbeddedPostgres({ dataDir, log, adopt: true });
    try {
      const db = createDb(pg.url, { max: 2 });
      await migrate(db);
      const run = { ...env, DATABASE_URL: pg.url };
      const child = runJob(run, file);
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          void checkpointAtLeast(500)(db).then((yes) => {
            if (yes) {
              clearInterval(timer);
              resolve();
            }
          }).catch(() => undefined);
        }, 20);
      });
      await db.close();
      await pg.stop();
      const crashed = await child;
      assert.notEqual(crashed.code, 0, 'the job cannot go on without its database');
      pg = await startEmbeddedPostgres({ dataDir, log, adopt: true });
      const finished = await runJob({ ...run, DATABASE_URL: pg.url }, file);
      assert.equal(finished.code, 0, finished.out);
      const after = createDb(pg.url, { max: 2 });
      assert.deepEqual(await snapshot(after), reference);
      await after.close();
    } finally {
      await pg.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
