// The notification ledger for the console: GET /api/notifications (list), /api/notifications/:id
// (timeline and chain), retry and cancel (operators, audited), /stats (per hour or day, for the
// charts), /accuracy (delivery accuracy), and the sandbox inbox (operators: decrypted content).
// Registers the notification gauges of /metrics.
import { Type, type TSchema } from 'typebox';
import type { App, RouteModule } from '../platform/http.ts';
import type { Metrics } from '../platform/metrics.ts';
import { DAY, MINUTE, systemClock, type Clock } from '../platform/time.ts';
import { AppError } from '../platform/errors.ts';
import type { Db } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { anyStaff, describePrincipal, operators } from '../auth/roles.ts';
import { channels } from './channel-provider.ts';
import { deliveryAccuracy } from './accuracy.ts';
import { createLedgerQueries, defaultPageSize, maxPageSize, messageStatuses } from './ledger-queries.ts';
import { createLedgerActions } from './ledger-actions.ts';
import { createSandboxInbox } from './sandbox-inbox.ts';
import { registerNotifyMetrics } from './notify-metrics.ts';

/** In flight for longer than this, a message counts as not delivered (retries run 30 minutes by default, then the fallback). */
export const defaultSettleMs = 35 * MINUTE;

export type NotificationRouteDeps = {
  db: Db;
  envelope: Envelope;
  blindIndex: BlindIndex;
  clock?: Clock;
  metrics?: Metrics;
  settleMs?: number;
  /** The retry budget a manual retry gets (NOTIFY_DEADLINE_MS). */
  retryDeadlineMs?: number;
  onError?: (error: unknown, context: string) => void;
};

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
const ClientCode = Type.String({ pattern: '^[A-Za-z0-9]{1,10}$', description: 'A client code; matched through the client id derived from it' });
const List = (description: string) => Type.String({ maxLength: 2000, description });

const Summary = Type.Object({
  id: Type.String(), eventId: Type.String(), chainId: Type.String(), clientId: Type.String(), clientCode: Nullable(Type.String()),
  type: Type.String(), title: Nullable(Type.String()), category: Type.String(), regulatory: Type.Boolean(), channel: Type.String(), language: Type.String(),
  status: Type.Enum(messageStatuses),
  provider: Nullable(Type.String({ description: 'The provider that last handled the message; null before the first send' })),
  providers: Type.Array(Type.String(), { description: 'Providers in failover order' }),
  attempts: Type.Integer(), maskedTo: Nullable(Type.String({ description: 'The destination, masked; the clear one is stored encrypted only' })),
  lastCode: Nullable(Type.String()), lastDetail: Nullable(Type.String()), fallbackChannel: Nullable(Type.String()),
  templateId: Nullable(Type.String()), templateVersion: Nullable(Type.Integer()),
  occurredAt: Time, createdAt: Time, updatedAt: Time, acceptedAt: Nullable(Time), deliveredAt: Nullable(Time), nextAttemptAt: Time, deadline: Time,
  canRetry: Type.Boolean({ description: 'failed, undeliverable or cancelled: an operator may retry it' }),
  canCancel: Type.Boolean({ description: 'queued, held, retrying or waiting: an operator may cancel it' }),
});

const Detail = Type.Object({
  message: Summary,
  timeline: Type.Array(Type.Object({
    id: Type.String(), at: Time, state: Type.String(), provider: Nullable(Type.String()), code: Nullable(Type.String()), detail: Nullable(Type.String()), attempt: Nullable(Type.Integer()),
  })),
  chain: Type.Array(Summary, { description: 'The other messages of the chain: the fallback, or the primary it falls back from' }),
  event: Type.Object({ id: Type.String(), href: Type.String({ description: 'The event with its outcome: GET /api/events/:id' }) }),
});

const Counts = {
  delivered: Type.Integer(), deliverable: Type.Integer(), accuracy: Type.Number({ description: 'delivered / deliverable; 1 when nothing was deliverable' }),
  inFlight: Type.Integer(), undeliverable: Type.Integer(), skipped: Type.Integer(),
};
const Accuracy = Type.Object({
  from: Nullable(Time), to: Nullable(Time), at: Time, settleMs: Type.Integer(), ...Counts,
  byChannel: Type.Array(Type.Object({ channel: Type.String(), ...Counts })),
  byProvider: Type.Array(Type.Object({ channel: Type.String(), provider: Type.String(), ...Counts })),
});

const Point = { delivered: Type.Integer(), deliverable: Type.Integer(), rate: Nullable(Type.Number()), total: Type.Integer() };
const Stats = Type.Object({
  from: Time, to: Time, bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')]), buckets: Type.Array(Time),
  overall: Type.Array(Type.Object({ start: Time, ...Point })),
  series: Type.Array(Type.Object({ channel: Type.String(), provider: Type.String(), points: Type.Array(Type.Object(Point)), byStatus: Type.Record(Type.String(), Type.Integer()) })),
  statuses: Type.Record(Type.String(), Type.Array(Type.Integer())),
});

const SandboxMessage = Type.Object({
  id: Type.String(), messageId: Type.String(), clientId: Type.String(), clientCode: Nullable(Type.String()), channel: Type.String(), maskedTo: Nullable(Type.String()),
  receivedAt: Time, type: Nullable(Type.String()), status: Nullable(Type.String()),
  content: Nullable(Type.Object({
    sms: Type.Optional(Type.Object({
      text: Type.String(), unicode: Type.Boolean(),
      dlt: Type.Object({ peId: Type.String(), header: Type.String(), templateId: Type.String(), category: Type.String() }),
    })),
    whatsapp: Type.Optional(Type.Object({ templateName: Type.String(), language: Type.String(), category: Type.String(), parameters: Type.Array(Type.String()) })),
    push: Type.Optional(Type.Object({ title: Type.String(), body: Type.String(), data: Type.Record(Type.String(), Type.String()) })),
  })),
});

const splitList = (value: string | undefined) => (value ? [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))] : undefined);

function parseTime(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new AppError('VALIDATION_FAILED', `${field} is not a date-time`, { details: [{ field: `querystring.${field}`, rule: 'format' }] });
  return time;
}

export function notificationRoutes(deps: NotificationRouteDeps): RouteModule {
  const clock = deps.clock ?? systemClock;
  const settleMs = deps.settleMs ?? defaultSettleMs;
  const queries = createLedgerQueries(deps);
  const actions = createLedgerActions({ db: deps.db, clock, retryDeadlineMs: deps.retryDeadlineMs ?? 30 * MINUTE });
  const inbox = createSandboxInbox(deps);
  if (deps.metrics) {
    registerNotifyMetrics({ metrics: deps.metrics, db: deps.db, clock, windowMs: DAY, settleMs, onError: (error) => deps.onError?.(error, 'notify metrics') });
  }

  return (app: App) => {
    app.get('/api/notifications', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['notifications'],
        summary: 'Notification messages of the ledger, newest first, with their delivery state and masked destination',
        description: 'Keyset pagination: pass `nextCursor` as `cursor` for the next page. `from`/`to` bound the time the message was planned. '
          + '`status`, `channel`, `type` and `provider` take one value or several separated by commas.',
        querystring: Type.Object({
          status: Type.Optional(List(`One or more of ${messageStatuses.join(', ')}`)),
          channel: Type.Optional(List(`One or more of ${channels.join(', ')}`)),
          type: Type.Optional(List('Event types')),
          provider: Type.Optional(List('Provider names (twilio, msg91, whatsapp-cloud, fcm, sandbox)')),
          client: Type.Optional(ClientCode),
          from: Type.Optional(Time),
          to: Type.Optional(Time),
          limit: Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
          cursor: Type.Optional(Type.String({ maxLength: 80 })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Summary), nextCursor: Nullable(Type.String()) }) },
      },
    }, async (request) => {
      const q = request.query;
      const channel = splitList(q.channel);
      for (const c of channel ?? []) {
        if (!(channels as readonly string[]).includes(c)) throw new AppError('VALIDATION_FAILED', `channel ${c} is not one of ${channels.join(', ')}`, { details: [{ field: 'querystring.channel', rule: 'enum' }] });
      }
      return queries.list({
        status: splitList(q.status), channel, type: splitList(q.type), provider: splitList(q.provider), client: q.client,
        from: parseTime(q.from, 'from'), to: parseTime(q.to, 'to'), limit: q.limit, cursor: q.cursor,
      });
    });

    app.get('/api/notifications/stats', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['notifications'],
        summary: 'Messages per IST hour or day: counts by channel, provider and status, and the delivery rate per bucket',
        description: 'Defaults: the last 24 hours by hour (`bucket=day`: the last 30 days). At most 400 buckets. A message in flight for less than the settle time is left out of the rate, as in accuracy.',
        querystring: Type.Object({
          from: Type.Optional(Time), to: Type.Optional(Time),
          bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')], { default: 'hour' }),
        }, { additionalProperties: false }),
        response: { 200: Stats },
      },
    }, async (request) => {
      const now = clock.now();
      const bucket = request.query.bucket;
      const to = parseTime(request.query.to, 'to') ?? now;
      const from = parseTime(request.query.from, 'from') ?? new Date(to.getTime() - (bucket === 'hour' ? DAY : 30 * DAY));
      return queries.stats({ from, to, bucket, settleMs, now });
    });

    app.get('/api/notifications/accuracy', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['notifications'],
        summary: 'Delivery accuracy: delivered / deliverable notification chains, with breakdowns by channel and provider (per message)',
        description: 'A chain is a message and its fallbacks. Left out: chains in flight for less than the settle time, chains whose recipient is undeliverable, throttled and cancelled chains. Without `from`/`to`: every chain.',
        querystring: Type.Object({ from: Type.Optional(Time), to: Type.Optional(Time) }, { additionalProperties: false }),
        response: { 200: Accuracy },
      },
    }, async (request) => {
      const now = clock.now();
      const from = parseTime(request.query.from, 'from');
      const to = parseTime(request.query.to, 'to');
      const result = await deliveryAccuracy(deps.db, { from, to, settleMs, now });
      return { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null, at: now.toISOString(), settleMs, ...result };
    });

    app.get('/api/sandbox/messages', {
      config: { access: { roles: operators } },
      schema: {
        tags: ['notifications'],
        summary: "The sandbox provider's inbox, newest first: what each client's phone would show (decrypted; operators only)",
        querystring: Type.Object({
          client: Type.Optional(ClientCode),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(SandboxMessage) }) },
      },
    }, async (request) => ({
      items: await inbox.list({ clientId: request.query.client ? queries.clientKey(request.query.client) : undefined, limit: request.query.limit }),
    }));

    const IdParams = Type.Object({ id: Uuid });
    app.get('/api/notifications/:id', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['notifications'],
        summary: 'One message: its full timeline, the other messages of its chain, and the event that caused it',
        params: IdParams,
        response: { 200: Detail },
      },
    }, async (request) => {
      const detail = await queries.detail(request.params.id.toLowerCase());
      if (!detail) throw new AppError('NOT_FOUND', 'no notification message with this id');
      return detail;
    });

    app.post('/api/notifications/:id/retry', {
      config: { access: { roles: operators } },
      schema: {
        tags: ['notifications'],
        summary: 'Retry a failed, undeliverable or cancelled message: queued now, from its first provider, with a fresh attempt budget (audited)',
        description: '**409** `CONFLICT` when the message is in any other status.',
        params: IdParams,
        response: { 200: Detail },
      },
    }, async (request) => actions.retry(request.params.id.toLowerCase(), describePrincipal(request.principal)));

    app.post('/api/notifications/:id/cancel', {
      config: { access: { roles: operators } },
      schema: {
        tags: ['notifications'],
        summary: 'Cancel a message that has not gone out (queued, held, retrying or a waiting fallback); a primary takes its waiting fallbacks along (audited)',
        description: '**409** `CONFLICT` when the message is in any other status (sending, sent, delivered, …).',
        params: IdParams,
        response: { 200: Detail },
      },
    }, async (request) => actions.cancel(request.params.id.toLowerCase(), describePrincipal(request.principal)));
  };
}
