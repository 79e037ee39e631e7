// `pravah events lag` and `pravah events replay` as child processes against a test database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { createPostgresEventLog } from '../../src/log/postgres-event-log.ts';
import type { EventRecord } from '../../src/log/event-log.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

test('events lag shows what a group has left; events replay --earliest, or --position of a partition, makes it handle again', async () => {
  const database = await createTestDatabase();
  const env = testEnv(database.url, { LOG_LEVEL: 'warn' });
  const log = await createPostgresEventLog({ db: database.db, pollMs: 100 });
  try {
    await log.append(Array.from({ length: 12 }, (_, n) => ({ topic: 'replayed', key: `k${n % 3}`, type: 'x', payload: { n } })));
    const seen: number[] = [];
    const records: EventRecord[] = [];
    const consume = async () => {
      const sub = await log.subscribe({
        group: 'cli-group', topics: ['replayed'],
        async handle(batch) {
          records.push(...batch);
          seen.push(...batch.map((r) => r.payload['n'] as number));
        },
      });
      await sub.drained();
      await sub.stop();
    };
    await consume();
    assert.equal(seen.length, 12);

    const lag = await run(['events', 'lag', '--json'], env);
    assert.equal(lag.code, 0, lag.stderr);
    const rows = (JSON.parse(lag.stdout) as Array<{ group: string; topic: string; lag: number }>).filter((r) => r.group === 'cli-group' && r.topic === 'replayed');
    assert.equal(rows.reduce((s, r) => s + r.lag, 0), 0);

    const replay = await run(['events', 'replay', '--group', 'cli-group', '--topic', 'replayed', '--earliest'], env);
    assert.equal(replay.code, 0, replay.stderr);
    const text = await run(['events', 'lag'], env);
    assert.match(text.stdout, /cli-group replayed: 12 behind/);
    await consume();
    assert.equal(seen.length, 24);

    // From a position of one partition: that record and the ones after it in its partition.
    const from = records.find((r) => r.payload['n'] === 4)!;
    const expected = records.slice(0, 12).filter((r) => r.partition === from.partition && BigInt(r.position) >= BigInt(from.position)).map((r) => r.payload['n']);
    const byPosition = await run(['events', 'replay', '--group', 'cli-group', '--topic', 'replayed', '--position', from.position, '--partition', String(from.partition)], env);
    assert.equal(byPosition.code, 0, byPosition.stderr);
    seen.length = 0;
    await consume();
    assert.deepEqual(seen, expected);
    assert.equal(seen[0], 4);

    const bad = await run(['events', 'replay', '--group', 'cli-group', '--topic', 'replayed', '--from', 'yesterday'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /not an ISO time/);
    const lonePartition = await run(['events', 'replay', '--group', 'cli-group', '--topic', 'replayed', '--partition', '1', '--earliest'], env);
    assert.notEqual(lonePartition.code, 0);
    assert.match(lonePartition.stderr, /--partition goes with --position/);
  } finally {
    await log.close();
    await database.drop();
  }
});
