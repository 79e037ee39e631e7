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

// bigint (int8) as JS number where safe is a footgun; keep strings for int8 and parse per column.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export function createDb(url: string, options: { max?: number; applicationName?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'pravah',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  let closing: Promise<void> | undefined;

  return {
    pool,
    query: (text, values) => pool.query(text, values),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
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
