// The Postgres adapter passes the shared EventLog contract on a real database, plus what is its own.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, type Db } from '../../src/store/db.ts';
import { createPostgresEventLog } from '../../src/log/postgres-event-log.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { describeEventLogContract } from '../contracts/event-log.contract.ts';

describeEventLogContract('postgres', async () => {
  const database = await createTestDatabase();
  const pools: Db[] = [];
  return {
    async member(options = {}) {
      const db = createDb(database.url, { max: 4 });
      pools.push(db);
      const log = await createPostgresEventLog({ db, leaseMs: options.leaseMs ?? 2000, pollMs: 200 });
      return {
        log,
        async crash() {
          log.abandon();
        },
        close: () => log.close(),
      };
    },
    transaction: async (fn, commit) => {
      const client = await database.db.pool.connect();
      try {
        await client.query('BEGIN');
        await fn(client);
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      } finally {
        client.release();
      }
    },
    async close() {
      await Promise.all(pools.map((p) => p.close()));
      await database.drop();
    },
  };
});

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.drop());

test('postgres log: a late-committing transaction is still delivered, after what committed before it', async () => {
  const log = await createPostgresEventLog({ db: database.db, pollMs: 100 });
  const seen: string[] = [];
  const sub = await log.subscribe({ group: 'late', topics: ['late'], async handle(batch) { seen.push(...batch.map((r) => r.type)); } });
  const client = await database.db.pool.connect();
  await client.query('BEGIN');
  await log.append([{ topic: 'late', key: 'k', type: 'first-id' , payload: {} }], { tx: client }); // lower id, commits last
  await log.append([{ topic: 'late', key: 'k', type: 'second-id', payload: {} }]);
  await sub.drained();
  assert.deepEqual(seen, ['second-id']);
  await client.query('COMMIT');
  client.release();
  await sub.drained();
  await sub.stop();
  await log.close();
  assert.deepEqual(seen, ['second-id', 'first-id']);
});

test('postgres log: rows inserted by plain SQL (no partition) are sequenced too, and the partition count is fixed', async () => {
  const log = await createPostgresEventLog({ db: database.db, pollMs: 100 });
  await database.db.query(`INSERT INTO outbox (topic, key, type, payload) VALUES ('sql', 'k1', 'x', '{}'), ('sql', 'k1', 'y', '{}')`);
  const seen: string[] = [];
  const sub = await log.subscribe({ group: 'sql', topics: ['sql'], async handle(batch) { seen.push(...batch.map((r) => r.type)); } });
  await sub.drained();
  await sub.stop();
  await log.close();
  assert.deepEqual(seen, ['x', 'y']);
  await assert.rejects(createPostgresEventLog({ db: database.db, partitions: 8 }), /created with 16 partitions/);
});

test('postgres log: retries wait the backoff drawn from the injected randomness before each new try', async () => {
  const log = await createPostgresEventLog({ db: database.db, pollMs: 100, random: () => 0.999 });
  const tries: number[] = [];
  const sub = await log.subscribe({
    group: 'backoff', topics: ['backoff'], retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 },
    async handle() {
      tries.push(performance.now());
      throw new Error('always');
    },
  });
  await log.append([{ topic: 'backoff', key: 'k', type: 'x', payload: {} }]);
  await sub.drained();
  await sub.stop();
  await log.close();
  assert.equal(tries.length, 4);
  const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
  // Ceilings 100, 200, 250 (capped) ms; with random 0.999 each wait is just under its ceiling.
  for (const [i, least] of [99, 199, 249].entries()) assert.ok(gaps[i]! >= least - 2, `wait ${i + 1}: ${gaps.map(Math.round).join(', ')} ms`);
});
