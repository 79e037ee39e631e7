// The in-process adapter passes the shared Cache contract on a manual clock, plus what is its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryCache } from '../../src/cache/memory-cache.ts';
import { createManualClock } from '../../src/platform/time.ts';
import { describeCacheContract } from '../contracts/cache.contract.ts';

describeCacheContract('memory', async (clock) => ({ cache: createMemoryCache({ clock }), close: async () => undefined }));

test('memory cache: beyond maxEntries the oldest write is evicted', async () => {
  const cache = createMemoryCache({ clock: createManualClock(), maxEntries: 3 });
  for (const k of ['a', 'b', 'c']) await cache.set(k, k);
  await cache.set('a', 'rewritten'); // a rewrite makes 'a' the newest
  await cache.set('d', 'd');
  assert.equal(await cache.get('b'), undefined);
  assert.deepEqual([await cache.get('a'), await cache.get('c'), await cache.get('d')], ['rewritten', 'c', 'd']);
});
