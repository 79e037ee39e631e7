// The event processor: consumes ingestion's domain events and triggered events as consumer group
// `processor`, a batch of one partition at a time (so per-client order holds), validates what
// upstream producers appended to the stream topic themselves (producer-envelope.ts), loads the
// batch's clients in one query, decrypts their contacts in memory, chooses channels from consent,
// and in ONE transaction records each event's outcome and hands its notification request to the
// planner.
// An event whose outcome exists is skipped, so redelivery after a crash causes nothing twice.
import { prepared, type Db } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';
import type { EventLog, EventRecord, Subscription } from '../log/event-log.ts';
import type { ClientRecord } from '../kyc/client-record.ts';
import { clientEventsTopic } from '../kyc/ingest/client-writer.ts';
import { triggeredEventsTopic } from './intake.ts';
import { interpretRecord, checkVariables, type BusinessEvent, type Interpretation } from './interpret-record.ts';
import { isProducerEnvelope, readProducerEnvelope } from './producer-envelope.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { chooseChannels } from './channel-choice.ts';
import type { NotificationPlanner, NotificationRequest } from './notification-request.ts';

export const processorGroup = 'processor';
export const processedTopics = [clientEventsTopic, triggeredEventsTopic];

type Outcome = {
  event_id: string; log_id: string; topic: string; type: string; client_id: string | null;
  status: 'planned' | 'skipped' | 'invalid' | 'client_unknown'; reason: string | null; requests: number; occurred_at: string | null;
};

type LoadedClient = { record: ClientRecord; masked: { mobile?: string; email?: string } };

export type EventProcessorDeps = {
  db: Db;
  log: EventLog;
  envelope: Envelope;
  /** Derives the client id of events producers appended to the stream topic with a client code only. */
  blindIndex: BlindIndex;
  planner: NotificationPlanner;
  /** EVENT_MAX_BYTES, for producers' events on the stream topic (intake checked the others). */
  maxEventBytes?: number;
  concurrency?: number;
  maxAttempts?: number;
  batchSize?: number;
};

export function createEventProcessor(deps: EventProcessorDeps) {
  const { db, envelope, planner } = deps;
  let subscription: Subscription | undefined;

  async function loadClients(ids: string[]): Promise<Map<string, LoadedClient>> {
    if (!ids.length) return new Map();
    const { rows } = await db.query<{ id: string; personal_enc: Buffer; masked: { mobile?: string; email?: string | null } }>(
      prepared('SELECT id, personal_enc, masked FROM clients WHERE id = ANY($1::uuid[])'), [ids],
    );
    await envelope.prepare(rows.map((r) => `client:${r.id}`));
    const loaded = new Map<string, LoadedClient>();
    for (const r of rows) {
      const record = JSON.parse(await envelope.decrypt(`client:${r.id}`, 'record', r.personal_enc)) as ClientRecord;
      loaded.set(r.id, { record, masked: { mobile: r.masked.mobile, ...(r.masked.email ? { email: r.masked.email } : {}) } });
    }
    return loaded;
  }

  function plan(event: BusinessEvent, client: LoadedClient): { outcome: Outcome; request?: NotificationRequest } {
    const { record } = client;
    const definition = event.definition;
    const variables = { ...event.variables };
    if ('name' in definition.variables.properties && variables['name'] === undefined) {
      variables['name'] = [record.name.first, record.name.last].filter(Boolean).join(' ');
    }
    const base = { event_id: event.eventId, log_id: event.logId, topic: event.topic, type: definition.type, client_id: event.clientId, occurred_at: event.occurredAt.toISOString() };
    const broken = checkVariables({ ...event, variables });
    if (broken) return { outcome: { ...base, status: 'invalid', reason: broken, requests: 0 } };
    const { channels, skipped } = chooseChannels({
      defaults: definition.defaultChannels, regulatory: definition.regulatory, consents: record.consents, hasMobile: Boolean(record.mobile?.number),
    });
    if (!channels.length) return { outcome: { ...base, status: 'skipped', reason: skipped.map((s) => `${s.channel}: ${s.reason}`).join('; '), requests: 0 } };
    const smsAllowed = channels.includes('whatsapp') && !channels.includes('sms')
      && chooseChannels({ defaults: ['sms'], regulatory: definition.regulatory, consents: record.consents, hasMobile: Boolean(record.mobile?.number) }).channels.length > 0;
    const request: NotificationRequest = {
      eventId: event.eventId, logId: event.logId, type: definition.type, regulatory: definition.regulatory,
      clientId: event.clientId, clientCode: event.clientCode, channels, skipped, ...(smsAllowed ? { fallbackChannels: ['sms' as const] } : {}),
      contacts: { mobile: record.mobile?.number, ...(record.email ? { email: record.email.address } : {}), name: variables['name'] as string | undefined },
      masked: client.masked, variables, occurredAt: event.occurredAt,
    };
    return { outcome: { ...base, status: 'planned', reason: null, requests: 1 }, request };
  }

  /** A producer's record on the stream topic is validated as intake would; the rest were already. */
  function interpret(record: EventRecord): Interpretation {
    return isProducerEnvelope(record)
      ? readProducerEnvelope(record, { blindIndex: deps.blindIndex, maxEventBytes: deps.maxEventBytes })
      : interpretRecord(record);
  }

  async function handle(records: EventRecord[]): Promise<void> {
    // Skip what an earlier delivery already handled (a redelivered batch after a crash).
    const ids = [...new Set(records.map((r) => r.eventId))];
    const done = await db.query<{ event_id: string }>(prepared('SELECT event_id FROM event_outcomes WHERE event_id = ANY($1)'), [ids]);
    const seen = new Set(done.rows.map((r) => r.event_id));
    const fresh = records.filter((r) => !seen.has(r.eventId) && (seen.add(r.eventId), true));
    if (!fresh.length) return;

    const interpreted = fresh.map((r) => ({ r, i: interpret(r) }));
    const clients = await loadClients([...new Set(interpreted.flatMap(({ i }) => (i.ok ? [i.event.clientId] : [])))]);
    const outcomes: Outcome[] = [];
    const requests: NotificationRequest[] = [];
    for (const { r, i } of interpreted) {
      if (!i.ok) {
        outcomes.push({ event_id: r.eventId, log_id: r.id, topic: r.topic, type: r.type, client_id: i.clientId, status: 'invalid', reason: i.reason, requests: 0, occurred_at: null });
        continue;
      }
      const client = clients.get(i.event.clientId);
      if (!client) {
        outcomes.push({ event_id: r.eventId, log_id: r.id, topic: r.topic, type: r.type, client_id: i.event.clientId, status: 'client_unknown', reason: 'no client with this code has been ingested', requests: 0, occurred_at: i.event.occurredAt.toISOString() });
        continue;
      }
      const planned = plan(i.event, client);
      outcomes.push(planned.outcome);
      if (planned.request) requests.push(planned.request);
    }
    await db.transaction(async (tx) => {
      const inserted = await tx.query<{ event_id: string }>(
        prepared(`INSERT INTO event_outcomes (event_id, log_id, topic, type, client_id, status, reason, requests, occurred_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(event_id text, log_id bigint, topic text, type text, client_id uuid,
           status text, reason text, requests integer, occurred_at timestamptz)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`),
        [JSON.stringify(outcomes)],
      );
      const mine = new Set(inserted.rows.map((r) => r.event_id));
      await planner.plan(requests.filter((q) => mine.has(q.eventId)), tx);
    });
  }

  return {
    name: 'event-processor',
    async start(): Promise<void> {
      subscription = await deps.log.subscribe({
        group: processorGroup,
        topics: processedTopics,
        handle,
        ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
        ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
        ...(deps.maxAttempts ? { retry: { maxAttempts: deps.maxAttempts } } : {}),
      });
    },
    async stop(): Promise<void> {
      await subscription?.stop();
      subscription = undefined;
    },
    /** Resolves once every event visible now has been processed. */
    drained(): Promise<void> {
      if (!subscription) return Promise.reject(new Error('the event processor is not running'));
      return subscription.drained();
    },
    /** Processes records directly (benchmarks and tests of the handler alone). */
    handle,
  };
}

export type EventProcessor = ReturnType<typeof createEventProcessor>;
