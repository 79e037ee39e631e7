// Pure parts of the scheduler: IST dates and moments around midnight, the trading calendar, when
// each schedule's runs are due and go stale, contract names, and the scheduler's configuration.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, createTradingCalendar, daysBetween, firstFridayOf, istDateOf, istMoment, istStartOf, isIsoDate, isTimeOfDay } from '../../src/events/scheduler/market-calendar.ts';
import { createExpiryReminderSchedule, describeContract } from '../../src/events/scheduler/fno-expiry-reminder.ts';
import { createKycRevalidationSchedule } from '../../src/events/scheduler/kyc-revalidation.ts';
import { createRunningAccountSchedule } from '../../src/events/scheduler/running-account.ts';
import { createMarginStatementSchedule, createMtfInterestSchedule } from '../../src/events/scheduler/daily-digests.ts';
import { runKey, type RunTiming } from '../../src/events/scheduler/schedule.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/platform/errors.ts';

const iso = (timings: RunTiming[]) => timings.map((t) => ({ ...t, dueAt: t.dueAt.toISOString(), staleAt: t.staleAt.toISOString() }));

describe('IST dates', () => {
  test('the IST day changes at 18:30 UTC', () => {
    assert.equal(istDateOf(new Date('2026-11-25T18:29:59.999Z')), '2026-11-25');
    assert.equal(istDateOf(new Date('2026-11-25T18:30:00.000Z')), '2026-11-26');
    assert.equal(istDateOf(new Date('2026-12-31T18:30:00Z')), '2027-01-01');
    assert.equal(istStartOf('2026-11-26').toISOString(), '2026-11-25T18:30:00.000Z');
    assert.equal(istMoment('2026-11-26', '09:00').toISOString(), '2026-11-26T03:30:00.000Z');
    assert.equal(istMoment('2026-11-26', '00:15').toISOString(), '2026-11-25T18:45:00.000Z');
    assert.equal(istMoment('2026-11-26', '23:59').toISOString(), '2026-11-26T18:29:00.000Z');
  });

  test('day arithmetic and first Fridays', () => {
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
    assert.equal(addDays('2028-03-01', -1), '2028-02-29');
    assert.equal(daysBetween('2026-11-25', '2026-12-25'), 30);
    assert.deepEqual(['2026-01-15', '2026-04-30', '2026-05-01', '2027-01-31'].map(firstFridayOf), ['2026-01-02', '2026-04-03', '2026-05-01', '2027-01-01']);
    assert.ok(isIsoDate('2028-02-29') && !isIsoDate('2026-02-29') && !isIsoDate('2026-2-1'));
    assert.ok(isTimeOfDay('00:00') && isTimeOfDay('23:59') && !isTimeOfDay('24:00') && !isTimeOfDay('9:00'));
  });

  test('the trading calendar skips weekends and configured holidays', () => {
    const calendar = createTradingCalendar(['2026-11-27']);
    assert.equal(calendar.isTradingDay('2026-11-26'), true);
    assert.equal(calendar.isTradingDay('2026-11-27'), false, 'holiday');
    assert.equal(calendar.isTradingDay('2026-11-28'), false, 'Saturday');
    assert.equal(calendar.nextTradingDay('2026-11-26'), '2026-11-30');
    assert.equal(calendar.previousTradingDay('2026-11-30'), '2026-11-26');
    assert.equal(createTradingCalendar().previousTradingDay('2026-11-30'), '2026-11-27');
  });
});

describe('run timings', () => {
  const calendar = createTradingCalendar(['2026-11-27']);

  test('expiry reminders: 09:00 IST on trading days; T-1 stale when the expiry day begins, T at market close', () => {
    const schedule = createExpiryReminderSchedule(calendar);
    assert.deepEqual(iso(schedule.runsOn('2026-11-26')), [
      { targetDate: '2026-11-30', label: 'T-1', dueAt: '2026-11-26T03:30:00.000Z', staleAt: '2026-11-29T18:30:00.000Z' },
      { targetDate: '2026-11-26', label: 'T', dueAt: '2026-11-26T03:30:00.000Z', staleAt: '2026-11-26T10:00:00.000Z' },
    ]);
    assert.deepEqual(schedule.runsOn('2026-11-27'), [], 'holiday');
    assert.deepEqual(schedule.runsOn('2026-11-29'), [], 'Sunday');
    assert.equal(runKey(schedule.name, { targetDate: '2026-11-30', label: 'T-1' }), 'fno.expiry_reminder:2026-11-30:T-1');
  });

  test('KYC revalidation: three reminders at 10:00 IST every day, each stale when the next is due', () => {
    const schedule = createKycRevalidationSchedule({ kycRevalidationYears: { H: 2, M: 8, L: 10 } });
    assert.deepEqual(iso(schedule.runsOn('2026-11-28')), [
      { targetDate: '2026-12-28', label: 'T-30', dueAt: '2026-11-28T04:30:00.000Z', staleAt: '2026-12-21T04:30:00.000Z' },
      { targetDate: '2026-12-05', label: 'T-7', dueAt: '2026-11-28T04:30:00.000Z', staleAt: '2026-12-04T04:30:00.000Z' },
      { targetDate: '2026-11-29', label: 'T-1', dueAt: '2026-11-28T04:30:00.000Z', staleAt: '2026-11-28T18:30:00.000Z' },
    ]);
  });

  test('running-account settlement: 20:00 IST on the first Friday of every month, late for a week', () => {
    const schedule = createRunningAccountSchedule();
    assert.deepEqual(iso(schedule.runsOn('2026-04-03')), [{ targetDate: '2026-04-03', dueAt: '2026-04-03T14:30:00.000Z', staleAt: '2026-04-09T18:30:00.000Z' }]);
    assert.deepEqual(schedule.runsOn('2026-04-10'), []);
    assert.deepEqual(schedule.runsOn('2026-04-02'), []);
  });

  test('digests: margin statements on trading days, MTF interest every day, a day late at most', () => {
    assert.deepEqual(iso(createMarginStatementSchedule(calendar, '18:30').runsOn('2026-11-26')), [
      { targetDate: '2026-11-26', dueAt: '2026-11-26T13:00:00.000Z', staleAt: '2026-11-27T13:00:00.000Z' },
    ]);
    assert.deepEqual(createMarginStatementSchedule(calendar, '18:30').runsOn('2026-11-28'), []);
    assert.equal(createMtfInterestSchedule('18:30').runsOn('2026-11-28').length, 1);
  });

  test('contracts read as the client knows them', () => {
    const row = { symbol: 'NIFTY', instrument_type: 'OPTIDX', expiry: '2026-02-26', strike: '24000.00', option_type: 'CE' };
    assert.equal(describeContract(row), 'NIFTY 26FEB2026 24000 CE');
    assert.equal(describeContract({ ...row, strike: '24012.5', option_type: 'PE' }), 'NIFTY 26FEB2026 24012.5 PE');
    assert.equal(describeContract({ ...row, symbol: 'BANKNIFTY', instrument_type: 'FUTIDX', strike: null, option_type: null }), 'BANKNIFTY 26FEB2026 FUT');
  });
});

describe('scheduler configuration', () => {
  test('defaults: 30 s ticks, no holidays, digests at 18:30, H 2 / M 8 / L 10 years', () => {
    const config = loadConfig({});
    assert.equal(config.schedulerTickMs, 30_000);
    assert.deepEqual(config.schedulerHolidays, []);
    assert.equal(config.schedulerDigestTime, '18:30');
    assert.deepEqual(config.kycRevalidationYears, { H: 2, M: 8, L: 10 });
  });

  test('values are parsed, and every bad one is reported', () => {
    const config = loadConfig({ SCHEDULER_HOLIDAYS: '2026-11-27, 2026-12-25', SCHEDULER_DIGEST_TIME: '19:05', KYC_REVALIDATION_YEARS: 'L:10,M:7,H:1' });
    assert.deepEqual(config.schedulerHolidays, ['2026-11-27', '2026-12-25']);
    assert.equal(config.schedulerDigestTime, '19:05');
    assert.deepEqual(config.kycRevalidationYears, { H: 1, M: 7, L: 10 });
    assert.throws(
      () => loadConfig({ SCHEDULER_HOLIDAYS: '2026-02-30', SCHEDULER_DIGEST_TIME: '25:00', KYC_REVALIDATION_YEARS: 'H:2,M:8', SCHEDULER_TICK_MS: '10' }),
      (error: unknown) => {
        assert.ok(isAppError(error));
        for (const name of ['SCHEDULER_HOLIDAYS', 'SCHEDULER_DIGEST_TIME', 'KYC_REVALIDATION_YEARS', 'SCHEDULER_TICK_MS']) assert.match(error.message, new RegExp(name));
        return true;
      },
    );
  });
});
