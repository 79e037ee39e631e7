// /api/events: triggered-event intake (POST, API keys with events:write and operators) and the
// event catalog (GET /api/events/catalog, what the web Templates page reads).
import { Type } from 'typebox';
import type { App, RouteModule } from '../platform/http.ts';
import type { Metrics } from '../platform/metrics.ts';
import { AppError } from '../platform/errors.ts';
import type { Cache } from '../cache/cache.ts';
import { anyStaff, describePrincipal, operators } from '../auth/roles.ts';
import { catalogAsJson, eventTypes } from './catalog.ts';
import type { EventIntake, IntakeOutcome } from './intake.ts';

/** Most events one request may carry; a bigger batch is refused whole (split it). */
export const maxEventsPerRequest = 1000;

export type EventRouteDeps = {
  intake: EventIntake;
  cache: Cache;
  /** Token bucket per API key or user, counted per event (EVENTS_RATE_PER_SECOND, EVENTS_RATE_BURST). */
  rate: { perSecond: number; burst: number };
  /** EVENT_MAX_BYTES: the route accepts a body that holds a full batch of the largest events. */
  maxEventBytes: number;
  metrics?: Metrics;
};

const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), requestId: Type.String(), details: Type.Optional(Type.Unknown()) }) });
const Issue = Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String() });
const Result = Type.Object({
  index: Type.Integer({ description: 'Position of the event in the request' }),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  eventId: Type.Union([Type.String(), Type.Null()], { description: "The event's id, or the one generated for it; null when a rejected event had no usable id" }),
  errors: Type.Optional(Type.Array(Issue)),
});
const Outcome = Type.Object({ accepted: Type.Integer(), duplicate: Type.Integer(), rejected: Type.Integer(), results: Type.Array(Result) });

// For the OpenAPI document only: each event is validated against the catalog by the handler, so
// a batch accepts its good events and explains its bad ones instead of failing whole.
const EventDoc = Type.Object({
  id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,100}$', description: 'Your id for the event: a second event with the same id within 7 days is a duplicate. Generated when absent.' })),
  type: Type.String({ enum: [...eventTypes], description: 'A type of GET /api/events/catalog' }),
  clientCode: Type.String({ pattern: '^[A-Za-z0-9]{1,10}$' }),
  occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  variables: Type.Record(Type.String(), Type.Unknown(), { description: "The type's variables, as its catalog schema says" }),
}, { additionalProperties: false });
const BodyDoc = Type.Union([EventDoc, Type.Object({ events: Type.Array(EventDoc, { minItems: 1, maxItems: maxEventsPerRequest }) }, { additionalProperties: false })]);

const CatalogEntry = Type.Object({
  type: Type.String(), title: Type.String(), description: Type.String(), category: Type.String(), defaultChannels: Type.Array(Type.String()),
  timing: Type.String(), schedule: Type.Optional(Type.String()), regulatory: Type.Boolean(), audience: Type.String(), expiresWith: Type.Optional(Type.String()),
  throttleBy: Type.Optional(Type.Array(Type.String(), { description: 'Variables that make two events the same alert: repeats within the throttle window are not sent' })),
  variables: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the variables' }), sample: Type.Record(Type.String(), Type.Unknown()),
});

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One event object, or `{ events: [...] }`. */
function eventsOf(body: unknown): unknown[] {
  if (isObject(body) && 'events' in body && !('type' in body)) {
    if (!Array.isArray(body.events)) throw new AppError('VALIDATION_FAILED', 'body.events must be an array of events', { details: [{ field: 'body.events', rule: 'type', message: 'must be an array' }] });
    if (!body.events.length) throw new AppError('VALIDATION_FAILED', 'body.events is empty: send at least one event', { details: [{ field: 'body.events', rule: 'minItems', message: 'must hold at least one event' }] });
    if (body.events.length > maxEventsPerRequest) {
      throw new AppError('EVENT_BATCH_TOO_LARGE', `A request may carry at most ${maxEventsPerRequest} events; this one has ${body.events.length}: split it`, { details: { limit: maxEventsPerRequest, received: body.events.length } });
    }
    return body.events;
  }
  return [body];
}

export function eventRoutes(deps: EventRouteDeps): RouteModule {
  const { intake, cache, rate } = deps;
  const bucket = { capacity: rate.burst, refillPerSecond: rate.perSecond };
  const counted = deps.metrics?.counter('pravah_events_intake_total', 'Triggered events received over HTTP, by outcome', ['status']);

  return (app: App) => {
    app.get('/api/events/catalog', {
      config: { access: { roles: anyStaff } },
      schema: { tags: ['events'], summary: 'The event catalog: every event type with its variables (JSON Schema), default channels, timing and regulatory flag', response: { 200: Type.Object({ items: Type.Array(CatalogEntry) }) } },
    }, async () => ({ items: catalogAsJson() }));

    app.post('/api/events', {
      config: { access: { roles: operators, scopes: ['events:write'] } },
      bodyLimit: Math.max(1024 * 1024, maxEventsPerRequest * deps.maxEventBytes),
      // The body schema documents the envelope; the handler validates each event itself (catalog).
      validatorCompiler: () => (value: unknown) => ({ value }),
      schema: {
        tags: ['events'],
        summary: 'Submit triggered events: one event, or { events: [...] } with up to 1,000',
        description: [
          'Each event is validated against the catalog and de-duplicated by its `id` (7 days). Good events are accepted even when others in the batch are not.',
          '**202** when at least one event was accepted or was a duplicate; **422** `EVENTS_REJECTED` when every event was rejected (`details.results` explains each).',
          'An `Idempotency-Key` header (1-255 visible ASCII characters, per API key or user, kept 7 days) makes the request replayable: the same key and body return the stored answer with **200** and `Idempotent-Replayed: true`; the same key with another body is **422** `IDEMPOTENCY_KEY_REUSED`.',
          'Rate limited per API key (or user), counted per event: **429** `RATE_LIMITED` with `Retry-After`. More than 1,000 events: **413** `EVENT_BATCH_TOO_LARGE`.',
        ].join('\n\n'),
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        body: BodyDoc,
        response: { 200: Outcome, 202: Outcome, 400: ErrorBody, 413: ErrorBody, 422: ErrorBody, 429: ErrorBody },
      },
    }, async (request, reply) => {
      const events = eventsOf(request.body);
      const header = request.headers['idempotency-key'];
      if (header !== undefined && (typeof header !== 'string' || !idempotencyKeyPattern.test(header))) {
        throw new AppError('VALIDATION_FAILED', 'The Idempotency-Key header must be 1-255 visible ASCII characters', { details: [{ field: 'headers.idempotency-key', rule: 'pattern', message: 'must be 1-255 visible ASCII characters' }] });
      }
      const caller = describePrincipal(request.principal);
      const taken = await cache.takeToken(`events:rate:${caller}`, bucket, Math.min(events.length, bucket.capacity));
      if (!taken.allowed) {
        const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
        throw new AppError('RATE_LIMITED', `Too many events from this ${request.principal?.kind === 'api-key' ? 'API key' : 'user'}; retry in ${seconds} seconds`, { headers: { 'retry-after': String(seconds) } });
      }
      const outcome = await intake.submit(events, { source: 'api', caller, idempotencyKey: header });
      const { replayed, ...body } = outcome;
      if (!replayed) count(outcome);
      if (replayed) return reply.status(200).header('idempotent-replayed', 'true').send(body);
      if (outcome.accepted + outcome.duplicate === 0) {
        throw new AppError('EVENTS_REJECTED', events.length === 1 ? 'The event was rejected: see details.results' : `All ${events.length} events were rejected: see details.results`, { details: body });
      }
      return reply.status(202).send(body);
    });
  };

  function count(outcome: IntakeOutcome): void {
    if (!counted) return;
    for (const status of ['accepted', 'duplicate', 'rejected'] as const) if (outcome[status]) counted.inc({ status }, outcome[status]);
  }
}
