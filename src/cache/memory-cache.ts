// In-process Cache adapter (embedded mode): one Map, lazy expiry, synchronous and so atomic.
import type { Cache, TokenBucket, TokenResult } from './cache.ts';
import { systemClock, type Clock } from '../platform/time.ts';

/** `json`: the value was set from outside and is held as its JSON text, so every read gets a copy. */
type Entry = { value: unknown; expiresAt: number; json?: true };
type Bucket = { tokens: number; at: number };

export function createMemoryCache(options: { clock?: Clock; maxEntries?: number } = {}): Cache {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();
  const channels = new Map<string, Set<(message: unknown) => void>>();
  const now = () => clock.now().getTime();

  function read(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }
  function write(key: string, value: unknown, ttlMs: number | undefined, json?: true): void {
    entries.delete(key);
    entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : now() + ttlMs, ...(json ? { json } : {}) });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!); // oldest write goes
  }

  return {
    // Values are copies both ways, as through Redis, and by the same means: objects are held as JSON
    // (the port's values are JSON-serialisable), parsed again on each read; primitives need no copy.
    // structuredClone did the same three times slower, and the API-key check reads on every request.
    async get<T>(key: string) {
      const entry = read(key);
      if (entry === undefined) return undefined;
      return (entry.json ? JSON.parse(entry.value as string) : entry.value) as T;
    },
    async set(key, value, ttlMs) {
      if (typeof value === 'object' && value !== null) write(key, JSON.stringify(value), ttlMs, true);
      else write(key, value, ttlMs);
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, by, ttlMs) {
      const entry = read(key);
      const value = (typeof entry?.value === 'number' ? entry.value : 0) + by;
      if (entry) {
        entry.value = value;
        delete entry.json;
      } else write(key, value, ttlMs);
      return value;
    },
    async takeToken(key: string, bucket: TokenBucket, cost = 1): Promise<TokenResult> {
      const t = now();
      const entry = read(key);
      const prev = (entry?.value as Bucket | undefined) ?? { tokens: bucket.capacity, at: t };
      const tokens = Math.min(bucket.capacity, prev.tokens + ((t - prev.at) / 1000) * bucket.refillPerSecond);
      const allowed = tokens >= cost;
      const left = allowed ? tokens - cost : tokens;
      const fullInMs = ((bucket.capacity - left) / bucket.refillPerSecond) * 1000;
      write(key, { tokens: left, at: t } satisfies Bucket, Math.ceil(fullInMs) + 1000);
      return {
        allowed,
        remaining: Math.floor(left),
        retryAfterMs: allowed ? 0 : Math.ceil(((cost - left) / bucket.refillPerSecond) * 1000),
      };
    },
    async publish(channel, message) {
      for (const handler of channels.get(channel) ?? []) handler(structuredClone(message));
    },
    async subscribe(channel, handler) {
      const set = channels.get(channel) ?? new Set();
      channels.set(channel, set.add(handler));
      return async () => {
        set.delete(handler);
      };
    },
  };
}
