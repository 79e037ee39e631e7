/**
 * Cache port: short-lived shared state. Values are JSON-serialisable; every key may carry a TTL.
 *
 * Guarantees: `takeToken` and `increment` are atomic per key across every process sharing the
 * adapter (in-process: one process; Redis: every node). `publish` reaches every subscriber that
 * is subscribed at the time (no persistence, no replay: use the EventLog for that). A value past
 * its TTL is never returned.
 */
export type Cache = {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds `by` to a counter (created at 0 with `ttlMs`), returning the new value. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /** Token bucket: takes `cost` tokens if available. `retryAfterMs` is when enough will be. */
  takeToken(key: string, bucket: TokenBucket, cost?: number): Promise<TokenResult>;
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>>;
};

export type TokenBucket = { capacity: number; refillPerSecond: number };
export type TokenResult = { allowed: boolean; remaining: number; retryAfterMs: number };
