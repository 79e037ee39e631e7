// One HTTP exchange with a provider over a kept-alive connection pool, for the adapters' sends and
// lookups. Not `fetch`: its WHATWG request, headers, body stream and response objects plus the two
// AbortSignals per call (timeout, caller) cost 270-560 µs of CPU per request against 120-135 µs for
// node:http with a keep-alive agent (measured on loopback, 64 in flight), and a dispatcher makes
// one or more of these calls per message. The agent honours the server's `Keep-Alive: timeout`
// hint, closing an idle connection before the server does, so a send rarely meets a connection
// the server is closing (which would leave it in doubt).
import http from 'node:http';
import https from 'node:https';

export type ProviderHttpAnswer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** Why an exchange got no HTTP answer. `detail` names a system code, never request content. */
export class ProviderHttpFailure extends Error {
  readonly kind: 'timeout' | 'aborted' | 'connection';
  readonly detail: string;
  constructor(kind: 'timeout' | 'aborted' | 'connection', detail: string) {
    super(`provider request failed: ${kind} (${detail})`);
    this.name = 'ProviderHttpFailure';
    this.kind = kind;
    this.detail = detail;
  }
}

export type ProviderHttpRequest = {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Budget of the exchange, connection to last byte. */
  timeoutMs: number;
  signal?: AbortSignal;
};

export type ProviderHttp = {
  /** Resolves with any HTTP answer (every status); rejects only with a ProviderHttpFailure. */
  request(url: string | URL, init: ProviderHttpRequest): Promise<ProviderHttpAnswer>;
  close(): void;
};

/** A client with its own connection pools (one per protocol); `maxSockets` bounds each origin. */
export function createProviderHttp(options: { maxSockets?: number } = {}): ProviderHttp {
  const agentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: options.maxSockets ?? 256, maxFreeSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  // The caller's signal is usually one for every send (the dispatcher's stop): one listener on it
  // aborts every request in flight, instead of an EventTarget listener added and removed per request.
  const inFlight = new WeakMap<AbortSignal, Set<() => void>>();
  const watch = (signal: AbortSignal, abort: () => void): (() => void) => {
    let set = inFlight.get(signal);
    if (!set) {
      const aborts = new Set<() => void>();
      set = aborts;
      inFlight.set(signal, aborts);
      signal.addEventListener('abort', () => {
        for (const a of aborts) a();
      }, { once: true });
    }
    set.add(abort);
    return () => set.delete(abort);
  };
  // Parsed request targets (the adapters send to a few fixed endpoints).
  const targets = new Map<string, { secure: boolean; options: http.RequestOptions }>();
  const targetOf = (target: string | URL) => {
    const key = String(target);
    let found = targets.get(key);
    if (!found) {
      const url = typeof target === 'string' ? new URL(target) : target;
      found = { secure: url.protocol === 'https:', options: { protocol: url.protocol, hostname: url.hostname, port: url.port || undefined, path: `${url.pathname}${url.search}` } };
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProviderHttpFailure('connection', `unsupported protocol ${url.protocol}`);
      if (targets.size < 100) targets.set(key, found);
    }
    return found;
  };

  function request(target: string | URL, init: ProviderHttpRequest): Promise<ProviderHttpAnswer> {
    if (init.signal?.aborted) return Promise.reject(new ProviderHttpFailure('aborted', 'the caller aborted the request'));
    let parsed: ReturnType<typeof targetOf>;
    try {
      parsed = targetOf(target);
    } catch (error) {
      return Promise.reject(error instanceof ProviderHttpFailure ? error : new ProviderHttpFailure('connection', 'invalid URL'));
    }
    const { secure } = parsed;
    return new Promise<ProviderHttpAnswer>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
      const req = (secure ? https : http).request({ ...parsed.options, method: init.method, headers, agent: agents[secure ? 'https:' : 'http:'] });
      let settled = false;
      const fail = (failure: ProviderHttpFailure) => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        reject(failure);
      };
      // Timers run before I/O in each turn of the event loop: after a busy stretch an expired timer
      // would call a send timed out whose answer is already in the socket. The verdict waits for
      // that turn's I/O (setImmediate runs after it), so only a send with no answer by then is in doubt.
      const timer = setTimeout(() => setImmediate(() => fail(new ProviderHttpFailure('timeout', `no answer within ${init.timeoutMs} ms`))), init.timeoutMs);
      const unwatch = init.signal ? watch(init.signal, () => fail(new ProviderHttpFailure('aborted', 'the caller aborted the request'))) : undefined;
      const cleanup = () => {
        clearTimeout(timer);
        unwatch?.();
      };
      req.on('error', (error: NodeJS.ErrnoException) => fail(new ProviderHttpFailure('connection', error.code ?? error.name)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => fail(new ProviderHttpFailure('connection', error.code ?? error.name)));
        res.on('aborted', () => fail(new ProviderHttpFailure('connection', 'ECONNRESET')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(init.body);
    });
  }

  return {
    request,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** The value of a response header that may be repeated (first one), or null. */
export function headerOf(headers: http.IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
