// The machinery every provider fake shares: a loopback HTTP server, fault injection before the
// provider-specific handler runs (queued faults, a random transient fault rate, a down period),
// delivery counting per idempotency key (the proof of "never twice"), and receipt scheduling with
// loss, duplication, reordering and delay. Each fake (twilio, msg91, whatsapp, fcm) supplies the
// routes and the wire format; this file knows nothing about providers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Answer with this status; the fake renders its provider's error body for `code`. */
  | { kind: 'status'; status: number; code?: string; retryAfterSeconds?: number }
  /** Hold the request without answering for `ms` (default: until the client gives up). */
  | { kind: 'timeout'; ms?: number }
  /** Destroy the connection before answering. */
  | { kind: 'drop' }
  /** Accept the send (the message is delivered) but drop the connection before the answer: an in-doubt send. */
  | { kind: 'accept-then-drop' };

export type ReceiptFaults = {
  /** Probability a receipt is never sent. */
  lose?: number;
  /** Probability a receipt is sent twice. */
  duplicate?: number;
  /** Deliver receipts of one message in random order. */
  reorder?: boolean;
  /** Delay before each receipt, [min, max] ms. */
  delayMs?: [number, number];
};

const webhookAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
/**
 * A provider's own pool of webhook connections (64, kept alive). Each fake takes one: an agent's
 * socket limit is per destination, and every fake posts to the same platform, so one shared agent
 * made four providers' delivery systems share 64 connections, and receipts queued in the fakes
 * for seconds once the platform answered webhooks in tens of milliseconds (benchmark, 2026-12-08).
 */
export const createWebhookAgent = (): http.Agent => new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Posts a webhook the way a provider's delivery system does, over kept-alive connections (node:http,
 * not fetch: the fakes stand in for remote providers, and in a benchmark their CPU comes from the
 * same cores as the pipeline's, so they should spend little). Resolves with the HTTP status;
 * rejects on a connection failure or after `timeoutMs`.
 */
export function postWebhook(url: string, init: { headers: Record<string, string>; body: string | Buffer; timeoutMs?: number; agent?: http.Agent }): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: init.agent ?? webhookAgent, headers: { ...init.headers, 'content-length': Buffer.byteLength(init.body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(init.timeoutMs ?? 5000, () => req.destroy(new Error('webhook timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}

export type FakeRequest = { method: string; url: URL; headers: http.IncomingHttpHeaders; body: Buffer };
export type FakeResponse = { status: number; headers?: Record<string, string>; body: string };

export type FakeOptions = {
  /** The provider's routes; `accept(key)` counts a delivery for an idempotency key. */
  handle(request: FakeRequest, context: { accept(idempotencyKey: string): void }): Promise<FakeResponse> | FakeResponse;
  /** The provider's error body for an injected status fault. */
  errorBody(fault: Extract<Fault, { kind: 'status' }>): FakeResponse;
  /** Faults chosen at random when `transientRate` > 0 (default: 503 and 429). */
  transientFaults?: Fault[];
  seed?: number;
  /** The clock a down period is measured on (a test's manual clock); default the real one. */
  now?: () => number;
};

/** A small seeded PRNG (mulberry32), so fault patterns repeat run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FakeServer = {
  url: string;
  /** Accepted sends per idempotency key: every value must be 1 for "never twice". */
  deliveries: Map<string, number>;
  /** Requests that reached the provider handler (after faults), all requests seen, receipts posted (duplicates included). */
  stats: { requests: number; handled: number; faults: number; receiptsPosted: number };
  /** The next requests get these faults, in order. */
  queueFaults(...faults: Fault[]): void;
  /** Forgets queued faults no request has taken (one whose request gave up before reaching the fake). */
  clearFaults(): void;
  /** Probability that any request gets a random transient fault. */
  setTransientRate(rate: number): void;
  /** Every request fails with 503 (or drops) until `ms` from now (on the `now` clock). */
  downFor(ms: number, how?: 'status' | 'drop'): void;
  receiptFaults: ReceiptFaults;
  /** Sends `deliver()` calls per message with the receipt faults applied (loss, duplicates, order, delay). */
  scheduleReceipts(deliveries: Array<() => Promise<void>>): void;
  /** Waits until every scheduled receipt has been sent (or lost). */
  receiptsSettled(): Promise<void>;
  random: () => number;
  close(): Promise<void>;
};

export async function startFakeServer(options: FakeOptions): Promise<FakeServer> {
  const random = seededRandom(options.seed ?? 1);
  const queued: Fault[] = [];
  const deliveries = new Map<string, number>();
  const stats = { requests: 0, handled: 0, faults: 0, receiptsPosted: 0 };
  const pendingReceipts = new Set<Promise<void>>();
  const held = new Set<http.ServerResponse>();
  let transientRate = 0;
  let downUntil = 0;
  let downHow: 'status' | 'drop' = 'status';
  const transientFaults = options.transientFaults ?? [{ kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfterSeconds: 1 }];
  const accept = (key: string) => deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
  const now = options.now ?? Date.now;

  function pickFault(): Fault | undefined {
    if (now() < downUntil) return downHow === 'drop' ? { kind: 'drop' } : { kind: 'status', status: 503 };
    const next = queued.shift();
    if (next) return next;
    if (transientRate > 0 && random() < transientRate) return transientFaults[Math.floor(random() * transientFaults.length)];
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        stats.requests++;
        const request: FakeRequest = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://fake'), headers: req.headers, body: Buffer.concat(chunks) };
        const fault = pickFault();
        if (fault) stats.faults++;
        if (fault?.kind === 'drop') return void req.socket.destroy();
        if (fault?.kind === 'timeout') {
          held.add(res);
          if (fault.ms) setTimeout(() => { held.delete(res); res.destroy(); }, fault.ms).unref();
          return;
        }
        if (fault?.kind === 'status') {
          const r = options.errorBody(fault);
          const headers = { 'content-type': 'application/json', ...r.headers, ...(fault.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {}) };
          res.writeHead(fault.status, headers).end(r.body);
          return;
        }
        stats.handled++;
        const response = await options.handle(request, { accept });
        if (fault?.kind === 'accept-then-drop') return void req.socket.destroy();
        res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers }).end(response.body);
      })().catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake failed: ${(error as Error).message}`);
      });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    stats,
    random,
    receiptFaults: {},
    queueFaults: (...faults) => void queued.push(...faults),
    clearFaults: () => void queued.splice(0),
    setTransientRate: (rate) => void (transientRate = rate),
    downFor(ms, how = 'status') {
      downUntil = now() + ms;
      downHow = how;
    },
    scheduleReceipts(list) {
      const f = fake.receiptFaults;
      const order = f.reorder ? [...list].sort(() => random() - 0.5) : list;
      const run = (async () => {
        for (const deliver of order) {
          if (f.lose && random() < f.lose) continue;
          const [min, max] = f.delayMs ?? [0, 0];
          if (max > 0) await new Promise((r) => setTimeout(r, min + random() * (max - min)));
          stats.receiptsPosted++;
          await deliver().catch(() => undefined);
          if (f.duplicate && random() < f.duplicate) {
            stats.receiptsPosted++;
            await deliver().catch(() => undefined);
          }
        }
      })();
      pendingReceipts.add(run);
      void run.finally(() => pendingReceipts.delete(run));
    },
    async receiptsSettled() {
      while (pendingReceipts.size) await Promise.allSettled([...pendingReceipts]);
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
