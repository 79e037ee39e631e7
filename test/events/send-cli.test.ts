// `pravah events send FILE` as a child process against a test database: batches, bad lines by
// number, duplicates on a re-run, the JSON summary, and files that cannot be read.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { sendEventsFile } from '../../src/events/send-file.ts';
import type { IntakeOutcome } from '../../src/events/intake.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const event = (i: number) => ({ id: `cli-${i}`, type: 'order.rejected', clientCode: `C${i % 300}`, variables: { symbol: 'TATAMOTORS', qty: 1 + (i % 9), reason: 'Insufficient margin' } });

describe('pravah events send', () => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let file: string;

  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-events-send-'));
    env = testEnv(database.url, { LOG_LEVEL: 'warn' });
    const lines: string[] = [];
    for (let i = 0; i < 2400; i++) lines.push(JSON.stringify(event(i)));
    lines.splice(10, 0, '{"id": "broken", "type":'); // line 11: not JSON
    lines.splice(1500, 0, JSON.stringify({ ...event(9999), variables: { symbol: 'X' } })); // line 1501: missing variables
    lines.splice(2000, 0, '', '   '); // blank lines are skipped
    lines.push(JSON.stringify(event(5))); // a duplicate id across batches
    file = path.join(dir, 'events.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
  });
  after(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  test('sends the file in batches and prints one JSON summary line', async () => {
    const result = await run(['events', 'send', file, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), { file, read: 2403, accepted: 2400, duplicate: 1, rejected: 2 });
    assert.match(result.stderr, /line 11: \(event\) event\.not_json/);
    assert.match(result.stderr, /line 1501: variables\.(qty|reason) field\.required/);
    const { rows } = await database.db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE topic = 'events.triggered'");
    assert.equal(Number(rows[0]!.n), 2400);
    const intake = await database.db.query<{ n: string; sources: string[] }>('SELECT count(*) AS n, array_agg(DISTINCT source) AS sources FROM event_intake');
    assert.deepEqual([Number(intake.rows[0]!.n), intake.rows[0]!.sources], [2400, ['cli']]);
  });

  test('submits batches of 1,000 in file order, streaming', async () => {
    const sizes: number[] = [];
    const summary = await sendEventsFile(file, {
      intake: {
        async submit(events): Promise<IntakeOutcome> {
          sizes.push(events.length);
          return { accepted: events.length, duplicate: 0, rejected: 0, replayed: false, results: events.map((_, index) => ({ index, status: 'accepted', eventId: null })) };
        },
      },
    });
    assert.deepEqual(sizes, [1000, 1000, 402]);
    assert.equal(summary.rejected, 1, 'the line that is not JSON never reaches the intake');
  });

  test('a second run of the same file finds every event a duplicate', async () => {
    const result = await run(['events', 'send', file], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /2403 events read: 0 accepted, 2401 duplicate, 2 rejected/);
  });

  test('a file that cannot be read exits non-zero with a one-line reason', async () => {
    const missing = await run(['events', 'send', path.join(dir, 'nope.jsonl')], env);
    assert.notEqual(missing.code, 0);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /nope\.jsonl: no such file/);
    const folder = path.join(dir, 'folder');
    await mkdir(folder);
    const notFile = await run(['events', 'send', folder, '--json'], env);
    assert.notEqual(notFile.code, 0);
    assert.match(notFile.stderr, /folder: not a file/);
    assert.equal(notFile.stdout, '');
  });
});
