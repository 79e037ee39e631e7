// The port's pure helpers, which every adapter shares: the retry backoff and the key's partition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, partitionOf } from '../../src/log/event-log.ts';

test('backoff: full jitter under a ceiling that doubles per attempt up to the maximum', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 3000 };
  const top = (attempt: number) => backoffDelay(policy, attempt, 0.999999);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(top), [199, 399, 799, 1599, 2999, 2999]);
  assert.equal(backoffDelay(policy, 3, 0), 0, 'jitter reaches down to no wait');
  assert.equal(backoffDelay(policy, 3, 0.5), 400);
});

test('partition of a key: FNV-1a of its UTF-8 bytes, the same everywhere, spread over the partitions', () => {
  // FNV-1a 32 of "a" is 0xe40c292c; of "" the offset basis 0x811c9dc5.
  assert.equal(partitionOf('a', 1 << 16), 0xe40c292c % (1 << 16));
  assert.equal(partitionOf('', 16), 0x811c9dc5 % 16);
  assert.equal(partitionOf('क्लाइंट', 16), partitionOf('क्लाइंट', 16));
  const counts = new Array<number>(16).fill(0);
  for (let i = 0; i < 16_000; i++) counts[partitionOf(`client-${i}`, 16)]!++;
  assert.ok(Math.min(...counts) > 800 && Math.max(...counts) < 1200, counts.join());
});
