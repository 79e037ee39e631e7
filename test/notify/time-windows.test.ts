// Quiet hours and the DLT window, at the edges and across midnight, in IST and another zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dltWindowRelease, quietHoursRelease, windowEnd } from '../../src/notify/time-windows.ts';

const ist = (local: string) => new Date(`${local}+05:30`);

test('quiet hours that wrap midnight hold until their end, in the client\'s zone', () => {
  const quiet = { start: '22:00', end: '07:00' };
  assert.equal(quietHoursRelease(ist('2026-11-25T21:59'), quiet, 'Asia/Kolkata'), null);
  assert.deepEqual(quietHoursRelease(ist('2026-11-25T22:00'), quiet, 'Asia/Kolkata'), ist('2026-11-26T07:00'));
  assert.deepEqual(quietHoursRelease(ist('2026-11-26T03:10'), quiet, 'Asia/Kolkata'), ist('2026-11-26T07:00'));
  assert.equal(quietHoursRelease(ist('2026-11-26T07:00'), quiet, 'Asia/Kolkata'), null);
  assert.equal(quietHoursRelease(ist('2026-11-26T03:10'), null, 'Asia/Kolkata'), null);
  // An NRI in Dubai (UTC+4): 23:30 there is 01:00 IST; released at 07:00 Dubai time.
  assert.deepEqual(quietHoursRelease(new Date('2026-11-25T19:30:00Z'), quiet, 'Asia/Dubai'), new Date('2026-11-26T03:00:00Z'));
  // Daylight saving: 07:00 in London on the day clocks go back is 07:00 UTC.
  assert.deepEqual(windowEnd(new Date('2026-10-25T02:30:00Z'), quiet, 'Europe/London'), new Date('2026-10-25T07:00:00Z'));
});

test('promotional SMS only 10:00-21:00 IST', () => {
  assert.deepEqual(dltWindowRelease(ist('2026-11-25T09:59')), ist('2026-11-25T10:00'));
  assert.equal(dltWindowRelease(ist('2026-11-25T10:00')), null);
  assert.equal(dltWindowRelease(ist('2026-11-25T20:59')), null);
  assert.deepEqual(dltWindowRelease(ist('2026-11-25T21:00')), ist('2026-11-26T10:00'));
  assert.deepEqual(dltWindowRelease(ist('2026-11-25T23:45')), ist('2026-11-26T10:00'));
});
