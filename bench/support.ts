// What the benchmarks share: reading a numeric option, a percentile, a throwaway database, and
// the CPU time a phase costs (on shared cores, wall time says as much about the neighbours).
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import pg from 'pg';
import type { Queryable } from '../src/store/db.ts';

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

export type CpuSeconds = { node: number; postgres: number; total: number };

/** utime + stime of a process in seconds, from /proc (Linux), or undefined when it is gone or unreadable. */
async function processCpuSeconds(pid: number, ticksPerSecond: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * Measures the CPU seconds this process and the PostgreSQL backends of `db`'s database spend
 * between the call and `stop()`: on shared cores, wall time grows with the others' load, CPU time
 * much less, so `events / total` says what the work costs. Needs the server on this machine
 * (/proc); backends that exit in between are not counted, nor the server's background writers.
 * Resolves `stop()` to undefined when the backends cannot be read.
 */
export async function startCpuMeter(db: Queryable): Promise<{ stop(): Promise<CpuSeconds | undefined> }> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const backends = async () => {
    const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    const seconds = new Map<number, number>();
    for (const { pid } of rows) {
      const cpu = await processCpuSeconds(pid, ticksPerSecond);
      if (cpu !== undefined) seconds.set(pid, cpu);
    }
    return seconds;
  };
  const before = await backends();
  const nodeBefore = process.cpuUsage();
  return {
    async stop() {
      const node = process.cpuUsage(nodeBefore);
      const after = await backends();
      if (!after.size) return undefined;
      let postgres = 0;
      for (const [pid, cpu] of after) postgres += cpu - (before.get(pid) ?? 0);
      const nodeSeconds = (node.user + node.system) / 1e6;
      return { node: round(nodeSeconds), postgres: round(postgres), total: round(nodeSeconds + postgres) };
    },
  };
}

/**
 * CPU time (ms) of the PostgreSQL backends serving one database, read from /proc (Linux): call
 * `sample()` now and then while the work runs (pools close idle connections, so a backend is only
 * seen while it lives) and `total()` at the end. Backends whose application_name is in `skip` (the
 * benchmark's own progress queries) are left out.
 */
export function createBackendCpuSampler(db: { query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> }, skip: string[] = []) {
  const ticks = new Map<number, { first: number; last: number }>();
  const tickMs = 10; // CLK_TCK 100
  const read = async (pid: number): Promise<number | undefined> => {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      return undefined;
    }
  };
  return {
    /** Starts counting from now for the backends alive now; later ones count from their start. */
    async sample(baseline = false): Promise<void> {
      const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND NOT (application_name = ANY($1))', [skip]);
      for (const { pid } of rows) {
        const t = await read(pid);
        if (t === undefined) continue;
        const seen = ticks.get(pid);
        if (seen) seen.last = t;
        else ticks.set(pid, { first: baseline ? t : 0, last: t });
      }
    },
    total(): number {
      return [...ticks.values()].reduce((s, t) => s + (t.last - t.first), 0) * tickMs;
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Counts the SQL statements this process sends (every pg client, pools included), by the statement's
 * first words, until `stop()`: what a unit of work costs in round trips, independent of load.
 */
export function countStatements() {
  const counts = new Map<string, number>();
  const waited = new Map<string, number>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string } | null)?.text ?? '?';
    const shape = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
    const started = performance.now();
    const result = original.apply(this, args);
    // Time to the answer, queueing and a loaded machine included: a relative figure only.
    if (result instanceof Promise) void result.finally(() => waited.set(shape, (waited.get(shape) ?? 0) + performance.now() - started)).catch(() => undefined);
    return result;
  };
  return {
    /** Forgets what was counted so far (setup), so what follows is the measured work alone. */
    reset: () => {
      counts.clear();
      waited.clear();
    },
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    top: (n: number) => [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n),
    /** Statements by total time to their answers (ms). */
    slowest: (n: number) => [...waited.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([shape, ms]) => [shape, Math.round(ms), counts.get(shape) ?? 0] as const),
    stop: () => void (proto.query = original),
  };
}

/**
 * A CPU profile of this process from `start()` to `stop()` (the measured phase only, not the setup),
 * written as a .cpuprofile file that Chrome DevTools and speedscope open.
 */
export async function startCpuProfile(file: string): Promise<{ stop(): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/**
 * Asks a forked child over IPC and resolves with its answer: the child replies `{ id, value }` to
 * each `{ ...command, id }` it is sent.
 */
export function childAsker(child: ChildProcess): <T>(command: Record<string, unknown>) => Promise<T> {
  let serial = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (m: { id?: number; value?: unknown }) => {
    if (m.id === undefined) return;
    waiting.get(m.id)?.(m.value);
    waiting.delete(m.id);
  });
  return <T>(command: Record<string, unknown>) => new Promise<T>((resolve) => {
    const id = ++serial;
    waiting.set(id, resolve as (value: unknown) => void);
    child.send({ ...command, id });
  });
}
