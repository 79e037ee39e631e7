// PostgreSQL through one driver (node-postgres). Feature code receives a Db and never a Pool, so
// a transaction can be passed where a Db is expected (outbox appends join the caller's work).
import pg from 'pg';
import { AppError } from '../platform/errors.ts';

/** Something that runs SQL: the pool or one transaction's client. */
export type Queryable = {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
};

export type Db = Queryable & {
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly pool: pg.Pool;
};

/**
 * Statements marked with `prepared` are sent as named prepared statements: each connection parses
 * one once and reuses it, instead of parsing the text on every call (0.39-0.56 against 0.31-0.33 ms
 * per call for a receipt batch's update in a loop, wall, one connection, 2026-12-07); each call is
 * still planned for its values (plan_cache_mode, below). Only texts that never vary may be marked:
 * each distinct text is a statement kept on every connection.
 */
const preparedNames = new Map<string, string>();
export function prepared(text: string): string {
  if (!preparedNames.has(text)) preparedNames.set(text, `pravah_${preparedNames.size + 1}`);
  return text;
}
function run<R extends pg.QueryResultRow>(target: pg.Pool | pg.PoolClient, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
  const name = preparedNames.get(text);
  return name ? target.query<R>({ name, text, values: values ?? [] }) : target.query<R>(text, values);
}

/** The one connection behind a transaction's Queryable (for COPY, which streams on it). */
const connections = new WeakMap<Queryable, pg.PoolClient>();
export function connectionOf(q: Queryable): pg.Client | undefined {
  return connections.get(q) ?? (q instanceof pg.Client ? q : undefined);
}

// bigint (int8) as JS number where safe is a footgun; keep strings for int8 and parse per column.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export function createDb(url: string, options: { max?: number; applicationName?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'pravah',
    // Prepared statements (see `prepared`) are planned for each call's values: a generic plan made
    // while the ledger was nearly empty went on scanning it whole as it grew (the notify benchmark's
    // receipt updates took 68 ms each instead of 4). What is saved is the parse, not the planning.
    options: '-c plan_cache_mode=force_custom_plan',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  let closing: Promise<void> | undefined;

  return {
    pool,
    query: (text, values) => run(pool, text, values),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = { query: (text, values) => run(client, text, values) };
        connections.set(tx, client);
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
      } catch (error) {
        throw new AppError('STORE_UNAVAILABLE', 'The database is not reachable', { cause: error });
      }
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
