// The only reader of process.env. Every variable is parsed at once and every problem is reported
// together; the defaults are the embedded mode (one process, PostgreSQL started by the app).
import path from 'node:path';
import os from 'node:os';
import { AppError } from './platform/errors.ts';

export const allRoles = ['api', 'ingest', 'events', 'notify', 'scheduler'] as const;
export type Role = (typeof allRoles)[number];
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type Config = {
  mode: 'embedded' | 'distributed';
  host: string;
  port: number;
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Redis for the Cache (values, rate-limit buckets, broadcasts); unset: in-process. */
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  roles: Role[];
  logLevel: (typeof logLevels)[number];
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  corsOrigins: string[];
  trustProxy: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginAccountAttempts: number;
  loginAddressAttempts: number;
  loginWindowSeconds: number;
  eventsRatePerSecond: number;
  eventsRateBurst: number;
  eventMaxBytes: number;
  shutdownTimeoutMs: number;
  adminEmail: string;
  /** `id:base64` pairs; when empty the key file under dataDir is used. */
  masterKeys: Array<{ id: string; key: Buffer }>;
  activeMasterKeyId: string | undefined;
  blindIndexKey: Buffer | undefined;
  tokenSigningKey: Buffer | undefined;
  dbPoolSize: number;
  eventPartitions: number;
  eventLeaseMs: number;
  eventConcurrency: number;
  eventMaxAttempts: number;
  providers: ProviderConfig;
  notify: NotifyConfig;
  schedulerTickMs: number;
  /** Exchange trading holidays (ISO dates); weekends are never trading days. */
  schedulerHolidays: string[];
  /** `HH:MM` IST of the end-of-day digests. */
  schedulerDigestTime: string;
  /** Years from the KYC date to the periodic update, by risk category. */
  kycRevalidationYears: { H: number; M: number; L: number };
};

/** Provider credentials: a provider whose required values are unset is off (the planner skips it). */
export type ProviderConfig = {
  twilio?: { accountSid: string; authToken: string; from?: string; messagingServiceSid?: string; baseUrl?: string };
  msg91?: { authKey: string; senderId: string; peId: string; baseUrl?: string };
  whatsapp?: { accessToken: string; phoneNumberId: string; appSecret: string; verifyToken: string; apiVersion: string; baseUrl?: string };
  fcm?: { projectId: string; serviceAccountFile: string; baseUrl?: string; tokenUrl?: string };
  /** Per-call timeout for every provider. */
  timeoutMs: number;
};

export type NotifyConfig = {
  /** The sandbox serves every channel no real provider is configured for (embedded default). */
  sandbox: boolean;
  fallbackAfterMs: number;
  deadlineMs: number;
  maxAttempts: number;
  retryMaxDelayMs: number;
  throttleWindowMs: number;
  concurrency: number;
  /** Accepted messages with no receipt after this are looked up with the provider's status API. */
  reconcileAfterMs: number;
  /** How long an in-doubt send waits for a receipt carrying its key before it goes again. */
  inDoubtGraceMs: number;
  /** Messages per second per provider name. */
  rateLimits: Record<string, number>;
};

type Env = Record<string, string | undefined>;
type Spec<T> = { doc: string; default: string | undefined; parse: (raw: string) => T };

function integer(min: number, max: number) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}
function oneOf<const T extends readonly string[]>(values: T) {
  return (raw: string): T[number] => {
    const v = raw.trim().toLowerCase();
    if (!(values as readonly string[]).includes(v)) throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
    return v as T[number];
  };
}
function boolean(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new Error(`must be true or false, got "${raw}"`);
}
function key32(raw: string): Buffer {
  const buf = Buffer.from(raw.trim(), 'base64');
  if (buf.length !== 32) throw new Error('must be 32 bytes of base64 key material');
  return buf;
}
function isoDates(raw: string): string[] {
  const dates = raw.split(',').map((d) => d.trim()).filter(Boolean);
  const bad = dates.filter((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d);
  if (bad.length) throw new Error(`must be comma-separated YYYY-MM-DD dates; not dates: ${bad.join(', ')}`);
  return dates;
}
function timeOfDay(raw: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(raw.trim());
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw new Error(`must be a time HH:MM (00:00-23:59), got "${raw}"`);
  return raw.trim();
}
function yearsByRisk(raw: string): { H: number; M: number; L: number } {
  const years: Record<string, number> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([HML])\s*:\s*(\d{1,2})$/.exec(part);
    if (!match || Number(match[2]) < 1) throw new Error(`must look like H:2,M:8,L:10 (years 1-99 per risk category), got "${raw}"`);
    years[match[1]!] = Number(match[2]);
  }
  if (years['H'] === undefined || years['M'] === undefined || years['L'] === undefined) throw new Error('must give years for each of H, M and L');
  return { H: years['H'], M: years['M'], L: years['L'] };
}
function postgresUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be a URL like postgres://user@host:5432/db');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new Error(`must use postgres://, got ${url.protocol}//`);
  return raw;
}
function redisUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('must be a URL like redis://host:6379 (or rediss:// for TLS)');
  }
  if (!['redis:', 'rediss:'].includes(url.protocol)) throw new Error(`must use redis:// or rediss://, got ${url.protocol}//`);
  return raw.trim();
}
function httpUrl(raw: string): string {
  const url = new URL(raw);
  if (!['http:', 'https:'].includes(url.protocol)) throw new Error('must be an http(s) URL');
  return raw.replace(/\/$/, '');
}

/** Every variable Pravah reads, with its default and what it changes. README's table mirrors it. */
export const variables = {
  HOST: { doc: 'Address the HTTP server binds to.', default: '127.0.0.1', parse: (r: string) => r.trim() },
  PORT: { doc: 'HTTP port; 0 picks a free one.', default: '8080', parse: integer(0, 65535) },
  PUBLIC_URL: { doc: 'External URL of the platform (links, webhooks); defaults to http://HOST:PORT.', default: undefined, parse: httpUrl },
  DATA_DIR: { doc: 'Where the embedded PostgreSQL cluster and the local key file live.', default: './data', parse: (r: string) => path.resolve(r) },
  DATABASE_URL: { doc: 'PostgreSQL server to use. Unset: the app starts its own embedded PostgreSQL under DATA_DIR. Set: distributed mode.', default: undefined, parse: postgresUrl },
  REDIS_URL: {
    doc: 'Redis server for the cache, the rate-limit token buckets and the live broadcasts (template changes, quotes), shared by every process that names it. Unset: all of it is in-process, per process.',
    default: undefined,
    parse: redisUrl,
  },
  REDIS_KEY_PREFIX: {
    doc: 'Put before every Redis key and channel Pravah uses, so several deployments can share one Redis server.',
    default: 'pravah:',
    parse: (raw: string) => {
      if (!/^\S{1,64}$/.test(raw)) throw new Error('must be 1-64 characters without spaces');
      return raw;
    },
  },
  ROLES: {
    doc: `Comma-separated roles this process runs (${allRoles.join(', ')}).`,
    default: allRoles.join(','),
    parse: (raw: string): Role[] => {
      const roles = raw.split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = roles.filter((r) => !(allRoles as readonly string[]).includes(r));
      if (unknown.length) throw new Error(`unknown role(s) ${unknown.join(', ')}; known: ${allRoles.join(', ')}`);
      if (!roles.length) throw new Error('must name at least one role');
      return roles as Role[];
    },
  },
  LOG_LEVEL: { doc: 'pino log level.', default: 'info', parse: oneOf(logLevels) },
  BODY_LIMIT_BYTES: { doc: 'Largest accepted request body (uploads have their own limit).', default: String(1024 * 1024), parse: integer(1024, 1024 * 1024 * 1024) },
  UPLOAD_LIMIT_BYTES: { doc: 'Largest accepted file upload (instrument workbooks, KYC files).', default: String(256 * 1024 * 1024), parse: integer(1024, 16 * 1024 * 1024 * 1024) },
  CORS_ORIGINS: { doc: 'Comma-separated origins allowed by CORS; empty keeps CORS off.', default: '', parse: (r: string) => r.split(',').map((s) => s.trim()).filter(Boolean) },
  TRUST_PROXY: { doc: 'Trust X-Forwarded-* headers (behind a reverse proxy).', default: 'false', parse: boolean },
  ACCESS_TOKEN_TTL_SECONDS: { doc: 'Lifetime of an access token.', default: '900', parse: integer(30, 86_400) },
  REFRESH_TOKEN_TTL_SECONDS: { doc: 'Lifetime of a refresh token (each use rotates it).', default: String(14 * 86_400), parse: integer(300, 365 * 86_400) },
  LOGIN_ACCOUNT_ATTEMPTS: { doc: 'Login attempts allowed per account per window; a successful sign-in resets it.', default: '5', parse: integer(1, 10_000) },
  LOGIN_ADDRESS_ATTEMPTS: { doc: 'Login attempts allowed per client address per window (an office behind one NAT shares it).', default: '100', parse: integer(1, 100_000) },
  LOGIN_WINDOW_SECONDS: { doc: 'Window over which login attempts refill.', default: '900', parse: integer(1, 86_400) },
  EVENTS_RATE_PER_SECOND: { doc: 'Events per second each API key (or user) may submit, counted per event; over it: 429 with Retry-After.', default: '200', parse: integer(1, 1_000_000) },
  EVENTS_RATE_BURST: { doc: 'Events an API key (or user) may submit at once before the per-second rate applies.', default: '2000', parse: integer(1, 10_000_000) },
  EVENT_MAX_BYTES: { doc: 'Largest serialized triggered event; a bigger one is rejected.', default: String(16 * 1024), parse: integer(256, 1024 * 1024) },
  SHUTDOWN_TIMEOUT_MS: { doc: 'Graceful stop budget after SIGTERM before the process is forced down.', default: '15000', parse: integer(100, 600_000) },
  ADMIN_EMAIL: { doc: 'Email of the admin created on first start in embedded mode.', default: 'admin@pravah.local', parse: (r: string) => r.trim().toLowerCase() },
  MASTER_KEYS: {
    doc: 'Comma-separated `id:base64(32 bytes)` master keys. Unset: a key file (mode 0600) under DATA_DIR is created and used.',
    default: undefined,
    parse: (raw: string) =>
      raw.split(',').map((pair) => {
        const [id, material, ...rest] = pair.trim().split(':');
        if (!id || !material || rest.length || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error('each entry must be id:base64');
        return { id, key: key32(material) };
      }),
  },
  ACTIVE_MASTER_KEY_ID: { doc: 'Which MASTER_KEYS id wraps new data keys (default: the last).', default: undefined, parse: (r: string) => r.trim() },
  BLIND_INDEX_KEY: { doc: 'base64(32 bytes) HMAC key for blind indexes (required with MASTER_KEYS).', default: undefined, parse: key32 },
  TOKEN_SIGNING_KEY: { doc: 'base64(32 bytes) HMAC key for access tokens (required with MASTER_KEYS).', default: undefined, parse: key32 },
  DB_POOL_SIZE: { doc: 'PostgreSQL connections per process.', default: String(Math.max(4, os.availableParallelism() * 2)), parse: integer(1, 200) },
  EVENT_PARTITIONS: { doc: 'Partitions per event-log topic (per-key order lives in one partition). Fixed once the log has records.', default: '16', parse: integer(1, 1024) },
  EVENT_LEASE_MS: { doc: "How long a consumer's partition lease lasts unrenewed: a dead process's partitions move to the others after this.", default: '5000', parse: integer(500, 600_000) },
  EVENT_CONCURRENCY: { doc: 'Event batches processed at once per process (across partitions; per-client order is kept).', default: String(os.availableParallelism()), parse: integer(1, 256) },
  EVENT_MAX_ATTEMPTS: { doc: 'Attempts to handle an event before it goes to the dead-letter topic.', default: '5', parse: integer(1, 100) },
  SCHEDULER_TICK_MS: { doc: 'How often a scheduler process looks for due scheduled runs.', default: '30000', parse: integer(1000, 3_600_000) },
  SCHEDULER_HOLIDAYS: { doc: 'Comma-separated exchange trading holidays (YYYY-MM-DD) the scheduler skips like weekends (expiry reminders, margin statements).', default: '', parse: isoDates },
  SCHEDULER_DIGEST_TIME: { doc: 'Time (HH:MM IST) of the end-of-day digests: margin.daily_statement and mtf.interest_debited.', default: '18:30', parse: timeOfDay },
  KYC_REVALIDATION_YEARS: { doc: 'Years from the KYC date to its periodic update, by risk category (unverified, per PMLA periodic-update norms).', default: 'H:2,M:8,L:10', parse: yearsByRisk },
  TWILIO_ACCOUNT_SID: { doc: 'Twilio account SID (AC...): with TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, turns the Twilio SMS provider on.', default: undefined, parse: (r: string) => r.trim() },
  TWILIO_AUTH_TOKEN: { doc: 'Twilio auth token (also verifies X-Twilio-Signature on status callbacks).', default: undefined, parse: (r: string) => r.trim() },
  TWILIO_FROM: { doc: 'Twilio sender number or alphanumeric id.', default: undefined, parse: (r: string) => r.trim() },
  TWILIO_MESSAGING_SERVICE_SID: { doc: 'Twilio messaging service SID (MG...), instead of TWILIO_FROM.', default: undefined, parse: (r: string) => r.trim() },
  TWILIO_BASE_URL: { doc: 'Twilio API base URL (tests and fakes); default the real one.', default: undefined, parse: httpUrl },
  MSG91_AUTH_KEY: { doc: 'MSG91 auth key: with MSG91_SENDER_ID and DLT_PE_ID, turns the DLT-native SMS gateway on.', default: undefined, parse: (r: string) => r.trim() },
  MSG91_SENDER_ID: { doc: 'DLT-registered SMS header (sender id) used with MSG91.', default: undefined, parse: (r: string) => r.trim() },
  DLT_PE_ID: { doc: 'TRAI DLT principal entity id of the broker.', default: undefined, parse: (r: string) => r.trim() },
  MSG91_BASE_URL: { doc: 'MSG91 API base URL (tests and fakes); default the real one.', default: undefined, parse: httpUrl },
  WHATSAPP_ACCESS_TOKEN: { doc: 'WhatsApp Cloud API access token: with the phone number id, app secret and verify token, turns WhatsApp on.', default: undefined, parse: (r: string) => r.trim() },
  WHATSAPP_PHONE_NUMBER_ID: { doc: 'WhatsApp business phone number id.', default: undefined, parse: (r: string) => r.trim() },
  WHATSAPP_APP_SECRET: { doc: 'Meta app secret: verifies X-Hub-Signature-256 on status webhooks.', default: undefined, parse: (r: string) => r.trim() },
  WHATSAPP_VERIFY_TOKEN: { doc: 'Token Meta echoes in the webhook subscription handshake.', default: undefined, parse: (r: string) => r.trim() },
  WHATSAPP_API_VERSION: { doc: 'Graph API version.', default: 'v21.0', parse: (r: string) => r.trim() },
  WHATSAPP_BASE_URL: { doc: 'Graph API base URL (tests and fakes); default https://graph.facebook.com.', default: undefined, parse: httpUrl },
  FCM_PROJECT_ID: { doc: 'Firebase project id: with FCM_SERVICE_ACCOUNT_FILE, turns app push on.', default: undefined, parse: (r: string) => r.trim() },
  FCM_SERVICE_ACCOUNT_FILE: { doc: 'Path to the Firebase service-account JSON (kept out of the repository).', default: undefined, parse: (r: string) => path.resolve(r) },
  FCM_BASE_URL: { doc: 'FCM API base URL (tests and fakes); default https://fcm.googleapis.com.', default: undefined, parse: httpUrl },
  FCM_TOKEN_URL: { doc: 'OAuth2 token endpoint for the service account (tests and fakes); default Google\'s.', default: undefined, parse: httpUrl },
  NOTIFY_SANDBOX: { doc: 'Serve every channel that has no real provider with the sandbox (messages land in the web inbox). Default: on in embedded mode, off in distributed mode.', default: undefined, parse: boolean },
  NOTIFY_FALLBACK_AFTER_MS: { doc: 'How long a WhatsApp message may go without a delivery receipt before the SMS fallback is sent: counted from its acceptance, or, while no provider has accepted it (retrying, provider down), from its first attempt.', default: '120000', parse: integer(1000, 86_400_000) },
  NOTIFY_DEADLINE_MS: { doc: 'How long one message is retried (backoff with jitter) before it fails and falls back.', default: '1800000', parse: integer(1000, 7 * 86_400_000) },
  NOTIFY_MAX_ATTEMPTS: { doc: 'A cap on send attempts per message across its providers before it fails and falls back. 0 (the default): no cap, a message is retried (backoff with jitter, at most 5 minutes apart) until its deadline, so a provider down for minutes loses nothing.', default: '0', parse: integer(0, 10_000) },
  NOTIFY_RETRY_MAX_DELAY_MS: { doc: 'The longest wait between two attempts of a message: the backoff (full jitter) doubles from 0.5 s up to this.', default: '300000', parse: integer(500, 3_600_000) },
  NOTIFY_THROTTLE_WINDOW_MS: { doc: "The same alert again within this window (same client, type and the catalog's throttleBy variables, e.g. a margin call's shortfall) is throttled.", default: '900000', parse: integer(0, 86_400_000) },
  NOTIFY_RECONCILE_AFTER_MS: { doc: "A message accepted this long ago with no delivery receipt is looked up with the provider's status API (lost webhooks).", default: '300000', parse: integer(1000, 7 * 86_400_000) },
  NOTIFY_IN_DOUBT_GRACE_MS: { doc: 'How long a send that may have reached WhatsApp or MSG91 unrecorded (timeout, dropped connection, killed dispatcher) waits for a receipt carrying its key before it is sent again.', default: '120000', parse: integer(500, 86_400_000) },
  NOTIFY_CONCURRENCY: { doc: 'Sends in flight at once per dispatcher process.', default: '32', parse: integer(1, 1024) },
  PROVIDER_RATE_LIMITS: {
    doc: 'Messages per second per provider, `name:rate` comma-separated (token buckets in the cache: shared by every process through Redis when REDIS_URL is set, else per process).',
    default: 'twilio:100,msg91:200,whatsapp-cloud:80,fcm:500,sandbox:5000',
    parse: (raw: string): Record<string, number> => Object.fromEntries(raw.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => {
      const [name, rate] = pair.split(':');
      if (!name || !rate || !/^\d+$/.test(rate) || Number(rate) < 1) throw new Error(`entries look like twilio:100, got "${pair}"`);
      return [name, Number(rate)];
    })),
  },
  PROVIDER_TIMEOUT_MS: { doc: 'Timeout of one provider call; a timed-out send is retried (and reconciled when the provider can tell).', default: '10000', parse: integer(100, 120_000) },
} satisfies Record<string, Spec<unknown>>;

type Variables = typeof variables;
type Parsed = { [K in keyof Variables]: ReturnType<Variables[K]['parse']> | undefined };

/**
 * Reads and validates the environment. Throws one CONFIG_INVALID AppError whose message lists
 * every bad variable (never its value when it may be secret).
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const parsed = {} as Record<string, unknown>;
  for (const [name, spec] of Object.entries(variables) as Array<[keyof Variables, Spec<unknown>]>) {
    const raw = env[name] ?? spec.default;
    if (raw === undefined || (raw === '' && spec.default === undefined)) continue;
    try {
      parsed[name] = spec.parse(raw);
    } catch (error) {
      problems.push(`${name} ${(error as Error).message}`);
    }
  }
  const p = parsed as Parsed;
  const keys = p.MASTER_KEYS ?? [];
  if (keys.length && (!p.BLIND_INDEX_KEY || !p.TOKEN_SIGNING_KEY)) {
    problems.push('BLIND_INDEX_KEY and TOKEN_SIGNING_KEY are required when MASTER_KEYS is set');
  }
  if (!keys.length && (p.BLIND_INDEX_KEY || p.TOKEN_SIGNING_KEY || p.ACTIVE_MASTER_KEY_ID)) {
    problems.push('BLIND_INDEX_KEY, TOKEN_SIGNING_KEY and ACTIVE_MASTER_KEY_ID need MASTER_KEYS');
  }
  if (p.ACTIVE_MASTER_KEY_ID && !keys.some((k) => k.id === p.ACTIVE_MASTER_KEY_ID)) {
    problems.push(`ACTIVE_MASTER_KEY_ID names no key in MASTER_KEYS`);
  }
  const groups: Array<[string, Array<keyof Variables>]> = [
    ['Twilio', ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']],
    ['MSG91', ['MSG91_AUTH_KEY', 'MSG91_SENDER_ID', 'DLT_PE_ID']],
    ['WhatsApp', ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN']],
    ['FCM', ['FCM_PROJECT_ID', 'FCM_SERVICE_ACCOUNT_FILE']],
  ];
  for (const [label, names] of groups) {
    const set = names.filter((n) => p[n] !== undefined);
    if (set.length && set.length < names.length) problems.push(`${label} needs ${names.join(', ')} together (missing ${names.filter((n) => p[n] === undefined).join(', ')})`);
  }
  if (p.TWILIO_ACCOUNT_SID && !p.TWILIO_FROM && !p.TWILIO_MESSAGING_SERVICE_SID) problems.push('Twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  const pool = p.DB_POOL_SIZE;
  if (problems.length) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, { details: problems });
  }
  return {
    mode: p.DATABASE_URL ? 'distributed' : 'embedded',
    host: p.HOST!,
    port: p.PORT!,
    publicUrl: p.PUBLIC_URL,
    dataDir: p.DATA_DIR!,
    databaseUrl: p.DATABASE_URL,
    redisUrl: p.REDIS_URL,
    redisKeyPrefix: p.REDIS_KEY_PREFIX!,
    roles: p.ROLES!,
    logLevel: p.LOG_LEVEL!,
    bodyLimitBytes: p.BODY_LIMIT_BYTES!,
    uploadLimitBytes: p.UPLOAD_LIMIT_BYTES!,
    corsOrigins: p.CORS_ORIGINS ?? [],
    trustProxy: p.TRUST_PROXY ?? false,
    accessTokenTtlSeconds: p.ACCESS_TOKEN_TTL_SECONDS!,
    refreshTokenTtlSeconds: p.REFRESH_TOKEN_TTL_SECONDS!,
    loginAccountAttempts: p.LOGIN_ACCOUNT_ATTEMPTS!,
    loginAddressAttempts: p.LOGIN_ADDRESS_ATTEMPTS!,
    loginWindowSeconds: p.LOGIN_WINDOW_SECONDS!,
    eventsRatePerSecond: p.EVENTS_RATE_PER_SECOND!,
    eventsRateBurst: p.EVENTS_RATE_BURST!,
    eventMaxBytes: p.EVENT_MAX_BYTES!,
    shutdownTimeoutMs: p.SHUTDOWN_TIMEOUT_MS!,
    adminEmail: p.ADMIN_EMAIL!,
    masterKeys: keys,
    activeMasterKeyId: p.ACTIVE_MASTER_KEY_ID ?? keys.at(-1)?.id,
    blindIndexKey: p.BLIND_INDEX_KEY,
    tokenSigningKey: p.TOKEN_SIGNING_KEY,
    dbPoolSize: pool!,
    eventPartitions: p.EVENT_PARTITIONS!,
    eventLeaseMs: p.EVENT_LEASE_MS!,
    eventConcurrency: p.EVENT_CONCURRENCY!,
    eventMaxAttempts: p.EVENT_MAX_ATTEMPTS!,
    notify: {
      sandbox: p.NOTIFY_SANDBOX ?? !p.DATABASE_URL,
      fallbackAfterMs: p.NOTIFY_FALLBACK_AFTER_MS!,
      deadlineMs: p.NOTIFY_DEADLINE_MS!,
      maxAttempts: p.NOTIFY_MAX_ATTEMPTS!,
      retryMaxDelayMs: p.NOTIFY_RETRY_MAX_DELAY_MS!,
      throttleWindowMs: p.NOTIFY_THROTTLE_WINDOW_MS!,
      concurrency: p.NOTIFY_CONCURRENCY!,
      reconcileAfterMs: p.NOTIFY_RECONCILE_AFTER_MS!,
      inDoubtGraceMs: p.NOTIFY_IN_DOUBT_GRACE_MS!,
      rateLimits: p.PROVIDER_RATE_LIMITS!,
    },
    providers: {
      timeoutMs: p.PROVIDER_TIMEOUT_MS!,
      ...(p.TWILIO_ACCOUNT_SID && p.TWILIO_AUTH_TOKEN ? { twilio: { accountSid: p.TWILIO_ACCOUNT_SID, authToken: p.TWILIO_AUTH_TOKEN, from: p.TWILIO_FROM, messagingServiceSid: p.TWILIO_MESSAGING_SERVICE_SID, baseUrl: p.TWILIO_BASE_URL } } : {}),
      ...(p.MSG91_AUTH_KEY && p.MSG91_SENDER_ID && p.DLT_PE_ID ? { msg91: { authKey: p.MSG91_AUTH_KEY, senderId: p.MSG91_SENDER_ID, peId: p.DLT_PE_ID, baseUrl: p.MSG91_BASE_URL } } : {}),
      ...(p.WHATSAPP_ACCESS_TOKEN && p.WHATSAPP_PHONE_NUMBER_ID && p.WHATSAPP_APP_SECRET && p.WHATSAPP_VERIFY_TOKEN
        ? { whatsapp: { accessToken: p.WHATSAPP_ACCESS_TOKEN, phoneNumberId: p.WHATSAPP_PHONE_NUMBER_ID, appSecret: p.WHATSAPP_APP_SECRET, verifyToken: p.WHATSAPP_VERIFY_TOKEN, apiVersion: p.WHATSAPP_API_VERSION!, baseUrl: p.WHATSAPP_BASE_URL } }
        : {}),
      ...(p.FCM_PROJECT_ID && p.FCM_SERVICE_ACCOUNT_FILE ? { fcm: { projectId: p.FCM_PROJECT_ID, serviceAccountFile: p.FCM_SERVICE_ACCOUNT_FILE, baseUrl: p.FCM_BASE_URL, tokenUrl: p.FCM_TOKEN_URL } } : {}),
    },
    schedulerTickMs: p.SCHEDULER_TICK_MS!,
    schedulerHolidays: p.SCHEDULER_HOLIDAYS ?? [],
    schedulerDigestTime: p.SCHEDULER_DIGEST_TIME!,
    kycRevalidationYears: p.KYC_REVALIDATION_YEARS!,
  };
}
