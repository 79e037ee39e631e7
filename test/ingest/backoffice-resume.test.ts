// Exactly-once back-office ingestion across crashes: the job is killed with SIGKILL at several
// checkpoints and resumed; every back-office table, the job's counts and its rejects then equal
// those of one uninterrupted run.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { writeJsonl } from '../helpers/clients.ts';
import { generateBackofficeRecords } from '../../src/kyc/demo/generate.ts';
import type { Db } from '../../src/store/db.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const batch = '100';
const tables = ['backoffice_client_masters', 'backoffice_trades', 'backoffice_net_positions', 'backoffice_fund_limits', 'backoffice_mtf_positions', 'backoffice_ledger_entries'];

function records(): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  for (const record of generateBackofficeRecords({ seed: 'bo-crash', count: 2500, clients: 60, today: '2025-03-31' })) {
    i++;
    if (i % 211 === 5) out.push('{"kind": "trade"'); // unreadable
    if (i % 173 === 9) out.push({ ...record, clientCode: 'bad code' }); // rejected
    if (i % 157 === 3) out.push(record); // a duplicate submission
    out.push(record);
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
      }, 10);
    }
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, out });
    });
  });
}

async function snapshot(db: Db) {
  const rows: Record<string, string[]> = {};
  for (const table of tables) {
    const result = await db.query<{ r: string }>(`SELECT (to_jsonb(t) - 'job_id' - 'created_at' - 'updated_at')::text AS r FROM ${table} t ORDER BY 1`);
    rows[table] = result.rows.map((x) => x.r);
  }
  const job = await db.query('SELECT status, content, rows_read, accepted, updated, unchanged, rejected, duplicate, events FROM ingest_jobs');
  const rejects = await db.query('SELECT ordinal, row_number, field, rule FROM ingest_rejects ORDER BY ordinal, field, rule');
  return { rows, job: job.rows, rejects: rejects.rows };
}

const checkpointAtLeast = (n: number) => async (db: Db) => {
  const { rows } = await db.query<{ c: string }>('SELECT coalesce(max(checkpoint_row), 0) AS c FROM ingest_jobs');
  return Number(rows[0]!.c) >= n;
};

describe('back-office ingestion survives crashes exactly once', () => {
  let dir: string;
  let file: string;
  let env: Record<string, string>;
  let reference: Awaited<ReturnType<typeof snapshot>>;
  const databases: TestDatabase[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-bo-resume-'));
    file = path.join(dir, 'rms.jsonl');
    await writeJsonl(file, records());
    const ref = await createTestDatabase();
    databases.push(ref);
    env = testEnv(ref.url, { LOG_LEVEL: 'silent' });
    const clean = await runJob(env, file);
    assert.equal(clean.code, 0, clean.out);
    reference = await snapshot(ref.db);
    assert.equal(reference.rows['backoffice_trades']!.length > 100, true);
    assert.ok(reference.rejects.length > 20);
  });
  after(async () => {
    for (const d of databases) await d.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('killed with SIGKILL at four points, then resumed: same rows, counts and rejects', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const run = { ...env, DATABASE_URL: db.url };
    for (const point of [1, 700, 1400, 2100]) {
      const killed = await runJob(run, file, checkpointAtLeast(point), db.db);
      assert.equal(killed.signal, 'SIGKILL', `expected a kill at checkpoint ${point}: ${killed.out}`);
    }
    const finished = await runJob(run, file);
    assert.equal(finished.code, 0, finished.out);
    assert.deepEqual(await snapshot(db.db), reference);
  });
});
