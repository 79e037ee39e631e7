// Redis Cache adapter (distributed mode): every node shares the values, counters, token buckets and
// broadcasts. One connection runs commands, a second one (a subscriber cannot run them) carries
// publish/subscribe. Counters and buckets are Lua scripts, so each is one atomic step on the server,
// and buckets take the time from Redis itself: nodes with skewed clocks still agree.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache, TokenBucket, TokenResult } from './cache.ts';

export type RedisCacheOptions = {
  url: string;
  /** Put before every key and channel, so deployments (or tests) can share one server. */
  keyPrefix?: string;
  /** Connection names in CLIENT LIST: `name` runs commands, `name:sub` carries subscriptions. */
  name?: string;
  /**
   * A lost connection (once per outage; the client reconnects and restores subscriptions by itself)
   * and a failing subscriber. Errors never carry a cached value or a message.
   */
  onError?: (error: unknown, context: string) => void;
};

export type RedisCache = Cache & {
  /** Quits both connections; safe to call twice. */
  close(): Promise<void>;
};

type Handler = (message: unknown) => void;
type Script = { lua: string; sha: string };

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

// KEYS[1] counter; ARGV by, ttl (ms). The TTL is set only when the counter is created, so an
// increment never restarts its window. A key holding a non-number counts from 0 and keeps its TTL,
// as in the memory adapter.
const incrementScript = script(`
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) then return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1]) end
if current then redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL') else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return ARGV[1]
`);

// KEYS[1] bucket; ARGV capacity, refill per second, cost. The memory adapter's arithmetic on
// Redis's clock; the state is JSON like every other value, and expires once the bucket is full.
const takeTokenScript = script(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local capacity, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, at = capacity, now
local saved = redis.call('GET', KEYS[1])
if saved then
  local ok, state = pcall(cjson.decode, saved)
  if ok and type(state) == 'table' and tonumber(state.tokens) and tonumber(state.at) then tokens, at = state.tokens, state.at end
end
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * rate)
local allowed = tokens >= cost
local left = tokens
if allowed then left = tokens - cost end
local ttl = math.ceil((capacity - left) / rate * 1000) + 1000
redis.call('SET', KEYS[1], string.format('{"tokens":%.17g,"at":%.17g}', left, now), 'PX', string.format('%.0f', ttl))
local retry = 0
if not allowed then retry = math.ceil((cost - left) / rate * 1000) end
return { allowed and 1 or 0, math.floor(left), retry }
`);

/** The URL without its password, for messages. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.username = '';
    return parsed.toString();
  } catch {
    return 'the configured Redis URL';
  }
}

/** ioredis puts a failed command's arguments on its error: drop them, they hold values. */
function withoutValues(error: unknown): unknown {
  if (error && typeof error === 'object' && 'command' in error) {
    const command = (error as { command?: { name?: unknown } }).command;
    (error as { command?: unknown }).command = { name: command?.name };
  }
  return error;
}

function encode(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('Cache values and messages must be JSON-serialisable');
  return text;
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('A cached value or message is not JSON (written by something other than the cache)'); // no excerpt: it may be personal
  }
}

/** Milliseconds for PX: a positive integer. */
function px(ttlMs: number): string {
  return String(Math.max(1, Math.ceil(ttlMs)));
}

function checkBucket(bucket: TokenBucket, cost: number): void {
  const ok = Number.isFinite(bucket.capacity) && bucket.capacity > 0 && Number.isFinite(bucket.refillPerSecond) && bucket.refillPerSecond > 0 && Number.isFinite(cost) && cost >= 0;
  if (!ok) throw new RangeError('A token bucket needs a positive capacity and refill rate, and a cost of 0 or more');
}

/**
 * Connects both connections (failing at once, with a clear message, when Redis cannot be reached)
 * and returns the adapter. After that a lost connection is retried with backoff; commands wait
 * for it a few attempts, then fail. A command in flight when a connection drops is sent again after
 * the reconnect, so an increment or a token take may then count twice, never zero times.
 */
export async function createRedisCache(options: RedisCacheOptions): Promise<RedisCache> {
  const prefix = options.keyPrefix ?? 'pravah:';
  const name = options.name ?? 'pravah-cache';
  const report = (error: unknown, context: string) => options.onError?.(withoutValues(error), context);
  const connection = (connectionName: string) => new Redis(options.url, { lazyConnect: true, connectionName, maxRetriesPerRequest: 3 });
  const client = connection(name);
  const subscriber = connection(`${name}:sub`);
  const channels = new Map<string, { handlers: Set<Handler>; subscribed: Promise<unknown> }>();
  let connected = false; // a failure to connect at first is thrown, not reported
  let closing: Promise<void> | undefined;

  for (const [conn, label] of [[client, 'commands'], [subscriber, 'subscriber']] as const) {
    let reported = false; // one report per outage, not one per reconnect attempt
    const lost = (error: unknown) => {
      if (!connected || closing || reported) return;
      reported = true;
      report(error, `redis ${label} connection lost; reconnecting`);
    };
    conn.on('error', lost);
    conn.on('close', () => lost(new Error('The connection to Redis closed')));
    conn.on('ready', () => {
      reported = false;
    });
  }

  subscriber.on('message', (channel: string, text: string) => {
    for (const handler of [...(channels.get(channel)?.handlers ?? [])]) {
      try {
        handler(decode(text)); // parsed per handler: each gets its own copy
      } catch (error) {
        report(error, 'cache subscriber failed');
      }
    }
  });

  async function end(conn: Redis): Promise<void> {
    if (conn.status === 'ready') {
      try {
        await conn.quit();
        return;
      } catch {
        // fall through: drop the connection
      }
    }
    conn.disconnect();
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      channels.clear();
      await Promise.all([end(client), end(subscriber)]);
    })();
    return closing;
  }

  async function connect(conn: Redis): Promise<void> {
    let reason: string | undefined; // ioredis rejects with "Connection is closed."; the error event says why
    const remember = (error: Error) => (reason = error.message);
    conn.once('error', remember);
    try {
      await conn.connect();
    } catch (error) {
      throw new Error(`Redis at ${withoutCredentials(options.url)} is not reachable: ${reason ?? (error as Error).message}`, { cause: error });
    } finally {
      conn.off('error', remember);
    }
  }

  try {
    await Promise.all([connect(client), connect(subscriber)]);
    connected = true;
  } catch (error) {
    await close();
    throw error;
  }

  async function run<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      throw withoutValues(error);
    }
  }

  /** EVALSHA, loading the script on a server that does not hold it yet (a new or restarted one). */
  async function evaluate(s: Script, key: string, args: Array<string | number>): Promise<unknown> {
    try {
      return await run(client.evalsha(s.sha, 1, key, ...args));
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return run(client.eval(s.lua, 1, key, ...args));
    }
  }

  return {
    async get<T>(key: string) {
      const text = await run(client.get(prefix + key));
      return text === null ? undefined : (decode(text) as T);
    },
    async set(key, value, ttlMs) {
      const text = encode(value);
      if (ttlMs === undefined) await run(client.set(prefix + key, text));
      else if (ttlMs <= 0) await run(client.del(prefix + key)); // already expired
      else await run(client.set(prefix + key, text, 'PX', px(ttlMs)));
    },
    async delete(key) {
      await run(client.del(prefix + key));
    },
    async increment(key, by, ttlMs) {
      if (!Number.isFinite(by)) throw new RangeError('increment needs a finite number');
      return Number(await evaluate(incrementScript, prefix + key, [String(by), px(ttlMs)]));
    },
    async takeToken(key: string, bucket: TokenBucket, cost = 1): Promise<TokenResult> {
      checkBucket(bucket, cost);
      const [allowed, remaining, retryAfterMs] = (await evaluate(takeTokenScript, prefix + key, [bucket.capacity, bucket.refillPerSecond, cost])) as [number, number, number];
      return { allowed: allowed === 1, remaining, retryAfterMs };
    },
    async publish(channel, message) {
      await run(client.publish(prefix + channel, encode(message)));
    },
    async subscribe(channel, handler) {
      const full = prefix + channel;
      let entry = channels.get(full);
      if (!entry) {
        entry = { handlers: new Set(), subscribed: subscriber.subscribe(full) };
        channels.set(full, entry);
      }
      const own = entry;
      own.handlers.add(handler);
      const leave = () => {
        own.handlers.delete(handler);
        if (own.handlers.size > 0 || channels.get(full) !== own) return false;
        channels.delete(full);
        return true;
      };
      try {
        await run(own.subscribed); // once it resolves, a message published anywhere reaches this handler
      } catch (error) {
        leave();
        throw error;
      }
      let left = false;
      return async () => {
        if (left) return;
        left = true;
        // Commands on one connection run in order, so a later SUBSCRIBE to the channel still wins.
        if (leave()) await subscriber.unsubscribe(full).catch((error: unknown) => report(error, 'cache unsubscribe failed'));
      };
    },
    close,
  };
}
