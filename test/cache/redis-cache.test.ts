// The Redis adapter against the real server (REDIS_URL, else the local one; CI starts it): the
// shared Cache contract in real time, plus what only a shared server shows: two instances (as two
// processes) sharing buckets and broadcasts, a connection killed by the server, key prefixes; and
// that the composition root picks it when REDIS_URL is set.
// Every key lives under a random prefix and is removed at the end; an unreachable Redis fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createRedisCache, type RedisCache, type RedisCacheOptions } from '../../src/cache/redis-cache.ts';
import { describeCacheContract } from '../contracts/cache.contract.ts';
import { loadConfig } from '../../src/config.ts';
import { openCache } from '../../src/app.ts';
import { createLifecycle } from '../../src/platform/lifecycle.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { systemClock } from '../../src/platform/time.ts';
import { startTestPlatform } from '../helpers/platform.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `pravah-test:${randomUUID()}:`;
let admin: Redis;
const open: RedisCache[] = [];

async function cache(options: Partial<RedisCacheOptions> = {}): Promise<RedisCache> {
  const created = await createRedisCache({ url, keyPrefix: prefix, name: 'pravah-cache-test', ...options });
  open.push(created);
  return created;
}

async function eventually(check: () => void | Promise<void>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(10);
    }
  }
}

async function keysUnder(pattern: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of admin.scanStream({ match: `${pattern}*`, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
  return keys;
}

/** The ids of the connections with these CLIENT SETNAME names. */
async function clientIds(...names: string[]): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => names.some((n) => line.includes(` name=${n} `))).map((line) => /\bid=(\d+)/.exec(line)![1]!);
}

before(async () => {
  admin = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  admin.on('error', () => undefined); // the rejection below says it
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${new URL(url).host}: these tests need it (CI starts it; locally run redis-server or set REDIS_URL)`, { cause: error });
  }
});

after(async () => {
  await Promise.all(open.map((c) => c.close()));
  if (admin?.status !== 'ready') return;
  const left = await keysUnder(prefix);
  if (left.length) await admin.del(...left);
  assert.deepEqual(await keysUnder(prefix), []);
  await admin.quit();
});

/**
 * Real time for the contract: each advance sleeps until the test's timeline (from its first
 * advance, so never before what it waits for) reaches the sum of the advances, so a timer that
 * fired late is made up by the next sleep instead of adding up, as a manual clock would have it.
 */
function sleeper(): (ms: number) => Promise<void> {
  let from: number | undefined;
  let total = 0;
  return async (ms) => {
    from ??= performance.now();
    total += ms;
    await sleep(Math.max(0, from + total - performance.now()));
  };
}

describeCacheContract('redis', async () => {
  const created = await createRedisCache({ url, keyPrefix: prefix, name: 'pravah-cache-test' });
  // Each call is a round trip, and a loaded machine delays both ends: the tolerance allows for it.
  return { cache: created, close: () => created.close(), advance: sleeper(), timeToleranceMs: 45 };
});

describe('redis cache', () => {
  test('two instances (two processes) share one token bucket and never get more than its capacity together', async () => {
    const [a, b] = [await cache(), await cache()];
    const bucket = { capacity: 20, refillPerSecond: 0.001 };
    const key = `shared-bucket:${randomUUID()}`;
    const takes = Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).takeToken(key, bucket));
    const allowed = (await Promise.all(takes)).filter((r) => r.allowed);
    assert.equal(allowed.length, 20);
    assert.deepEqual(allowed.map((r) => r.remaining).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i), 'each allowed take saw a distinct remainder');
  });

  test("buckets run on Redis's clock: a node whose clock is an hour ahead gets no refill from it", async (t) => {
    const c = await cache();
    const bucket = { capacity: 2, refillPerSecond: 1 };
    const key = `skew:${randomUUID()}`;
    await c.takeToken(key, bucket, 2);
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() + 3_600_000 });
    try {
      const refused = await c.takeToken(key, bucket);
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > 900 && refused.retryAfterMs <= 1000, `retryAfterMs ${refused.retryAfterMs}`);
    } finally {
      t.mock.timers.reset();
    }
  });

  test('a message published on one instance reaches a subscriber on the other, not the publisher', async () => {
    const [a, b] = [await cache(), await cache()];
    const channel = `ch:${randomUUID()}`;
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    await a.subscribe(`${channel}:a`, (m) => onA.push(m));
    await b.subscribe(channel, (m) => onB.push(m));
    await a.publish(channel, { event: 'template.saved', version: 3 });
    await eventually(() => assert.deepEqual(onB, [{ event: 'template.saved', version: 3 }]));
    assert.deepEqual(onA, []);
  });

  test('the last unsubscribe of a channel unsubscribes the connection on the server', async () => {
    const c = await cache();
    const channel = `ch:${randomUUID()}`;
    const subscribers = async () => ((await admin.pubsub('NUMSUB', prefix + channel)) as [string, number])[1];
    const first = await c.subscribe(channel, () => undefined);
    const second = await c.subscribe(channel, () => undefined);
    assert.equal(await subscribers(), 1, 'one SUBSCRIBE per channel, whatever the handlers');
    await first();
    assert.equal(await subscribers(), 1);
    await second();
    assert.equal(await subscribers(), 0);
  });

  test('after the server kills both connections, calls work again and a subscription still receives', async () => {
    const name = `pravah-cache-test-${randomUUID().slice(0, 8)}`;
    const problems: string[] = [];
    const c = await cache({ name, onError: (_error, context) => problems.push(context) });
    const publisher = await cache();
    const received: unknown[] = [];
    const channel = `ch:${randomUUID()}`;
    await c.subscribe(channel, (m) => received.push(m));
    await c.set('before', { n: 1 });

    const killed = await clientIds(name, `${name}:sub`);
    assert.equal(killed.length, 2);
    for (const id of killed) await admin.client('KILL', 'ID', id);

    assert.deepEqual(await c.get('before'), { n: 1 }, 'the next call reconnects');
    assert.equal(await c.increment(`after:${randomUUID()}`, 2, 60_000), 2);
    await eventually(async () => {
      await publisher.publish(channel, 'ping');
      await sleep(20);
      assert.ok(received.includes('ping'), 'the subscription was restored');
    });
    const now = await clientIds(name, `${name}:sub`);
    assert.equal(now.length, 2);
    assert.ok(now.every((id) => !killed.includes(id)), 'both are new connections');
    assert.ok(problems.some((p) => p.includes('connection lost')), `reported: ${problems.join('; ')}`);
  });

  test('the key prefix isolates two caches on one server, keys and channels alike', async () => {
    const [a, b] = [await cache({ keyPrefix: `${prefix}a:` }), await cache({ keyPrefix: `${prefix}b:` })];
    await a.set('same', 'from a');
    await b.set('same', 'from b');
    assert.equal(await a.get('same'), 'from a');
    assert.equal(await b.get('same'), 'from b');
    await a.delete('same');
    assert.equal(await b.get('same'), 'from b');
    assert.equal(await admin.get(`${prefix}b:same`), '"from b"', 'stored as JSON under the prefix');

    const onA: unknown[] = [];
    const onB: unknown[] = [];
    await a.subscribe('ch', (m) => onA.push(m));
    await b.subscribe('ch', (m) => onB.push(m));
    await a.publish('ch', 'to a');
    await b.publish('ch', 'to b');
    await eventually(() => {
      assert.deepEqual(onA, ['to a']);
      assert.deepEqual(onB, ['to b']);
    });
  });

  test('values are JSON with a millisecond TTL; counters and buckets expire too', async () => {
    const c = await cache();
    const id = randomUUID();
    await c.set(`v:${id}`, { a: [1, 'two'] }, 5_000);
    assert.equal(await admin.get(`${prefix}v:${id}`), '{"a":[1,"two"]}');
    const ttl = await admin.pttl(`${prefix}v:${id}`);
    assert.ok(ttl > 4_000 && ttl <= 5_000, `pttl ${ttl}`);
    await c.increment(`n:${id}`, 1, 5_000);
    await c.takeToken(`b:${id}`, { capacity: 3, refillPerSecond: 1 });
    assert.ok((await admin.pttl(`${prefix}n:${id}`)) > 0);
    const bucketTtl = await admin.pttl(`${prefix}b:${id}`);
    assert.ok(bucketTtl > 1_000 && bucketTtl <= 2_000, `a bucket one token short lives until it is full, plus a second: ${bucketTtl}`);
  });

  test('an unreachable Redis fails at once with a clear message that keeps the password out', async () => {
    await assert.rejects(createRedisCache({ url: 'redis://pravah:s3cret-pass@127.0.0.1:1' }), (error: Error) => {
      assert.match(error.message, /Redis at redis:\/\/127\.0\.0\.1:1\/? is not reachable: .*ECONNREFUSED/);
      assert.ok(!error.message.includes('s3cret-pass'));
      return true;
    });
  });
});

describe('choosing the cache (composition root)', () => {
  function recordingLog() {
    const warnings: unknown[] = [];
    const ignore = () => undefined;
    return { warnings, log: { warn: (...args: unknown[]) => warnings.push(args), error: ignore, info: ignore, debug: ignore } as unknown as Logger };
  }

  test('with REDIS_URL the cache is Redis under REDIS_KEY_PREFIX, closed when the lifecycle stops', async () => {
    const { log, warnings } = recordingLog();
    const lifecycle = createLifecycle(log);
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pravah', REDIS_URL: url, REDIS_KEY_PREFIX: `${prefix}root:` });
    const chosen = await openCache(config, { lifecycle, log, clock: systemClock });
    await chosen.set('probe', { via: 'redis' }, 60_000);
    assert.equal(await admin.get(`${prefix}root:probe`), '{"via":"redis"}');
    await lifecycle.stop();
    await assert.rejects(chosen.get('probe'), /closed/i, 'its connections are closed');
    assert.deepEqual(warnings, []);
  });

  test('without REDIS_URL the cache is in-process, and distributed mode warns that it is per process', async () => {
    const { log, warnings } = recordingLog();
    const lifecycle = createLifecycle(log);
    const key = `probe-${randomUUID()}`;
    const embedded = await openCache(loadConfig({}), { lifecycle, log, clock: systemClock });
    await embedded.set(key, 1);
    assert.equal(await embedded.get(key), 1);
    assert.equal(await admin.exists(`pravah:${key}`), 0, 'nothing went to Redis');
    assert.deepEqual(warnings, []);
    await openCache(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pravah' }), { lifecycle, log, clock: systemClock });
    assert.match(JSON.stringify(warnings), /REDIS_URL is unset/);
    await lifecycle.stop();
  });

  test('a platform started with REDIS_URL broadcasts through Redis and closes its connections on stop', async () => {
    const platformPrefix = `${prefix}platform:`;
    const named = async () => (await clientIds('pravah-cache', 'pravah-cache:sub')).length;
    const before = await named();
    const started = await startTestPlatform({ env: { REDIS_URL: url, REDIS_KEY_PREFIX: platformPrefix }, platform: { listen: false } });
    try {
      const [, subscribed] = (await admin.pubsub('NUMSUB', `${platformPrefix}templates.changed`)) as [string, number];
      assert.equal(subscribed, 1, 'the template store follows template changes through Redis');
      assert.equal(await named(), before + 2);
    } finally {
      await started.stop();
    }
    assert.equal(await named(), before, 'both connections closed with the platform');
  });
});
