// Vacuuming the queue tables when nothing else does. The notification ledger and the outbox are
// queues: every message is updated ~4 times and every outbox record once, and each update leaves a
// dead row version and dead entries in the indexes. Autovacuum clears them (migration 0019 makes
// it eager on these tables), but a server may run with it off (this project's CI machines do):
// then dead entries pile up and the queue's own scans slow down as they walk them (measured in the
// notify benchmark: the fallback check walked 7,600 index entries for one live row, 15-44 ms a
// call; the sequencer's scan 67,000 for none). With autovacuum off, this job vacuums a table once
// its dead rows pass 1,000 + 10% of its live ones, checking every `everyMs`; with it on, it stays
// idle. Across processes, a session advisory lock per table (keyed by its name: processes with other
// roles list other tables) lets one vacuum it at a time.
import type { Db } from './db.ts';
import type { Logger } from '../platform/logger.ts';
import { startRepeating, type Repeating } from '../platform/repeat.ts';

export type QueueVacuumOptions = {
  db: Db;
  tables: readonly string[];
  log: Logger;
  /** How often dead rows are counted (default 10 s). */
  everyMs?: number;
  /** Whether the server's autovacuum is on; read from the server when not given (tests pass it). */
  autovacuumOn?: () => Promise<boolean>;
};

/** The session advisory lock a process holds while it vacuums `table` (two keys: "pravah queue vacuum", the table's name hashed). */
export const vacuumLockSql = (fn: 'pg_try_advisory_lock' | 'pg_advisory_lock' | 'pg_advisory_unlock') => `SELECT ${fn}(727274100, hashtext($1)) AS ok`;

export function createQueueVacuum(options: QueueVacuumOptions) {
  const { db, tables, log } = options;
  for (const t of tables) if (!/^[a-z_][a-z0-9_]*$/.test(t)) throw new Error(`queue vacuum: not a table name: ${t}`);
  const everyMs = options.everyMs ?? 10_000;
  const autovacuumOn = options.autovacuumOn ?? (async () => (await db.query<{ on: string }>(`SELECT current_setting('autovacuum') AS on`)).rows[0]?.on === 'on');
  let repeating: Repeating | undefined;

  /** Vacuums the tables past the threshold; returns their names. */
  async function runOnce(): Promise<string[]> {
    const { rows } = await db.query<{ relname: string; dead: string; live: string }>(
      'SELECT relname, n_dead_tup AS dead, n_live_tup AS live FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = ANY($1::text[])',
      [tables],
    );
    const due = rows.filter((r) => Number(r.dead) > 1000 + 0.1 * Number(r.live)).map((r) => r.relname);
    const done: string[] = [];
    for (const table of due) {
      const client = await db.pool.connect();
      try {
        const { rows: got } = await client.query<{ ok: boolean }>(vacuumLockSql('pg_try_advisory_lock'), [table]);
        if (!got[0]?.ok) continue; // another process is vacuuming it
        try {
          await client.query(`VACUUM (ANALYZE) ${table}`);
          done.push(table);
        } finally {
          await client.query(vacuumLockSql('pg_advisory_unlock'), [table]);
        }
      } finally {
        client.release();
      }
    }
    return done;
  }

  return {
    name: 'queue-vacuum',
    runOnce,
    async start(): Promise<void> {
      if (await autovacuumOn()) return;
      log.warn({ tables, everyMs }, "PostgreSQL's autovacuum is off: Pravah vacuums its queue tables itself");
      repeating ??= startRepeating(async () => (await runOnce(), everyMs), {
        firstDelayMs: everyMs, afterErrorMs: everyMs, onError: (error) => log.warn({ err: error }, 'queue vacuum failed; retrying'),
      });
    },
    async stop(): Promise<void> {
      await repeating?.stop();
      repeating = undefined;
    },
  };
}
