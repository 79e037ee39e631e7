// The background-work helpers: a repeating job (one run at a time, the delay each run asks for,
// errors reported and retried, stop waits for a run in progress) and a bounded worker pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachConcurrently, startRepeating } from '../../src/platform/repeat.ts';

test('a repeating job runs one at a time, after the delay its last run asked for; an error is reported and the job goes on', async () => {
  let runs = 0;
  let inRun = 0;
  let overlapped = false;
  const errors: unknown[] = [];
  const repeating = startRepeating(async () => {
    runs++;
    overlapped ||= ++inRun > 1;
    await sleep(5);
    inRun--;
    if (runs === 2) throw new Error('boom');
    return runs < 5 ? 0 : 60_000; // a few at once, then a long wait
  }, { firstDelayMs: 0, afterErrorMs: 0, onError: (error) => errors.push(error) });
  const until = Date.now() + 5000;
  while (runs < 5 && Date.now() < until) await sleep(5);
  await sleep(50);
  assert.equal(runs, 5, 'ran again at once until it asked for a long wait');
  assert.equal(overlapped, false);
  assert.equal(errors.length, 1);
  await repeating.stop();
});

test('stop() cancels the next run and waits for the one in progress', async () => {
  let finished = 0;
  let started = 0;
  const repeating = startRepeating(async () => {
    started++;
    await sleep(50);
    finished++;
    return 0;
  }, { firstDelayMs: 0, afterErrorMs: 0, onError: () => undefined });
  while (!started) await sleep(1);
  await repeating.stop();
  assert.equal(finished, started, 'the run in progress finished before stop() resolved');
  await sleep(80);
  assert.equal(started, 1, 'nothing ran after stop()');
});

test('forEachConcurrently visits every item, never more than the limit at once', async () => {
  const seen: number[] = [];
  let inFlight = 0;
  let most = 0;
  await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    most = Math.max(most, ++inFlight);
    await sleep(5);
    inFlight--;
    seen.push(n);
  });
  assert.deepEqual(seen.sort(), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(most, 3);
  await forEachConcurrently([], 3, async () => assert.fail('no items'));
});
