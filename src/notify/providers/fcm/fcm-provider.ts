// ChannelProvider adapter for Firebase Cloud Messaging HTTP v1 (app push): one
// `POST /v1/projects/{project}/messages:send` per message, authorised by an OAuth2 access token
// that google-auth-library gets from the service account (a signed JWT assertion exchanged at the
// token endpoint, scope firebase.messaging) and caches until shortly before it expires.
//
// "Never twice" for push: FCM has no idempotency key, so the message's idempotency key becomes the
// Android notification `tag` and (hashed when longer than 64 bytes) the APNs `apns-collapse-id`.
// A re-sent push (after a timeout or a lost answer) then replaces the one already on the device
// instead of showing a second one. FCM sends no delivery receipts and has no status lookup:
// accepted is terminal success, and there is no `handleWebhook`, `pollStatus` or `findSent`.
//
// The base URL and the token URL are configurable so tests and the demo reach local fakes.
// firebase-admin cannot do that (its FCM host is fixed), hence the REST API.
import { createHash } from 'node:crypto';
import { JWT } from 'google-auth-library';
import type { ChannelProvider, OutgoingMessage, PushContent, SendOutcome } from '../../channel-provider.ts';
import { MINUTE, systemClock, type Clock } from '../../../platform/time.ts';
import { classifyFcmError, readFcmError } from './fcm-errors.ts';
import { parseRetryAfter } from '../retry-after.ts';
import { createProviderHttp, headerOf, ProviderHttpFailure } from '../provider-http.ts';
import type { ServiceAccount } from './service-account.ts';

export type FcmProviderOptions = {
  projectId: string;
  serviceAccount: ServiceAccount;
  /** Default https://fcm.googleapis.com. */
  baseUrl?: string;
  /** OAuth2 token endpoint; default Google's (https://oauth2.googleapis.com/token). */
  tokenUrl?: string;
  /** Budget of one call (token fetch or send), connection to last byte. */
  timeoutMs: number;
  /** How long FCM keeps an undelivered push for an offline Android device; default 3600 s. */
  ttlSeconds?: number;
  /** Fetch a new access token this long before the cached one expires; default 5 minutes. */
  tokenRefreshMarginMs?: number;
  /** Reads Retry-After dates. */
  clock?: Clock;
};

export const fcmProviderName = 'fcm';
export const fcmScope = 'https://www.googleapis.com/auth/firebase.messaging';
/** Google's token endpoint: also the `aud` of every JWT assertion, wherever the request goes. */
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';
/** FCM's limit on a message's payload (notification and data). */
export const maxFcmPayloadBytes = 4096;
const maxCollapseIdBytes = 64;

/** The APNs collapse id for an idempotency key: the key itself, or a hash of it when over 64 bytes. */
export function apnsCollapseId(idempotencyKey: string): string {
  if (Buffer.byteLength(idempotencyKey, 'utf8') <= maxCollapseIdBytes) return idempotencyKey;
  return createHash('sha256').update(idempotencyKey).digest('base64url');
}

/** Size of what FCM counts against its 4096-byte limit: the notification and the data, as JSON. */
export function fcmPayloadBytes(push: PushContent): number {
  return Buffer.byteLength(JSON.stringify({ notification: { title: push.title, body: push.body }, data: push.data }), 'utf8');
}

/** The `messages:send` body for a push message. */
export function buildFcmMessage(message: OutgoingMessage, ttlSeconds = 3600): { message: Record<string, unknown> } {
  const push = message.push;
  if (message.channel !== 'push' || !push) throw new Error(`FCM provider got a ${message.channel} message without push content`);
  return {
    message: {
      token: message.to,
      notification: { title: push.title, body: push.body },
      ...(Object.keys(push.data).length ? { data: push.data } : {}),
      android: { priority: 'high', ttl: `${ttlSeconds}s`, notification: { tag: message.idempotencyKey } },
      apns: { headers: { 'apns-collapse-id': apnsCollapseId(message.idempotencyKey) } },
    },
  };
}

/**
 * FCM HTTP v1 provider. `send` never throws for what FCM, the token endpoint or the network does
 * (see the port); it throws only for a message that is not a push message.
 */
export function createFcmProvider(options: FcmProviderOptions): ChannelProvider {
  const clock = options.clock ?? systemClock;
  const base = (options.baseUrl ?? 'https://fcm.googleapis.com').replace(/\/+$/, '');
  const endpoint = new URL(`${base}/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`);
  const tokens = createAccessTokens(options);
  const http = createProviderHttp();

  async function send(message: OutgoingMessage, { signal }: { signal: AbortSignal }): Promise<SendOutcome> {
    const body = buildFcmMessage(message, options.ttlSeconds);
    const size = fcmPayloadBytes(message.push!);
    if (size > maxFcmPayloadBytes) {
      return { kind: 'permanent', code: 'payload_too_large', detail: `push payload is ${size} bytes; FCM takes at most ${maxFcmPayloadBytes}` };
    }
    let accessToken: string;
    try {
      accessToken = await tokens.get(signal);
    } catch (error) {
      return { kind: 'retryable', code: 'token_unavailable', detail: `no FCM access token: ${describeTokenFailure(error, signal)}` };
    }
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await http.request(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(body),
        timeoutMs: options.timeoutMs,
        signal,
      });
      status = response.status;
      retryAfter = headerOf(response.headers, 'retry-after');
      text = response.text;
    } catch (error) {
      return transportFailure(error);
    }
    if (status >= 200 && status < 300) return readAccepted(status, text);
    if (status === 401) tokens.invalidate(accessToken);
    return classifyFcmError(status, readFcmError(text), parseRetryAfter(retryAfter, clock.now().getTime()));
  }

  return { name: fcmProviderName, channel: 'push', send };
}

type AccessTokens = { get(signal: AbortSignal): Promise<string>; invalidate(token: string): void };

/**
 * Access tokens from google-auth-library's JWT client: cached, refreshed `tokenRefreshMarginMs`
 * before expiry, one refresh in flight at a time. The library always posts to Google's token
 * URL; a fetch that redirects that one URL is how a configured token URL takes effect. Its own
 * retries are off: a failed fetch becomes a retryable outcome and the dispatcher retries.
 */
function createAccessTokens(options: FcmProviderOptions): AccessTokens {
  const tokenUrl = options.tokenUrl ?? googleTokenUrl;
  const fetchImplementation: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(url === googleTokenUrl ? tokenUrl : input, init);
  };
  const client = new JWT({
    email: options.serviceAccount.client_email,
    key: options.serviceAccount.private_key,
    scopes: [fcmScope],
    eagerRefreshThresholdMillis: options.tokenRefreshMarginMs ?? 5 * MINUTE,
    transporterOptions: { timeout: options.timeoutMs, retryConfig: { retry: 0, noResponseRetries: 0 }, fetchImplementation },
  });
  return {
    async get(signal) {
      const { token } = await abortable(client.getAccessToken(), signal);
      if (!token) throw new Error('the token endpoint returned no access_token');
      return token;
    },
    invalidate(token) {
      // Only the token FCM refused: a concurrent send may already have fetched its successor.
      if (client.credentials.access_token === token) client.credentials = { ...client.credentials, expiry_date: 1 };
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The token endpoint's HTTP status and OAuth error code, or the network failure's code: no key material, no token. */
function describeTokenFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'aborted by the caller';
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown; data?: unknown } };
  const status = e.response?.status ?? e.status;
  const oauthError = (e.response?.data as { error?: unknown } | undefined)?.error;
  if (typeof status === 'number') return `token endpoint answered HTTP ${status}${typeof oauthError === 'string' ? ` ${oauthError}` : ''}`;
  if (typeof e.code === 'string') return `token endpoint unreachable (${e.code})`;
  return 'token endpoint unreachable';
}

function readAccepted(status: number, text: string): SendOutcome {
  let name: unknown;
  try {
    name = (JSON.parse(text) as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  if (typeof name === 'string' && name.length > 0) return { kind: 'accepted', providerMessageId: name, terminal: true };
  // A 2xx without a message name: FCM may have taken it. Re-sending is harmless: the tag and
  // collapse id make the device replace the earlier push.
  return { kind: 'retryable', code: 'bad_response', detail: `FCM answered HTTP ${status} without a message name` };
}

/** Timeouts, aborts and connection failures: in doubt, retryable (a re-send replaces on the device). */
function transportFailure(error: unknown): SendOutcome {
  const failure = error instanceof ProviderHttpFailure ? error : new ProviderHttpFailure('connection', error instanceof Error ? error.name : 'error');
  if (failure.kind === 'timeout') return { kind: 'retryable', code: 'timeout', detail: 'no answer from FCM within the provider timeout' };
  if (failure.kind === 'aborted') return { kind: 'retryable', code: 'aborted', detail: 'send aborted by the caller before an answer' };
  return { kind: 'retryable', code: 'connection', detail: `connection to FCM failed (${failure.detail})` };
}
