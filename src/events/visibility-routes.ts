// What the event log and the processor did, for the console: GET /api/events (list), /api/events/:id
// (detail with what the event caused), /api/events/lag, /api/events/stream (SSE), and the dead
// letters with retry and discard (operators, audited). Intake and the catalog live in routes.ts.
import { Type, type TSchema } from 'typebox';
import type { App, RouteModule } from '../platform/http.ts';
import type { Metrics } from '../platform/metrics.ts';
import { AppError } from '../platform/errors.ts';
import { anyStaff, describePrincipal, operators } from '../auth/roles.ts';
import type { EventLog } from '../log/event-log.ts';
import type { EventQueries } from './event-queries.ts';
import { defaultPageSize, maxPageSize } from './event-queries.ts';
import type { DeadLetters } from './dead-letters.ts';
import { deadLetterStatuses } from './dead-letters.ts';
import { feedKeepAliveMs, type EventFeed } from './event-feed.ts';
import { eventStatuses, visibleTopics } from './event-view.ts';
import { registerLagMetrics } from './lag-metrics.ts';
import { processorGroup } from './processor.ts';

export type VisibilityRouteDeps = {
  queries: EventQueries;
  deadLetters: DeadLetters;
  feed: EventFeed;
  log: Pick<EventLog, 'lag'>;
  metrics?: Metrics;
  onError?: (error: unknown, context: string) => void;
};

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Strings = Type.Record(Type.String(), Type.String());
const Variables = Type.Record(Type.String(), Type.Unknown());
const LogId = Type.String({ pattern: '^[1-9][0-9]{0,18}$', description: "A log id: a decimal string" });
const ClientCode = Type.String({ pattern: '^[A-Za-z0-9]{1,10}$', description: 'A client code; events are matched through the client id derived from it' });
const Types = Type.String({ maxLength: 2000, description: 'An event type, or several separated by commas' });

const EventSummary = Type.Object({
  id: Type.String({ description: "The log's id of the record" }),
  eventId: Type.String(),
  topic: Type.String(),
  partition: Nullable(Type.Integer()),
  position: Nullable(Type.String()),
  type: Type.String(),
  title: Nullable(Type.String()),
  clientId: Nullable(Type.String()),
  clientCode: Nullable(Type.String()),
  source: Nullable(Type.String({ description: 'api, cli, stream, scheduler (triggered events) or ingestion (domain events)' })),
  appendedAt: Time,
  occurredAt: Nullable(Type.String()),
  status: Type.Enum(eventStatuses, { description: "The processor's outcome; pending until it has one; dead_letter when handling failed" }),
  reason: Nullable(Type.String()),
  requests: Type.Integer({ description: 'Notification requests the event caused' }),
  handledAt: Nullable(Time),
});

const DeadLetter = Type.Object({
  id: Type.String(), group: Type.String(), eventId: Type.String(), type: Type.String(), clientId: Nullable(Type.String()), clientCode: Nullable(Type.String()),
  sourceId: Nullable(Type.String()), sourceTopic: Nullable(Type.String()), error: Nullable(Type.String()), attempts: Nullable(Type.Integer()), deadAt: Time,
  status: Type.Enum(deadLetterStatuses), actedBy: Nullable(Type.String()), actedAt: Nullable(Time), retryId: Nullable(Type.String()),
});

const EventDetail = Type.Object({
  event: Type.Object({ ...EventSummary.properties, variables: Variables, headers: Strings }),
  outcome: Nullable(Type.Object({ status: Type.String(), reason: Nullable(Type.String()), requests: Type.Integer(), occurredAt: Nullable(Time), handledAt: Time, logId: Type.String() })),
  requests: Type.Array(Type.Object({
    type: Type.String(), regulatory: Type.Boolean(), channels: Type.Array(Type.String()),
    skipped: Type.Array(Type.Object({ channel: Type.String(), reason: Type.String() })),
    destinations: Strings, variables: Variables, occurredAt: Time, createdAt: Time,
  })),
  deadLetters: Type.Array(DeadLetter),
  deliveries: Type.Array(Type.Object({ group: Type.String(), topic: Type.String(), partition: Type.Integer(), committed: Type.String(), passed: Type.Boolean() })),
});

const LagPartition = Type.Object({ topic: Type.String(), partition: Type.Integer(), position: Type.String(), head: Type.String(), lag: Type.Integer(), owner: Nullable(Type.String()) });
const Lag = Type.Object({
  at: Time,
  groups: Type.Array(Type.Object({ group: Type.String(), lag: Type.Integer(), openDeadLetters: Type.Integer(), partitions: Type.Array(LagPartition) })),
});

const splitList = (value: string | undefined) => (value ? [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))] : undefined);

function parseTime(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new AppError('VALIDATION_FAILED', `${field} is not a date-time`, { details: [{ field: `querystring.${field}`, rule: 'format' }] });
  return time;
}

export function visibilityRoutes(deps: VisibilityRouteDeps): RouteModule {
  const { queries, deadLetters, feed } = deps;
  if (deps.metrics) {
    registerLagMetrics({ metrics: deps.metrics, log: deps.log, openDeadLetters: () => deadLetters.openCounts(), onError: (error) => deps.onError?.(error, 'lag metrics') });
  }

  return (app: App) => {
    // Open streams never finish on their own: end them when the server starts closing.
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of streams) end();
      streams.clear();
    });

    app.get('/api/events', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['events'],
        summary: 'Events of the log (kyc.events and events.triggered), newest first, with what the processor made of each',
        description: 'Keyset pagination: pass `nextCursor` as `cursor` for the next page. `from`/`to` bound the time the record was appended.',
        querystring: Type.Object({
          type: Type.Optional(Types),
          client: Type.Optional(ClientCode),
          status: Type.Optional(Type.Enum(eventStatuses)),
          from: Type.Optional(Time),
          to: Type.Optional(Time),
          topic: Type.Optional(Type.Enum(visibleTopics)),
          limit: Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
          cursor: Type.Optional(LogId),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(EventSummary), nextCursor: Nullable(Type.String()) }) },
      },
    }, async (request) => {
      const q = request.query;
      return queries.list({
        type: splitList(q.type), client: q.client, status: q.status, topic: q.topic, limit: q.limit, cursor: q.cursor,
        from: parseTime(q.from, 'from'), to: parseTime(q.to, 'to'),
      });
    });

    app.get('/api/events/lag', {
      config: { access: { roles: anyStaff } },
      schema: { tags: ['events'], summary: 'Lag of every consumer group per topic and partition, with its open dead letters', response: { 200: Lag } },
    }, async () => {
      const [rows, open] = await Promise.all([deps.log.lag(), deadLetters.openCounts()]);
      const groups = new Map<string, { group: string; lag: number; openDeadLetters: number; partitions: Array<Omit<(typeof rows)[number], 'group'>> }>();
      const groupOf = (group: string) => {
        let g = groups.get(group);
        if (!g) groups.set(group, (g = { group, lag: 0, openDeadLetters: open.get(group) ?? 0, partitions: [] }));
        return g;
      };
      for (const { group, ...partition } of rows) {
        const g = groupOf(group);
        g.lag += partition.lag;
        g.partitions.push(partition);
      }
      for (const group of open.keys()) groupOf(group);
      return { at: new Date().toISOString(), groups: [...groups.values()].sort((a, b) => a.group.localeCompare(b.group)) };
    });

    app.get('/api/events/stream', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['events'],
        summary: 'New events as Server-Sent Events: `event: event` for each new record, `event: status` when a pending one is handled',
        description: 'The stream starts with `event: ready`; events appended before it are in GET /api/events. Filtered by type and client on the server.',
        querystring: Type.Object({ type: Type.Optional(Types), client: Type.Optional(ClientCode) }, { additionalProperties: false }),
      },
    }, async (request, reply) => {
      const types = splitList(request.query.type);
      const client = request.query.client;
      const filter = { types: types ? new Set(types) : undefined, client: client ? { id: queries.clientKey(client), code: queries.clientCode(client) } : undefined };
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-request-id': request.id });
      res.write(': connected\n\n');
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let unsubscribe: (() => void) | undefined;
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), feedKeepAliveMs);
      const close = () => {
        clearInterval(keepAlive);
        unsubscribe?.();
      };
      const end = () => {
        close();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', () => {
        streams.delete(end);
        close();
      });
      try {
        unsubscribe = await feed.subscribe({ filter, onEvent: (e) => send('event', e), onStatus: (s) => send('status', s) });
        if (res.destroyed) unsubscribe();
        else send('ready', { at: new Date().toISOString() });
      } catch (error) {
        deps.onError?.(error, 'event stream');
        streams.delete(end);
        end();
      }
    });

    app.get('/api/events/dead-letters', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['events'],
        summary: "A consumer group's dead letters, newest first: records its handler gave up on",
        querystring: Type.Object({
          group: Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$', default: processorGroup }),
          status: Type.Optional(Type.Enum(deadLetterStatuses)),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          cursor: Type.Optional(LogId),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(DeadLetter), nextCursor: Nullable(Type.String()) }) },
      },
    }, async (request) => deadLetters.list(request.query));

    const IdParams = Type.Object({ id: LogId });
    app.post('/api/events/dead-letters/:id/retry', {
      config: { access: { roles: operators } },
      schema: {
        tags: ['events'],
        summary: "Retry a dead letter: its original record goes to the group's retry topic (once; audited)",
        description: '**409** `CONFLICT` when the dead letter was already retried or discarded.',
        params: IdParams,
        response: { 200: DeadLetter },
      },
    }, async (request) => deadLetters.retry(request.params.id, describePrincipal(request.principal)));

    app.post('/api/events/dead-letters/:id/discard', {
      config: { access: { roles: operators } },
      schema: {
        tags: ['events'],
        summary: 'Discard a dead letter: it stays in the log, marked discarded (once; audited)',
        description: '**409** `CONFLICT` when the dead letter was already retried or discarded.',
        params: IdParams,
        response: { 200: DeadLetter },
      },
    }, async (request) => deadLetters.discard(request.params.id, describePrincipal(request.principal)));

    app.get('/api/events/:id', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['events'],
        summary: 'One event, by log id or event id: its outcome, the notification requests it caused, its dead letters, and which consumer groups have passed it',
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,100}$' }) }),
        response: { 200: EventDetail },
      },
    }, async (request) => {
      const detail = await queries.detail(request.params.id);
      if (!detail) throw new AppError('NOT_FOUND', 'no event with this id');
      return detail;
    });
  };
}
