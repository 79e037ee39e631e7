// Composition root: configuration → adapters → services → roles. The only module that chooses
// adapters; feature code receives them as arguments.
import { readFileSync, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createQueueVacuum } from './store/queue-vacuum.ts';
import { createLifecycle, type Lifecycle } from './platform/lifecycle.ts';
import { createMetrics } from './platform/metrics.ts';
import { buildApp, type App } from './platform/http.ts';
import { healthRoutes } from './platform/health-routes.ts';
import { systemClock, type Clock } from './platform/time.ts';
import { createStore, type Store } from './store/store.ts';
import { createEnvKeyStore, openFileKeyStore, type KeyStore } from './crypto/keystore.ts';
import { createEnvelope, type Envelope } from './crypto/envelope.ts';
import { createBlindIndex } from './crypto/blind-index.ts';
import { createMemoryCache } from './cache/memory-cache.ts';
import { createRedisCache } from './cache/redis-cache.ts';
import type { Cache } from './cache/cache.ts';
import { createTokenService } from './auth/tokens.ts';
import { createUserStore, type UserStore } from './auth/users.ts';
import { createApiKeyStore, type ApiKeyStore } from './auth/api-keys.ts';
import { createGuard } from './auth/guard.ts';
import { authRoutes } from './auth/routes.ts';
import { generatePassword } from './auth/passwords.ts';
import { randomUUID } from 'node:crypto';
import { createInstrumentStore } from './instruments/instrument-store.ts';
import { createMemoryInstrumentIndex } from './instruments/index/memory-instrument-index.ts';
import type { InstrumentIndex } from './instruments/instrument-index.ts';
import { createImportRunner, type ImportRunner } from './instruments/import-job.ts';
import { createSimulatedQuoteSource } from './instruments/quotes.ts';
import { createQuoteService } from './instruments/quote-service.ts';
import { instrumentRoutes } from './instruments/routes.ts';
import { createIndexSync, type IndexSync } from './instruments/index-sync.ts';
import { createJobQueue } from './platform/job-queue.ts';
import type { Instrument } from './instruments/instrument.ts';
import { createClientWriter } from './kyc/ingest/client-writer.ts';
import { createIngestRunner, type IngestRunner } from './kyc/ingest/ingest-job.ts';
import { createClientLookup } from './kyc/client-lookup.ts';
import { kycRoutes } from './kyc/routes.ts';
import { createPostgresEventLog } from './log/postgres-event-log.ts';
import type { EventLog } from './log/event-log.ts';
import { createEventIntake, createIntakePurgeSchedule, type EventIntake } from './events/intake.ts';
import { eventRoutes } from './events/routes.ts';
import { createEventProcessor, type EventProcessor } from './events/processor.ts';
import { createRecordingPlanner, type NotificationPlanner } from './events/notification-request.ts';
import { buildProviders, createNotificationPipeline } from './compose-notify.ts';
import { createDeviceStore } from './notify/devices.ts';
import { createTemplatePicker, createTemplateRenderer } from './notify/template-renderer.ts';
import { receiptRoutes } from './notify/receipt-routes.ts';
import { deviceRoutes } from './notify/device-routes.ts';
import { preferenceRoutes } from './notify/preference-routes.ts';
import type { Renderer, Dispatcher } from './notify/dispatcher.ts';
import type { TemplatePicker } from './notify/planner.ts';
import { createScheduler, createSchedules, type Scheduler } from './events/scheduler/scheduler.ts';
import { createTradingCalendar } from './events/scheduler/market-calendar.ts';
import { createEventQueries } from './events/event-queries.ts';
import { createDeadLetters } from './events/dead-letters.ts';
import { createEventFeed } from './events/event-feed.ts';
import { visibilityRoutes } from './events/visibility-routes.ts';
import { createTemplateStore, type TemplateStore } from './notify/templates/template-store.ts';
import { seedTemplates } from './notify/templates/seed-templates.ts';
import { templateRoutes } from './notify/templates/routes.ts';
import { notificationRoutes } from './notify/routes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
export const defaultWebDir = path.join(root, 'web', 'dist');

export type Services = {
  config: Config;
  log: Logger;
  store: Store;
  keys: KeyStore;
  envelope: Envelope;
  users: UserStore;
  apiKeys: ApiKeyStore;
  /** The event log (Postgres adapter: the outbox in the store). */
  eventLog: EventLog;
  lifecycle: Lifecycle;
};

export type Platform = Services & {
  http: App;
  /** Where the API listens once started (serve role). */
  url: string;
  /** Set on the first start in embedded mode: the generated admin login, to print once. */
  firstAdmin: { email: string; password: string } | undefined;
  /** `sync.drained()` resolves once every instrument change appended so far is in this node's index. */
  instruments: { index: InstrumentIndex; imports: ImportRunner; sync: Pick<IndexSync, 'group' | 'drained'> };
  ingest: IngestRunner & { idle(): Promise<void> };
  eventIntake: EventIntake;
  events: { processor: EventProcessor; scheduler: Scheduler };
  notifications: { dispatcher: Dispatcher };
  /** Message templates: versions in the store, active ones cached per process. */
  templates: TemplateStore;
  stop(): Promise<void>;
};

export type PlatformOptions = { clock?: Clock; log?: Logger; webDir?: string; listen?: boolean };

/** Key material from the environment when configured, else the local key file (embedded). */
export async function openKeyStore(config: Config): Promise<KeyStore> {
  if (config.masterKeys.length) {
    return createEnvKeyStore({ masterKeys: config.masterKeys, activeId: config.activeMasterKeyId!, blindIndexKey: config.blindIndexKey!, tokenSigningKey: config.tokenSigningKey! });
  }
  return openFileKeyStore(path.join(config.dataDir, 'keys.json'));
}

/**
 * The Cache: Redis when REDIS_URL is set (shared by every process; closed when the lifecycle
 * stops), else in-process. Without Redis in distributed mode each process limits and broadcasts
 * on its own, which the log says at start.
 */
export async function openCache(config: Config, deps: { lifecycle: Lifecycle; log: Logger; clock: Clock }): Promise<Cache> {
  if (!config.redisUrl) {
    if (config.mode === 'distributed') deps.log.warn('REDIS_URL is unset: rate limits, cached values and broadcasts are per process');
    return createMemoryCache({ clock: deps.clock });
  }
  const cache = await createRedisCache({
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    onError: (error, context) => deps.log.warn({ err: error }, context),
  });
  await deps.lifecycle.use({ name: 'redis-cache', start() {}, stop: () => cache.close() });
  return cache;
}

/**
 * One Pravah per data directory: the serve role holds `DATA_DIR/pravah.pid` while it runs. A lock
 * left by a killed process is taken over.
 */
async function lockDataDir(dataDir: string): Promise<{ name: string; start(): void; stop(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  const file = path.join(dataDir, 'pravah.pid');
  const other = Number(await readFile(file, 'utf8').catch(() => ''));
  if (other && other !== process.pid) {
    let alive: boolean;
    try {
      process.kill(other, 0);
      const cmd = existsSync(`/proc/${other}/cmdline`) ? readFileSync(`/proc/${other}/cmdline`, 'utf8') : 'node';
      alive = cmd.includes('node') || cmd.includes('pravah');
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`Pravah is already running on ${dataDir} (pid ${other}); stop it first or set DATA_DIR`);
  }
  await writeFile(file, String(process.pid));
  return { name: 'data-dir-lock', start() {}, stop: () => rm(file, { force: true }) };
}

/** Opens the store and builds the services, without HTTP: used by CLI commands and by serve. */
export async function openServices(config: Config, options: PlatformOptions & { adopt: boolean }): Promise<Services> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  const lifecycle = createLifecycle(log);
  try {
    if (!config.databaseUrl && options.adopt) await lifecycle.use(await lockDataDir(config.dataDir));
    const keys = await openKeyStore(config);
    const store = await lifecycle.use(createStore(config, log, { adopt: options.adopt }));
    const db = store.db;
    const envelope = createEnvelope({ db, keys });
    const users = createUserStore({ db, envelope, blindIndex: createBlindIndex(keys) });
    const eventLog = await createPostgresEventLog({
      db, partitions: config.eventPartitions, leaseMs: config.eventLeaseMs,
      onError: (error, context) => log.warn({ err: error, context }, 'event log: retrying after an error'),
    });
    await lifecycle.use({ name: 'event-log', start() {}, stop: () => eventLog.close() });
    return { config, log, store, keys, envelope, users, apiKeys: createApiKeyStore({ db }), eventLog, lifecycle };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}

/** Builds and starts the platform with the roles the configuration names. */
export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const services = await openServices(config, { ...options, adopt: true });
  const { log, store, keys, users, apiKeys, lifecycle } = services;
  try {
    const clock = options.clock ?? systemClock;
    const db = store.db;
    const cache = await openCache(config, { lifecycle, log, clock });
    const metrics = createMetrics();
    const blindIndex = createBlindIndex(keys);
    const tokens = createTokenService({ db, keys, clock, accessTtlSeconds: config.accessTokenTtlSeconds, refreshTtlSeconds: config.refreshTokenTtlSeconds });

    let firstAdmin: Platform['firstAdmin'];
    if (config.mode === 'embedded' && (await users.count()) === 0) {
      firstAdmin = { email: config.adminEmail, password: generatePassword() };
      await users.create({ ...firstAdmin, name: 'Administrator', role: 'admin' }, 'system:first-start');
    }

    // Instruments: the table is the truth; every node holds the search index in memory, built at
    // start and kept current through the event log, which every import (here, on other nodes, from
    // the CLI) writes its changes to; this node's own imports also update it directly (ADR 6).
    const nodeId = randomUUID();
    const instrumentStore = createInstrumentStore({ db });
    const index = createMemoryInstrumentIndex();
    const indexSync = await lifecycle.use(createIndexSync({ eventLog: services.eventLog, store: instrumentStore, index, nodeId, log }));
    const imports = createImportRunner({
      db, store: instrumentStore, eventLog: services.eventLog, origin: nodeId,
      onChanged: (changed: Instrument[]) => index.upsert(changed),
    });
    // One process owns the embedded store, so a run still marked running was cut short by a crash.
    if (config.mode === 'embedded') await imports.failInterrupted();
    const jobs = new Set<Promise<unknown>>();
    await lifecycle.use({
      name: 'background-jobs',
      start() {},
      async stop() {
        await Promise.allSettled([...jobs]);
      },
    });
    const quotes = await lifecycle.use(createQuoteService({ cache, source: createSimulatedQuoteSource(), clock, log, lookup: (id) => index.get(id) }));

    // Ingestion: jobs run one at a time per process, in the background; a job left unfinished by a
    // crash resumes from its checkpoint when the platform starts again (embedded: one process).
    const ingest = createIngestRunner({ db, writer: createClientWriter({ envelope: services.envelope, log: services.eventLog }), keys: services.keys, clock });
    const ingestQueue = createJobQueue((id, signal) => ingest.run(id, { signal }).then(() => undefined), log);
    await lifecycle.use({ name: 'ingest-queue', start() {}, stop: () => ingestQueue.stop() });
    if (config.mode === 'embedded' && config.roles.includes('ingest')) {
      for (const id of await ingest.markInterrupted()) ingestQueue.enqueue(id);
    }

    // Event intake: API, CLI and scheduler submit through it; its de-dup state is purged daily.
    const eventIntake = createEventIntake({ db, log: services.eventLog, blindIndex, clock, maxEventBytes: config.eventMaxBytes });
    if (config.roles.includes('api')) {
      await lifecycle.use(createIntakePurgeSchedule({ intake: eventIntake, onError: (error) => log.warn({ err: error }, 'event intake purge failed; retrying tomorrow') }));
    }

    // Event processing: ingestion's domain events and triggered events become notification
    // requests (recorded until the notifications planner lands), per client in order.
    // Notifications: providers from the configuration, the planner each processed event's request
    // goes to (in the processor's transaction), the dispatcher and reconciliation (role notify).
    const devices = createDeviceStore({ db, envelope: services.envelope });
    const providers = await buildProviders(config, { db, envelope: services.envelope, clock });
    let templateRenderer: Renderer | undefined;
    // The template store is built below with the other routes' services; rendering starts after it.
    const render: Renderer = (input) => (templateRenderer ??= createTemplateRenderer(templates))(input);
    let templatePicker: TemplatePicker | undefined;
    const pickTemplate: TemplatePicker = (input) => (templatePicker ??= createTemplatePicker(templates))(input);
    const notifications = createNotificationPipeline({
      config, db, envelope: services.envelope, cache, clock, providers, render, pickTemplate, devices,
      onError: (error, context) => log.warn({ err: error, context }, 'notifications: will retry'),
    });
    const recording = createRecordingPlanner();
    const planner: NotificationPlanner = {
      async plan(requests, tx) {
        await recording.plan(requests, tx);
        await notifications.planner.plan(requests, tx);
      },
    };
    const processor = createEventProcessor({
      db, log: services.eventLog, envelope: services.envelope, blindIndex, planner,
      maxEventBytes: config.eventMaxBytes, concurrency: config.eventConcurrency, maxAttempts: config.eventMaxAttempts,
    });
    if (config.roles.includes('events')) await lifecycle.use(processor);

    // Scheduler: time-based events (expiry reminders, KYC revalidation, running-account settlement,
    // end-of-day digests) submitted through intake; each run fires once across scheduler processes.
    const scheduler = createScheduler({
      db, intake: eventIntake, clock, log, tickMs: config.schedulerTickMs,
      schedules: createSchedules({
        calendar: createTradingCalendar(config.schedulerHolidays), kycRevalidationYears: config.kycRevalidationYears, digestTime: config.schedulerDigestTime,
      }),
    });
    if (config.roles.includes('scheduler')) await lifecycle.use(scheduler);

    // What the console shows of the log: events with their outcomes, dead letters, lag, and the
    // live feed (one outbox poller per process, started while a browser listens).
    const eventFeed = await lifecycle.use(createEventFeed({ db, onError: (error) => log.warn({ err: error }, 'event feed poll failed; retrying') }));
    const deadLetters = createDeadLetters({ db, log: services.eventLog });

    // Message templates: the defaults are seeded on the first start (with the configured DLT entity
    // and header); active versions are cached per process and dropped on every save, here and,
    // through the broadcast, in the other processes.
    const templates = createTemplateStore({ db, cache, clock });
    await lifecycle.use({
      name: 'templates',
      async start() {
        const seeded = await seedTemplates(templates, { peId: config.providers.msg91?.peId, header: config.providers.msg91?.senderId });
        if (seeded) log.info({ templates: seeded }, 'default message templates seeded');
        await templates.start();
      },
      stop: () => templates.stop(),
    });

    if (config.roles.includes('notify')) {
      await lifecycle.use(notifications.dispatcher);
      await lifecycle.use(notifications.reconciler);
    }
    // The queue tables' dead rows, vacuumed here only where the server's autovacuum is off.
    const queueTables = [
      ...(config.roles.includes('events') ? ['outbox'] : []),
      ...(config.roles.includes('notify') ? ['notification_messages', 'notification_receipts'] : []),
    ];
    if (queueTables.length) await lifecycle.use(createQueueVacuum({ db, tables: queueTables, log }));

    const http = await buildApp({
      log,
      metrics,
      version,
      bodyLimitBytes: config.bodyLimitBytes,
      corsOrigins: config.corsOrigins,
      trustProxy: config.trustProxy,
      webDir: options.webDir ?? defaultWebDir,
      guard: createGuard({ tokens, apiKeys, cache }),
      routes: [
        healthRoutes({ db, migrations: store.migrations, metrics, version, mode: config.mode }),
        authRoutes({
          db, users, tokens, apiKeys, cache, blindIndex,
          login: { accountAttempts: config.loginAccountAttempts, addressAttempts: config.loginAddressAttempts, windowSeconds: config.loginWindowSeconds },
          secureCookies: (config.publicUrl ?? '').startsWith('https://'),
        }),
        kycRoutes({
          ingest,
          clients: createClientLookup({ db, blindIndex }),
          uploadDir: path.join(config.dataDir, 'ingest'),
          uploadLimitBytes: config.uploadLimitBytes,
          enqueue: (id) => ingestQueue.enqueue(id),
        }),
        eventRoutes({
          intake: eventIntake, cache, metrics, maxEventBytes: config.eventMaxBytes,
          rate: { perSecond: config.eventsRatePerSecond, burst: config.eventsRateBurst },
        }),
        visibilityRoutes({
          queries: createEventQueries({ db, log: services.eventLog, blindIndex }), deadLetters, feed: eventFeed, log: services.eventLog, metrics,
          onError: (error, context) => log.warn({ err: error, context }, 'event visibility failed'),
        }),
        notificationRoutes({
          db, envelope: services.envelope, blindIndex, clock, metrics,
          // Retries end at the deadline; the last send's receipt then has the fallback time to arrive.
          settleMs: config.notify.deadlineMs + config.notify.fallbackAfterMs, retryDeadlineMs: config.notify.deadlineMs,
          onError: (error, context) => log.warn({ err: error, context }, 'notification console failed'),
        }),
        templateRoutes({ templates }),
        receiptRoutes({ db, providers: providers.byName, clock, metrics, fallbackAfterMs: config.notify.fallbackAfterMs, publicUrl: () => config.publicUrl ?? url }),
        deviceRoutes({ devices, blindIndex }),
        preferenceRoutes({ db, blindIndex }),
        instrumentRoutes({
          index, quotes, imports, clock,
          uploadLimitBytes: config.uploadLimitBytes,
          track(job) {
            jobs.add(job);
            void job.finally(() => jobs.delete(job));
          },
        }),
      ],
    });
    let url = '';
    await lifecycle.use({
      name: 'http',
      async start() {
        await http.ready();
        if (options.listen === false || !config.roles.includes('api')) return;
        const address = await http.listen({ host: config.host, port: config.port });
        url = config.publicUrl ?? address.replace('[::1]', 'localhost');
      },
      // close() stops accepting connections and waits for in-flight requests to finish.
      stop: () => http.close(),
    });
    log.info({ mode: config.mode, roles: config.roles, url }, 'Pravah started');
    return { ...services, http, url, firstAdmin, instruments: { index, imports, sync: indexSync }, ingest: Object.assign(ingest, { idle: () => ingestQueue.idle() }), eventIntake, events: { processor, scheduler }, templates, notifications: { dispatcher: notifications.dispatcher }, stop: () => lifecycle.stop() };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}
