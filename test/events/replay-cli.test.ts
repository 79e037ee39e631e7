// `pravah events lag` and `pravah events replay` as child processes against a test database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { createPostgresEventLog } from '../../src/log/postgres-event-log.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

test('events lag shows what a group has left; events replay --earliest makes it handle everything again', async () => {
  const database = await createTestDatabase();
  const env = testEnv(database.url, { LOG_LEVEL: 'warn' });
  const log = await createPostgresEventLog({ db: database.db, pollMs: 100 });
  try {
    await log.append(Array.from({ length: 12 }, (_, n) => ({ topic: 'replayed', key: `k${n % 3}`, type: 'x', payload: { n } })));
    const seen: number[] = [];
    const consume = async () => {
      const sub = await log.subscribe({ group: 'cli-group', topics: ['replayed'], handle: async (batch) => void seen.push(...batch.map((r) => r.payload['n'] as number)) });
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

    const bad = await run(['events', 'replay', '--group', 'cli-group', '--topic', 'replayed', '--from', 'yesterday'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /not an ISO time/);
  } finally {
    await log.close();
    await database.drop();
  }
});
