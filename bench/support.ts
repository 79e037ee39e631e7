// What the benchmarks share: reading a numeric option, a percentile, a throwaway database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The number after `flag` (written in full, `--records`) in `args`, or `fallback` when the flag is
 * absent or not followed by a finite number. Zero is a value, not a missing one.
 */
export function option(args: readonly string[], flag: string, fallback: number): number {
  const at = args.indexOf(flag);
  const value = at >= 0 ? Number(args[at + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

/** The `p`th percentile (0-100, nearest rank rounding down) of ascending `sorted`; 0 when it is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export interface ScratchDatabase {
  /** Connection string of the new, empty database. */
  readonly url: string;
  /** Drops the database, even with connections still open, and closes the admin connection. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a random name on the server of DATABASE_URL (default: the local
 * server), so a benchmark never touches real data. The caller closes its own pools, then `drop()`s.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const server = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pravah_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
