// The HTTP client the twilio SDK calls instead of its axios one. The SDK only ever calls
// `request(opts)` and reads `{ statusCode, body, headers }`; owning that call lets the adapter point
// the SDK at another base URL (the fake), bound every request by `timeoutMs` and the caller's
// AbortSignal, add the idempotency key header, and keep what the SDK's errors drop (Retry-After,
// and why a request got no answer at all).
import { AsyncLocalStorage } from 'node:async_hooks';
import type twilio from 'twilio';
import { parseRetryAfter } from '../retry-after.ts';
import { createProviderHttp, headerOf, ProviderHttpFailure } from '../provider-http.ts';

/** One adapter operation (a send, a lookup): the SDK's requests made inside it share this. */
export type TwilioCall = {
  signal: AbortSignal;
  /** Extra request headers, e.g. the idempotency key of a send. */
  headers?: Record<string, string>;
  /** From the last answer's Retry-After header, in ms. */
  retryAfterMs?: number;
  /** Set when a request got no HTTP answer. `detail` never holds personal data. */
  failure?: { kind: 'timeout' | 'aborted' | 'connection'; detail: string };
};

type SdkRequest = {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: object;
  data?: object;
};
type SdkResponse = { statusCode: number; body: string; headers: Record<string, string> };

export type TwilioHttpClient = {
  /** Pass as the SDK's `httpClient` option. */
  sdkClient: twilio.RequestClient;
  /** Runs `operation` with `call` as the context of every SDK request it makes. */
  run<T>(call: TwilioCall, operation: () => Promise<T>): Promise<T>;
};

export function createTwilioHttpClient(options: { baseUrl?: string; timeoutMs: number; now: () => Date }): TwilioHttpClient {
  const calls = new AsyncLocalStorage<TwilioCall>();
  const base = options.baseUrl ? new URL(options.baseUrl) : undefined;
  const http = createProviderHttp();

  async function request(opts: SdkRequest): Promise<SdkResponse> {
    const call = calls.getStore();
    if (!call) throw new Error('twilio: an SDK request outside an adapter call');
    const url = rebase(new URL(opts.uri), base);
    if (opts.params) for (const [k, v] of formEntries(opts.params)) url.searchParams.append(k, v);
    const headers: Record<string, string> = { ...opts.headers, ...call.headers };
    if (opts.username && opts.password) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    const body = opts.data ? new URLSearchParams(formEntries(opts.data)).toString() : undefined;
    try {
      const response = await http.request(url, { method: opts.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}), timeoutMs: options.timeoutMs, signal: call.signal });
      call.retryAfterMs = parseRetryAfter(headerOf(response.headers, 'retry-after'), options.now().getTime());
      return { statusCode: response.status, body: response.text, headers: flatHeaders(response.headers) };
    } catch (error) {
      const failure = error instanceof ProviderHttpFailure ? error : new ProviderHttpFailure('connection', error instanceof Error ? error.name : 'unknown');
      call.failure = failure.kind === 'aborted'
        ? { kind: 'aborted', detail: 'the caller aborted the request' }
        : failure.kind === 'timeout'
          ? { kind: 'timeout', detail: `no answer within ${options.timeoutMs} ms` }
          : { kind: 'connection', detail: `connection failed (${failure.detail})` };
      throw error;
    }
  }

  return {
    // The SDK types this option as its axios client class, but calls nothing on it except `request`.
    sdkClient: { request } as unknown as twilio.RequestClient,
    run: (call, operation) => calls.run(call, operation),
  };
}

/** The SDK builds https://api.twilio.com/... URLs; a configured base URL replaces the origin. */
function rebase(url: URL, base: URL | undefined): URL {
  if (!base) return url;
  const rebased = new URL(base.href);
  rebased.pathname = base.pathname.replace(/\/$/, '') + url.pathname;
  rebased.search = url.search;
  return rebased;
}

/** Form encoding as the SDK's own client does it: arrays repeat their key, undefined is left out. */
function formEntries(data: object): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) entries.push([key, String(item)]);
  }
  return entries;
}

/** Response headers as the SDK reads them: one string per name. */
function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
