// SQL migrations: every `src/*/migrations/NNNN_name.sql`, applied in order of NNNN, each in its own
// transaction, recorded with a checksum. Safe to run from several processes at once (advisory lock)
// and idempotent: an applied migration is skipped, a changed one is an error.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockId = 727_274_001; // arbitrary, constant: "pravah migrations"

export type Migration = { version: string; name: string; file: string; sql: string; checksum: string };

/** Lists the migration files of every feature folder, ordered by version. */
export async function listMigrations(root = srcDir): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name, 'migrations');
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.sql'))) {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file name must look like 0001_name.sql: ${entry.name}/migrations/${file}`);
      const sql = await readFile(path.join(dir, file), 'utf8');
      migrations.push({ version: match[1]!, name: match[2]!, file: path.join(dir, file), sql, checksum: createHash('sha256').update(sql).digest('hex') });
    }
  }
  migrations.sort((a, b) => a.version.localeCompare(b.version));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`two migrations share version ${migrations[i]!.version}: ${migrations[i - 1]!.file} and ${migrations[i]!.file}`);
    }
  }
  return migrations;
}

/** Applies pending migrations; returns the versions it applied. */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await listMigrations());
  const client = await db.pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockId]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    for (const m of all) {
      const checksum = done.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) throw new Error(`migration ${m.version}_${m.name} changed after it was applied; add a new migration instead`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
    client.release();
  }
  return applied;
}

/** True when every known migration is recorded (the readiness check). */
export async function isMigrated(db: Db, migrations: Migration[]): Promise<boolean> {
  const table = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations') AS t");
  if (!table.rows[0]?.t) return false; // never migrated
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM schema_migrations WHERE version = ANY($1::text[])`,
    [migrations.map((m) => m.version)],
  );
  return Number(rows[0]?.n) === migrations.length;
}
