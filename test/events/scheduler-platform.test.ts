// The scheduler inside a started platform (role 'scheduler', manual clock): wired to intake, so a
// due run's event lands in events.triggered like any other triggered event.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { createManualClock } from '../../src/platform/time.ts';
import { triggeredEventsTopic } from '../../src/events/intake.ts';
import { createFixtures, moveTo } from './scheduler-fixtures.ts';

const clock = createManualClock('2026-11-25T03:00:00Z'); // Wednesday 08:30 IST
let t: TestPlatform;

before(async () => {
  t = await startTestPlatform({ env: { ROLES: 'api,scheduler', SCHEDULER_HOLIDAYS: '2026-11-27' }, platform: { clock, listen: false } });
});
after(async () => {
  await t.stop();
});

test('the platform runs the scheduler: a due expiry reminder reaches events.triggered through intake', async () => {
  const fixtures = createFixtures(t.platform.store.db, createBlindIndex(t.platform.keys));
  const id = await fixtures.client('PA0001');
  await fixtures.position('PA0001', { symbol: 'NIFTY', instrumentType: 'OPTIDX', expiry: '2026-11-26', strike: 24500, optionType: 'CE', netQty: 75 });
  await t.platform.events.scheduler.tick(); // the start already planned from 08:30 IST
  moveTo(clock, '2026-11-25T03:30:00Z');
  const summary = await t.platform.events.scheduler.tick();
  assert.equal(summary.events, 1);
  const { rows } = await t.platform.store.db.query<{ type: string; key: string; payload: { clientCode: string; variables: unknown }; headers: Record<string, string> }>(
    'SELECT type, key, payload, headers FROM outbox WHERE topic = $1', [triggeredEventsTopic],
  );
  assert.deepEqual(rows.map((r) => [r.type, r.key, r.payload.clientCode, r.payload.variables, r.headers['event-id'], r.headers['source']]), [
    ['fno.expiry_reminder', id, 'PA0001', { contracts: ['NIFTY 26NOV2026 24500 CE'], expiryDate: '2026-11-26' }, `sched:fno.expiry_reminder:2026-11-26:T-1:${id}`, 'scheduler'],
  ]);
  const schedules = await t.platform.store.db.query<{ name: string }>('SELECT name FROM scheduler_schedules ORDER BY name');
  assert.deepEqual(schedules.rows.map((r) => r.name), ['fno.expiry_reminder', 'funds.running_account_settled', 'kyc.revalidation_due', 'margin.daily_statement', 'mtf.interest_debited']);
});
