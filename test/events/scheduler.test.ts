// The scheduler on a real database with a manual clock: each schedule fires at its IST moment with
// the right clients and variables, once across two processes ticking at the same time, catches up
// after downtime (skipping what went stale), survives a restart, and retries a failed run.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createDb, type Db } from '../../src/store/db.ts';
import { createPostgresEventLog, type PostgresEventLog } from '../../src/log/postgres-event-log.ts';
import { createEventIntake, type EventIntake } from '../../src/events/intake.ts';
import { createScheduler, createSchedules } from '../../src/events/scheduler/scheduler.ts';
import { createTradingCalendar } from '../../src/events/scheduler/market-calendar.ts';
import { createExpiryReminderSchedule } from '../../src/events/scheduler/fno-expiry-reminder.ts';
import { createKycRevalidationSchedule } from '../../src/events/scheduler/kyc-revalidation.ts';
import { createRunningAccountSchedule, setSettlementFrequency } from '../../src/events/scheduler/running-account.ts';
import { createMarginStatementSchedule, createMtfInterestSchedule } from '../../src/events/scheduler/daily-digests.ts';
import type { Schedule } from '../../src/events/scheduler/schedule.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createManualClock, MINUTE, SECOND } from '../../src/platform/time.ts';
import type { BlindIndex } from '../../src/crypto/blind-index.ts';
import { createFixtures, moveTo, spyIntake } from './scheduler-fixtures.ts';

const key = randomBytes(32);
const blindIndex: BlindIndex = (purpose, value) => createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest();
// 27 November 2026 (a Friday) is a configured holiday in these tests.
const calendar = createTradingCalendar(['2026-11-27']);
const years = { H: 2, M: 8, L: 10 };

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

describe('scheduler', () => {
  let database: TestDatabase;
  let eventLog: PostgresEventLog;
  let intake: EventIntake;
  let fixtures: ReturnType<typeof createFixtures>;
  const clockRef = { clock: createManualClock() };
  const extraDbs: Db[] = [];

  before(async () => {
    database = await createTestDatabase();
    eventLog = await createPostgresEventLog({ db: database.db, partitions: 4 });
    intake = createEventIntake({ db: database.db, log: eventLog, blindIndex, clock: { now: () => clockRef.clock.now() } });
    fixtures = createFixtures(database.db, blindIndex);
  });
  after(async () => {
    for (const db of extraDbs) await db.close();
    await eventLog.close();
    await database.drop();
  });
  beforeEach(async () => {
    await fixtures.reset();
  });

  /** A scheduler process on `db` (its own pool when given), starting the shared clock at `start`. */
  function scheduler(schedules: Schedule[], options: { db?: Db; instanceId?: string; log?: ReturnType<typeof captureLog>['log'] } = {}) {
    const spy = spyIntake(intake);
    const instance = createScheduler({
      db: options.db ?? database.db, intake: spy, clock: { now: () => clockRef.clock.now() }, log: options.log ?? createLogger({ level: 'silent' }),
      schedules, instanceId: options.instanceId ?? 'test', batchSize: 3,
    });
    return Object.assign(instance, { submitted: spy.submitted, failNext: spy.failNext });
  }
  function startClock(iso: string) {
    clockRef.clock = createManualClock(iso);
    return clockRef.clock;
  }
  async function runs() {
    const { rows } = await database.db.query<{ run_key: string; status: string; note: string | null; recipients: number | null; accepted: number | null; without_client: number | null; finished_by: string | null; attempts: number }>(
      'SELECT run_key, status, note, recipients, accepted, without_client, finished_by, attempts FROM scheduler_runs ORDER BY due_at, run_key',
    );
    return rows;
  }

  test('fno.expiry_reminder: T-1 and expiry day at 09:00 IST, to holders of open positions, listing their contracts', async () => {
    const a = await fixtures.client('FA0001');
    const c = await fixtures.client('FC0003');
    await fixtures.client('FB0002');
    await fixtures.position('FA0001', { symbol: 'NIFTY', instrumentType: 'OPTIDX', expiry: '2026-11-26', strike: 24500, optionType: 'CE', netQty: 75 });
    await fixtures.position('FA0001', { symbol: 'NIFTY', instrumentType: 'OPTIDX', expiry: '2026-11-26', strike: 24500, optionType: 'CE', netQty: 25, product: 'MIS' });
    await fixtures.position('FA0001', { symbol: 'BANKNIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: -30 });
    await fixtures.position('FB0002', { symbol: 'NIFTY', instrumentType: 'OPTIDX', expiry: '2026-11-26', strike: 24000, optionType: 'PE', netQty: 0 });
    await fixtures.position('FC0003', { symbol: 'RELIANCE', instrumentType: 'FUTSTK', expiry: '2026-11-30', netQty: 250 });
    await fixtures.position('FD0004', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 }); // no KYC record

    const clock = startClock('2026-11-25T03:00:00Z'); // Wednesday 08:30 IST
    const s = scheduler([createExpiryReminderSchedule(calendar)]);
    assert.deepEqual(await s.tick(), { planned: 0, ran: 0, skipped: 0, failed: 0, events: 0 });
    moveTo(clock, '2026-11-25T03:29:59Z');
    assert.equal((await s.tick()).ran, 0, 'nothing before 09:00 IST');

    moveTo(clock, '2026-11-25T03:30:00Z'); // 09:00 IST: T-1 of Thursday's expiry, T of Wednesday's (nobody holds one)
    assert.deepEqual(await s.tick(), { planned: 2, ran: 2, skipped: 0, failed: 0, events: 1 });
    assert.deepEqual(s.submitted, [{
      id: `sched:fno.expiry_reminder:2026-11-26:T-1:${a}`, type: 'fno.expiry_reminder', clientCode: 'FA0001', occurredAt: '2026-11-25T03:30:00.000Z',
      variables: { contracts: ['BANKNIFTY 26NOV2026 FUT', 'NIFTY 26NOV2026 24500 CE'], expiryDate: '2026-11-26' },
    }]);
    const first = await runs();
    assert.deepEqual(first.map((r) => [r.run_key, r.status, r.recipients, r.without_client]), [
      ['fno.expiry_reminder:2026-11-25:T', 'done', 0, 0],
      ['fno.expiry_reminder:2026-11-26:T-1', 'done', 1, 1],
    ]);

    moveTo(clock, '2026-11-26T03:30:00Z'); // Thursday 09:00 IST: expiry day; Friday is a holiday, so T-1 of Monday's expiry too
    await s.tick();
    assert.deepEqual(s.submitted.slice(1).map((e) => [e.id, e.variables]), [
      [`sched:fno.expiry_reminder:2026-11-26:T:${a}`, { contracts: ['BANKNIFTY 26NOV2026 FUT', 'NIFTY 26NOV2026 24500 CE'], expiryDate: '2026-11-26' }],
      [`sched:fno.expiry_reminder:2026-11-30:T-1:${c}`, { contracts: ['RELIANCE 30NOV2026 FUT'], expiryDate: '2026-11-30' }],
    ]);

    moveTo(clock, '2026-11-29T12:00:00Z'); // the holiday and the weekend: no runs
    assert.equal((await s.tick()).planned, 0);
    moveTo(clock, '2026-11-30T03:30:00Z');
    await s.tick();
    assert.deepEqual(s.submitted.slice(3).map((e) => e.id), [`sched:fno.expiry_reminder:2026-11-30:T:${c}`]);
    const { rows } = await database.db.query<{ n: string }>("SELECT count(*) AS n FROM event_intake WHERE source = 'scheduler'");
    assert.equal(Number(rows[0]!.n), 4, 'every event reached intake');
  });

  test('kyc.revalidation_due: T-30, T-7 and T-1 at 10:00 IST before the KYC date plus the risk category interval', async () => {
    const high = await fixtures.client('KH0001', { kraStatusDate: '2024-12-25', riskCategory: 'H' }); // due 2026-12-25
    const medium = await fixtures.client('KM0002', { kraStatusDate: '2018-12-25', riskCategory: 'M' }); // due 2026-12-25
    const low = await fixtures.client('KL0003', { kraStatusDate: '2016-12-02', riskCategory: 'L' }); // due 2026-12-02
    await fixtures.client('KL0004', { kraStatusDate: '2018-12-25', riskCategory: 'L' }); // due 2028
    await fixtures.client('KN0005', { kraStatusDate: null, riskCategory: 'H' });

    const clock = startClock('2026-11-25T04:00:00Z');
    const s = scheduler([createKycRevalidationSchedule({ kycRevalidationYears: years })]);
    await s.tick();
    moveTo(clock, '2026-11-25T04:29:59Z');
    assert.equal((await s.tick()).ran, 0);
    moveTo(clock, '2026-11-25T04:30:00Z'); // 10:00 IST
    assert.deepEqual(await s.tick(), { planned: 3, ran: 3, skipped: 0, failed: 0, events: 3 });
    const sorted = s.submitted.map((e) => [e.id, e.clientCode, e.variables]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    assert.deepEqual(sorted, [
      [`sched:kyc.revalidation_due:2026-12-02:T-7:${low}`, 'KL0003', { dueDate: '2026-12-02', daysLeft: 7 }],
      [`sched:kyc.revalidation_due:2026-12-25:T-30:${high}`, 'KH0001', { dueDate: '2026-12-25', daysLeft: 30 }],
      [`sched:kyc.revalidation_due:2026-12-25:T-30:${medium}`, 'KM0002', { dueDate: '2026-12-25', daysLeft: 30 }],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));

    moveTo(clock, '2026-12-01T04:30:00Z');
    await s.tick();
    assert.deepEqual(s.submitted.slice(3).map((e) => [e.id, e.variables]), [[`sched:kyc.revalidation_due:2026-12-02:T-1:${low}`, { dueDate: '2026-12-02', daysLeft: 1 }]]);
    moveTo(clock, '2026-12-18T04:30:00Z');
    await s.tick();
    assert.deepEqual(s.submitted.slice(4).map((e) => e.id).sort(), [`sched:kyc.revalidation_due:2026-12-25:T-7:${high}`, `sched:kyc.revalidation_due:2026-12-25:T-7:${medium}`].sort());
  });

  test('funds.running_account_settled: first Friday of the quarter for everyone, of other months for monthly clients, amounts from the ledger', async () => {
    const quarterly = await fixtures.client('RQ0001');
    const monthly = await fixtures.client('RM0002');
    await fixtures.client('RN0003');
    await setSettlementFrequency(database.db, monthly, 'monthly');
    await fixtures.ledger('RQ0001', { entryId: 'RQ0001-1', entryDate: '2026-04-03', voucherType: 'PAYIN', credit: 5000, balance: 30000 });
    await fixtures.ledger('RQ0001', { entryId: 'RQ0001-2', entryDate: '2026-04-03', voucherType: 'RUNNING_ACCOUNT_SETTLEMENT', debit: 25000, balance: 5000 });
    await fixtures.ledger('RM0002', { entryId: 'RM0002-9', entryDate: '2026-04-03', voucherType: 'RUNNING_ACCOUNT_SETTLEMENT', debit: 1000, balance: 500.5 });
    await fixtures.ledger('RM0002', { entryId: 'RM0002-10', entryDate: '2026-04-03', voucherType: 'RUNNING_ACCOUNT_SETTLEMENT', debit: 500.5, balance: 0 });
    await fixtures.ledger('RQ0001', { entryId: 'RQ0001-3', entryDate: '2026-05-01', voucherType: 'RUNNING_ACCOUNT_SETTLEMENT', debit: 100, balance: 0 });
    await fixtures.ledger('RM0002', { entryId: 'RM0002-11', entryDate: '2026-05-01', voucherType: 'RUNNING_ACCOUNT_SETTLEMENT', debit: 2000, balance: 300 });

    const clock = startClock('2026-04-03T14:00:00Z');
    const s = scheduler([createRunningAccountSchedule()]);
    await s.tick();
    moveTo(clock, '2026-04-03T14:30:00Z'); // first Friday of April, 20:00 IST
    assert.equal((await s.tick()).events, 2);
    const byCode = Object.fromEntries(s.submitted.map((e) => [e.clientCode, [e.id, e.variables]]));
    assert.deepEqual(byCode, {
      RQ0001: [`sched:funds.running_account_settled:2026-04-03:${quarterly}`, { settleDate: '2026-04-03', amountPaid: 25000, retained: 5000 }],
      RM0002: [`sched:funds.running_account_settled:2026-04-03:${monthly}`, { settleDate: '2026-04-03', amountPaid: 1500.5, retained: 0 }],
    });

    moveTo(clock, '2026-05-01T14:30:00Z'); // first Friday of May: monthly clients only
    await s.tick();
    assert.deepEqual(s.submitted.slice(2).map((e) => [e.clientCode, e.variables]), [['RM0002', { settleDate: '2026-05-01', amountPaid: 2000, retained: 300 }]]);
    assert.deepEqual((await runs()).map((r) => [r.run_key, r.status, r.recipients]), [
      ['funds.running_account_settled:2026-04-03', 'done', 2],
      ['funds.running_account_settled:2026-05-01', 'done', 1],
    ]);
  });

  test('daily digests at 18:30 IST: margin statements on trading days from fund limits, MTF interest from the ledger', async () => {
    const a = await fixtures.client('DA0001');
    await fixtures.client('DB0002');
    await fixtures.client('DC0003');
    await fixtures.fundLimit('DA0001', { tradeDate: '2026-11-25', required: 120000, collected: 125000, shortfall: 0 });
    await fixtures.fundLimit('DB0002', { tradeDate: '2026-11-25', required: 50000.5, collected: 40000.25, shortfall: 10000.25 });
    await fixtures.fundLimit('DC0003', { tradeDate: '2026-11-24', required: 1, collected: 1, shortfall: 0 });
    await fixtures.ledger('DA0001', { entryId: 'DA0001-7', entryDate: '2026-11-25', voucherType: 'MTF_INTEREST', debit: 49.32, balance: -100 });
    await fixtures.mtfPosition('DA0001', { isin: 'INE040A01034', fundedAmount: 100000, ratePct: 12 });
    await fixtures.mtfPosition('DA0001', { isin: 'INE002A01018', fundedAmount: 300000, ratePct: 15 });

    const clock = startClock('2026-11-25T12:00:00Z');
    const s = scheduler([createMarginStatementSchedule(calendar, '18:30'), createMtfInterestSchedule('18:30')]);
    await s.tick();
    moveTo(clock, '2026-11-25T12:59:59Z');
    assert.equal((await s.tick()).ran, 0);
    moveTo(clock, '2026-11-25T13:00:00Z'); // 18:30 IST
    assert.equal((await s.tick()).events, 3);
    const byId = Object.fromEntries(s.submitted.map((e) => [e.id, [e.clientCode, e.variables]]));
    assert.deepEqual(byId[`sched:margin.daily_statement:2026-11-25:${a}`], ['DA0001', { date: '2026-11-25', required: 120000, collected: 125000, shortfall: 0 }]);
    assert.deepEqual(byId[`sched:margin.daily_statement:2026-11-25:${fixtures.idOf('DB0002')}`], ['DB0002', { date: '2026-11-25', required: 50000.5, collected: 40000.25, shortfall: 10000.25 }]);
    assert.deepEqual(byId[`sched:mtf.interest_debited:2026-11-25:${a}`], ['DA0001', { period: '2026-11-25', rate: 14.25, interest: 49.32 }]);

    moveTo(clock, '2026-11-28T13:00:00Z'); // Friday is a holiday, Saturday a weekend: interest digests only (nothing to say)
    await s.tick();
    const later = await runs();
    assert.deepEqual(later.filter((r) => r.run_key.startsWith('margin')).map((r) => r.run_key), ['margin.daily_statement:2026-11-25', 'margin.daily_statement:2026-11-26']);
    assert.deepEqual(later.filter((r) => r.run_key.startsWith('mtf')).map((r) => r.run_key), [
      'mtf.interest_debited:2026-11-25', 'mtf.interest_debited:2026-11-26', 'mtf.interest_debited:2026-11-27', 'mtf.interest_debited:2026-11-28',
    ]);
  });

  test('two scheduler processes ticking at the same moments fire every run exactly once', async () => {
    for (let i = 0; i < 12; i++) {
      const code = `CC${String(i).padStart(4, '0')}`;
      await fixtures.client(code, { kraStatusDate: i % 2 ? '2024-11-26' : '2024-12-02', riskCategory: 'H' });
      await fixtures.position(code, { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: i % 3 ? '2026-11-26' : '2026-11-25', netQty: 50 });
      await fixtures.fundLimit(code, { tradeDate: '2026-11-25', required: 1000 * i, collected: 1000, shortfall: Math.max(0, 1000 * i - 1000) });
    }
    const schedules = () => createSchedules({ calendar, kycRevalidationYears: years, digestTime: '18:30' });
    const clock = startClock('2026-11-25T00:00:00Z');
    const dbA = createDb(database.url, { max: 3 });
    const dbB = createDb(database.url, { max: 3 });
    extraDbs.push(dbA, dbB);
    const a = scheduler(schedules(), { db: dbA, instanceId: 'A' });
    const b = scheduler(schedules(), { db: dbB, instanceId: 'B' });
    await Promise.all([a.tick(), b.tick()]);
    for (const moment of ['2026-11-25T03:30:00Z', '2026-11-25T04:30:00Z', '2026-11-25T13:00:00Z', '2026-11-26T03:30:00Z', '2026-11-26T13:00:00Z']) {
      moveTo(clock, moment);
      const [sa, sb] = await Promise.all([a.tick(), b.tick()]);
      assert.equal(sa.failed + sb.failed, 0);
    }
    const ids = [...a.submitted, ...b.submitted].map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event id was submitted twice');
    // Wednesday: T of 25th (4 holders), T-1 of 26th (8), KYC T-1 of 26 Nov (6) and T-7 of 2 Dec (6), statements (12);
    // Thursday: T of 26th (8), statements of the 26th (none: the fund limits are the 25th's).
    assert.equal(ids.length, 4 + 8 + 6 + 6 + 12 + 8);
    const all = await runs();
    assert.ok(all.every((r) => r.status === 'done' && (r.finished_by === 'A' || r.finished_by === 'B')));
    const { rows } = await database.db.query<{ n: string }>("SELECT count(*) AS n FROM event_intake WHERE source = 'scheduler'");
    assert.equal(Number(rows[0]!.n), ids.length);
  });

  test('after downtime, missed runs run once each, oldest first; those whose moment has fully passed are skipped with a log line', async () => {
    const a = await fixtures.client('GA0001');
    await fixtures.position('GA0001', { symbol: 'NIFTY', instrumentType: 'OPTIDX', expiry: '2026-11-26', strike: 24500, optionType: 'CE', netQty: 75 });
    await fixtures.fundLimit('GA0001', { tradeDate: '2026-11-25', required: 100, collected: 100, shortfall: 0 });
    const { lines, log } = captureLog();
    const schedules = () => [createExpiryReminderSchedule(calendar), createMarginStatementSchedule(calendar, '18:30')];

    const clock = startClock('2026-11-24T12:00:00Z'); // Tuesday 17:30 IST: the last tick before the outage
    await scheduler(schedules(), { log }).tick();
    moveTo(clock, '2026-11-26T06:30:00Z'); // back on Thursday 12:00 IST
    const s = scheduler(schedules(), { log, instanceId: 'after-outage' });
    const summary = await s.tick();
    assert.deepEqual(s.submitted.map((e) => e.id), [
      `sched:margin.daily_statement:2026-11-25:${a}`, // Wednesday 18:30, stale only at Thursday 18:30
      `sched:fno.expiry_reminder:2026-11-26:T:${a}`, // Thursday 09:00, stale at 15:30
    ]);
    assert.deepEqual((await runs()).map((r) => [r.run_key, r.status, r.note]), [
      ['margin.daily_statement:2026-11-24', 'skipped', 'stale'],
      ['fno.expiry_reminder:2026-11-25:T', 'skipped', 'stale'],
      ['fno.expiry_reminder:2026-11-26:T-1', 'skipped', 'stale'], // "tomorrow" after the expiry day began
      ['margin.daily_statement:2026-11-25', 'done', null],
      ['fno.expiry_reminder:2026-11-26:T', 'done', null],
      ['fno.expiry_reminder:2026-11-30:T-1', 'done', null], // Friday is a holiday: the T-1 of Monday's expiry
    ]);
    assert.deepEqual([summary.ran, summary.skipped], [3, 3]);
    await new Promise((resolve) => setImmediate(resolve));
    const skippedLines = lines.filter((l) => String(l['msg']).includes('skipped'));
    assert.deepEqual(skippedLines.map((l) => l['run']).sort(), ['fno.expiry_reminder:2026-11-25:T', 'fno.expiry_reminder:2026-11-26:T-1', 'margin.daily_statement:2026-11-24']);

    assert.deepEqual(await s.tick(), { planned: 0, ran: 0, skipped: 0, failed: 0, events: 0 }, 'each missed run ran once');
  });

  test('a restarted scheduler (new process, same database) fires nothing again and carries on', async () => {
    const a = await fixtures.client('SA0001');
    await fixtures.position('SA0001', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 });
    const clock = startClock('2026-11-25T03:00:00Z');
    const first = scheduler([createExpiryReminderSchedule(calendar)], { instanceId: 'first' });
    await first.tick();
    moveTo(clock, '2026-11-25T03:30:00Z');
    await first.tick();
    assert.equal(first.submitted.length, 1);
    await first.stop();

    moveTo(clock, '2026-11-25T03:31:00Z');
    const second = scheduler([createExpiryReminderSchedule(calendar)], { instanceId: 'second' });
    assert.deepEqual(await second.tick(), { planned: 0, ran: 0, skipped: 0, failed: 0, events: 0 });
    moveTo(clock, '2026-11-26T03:30:00Z');
    await second.tick();
    assert.deepEqual(second.submitted.map((e) => e.id), [`sched:fno.expiry_reminder:2026-11-26:T:${a}`]);
    const { rows } = await database.db.query<{ name: string; planned_until: Date; last_run_key: string; next_due_at: Date }>('SELECT * FROM scheduler_schedules');
    assert.deepEqual(rows.map((r) => [r.name, r.planned_until.toISOString(), r.last_run_key, r.next_due_at.toISOString()]), [
      ['fno.expiry_reminder', '2026-11-26T03:30:00.000Z', 'fno.expiry_reminder:2026-11-30:T-1', '2026-11-30T03:30:00.000Z'],
    ]);
  });

  test('a run repeated after a crash mid-run (events sent, run not marked done) is de-duplicated by intake', async () => {
    await fixtures.client('XA0001');
    await fixtures.position('XA0001', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 });
    const clock = startClock('2026-11-25T03:00:00Z');
    const s = scheduler([createExpiryReminderSchedule(calendar)]);
    await s.tick();
    moveTo(clock, '2026-11-25T03:30:00Z');
    await s.tick();
    // What a process that died after submitting, before its commit, leaves behind: a pending run.
    await database.db.query("UPDATE scheduler_runs SET status = 'pending', finished_at = NULL WHERE run_key = 'fno.expiry_reminder:2026-11-26:T-1'");
    clock.advance(SECOND);
    const other = scheduler([createExpiryReminderSchedule(calendar)], { instanceId: 'other' });
    assert.equal((await other.tick()).ran, 1);
    assert.deepEqual(other.submitted.map((e) => e.id), s.submitted.map((e) => e.id), 'the same deterministic ids');
    const { rows } = await database.db.query<{ accepted: number; duplicate: number }>("SELECT accepted, duplicate FROM scheduler_runs WHERE run_key = 'fno.expiry_reminder:2026-11-26:T-1'");
    assert.deepEqual(rows[0], { accepted: 0, duplicate: 1 });
    const intakeRows = await database.db.query("SELECT 1 FROM event_intake WHERE source = 'scheduler'");
    assert.equal(intakeRows.rowCount, 1, 'one event in the log');
  });

  test('a run that fails is retried after a backoff, and its events go out once', async () => {
    const a = await fixtures.client('EA0001');
    await fixtures.position('EA0001', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 });
    const clock = startClock('2026-11-25T03:00:00Z');
    const s = scheduler([createExpiryReminderSchedule(calendar)]);
    await s.tick();
    moveTo(clock, '2026-11-25T03:30:00Z');
    s.failNext(2);
    const failed = await s.tick();
    assert.equal(failed.failed, 1, 'the run with a recipient failed; the empty one ran');
    assert.deepEqual((await runs()).map((r) => [r.run_key, r.status, r.attempts]), [['fno.expiry_reminder:2026-11-25:T', 'done', 0], ['fno.expiry_reminder:2026-11-26:T-1', 'pending', 1]]);
    clock.advance(30 * SECOND);
    assert.equal((await s.tick()).failed, 0, 'not before the backoff');
    clock.advance(MINUTE);
    assert.equal((await s.tick()).failed, 1, 'second failure');
    clock.advance(2 * MINUTE);
    assert.equal((await s.tick()).ran, 1);
    assert.deepEqual(s.submitted.map((e) => e.id), [`sched:fno.expiry_reminder:2026-11-26:T-1:${a}`]);
  });

  test('around midnight IST (18:30 UTC): the IST day decides the runs and when they go stale', async () => {
    const a = await fixtures.client('ZA0001');
    await fixtures.position('ZA0001', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 });
    await fixtures.fundLimit('ZA0001', { tradeDate: '2026-11-26', required: 10, collected: 10, shortfall: 0 });

    // A digest at 00:15 IST on Thursday is due at 18:45 UTC on Wednesday.
    let clock = startClock('2026-11-25T18:20:00Z'); // Wednesday 23:50 IST
    const digest = scheduler([createMarginStatementSchedule(calendar, '00:15')]);
    await digest.tick();
    moveTo(clock, '2026-11-25T18:44:59Z');
    assert.equal((await digest.tick()).ran, 0);
    moveTo(clock, '2026-11-25T18:45:00Z');
    await digest.tick();
    assert.deepEqual(digest.submitted.map((e) => [e.id, e.variables['date']]), [[`sched:margin.daily_statement:2026-11-26:${a}`, '2026-11-26']]);

    // The T-1 reminder of Thursday's expiry, missed at 09:00 IST on Wednesday, still goes at 23:59:59 IST…
    await fixtures.reset();
    await fixtures.client('ZA0001');
    await fixtures.position('ZA0001', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 });
    clock = startClock('2026-11-25T02:00:00Z');
    await scheduler([createExpiryReminderSchedule(calendar)]).tick();
    moveTo(clock, '2026-11-25T18:29:59Z');
    const late = scheduler([createExpiryReminderSchedule(calendar)]);
    await late.tick();
    assert.deepEqual(late.submitted.map((e) => e.id), [`sched:fno.expiry_reminder:2026-11-26:T-1:${a}`]);

    // …but not at 00:00 IST on the expiry day.
    await fixtures.reset();
    await fixtures.client('ZA0001');
    await fixtures.position('ZA0001', { symbol: 'NIFTY', instrumentType: 'FUTIDX', expiry: '2026-11-26', netQty: 50 });
    clock = startClock('2026-11-25T02:00:00Z');
    await scheduler([createExpiryReminderSchedule(calendar)]).tick();
    moveTo(clock, '2026-11-25T18:30:00Z');
    const tooLate = scheduler([createExpiryReminderSchedule(calendar)]);
    assert.equal((await tooLate.tick()).skipped, 2);
    assert.deepEqual(tooLate.submitted, []);
  });
});
