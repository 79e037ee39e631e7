// The live event feed behind GET /api/events/stream: ONE poller per process reads newly visible
// records of the shown topics every `pollMs` and fans them out to every connected browser, each
// with its own filter. Events still pending are watched for a while, and their outcome (or dead
// letter) is pushed as a status update when it lands. The poller runs only while someone listens.
// Every API node polls the shared outbox itself, so nothing goes through the Cache broadcast
// (which would hand each browser the same event once per node).
import type { Db } from '../store/db.ts';
import { deadLetterTopic } from '../log/event-log.ts';
import { SECOND, MINUTE } from '../platform/time.ts';
import { createOutboxTail } from './outbox-tail.ts';
import { processorGroup } from './processor.ts';
import { toEventSummary, viewSelect, visibleTopics, type EventStatus, type EventSummary, type ViewRow } from './event-view.ts';

export type StatusUpdate = Pick<EventSummary, 'id' | 'eventId' | 'type' | 'clientId' | 'clientCode' | 'status' | 'reason' | 'requests' | 'handledAt'>;

/** A client is matched by its id, or by its code (a producer's record on the stream topic has no id until handled). */
export type FeedFilter = { types?: ReadonlySet<string>; client?: { id: string; code: string } };

export type FeedListener = {
  filter: FeedFilter;
  onEvent(event: EventSummary): void;
  onStatus(update: StatusUpdate): void;
};

type Pending = { summary: EventSummary; since: number };

const matches = (filter: FeedFilter, e: Pick<EventSummary, 'type' | 'clientId' | 'clientCode'>): boolean =>
  (!filter.types?.size || filter.types.has(e.type)) && (!filter.client || filter.client.id === e.clientId || filter.client.code === e.clientCode);

export function createEventFeed(deps: { db: Db; pollMs?: number; pendingMs?: number; onError?: (error: unknown) => void; now?: () => number }) {
  const { db } = deps;
  const pollMs = deps.pollMs ?? 500;
  const pendingMs = deps.pendingMs ?? 2 * MINUTE;
  const now = deps.now ?? Date.now;
  const tail = createOutboxTail({ db, now });
  const listeners = new Set<FeedListener>();
  const pending = new Map<string, Pending>();
  const shown = new Set(visibleTopics);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function readNew(): Promise<void> {
    const rows = await tail.next();
    const ids = rows.filter((r) => shown.has(r.topic)).map((r) => r.id);
    if (!ids.length) return;
    const { rows: views } = await db.query<ViewRow>(`${viewSelect} WHERE x.id = ANY($1::bigint[]) ORDER BY x.id`, [ids]);
    for (const row of views) {
      const summary = toEventSummary(row);
      if (summary.status === 'pending' && pending.size < 5000) pending.set(summary.eventId, { summary, since: now() });
      for (const l of listeners) if (matches(l.filter, summary)) l.onEvent(summary);
    }
  }

  async function settlePending(): Promise<void> {
    const t = now();
    for (const [id, p] of pending) if (t - p.since > pendingMs) pending.delete(id);
    if (!pending.size) return;
    const { rows } = await db.query<{ event_id: string; status: EventStatus | null; reason: string | null; requests: number | null; handled_at: Date | null }>(
      `SELECT e.event_id, coalesce(o.status, CASE WHEN d.id IS NULL THEN NULL ELSE 'dead_letter' END) AS status, o.reason, o.requests, o.handled_at
       FROM unnest($1::text[]) AS e(event_id)
       LEFT JOIN event_outcomes o ON o.event_id = e.event_id
       LEFT JOIN LATERAL (SELECT d.id FROM outbox d WHERE o.event_id IS NULL AND d.topic LIKE '%.dead-letter' AND d.topic = $2
         AND d.headers ->> 'event-id' = e.event_id LIMIT 1) d ON true`,
      [[...pending.keys()], deadLetterTopic(processorGroup)],
    );
    for (const r of rows) {
      if (r.status === null) continue;
      const p = pending.get(r.event_id)!;
      pending.delete(r.event_id);
      const s = p.summary;
      const update: StatusUpdate = { id: s.id, eventId: s.eventId, type: s.type, clientId: s.clientId, clientCode: s.clientCode, status: r.status, reason: r.reason, requests: r.requests ?? 0, handledAt: r.handled_at?.toISOString() ?? null };
      for (const l of listeners) if (matches(l.filter, s)) l.onStatus(update);
    }
  }

  function schedule(): void {
    if (stopped || !listeners.size) return;
    timer = setTimeout(() => {
      running = (async () => {
        try {
          await readNew();
          await settlePending();
        } catch (error) {
          deps.onError?.(error);
        }
      })().finally(() => {
        running = undefined;
        schedule();
      });
    }, pollMs);
    timer.unref();
  }

  return {
    name: 'event-feed',
    /** Adds a listener; the first one starts the poller at the newest record. Returns the unsubscribe. */
    async subscribe(listener: FeedListener): Promise<() => void> {
      if (stopped) throw new Error('the event feed is stopped');
      const first = listeners.size === 0 && !timer && !running;
      listeners.add(listener);
      if (first) {
        await tail.reset();
        pending.clear();
        schedule();
      }
      return () => {
        listeners.delete(listener);
        if (!listeners.size) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    listening: () => listeners.size,
    start() {},
    async stop() {
      stopped = true;
      clearTimeout(timer);
      listeners.clear();
      await running;
    },
  };
}

export type EventFeed = ReturnType<typeof createEventFeed>;

export const feedKeepAliveMs = 15 * SECOND;
