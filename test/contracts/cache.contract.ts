// The one suite every Cache adapter must pass (in-process now, Redis later). It speaks only the
// port, uses a fresh key prefix per test (so a shared server needs no flushing), and takes time
// from the harness: a manual clock moves instantly, a real-time adapter's `advance` sleeps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Cache, TokenBucket } from '../../src/cache/cache.ts';
import { createManualClock } from '../../src/platform/time.ts';

export type ManualClock = ReturnType<typeof createManualClock>;

export type CacheHarness = {
  cache: Cache;
  close(): Promise<void>;
  /**
   * Lets `ms` of the adapter's time pass. Defaults to advancing the manual clock given to the
   * factory; an adapter that keeps its own time (Redis) sleeps instead.
   */
  advance?(ms: number): Promise<void>;
  /**
   * How much real time may pass unnoticed between two calls, in ms (0 for a manual clock, the
   * default). Keep it under 50: the suite's timings are built around that.
   */
  timeToleranceMs?: number;
};

type Context = { cache: Cache; advance(ms: number): Promise<void>; tolerance: number; key(name: string): string };

const TTL = 200;

/** Polls until `check` passes (asynchronous delivery), failing with its last error after 2 s. */
async function eventually(check: () => void): Promise<void> {
  const deadline = Date.now() + 2000;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

export function describeCacheContract(name: string, makeCache: (clock: ManualClock) => Promise<CacheHarness>): void {
  async function withCache(fn: (ctx: Context) => Promise<void>): Promise<void> {
    const clock = createManualClock();
    const harness = await makeCache(clock);
    const prefix = `contract:${randomUUID()}:`;
    try {
      await fn({
        cache: harness.cache,
        advance: harness.advance ?? (async (ms) => clock.advance(ms)),
        tolerance: harness.timeToleranceMs ?? 0,
        key: (k) => prefix + k,
      });
    } finally {
      await harness.close();
    }
  }

  describe(`Cache contract: ${name}`, () => {
    describe('values', () => {
      test('get, set, overwrite and delete', () =>
        withCache(async ({ cache, key }) => {
          assert.equal(await cache.get(key('missing')), undefined);
          const values: unknown[] = ['text', 42, -1.5, true, false, null, [1, 'two', { three: 3 }], { nested: { list: [1, 2], flag: false }, unicode: 'आशा ✓' }];
          for (const [i, value] of values.entries()) await cache.set(key(`v${i}`), value);
          for (const [i, value] of values.entries()) assert.deepEqual(await cache.get(key(`v${i}`)), value, `value ${i}`);

          await cache.set(key('v0'), 'replaced');
          assert.equal(await cache.get(key('v0')), 'replaced');
          await cache.delete(key('v0'));
          assert.equal(await cache.get(key('v0')), undefined);
          await cache.delete(key('never-set')); // deleting a missing key is not an error
          assert.deepEqual(await cache.get(key('v1')), 42, 'other keys are untouched');
        }));

      test('structured values are copies, both ways', () =>
        withCache(async ({ cache, key }) => {
          const original = { name: 'Asha', tags: ['a'], inner: { n: 1 } };
          await cache.set(key('obj'), original);
          original.tags.push('mutated after set');
          original.inner.n = 99;
          const read = await cache.get<typeof original>(key('obj'));
          assert.deepEqual(read, { name: 'Asha', tags: ['a'], inner: { n: 1 } });
          assert.ok(read);
          read.tags.push('mutated after get');
          read.name = 'changed';
          assert.deepEqual(await cache.get(key('obj')), { name: 'Asha', tags: ['a'], inner: { n: 1 } });
        }));
    });

    describe('expiry', () => {
      test('a value is there before its TTL and gone after it', () =>
        withCache(async ({ cache, key, advance, tolerance }) => {
          await cache.set(key('ttl'), 'short-lived', TTL);
          await cache.set(key('forever'), 'kept');
          await advance(TTL / 2);
          assert.equal(await cache.get(key('ttl')), 'short-lived');
          await advance(TTL / 2 - 1 - tolerance);
          assert.equal(await cache.get(key('ttl')), 'short-lived', 'still there just before the TTL');
          await advance(2 + 2 * tolerance);
          assert.equal(await cache.get(key('ttl')), undefined, 'gone just after the TTL');
          assert.equal(await cache.get(key('forever')), 'kept', 'a value without TTL stays');
        }));

      test('set without a TTL replaces an earlier TTL; set with one replaces no TTL', () =>
        withCache(async ({ cache, key, advance, tolerance }) => {
          await cache.set(key('a'), 1, TTL);
          await cache.set(key('a'), 2);
          await cache.set(key('b'), 1);
          await cache.set(key('b'), 2, TTL);
          await advance(TTL + 1 + tolerance);
          assert.equal(await cache.get(key('a')), 2);
          assert.equal(await cache.get(key('b')), undefined);
        }));
    });

    describe('increment', () => {
      test('creates a counter at 0, adds any amount, and expires it with its first TTL', () =>
        withCache(async ({ cache, key, advance, tolerance }) => {
          assert.equal(await cache.increment(key('n'), 1, TTL), 1);
          assert.equal(await cache.increment(key('n'), 5, TTL), 6);
          assert.equal(await cache.increment(key('n'), -2, TTL), 4);
          assert.equal(await cache.get(key('n')), 4);
          await advance(TTL / 2);
          assert.equal(await cache.increment(key('n'), 1, TTL), 5, 'an increment does not restart the window');
          await advance(TTL / 2 + 1 + tolerance);
          assert.equal(await cache.get(key('n')), undefined);
          assert.equal(await cache.increment(key('n'), 1, TTL), 1, 'a new window starts at 0');
        }));

      test('is atomic under 1,000 concurrent calls', () =>
        withCache(async ({ cache, key }) => {
          const results = await Promise.all(Array.from({ length: 1000 }, () => cache.increment(key('hits'), 1, 60_000)));
          assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i + 1), 'every call saw a distinct value');
          assert.equal(await cache.get(key('hits')), 1000);
        }));
    });

    describe('token bucket', () => {
      // 10 tokens a second: one every 100 ms.
      const bucket: TokenBucket = { capacity: 5, refillPerSecond: 10 };

      test('starts full, allows up to the capacity, then refuses with the time until the next token', () =>
        withCache(async ({ cache, key, tolerance }) => {
          for (let left = 4; left >= 0; left--) assert.deepEqual(await cache.takeToken(key('b'), bucket), { allowed: true, remaining: left, retryAfterMs: 0 });
          const refused = await cache.takeToken(key('b'), bucket);
          assert.equal(refused.allowed, false);
          assert.equal(refused.remaining, 0);
          assert.ok(refused.retryAfterMs <= 100 && refused.retryAfterMs >= 100 - tolerance, `retryAfterMs ${refused.retryAfterMs}`);
        }));

      test('refills over time, never beyond the capacity', () =>
        withCache(async ({ cache, key, advance }) => {
          for (let i = 0; i < 5; i++) await cache.takeToken(key('b'), bucket);
          assert.equal((await cache.takeToken(key('b'), bucket)).allowed, false);
          await advance(250); // two and a half tokens (plus under half a token of real drift)
          const taken = await cache.takeToken(key('b'), bucket);
          assert.equal(taken.allowed, true);
          assert.equal(taken.remaining, 1);
          assert.equal((await cache.takeToken(key('b'), bucket)).allowed, true);
          assert.equal((await cache.takeToken(key('b'), bucket)).allowed, false, 'the half token is not a whole one');

          await advance(1000);
          let allowed = 0;
          for (let i = 0; i < 8; i++) if ((await cache.takeToken(key('b'), bucket)).allowed) allowed++;
          assert.equal(allowed, 5, 'a long wait fills the bucket to its capacity only');
        }));

      test('retryAfterMs is when the request would succeed; refused takes consume nothing', () =>
        withCache(async ({ cache, key, advance, tolerance }) => {
          const slow: TokenBucket = { capacity: 4, refillPerSecond: 4 }; // one token per 250 ms
          assert.deepEqual(await cache.takeToken(key('b'), slow, 4), { allowed: true, remaining: 0, retryAfterMs: 0 });
          const one = await cache.takeToken(key('b'), slow, 1);
          const three = await cache.takeToken(key('b'), slow, 3);
          assert.equal(one.allowed, false);
          assert.equal(three.allowed, false);
          assert.ok(one.retryAfterMs <= 250 && one.retryAfterMs >= 250 - tolerance, `one: ${one.retryAfterMs}`);
          assert.ok(three.retryAfterMs <= 750 && three.retryAfterMs >= 750 - tolerance, `three: ${three.retryAfterMs}`);

          await advance(three.retryAfterMs - 20 - tolerance);
          assert.equal((await cache.takeToken(key('b'), slow, 3)).allowed, false, 'not yet');
          await advance(20 + tolerance);
          assert.deepEqual(await cache.takeToken(key('b'), slow, 3), { allowed: true, remaining: 0, retryAfterMs: 0 });
        }));

      test('a cost above 1 takes that many tokens', () =>
        withCache(async ({ cache, key, tolerance }) => {
          const big: TokenBucket = { capacity: 10, refillPerSecond: 10 };
          assert.equal((await cache.takeToken(key('b'), big, 4)).remaining, 6);
          assert.equal((await cache.takeToken(key('b'), big, 4)).remaining, 2);
          const refused = await cache.takeToken(key('b'), big, 4);
          assert.equal(refused.allowed, false);
          assert.equal(refused.remaining, 2);
          assert.ok(refused.retryAfterMs <= 200 && refused.retryAfterMs >= 200 - tolerance, `retryAfterMs ${refused.retryAfterMs}`);
          assert.equal((await cache.takeToken(key('b'), big, 2)).allowed, true, 'a smaller request still fits');
        }));

      test('keys are independent', () =>
        withCache(async ({ cache, key }) => {
          for (let i = 0; i < 5; i++) await cache.takeToken(key('a'), bucket);
          assert.equal((await cache.takeToken(key('a'), bucket)).allowed, false);
          assert.deepEqual(await cache.takeToken(key('b'), bucket), { allowed: true, remaining: 4, retryAfterMs: 0 });
        }));

      test('is atomic: 100 concurrent takes from a bucket of 5 allow exactly 5', () =>
        withCache(async ({ cache, key }) => {
          const results = await Promise.all(Array.from({ length: 100 }, () => cache.takeToken(key('b'), { capacity: 5, refillPerSecond: 0.001 })));
          assert.equal(results.filter((r) => r.allowed).length, 5);
        }));
    });

    describe('publish and subscribe', () => {
      test('a message reaches every subscriber of its channel, as an equal copy each', () =>
        withCache(async ({ cache, key }) => {
          const first: unknown[] = [];
          const second: unknown[] = [];
          const elsewhere: unknown[] = [];
          await cache.subscribe(key('ch'), (m) => {
            first.push(m);
            (m as { list: number[] }).list.push(99); // must not reach the other subscriber
          });
          await cache.subscribe(key('ch'), (m) => second.push(m));
          await cache.subscribe(key('other'), (m) => elsewhere.push(m));

          const message = { event: 'client.updated', list: [1, 2] };
          await cache.publish(key('ch'), message);
          await cache.publish(key('other'), 'sentinel');
          await eventually(() => {
            assert.equal(first.length, 1);
            assert.deepEqual(second, [{ event: 'client.updated', list: [1, 2] }]);
            assert.deepEqual(elsewhere, ['sentinel']);
          });
          assert.deepEqual(message, { event: 'client.updated', list: [1, 2] }, 'the publisher keeps its own object');
          await cache.publish(key('nobody-listens'), 'lost'); // no subscribers is not an error
        }));

      test('unsubscribe stops delivery to that handler only', () =>
        withCache(async ({ cache, key }) => {
          const gone: unknown[] = [];
          const staying: unknown[] = [];
          const unsubscribe = await cache.subscribe(key('ch'), (m) => gone.push(m));
          await cache.subscribe(key('ch'), (m) => staying.push(m));
          await cache.publish(key('ch'), 1);
          await eventually(() => assert.deepEqual(gone, [1]));

          await unsubscribe();
          await unsubscribe(); // twice is harmless
          await cache.publish(key('ch'), 2);
          await cache.publish(key('ch'), 3);
          // Once the remaining subscriber has the last message, an earlier one would have arrived.
          await eventually(() => assert.deepEqual(staying, [1, 2, 3]));
          assert.deepEqual(gone, [1]);
        }));
    });
  });
}
