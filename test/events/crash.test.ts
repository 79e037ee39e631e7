// Kill -9 of the processing process at random moments while 50,000 events flow: after restarts,
// every event was handled exactly once in effect (one outcome and one request per event id) and
// each client's requests were made in the order of that client's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import { startPlatform } from '../../src/app.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { triggeredEventsTopic } from '../../src/events/intake.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/platform.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';

const childScript = fileURLToPath(new URL('./run-processor.ts', import.meta.url));
const total = 50_000;
const clients = 400;

test('SIGKILL at random moments while 50,000 events flow: each handled once in effect, in per-client order', { timeout: 240_000 }, async () => {
  const database = await createTestDatabase();
  const env = testEnv(database.url, { EVENT_LEASE_MS: '800', ROLES: 'api,ingest', EVENT_CONCURRENCY: '2' });
  const platform = await startPlatform(loadConfig(env), { listen: false });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-crash-'));
  let child: ChildProcess | undefined;
  try {
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, Array.from({ length: clients }, (_, i) => clientInput(i)));
    await platform.ingest.run(await platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    const blindIndex = createBlindIndex(platform.keys);
    const ids = Array.from({ length: clients }, (_, i) => clientIdForCode(blindIndex, clientCode(i)));

    const start = async () => {
      const c = spawn(process.execPath, [childScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      const [line] = (await once(c.stdout!, 'data')) as [Buffer];
      assert.match(line.toString(), /ready/);
      return c;
    };
    // Producer: 50,000 events, client k's n-th event carries amount n, appended in batches while the processor runs and dies.
    const perClient = new Array<number>(clients).fill(0);
    let appended = 0;
    const produce = (async () => {
      while (appended < total) {
        const batch = [];
        for (let i = 0; i < 250 && appended < total; i++, appended++) {
          const k = Math.floor(Math.random() * clients);
          const n = ++perClient[k]!;
          batch.push({
            topic: triggeredEventsTopic, key: ids[k]!, type: 'funds.payin_received', headers: { 'event-id': `crash-${k}-${n}` },
            payload: { clientId: ids[k]!, clientCode: clientCode(k), occurredAt: new Date().toISOString(), variables: { amount: n, mode: 'UPI', balance: n } },
          });
        }
        await platform.eventLog.append(batch);
        await sleep(30);
      }
    })();

    const handled = async () => (await database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_outcomes WHERE event_id LIKE 'crash-%'`)).rows[0]!.n;
    // Kill at random moments until everything is handled; note how far each kill got.
    const killedAt: number[] = [];
    child = await start();
    while (killedAt.length < 10) {
      await sleep(300 + Math.random() * 900);
      const before = await handled();
      if (before >= total) break;
      child.kill('SIGKILL');
      await once(child, 'exit');
      killedAt.push(before);
      child = await start();
    }
    await produce;
    // Let the last incarnation finish everything.
    while ((await handled()) < total) await sleep(250);
    child.kill('SIGTERM');
    await once(child, 'exit');
    child = undefined;

    const outcomes = await database.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM event_outcomes WHERE event_id LIKE 'crash-%' GROUP BY status`);
    assert.deepEqual(outcomes.rows, [{ status: 'planned', n: total }]);
    const requests = await database.db.query<{ n: number; distinct_events: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_events FROM notification_requests WHERE event_id LIKE 'crash-%'`,
    );
    assert.deepEqual(requests.rows[0], { n: total, distinct_events: total });
    // Per-client order: the requests' sequence follows the amounts 1, 2, 3, ... of each client.
    const disorder = await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT (variables->>'amount')::int AS amount, row_number() OVER (PARTITION BY client_id ORDER BY seq) AS rank
         FROM notification_requests WHERE event_id LIKE 'crash-%') x WHERE amount <> rank`,
    );
    assert.equal(disorder.rows[0]!.n, 0);
    // The kills landed mid-flow (each one while events were still unhandled), several times.
    assert.ok(killedAt.length >= 3, `kills at ${killedAt.join(', ')} handled events`);
  } finally {
    child?.kill('SIGKILL');
    await platform.stop();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
