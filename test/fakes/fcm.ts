// A fake Firebase Cloud Messaging HTTP v1 on loopback, built on the shared fake server, plus a
// fake Google OAuth2 token endpoint on a second server (so faults injected into FCM sends never
// hit token fetches by accident; `tokenServer` takes its own faults).
//
// Token endpoint: `POST /token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
// the JWT assertion, which it verifies as Google does: RS256 signature under the service account's
// public key (the fake makes an RSA key pair and hands out `serviceAccount`), `iss` the account,
// `aud` Google's token URL, the firebase.messaging scope, and a live `exp`. It answers
// `{access_token, expires_in, token_type}` or an OAuth error (`invalid_grant`, ...).
//
// Send endpoint: `POST /v1/projects/{project}/messages:send` with a Bearer token the token endpoint
// issued and that has not expired (else 401 UNAUTHENTICATED), a body checked like FCM's strict
// proto-JSON parser (unknown fields, non-string data values, reserved data keys, a bad ttl, an
// apns-collapse-id over 64 bytes, a payload over 4096 bytes: 400 INVALID_ARGUMENT).
//
// Devices the fake plays, by token:
//   - `dead-...`: an uninstalled app: 404 with FcmError UNREGISTERED;
//   - `bad-...`: not a registration token at all: 400 INVALID_ARGUMENT, BadRequest on message.token;
//   - `other-sender-...`: a token of another Firebase project: 403 SENDER_ID_MISMATCH;
//   - anything else: a device that shows the notification.
//
// Counting "never twice" as a phone would: a delivery is counted per idempotency key, read from
// `android.notification.tag`. A second push with the same tag to the same device REPLACES the
// notification in the tray instead of adding one, so it is not a second delivery (that is what
// Android does with a tag, and iOS with apns-collapse-id, while the first one is still shown; the
// fake assumes the user has not dismissed it in between). `rawSends` still counts every accepted
// send per tag, so tests can see a re-send happened.
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer } from './fake-server.ts';

const googleTokenUrl = 'https://oauth2.googleapis.com/token';
const messagingScope = 'https://www.googleapis.com/auth/firebase.messaging';
const jwtBearer = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type FcmFakeOptions = {
  projectId: string;
  seed?: number;
  /** `expires_in` of issued access tokens; default 3600 (Google's). */
  tokenTtlSeconds?: number;
};

export type FcmFakeSend = {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: unknown;
  /** Set when accepted. */
  name?: string;
  /** FcmError code or google.rpc status when refused. */
  errorCode?: string;
};

export type FcmFake = FakeServer & {
  projectId: string;
  /** Where the provider's `tokenUrl` points. */
  tokenUrl: string;
  /** The token endpoint's own fake server: its stats and faults. */
  tokenServer: FakeServer;
  /** A service account whose public key the token endpoint trusts. */
  serviceAccount: { client_email: string; private_key: string };
  /** Every request that reached the send handler (after injected faults), in order. */
  sends: FcmFakeSend[];
  /** Accepted sends per tag, replacements included. */
  rawSends: Map<string, number>;
  /** Access tokens issued so far. */
  tokensIssued(): number;
  setTokenTtl(seconds: number): void;
  /** Makes every access token issued so far invalid (as if revoked): sends with one get 401. */
  revokeTokens(): void;
};

type GoogleStatus = { status: string; message: string };
const googleStatuses: Record<number, GoogleStatus> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: { status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.' },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric' },
  500: { status: 'INTERNAL', message: 'Internal error encountered.' },
  503: { status: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
};
/** FcmError codes FCM attaches per HTTP status when a fault names none. */
const defaultFcmCodes: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'SENDER_ID_MISMATCH', 404: 'UNREGISTERED', 429: 'QUOTA_EXCEEDED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** A Google API error body as FCM writes it; `fcmCode` adds the FcmError detail. */
export function fcmErrorBody(httpStatus: number, fcmCode?: string, extraDetails: unknown[] = []): string {
  const s = googleStatuses[httpStatus] ?? { status: 'UNKNOWN', message: 'Unknown error.' };
  const details = [...(fcmCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: fcmCode }] : []), ...extraDetails];
  return JSON.stringify({ error: { code: httpStatus, message: s.message, status: s.status, ...(details.length ? { details } : {}) } });
}

const messageFields = new Set(['name', 'token', 'topic', 'condition', 'data', 'notification', 'android', 'webpush', 'apns', 'fcm_options']);
const reservedDataKeys = new Set(['from', 'notification', 'message_type']);

export async function startFcmFake(options: FcmFakeOptions): Promise<FcmFake> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = {
    client_email: `pravah-push@${options.projectId}.iam.gserviceaccount.com`,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  let tokenTtl = options.tokenTtlSeconds ?? 3600;
  const issued = new Map<string, number>();
  let issuedCount = 0;
  const sends: FcmFakeSend[] = [];
  const rawSends = new Map<string, number>();
  const shown = new Map<string, Set<string>>();
  let counter = 0;

  const tokenServer = await startFakeServer({
    seed: (options.seed ?? 1) + 1,
    errorBody: (fault) => ({ status: fault.status, body: JSON.stringify({ error: fault.code ?? 'internal_failure', error_description: 'Injected fault' }) }),
    handle: (request) => issueToken(request),
  });

  function issueToken(request: FakeRequest): FakeResponse {
    const oauthError = (error: string, description: string, status = 400): FakeResponse => ({ status, body: JSON.stringify({ error, error_description: description }) });
    if (request.method !== 'POST' || request.url.pathname !== '/token') return oauthError('invalid_request', 'Unknown path', 404);
    const form = new URLSearchParams(request.body.toString('utf8'));
    if (form.get('grant_type') !== jwtBearer) return oauthError('unsupported_grant_type', 'Invalid grant_type');
    const claims = verifyAssertion(form.get('assertion') ?? '', publicKey, serviceAccount.client_email);
    if (typeof claims === 'string') return oauthError('invalid_grant', claims);
    const accessToken = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    issued.set(accessToken, Date.now() + tokenTtl * 1000);
    issuedCount++;
    return { status: 200, body: JSON.stringify({ access_token: accessToken, expires_in: tokenTtl, token_type: 'Bearer' }) };
  }

  function refuse(send: FcmFakeSend, status: number, code: string | undefined, extra: unknown[] = []): FakeResponse {
    send.errorCode = code ?? googleStatuses[status]?.status;
    return { status, body: fcmErrorBody(status, code, extra) };
  }

  function handle(request: FakeRequest, context: { accept(key: string): void }): FakeResponse {
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.url.pathname);
    const raw = request.body.toString('utf8');
    const send: FcmFakeSend = { headers: request.headers, raw, body: undefined };
    if (request.method !== 'POST' || !match) return { status: 404, body: fcmErrorBody(404) };
    sends.push(send);
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const expiresAt = bearer ? issued.get(bearer) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) return refuse(send, 401, undefined);
    if (decodeURIComponent(match[1]!) !== options.projectId) return refuse(send, 403, undefined);
    try {
      send.body = JSON.parse(raw);
    } catch {
      return refuse(send, 400, 'INVALID_ARGUMENT');
    }
    const invalid = validateMessage(send.body);
    if (invalid) return refuse(send, 400, 'INVALID_ARGUMENT', [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: invalid.field, description: invalid.description }] }]);
    const message = (send.body as { message: FcmWireMessage }).message;
    const token = message.token;
    if (token.startsWith('dead-')) return refuse(send, 404, 'UNREGISTERED');
    if (token.startsWith('bad-')) {
      return refuse(send, 400, 'INVALID_ARGUMENT', [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.token', description: 'The registration token is not a valid FCM registration token' }] }]);
    }
    if (token.startsWith('other-sender-')) return refuse(send, 403, 'SENDER_ID_MISMATCH');
    const name = `projects/${options.projectId}/messages/0:${Date.now()}${String(++counter).padStart(4, '0')}%${randomBytes(8).toString('hex')}`;
    send.name = name;
    const tag = message.android?.notification?.tag;
    if (typeof tag !== 'string') {
      context.accept(`untagged:${name}`);
      return { status: 200, body: JSON.stringify({ name }) };
    }
    rawSends.set(tag, (rawSends.get(tag) ?? 0) + 1);
    const onDevice = shown.get(token) ?? new Set<string>();
    shown.set(token, onDevice);
    // Same tag on the same device: the notification is replaced, not shown a second time.
    if (!onDevice.has(tag)) {
      onDevice.add(tag);
      context.accept(tag);
    }
    return { status: 200, body: JSON.stringify({ name }) };
  }

  const server = await startFakeServer({
    seed: options.seed,
    handle,
    // Statuses FCM itself does not use (502, 504) come from Google's front end as an HTML page.
    errorBody: (fault: Extract<Fault, { kind: 'status' }>) =>
      googleStatuses[fault.status]
        ? { status: fault.status, body: fcmErrorBody(fault.status, fault.code ?? defaultFcmCodes[fault.status]) }
        : { status: fault.status, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: `<!DOCTYPE html><html><title>Error ${fault.status}</title><p>The server encountered a temporary error.</p></html>` },
    transientFaults: [{ kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfterSeconds: 1 }, { kind: 'status', status: 500 }],
  });
  const close = server.close;
  return Object.assign(server, {
    projectId: options.projectId,
    tokenUrl: `${tokenServer.url}/token`,
    tokenServer,
    serviceAccount,
    sends,
    rawSends,
    tokensIssued: () => issuedCount,
    setTokenTtl: (seconds: number) => void (tokenTtl = seconds),
    revokeTokens: () => issued.clear(),
    close: async () => {
      await Promise.all([close(), tokenServer.close()]);
    },
  });
}

type FcmWireMessage = {
  token: string;
  notification?: { title?: unknown; body?: unknown };
  data?: Record<string, unknown>;
  android?: { priority?: unknown; ttl?: unknown; notification?: { tag?: unknown } };
  apns?: { headers?: Record<string, unknown> };
};

/** FCM's checks on a send body that the fake mirrors; null when valid. */
function validateMessage(body: unknown): { field: string; description: string } | null {
  const message = (body as { message?: unknown } | null)?.message as Record<string, unknown> | undefined;
  if (!message || typeof message !== 'object') return { field: 'message', description: 'Missing message' };
  for (const key of Object.keys(body as object)) if (key !== 'message' && key !== 'validate_only') return { field: key, description: `Invalid JSON payload received. Unknown name "${key}"` };
  for (const key of Object.keys(message)) if (!messageFields.has(key)) return { field: `message.${key}`, description: `Invalid JSON payload received. Unknown name "${key}" at 'message'` };
  const targets = ['token', 'topic', 'condition'].filter((t) => message[t] !== undefined);
  if (targets.length !== 1) return { field: 'message', description: 'Exactly one of token, topic or condition must be set' };
  if (typeof message.token !== 'string' || message.token === '') return { field: 'message.token', description: 'The registration token is not a valid FCM registration token' };
  const m = message as unknown as FcmWireMessage;
  if (m.notification !== undefined && (typeof m.notification !== 'object' || ['title', 'body'].some((f) => (m.notification as Record<string, unknown>)[f] !== undefined && typeof (m.notification as Record<string, unknown>)[f] !== 'string'))) {
    return { field: 'message.notification', description: 'title and body must be strings' };
  }
  for (const [key, value] of Object.entries(m.data ?? {})) {
    if (typeof value !== 'string') return { field: `message.data[${key}]`, description: 'Invalid value at \'message.data\': data values must be strings' };
    if (reservedDataKeys.has(key) || key.startsWith('google') || key.startsWith('gcm')) return { field: `message.data[${key}]`, description: 'Invalid data payload key: reserved word' };
  }
  if (m.android?.priority !== undefined && m.android.priority !== 'high' && m.android.priority !== 'normal') return { field: 'message.android.priority', description: 'Invalid value' };
  if (m.android?.ttl !== undefined && (typeof m.android.ttl !== 'string' || !/^\d+(\.\d{1,9})?s$/.test(m.android.ttl))) return { field: 'message.android.ttl', description: 'Invalid duration' };
  const collapseId = m.apns?.headers?.['apns-collapse-id'];
  if (collapseId !== undefined && (typeof collapseId !== 'string' || Buffer.byteLength(collapseId) > 64)) return { field: 'message.apns.headers', description: 'apns-collapse-id must be at most 64 bytes' };
  const payload = Buffer.byteLength(JSON.stringify({ notification: m.notification, data: m.data }), 'utf8');
  if (payload > 4096) return { field: 'message', description: 'Message is too big' };
  return null;
}

/** Checks a JWT assertion as Google's token endpoint does; the claims, or why it is refused. */
function verifyAssertion(assertion: string, publicKey: KeyObject, email: string): Record<string, unknown> | string {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe';
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'Invalid JWT: cannot parse';
  }
  if (header.alg !== 'RS256') return 'Invalid JWT: alg must be RS256';
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) return 'Invalid JWT Signature.';
  if (claims.iss !== email) return 'Invalid JWT: iss is not the service account';
  if (claims.aud !== googleTokenUrl) return 'Invalid JWT: aud';
  if (!String(claims.scope ?? '').split(' ').includes(messagingScope)) return 'Invalid JWT: scope';
  const now = Math.floor(Date.now() / 1000);
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= now || exp - iat > 3600 || iat > now + 300) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe';
  return claims;
}
