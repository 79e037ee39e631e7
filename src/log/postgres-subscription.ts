// One member of a consumer group on the Postgres log: leases partitions (a fair share of the
// group's), fetches the next batch of every idle owned partition in one query, runs batches with
// bounded concurrency (one per partition at a time, so per-key order holds), retries and
// dead-letters failing records, and commits positions fenced by the lease.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepared, type Db } from '../store/db.ts';
import {
  backoffDelay, deadLetterTopic, defaultRetryPolicy, retryTopic,
  type AppendRecord, type EventRecord, type RetryPolicy, type SubscribeOptions, type Subscription,
} from './event-log.ts';
import { toEventRecord, type OutboxRow } from './postgres-rows.ts';

export type SubscriptionDeps = {
  db: Db;
  partitions: number;
  leaseMs: number;
  pollMs: number;
  random: () => number;
  append(records: AppendRecord[]): Promise<unknown>;
  /** Sequences committed rows; resolves when done. */
  sequence(): Promise<unknown>;
  /** Registers a wake-up for new records on these topics; returns the unregister function. */
  onRecords(topics: string[], wake: () => void): () => void;
  onError(error: unknown, context: string): void;
};

type Owned = { topic: string; partition: number; busy: boolean; releasing: boolean };

const slot = (topic: string, partition: number): string => `${partition}:${topic}`;

/** A subscription the adapter can also abandon: stop everything without releasing (a simulated crash). */
export type PgSubscription = Subscription & { abandon(): void };

export async function startSubscription(deps: SubscriptionDeps, options: SubscribeOptions): Promise<PgSubscription> {
  const { db, partitions, leaseMs } = deps;
  const group = options.group;
  const topics = [...new Set([...options.topics, retryTopic(group)])];
  const member = randomUUID();
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const owned = new Map<string, Owned>();
  const inFlight = new Set<Promise<void>>();
  const waiting: Array<() => void> = [];
  const stopping = new AbortController();
  let active = 0;
  let fetching = false;
  let fetchAgain = false;
  let stopped: Promise<void> | undefined;
  let abandoned = false;

  async function rebalance(): Promise<void> {
    await db.query(
      `INSERT INTO event_group_members (group_name, member, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (group_name, member) DO UPDATE SET expires_at = excluded.expires_at`,
      [group, member, leaseMs],
    );
    const live = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_group_members WHERE group_name = $1 AND expires_at > now()', [group]);
    const share = Math.ceil((topics.length * partitions) / Math.max(1, live.rows[0]!.n));
    const renewed = await db.query<{ topic: string; partition: number }>(
      `UPDATE event_partition_leases SET expires_at = now() + $3 * interval '1 millisecond'
       WHERE group_name = $1 AND owner = $2 RETURNING topic, partition`,
      [group, member, leaseMs],
    );
    const still = new Set(renewed.rows.map((r) => slot(r.topic, r.partition)));
    for (const [id, o] of owned) if (!still.has(id) && !o.busy) owned.delete(id);
    for (const r of renewed.rows) if (!owned.has(slot(r.topic, r.partition))) owned.set(slot(r.topic, r.partition), { ...r, busy: false, releasing: false });

    const keep = [...owned.values()].filter((o) => !o.releasing);
    if (keep.length > share) {
      // Give back the surplus, idle partitions first; busy ones go when their batch commits.
      const surplus = keep.sort((a, b) => Number(a.busy) - Number(b.busy)).slice(0, keep.length - share);
      for (const o of surplus) o.releasing = true;
      await release(surplus.filter((o) => !o.busy));
    } else if (keep.length < share) {
      const claimed = await db.query<{ topic: string; partition: number }>(
        `WITH candidates AS (
           SELECT t.topic, p.partition FROM unnest($3::text[]) AS t(topic) CROSS JOIN generate_series(0, $4 - 1) AS p(partition)),
         free AS (
           SELECT c.topic, c.partition FROM candidates c
           LEFT JOIN event_partition_leases l ON l.group_name = $1 AND l.topic = c.topic AND l.partition = c.partition
           WHERE l.owner IS NULL OR l.expires_at < now()
           ORDER BY random() LIMIT $5)
         INSERT INTO event_partition_leases AS l (group_name, topic, partition, owner, expires_at)
         SELECT $1, topic, partition, $2, now() + $6 * interval '1 millisecond' FROM free
         ON CONFLICT (group_name, topic, partition) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE l.owner IS NULL OR l.expires_at < now()
         RETURNING topic, partition`,
        [group, member, topics, partitions, share - keep.length, leaseMs],
      );
      for (const r of claimed.rows) owned.set(slot(r.topic, r.partition), { ...r, busy: false, releasing: false });
      if (claimed.rowCount) wake();
    }
  }

  async function release(list: Owned[]): Promise<void> {
    if (!list.length) return;
    for (const o of list) owned.delete(slot(o.topic, o.partition));
    await db.query(
      `UPDATE event_partition_leases SET owner = NULL, expires_at = now()
       WHERE group_name = $1 AND owner = $2 AND (topic, partition) IN (SELECT * FROM unnest($3::text[], $4::int[]))`,
      [group, member, list.map((o) => o.topic), list.map((o) => o.partition)],
    );
  }

  function wake(): void {
    if (stopping.signal.aborted) return;
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    void fetchRound()
      .catch((error: unknown) => deps.onError(error, 'fetch'))
      .finally(() => {
        fetching = false;
        if (fetchAgain) {
          fetchAgain = false;
          wake();
        }
      });
  }

  async function fetchRound(): Promise<void> {
    const idle = [...owned.values()].filter((o) => !o.busy && !o.releasing);
    if (!idle.length) return;
    const { rows } = await db.query<OutboxRow & { committed: string | null }>(
      prepared(`SELECT o.id, o.topic, o.partition, o.position, o.key, o.type, o.payload, o.headers, o.created_at, c.position AS committed
       FROM unnest($1::text[], $2::int[]) AS p(topic, partition)
       LEFT JOIN event_consumer_offsets c ON c.group_name = $3 AND c.topic = p.topic AND c.partition = p.partition
       CROSS JOIN LATERAL (
         SELECT * FROM outbox o WHERE o.topic = p.topic AND o.partition = p.partition AND o.position > coalesce(c.position, 0)
         ORDER BY o.position LIMIT $4) o
       ORDER BY o.topic, o.partition, o.position`),
      [idle.map((o) => o.topic), idle.map((o) => o.partition), group, batchSize],
    );
    const batches = new Map<string, { o: Owned; committed: string | null; records: EventRecord[] }>();
    for (const row of rows) {
      const id = slot(row.topic, row.partition!);
      let batch = batches.get(id);
      if (!batch) {
        const o = owned.get(id);
        if (!o || o.busy) continue;
        batch = { o, committed: row.committed, records: [] };
        batches.set(id, batch);
      }
      batch.records.push(toEventRecord(row));
    }
    for (const batch of batches.values()) {
      batch.o.busy = true;
      const run = runBatch(batch.o, batch.committed, batch.records);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  }

  async function acquireSlot(): Promise<void> {
    while (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  }

  function releaseSlot(): void {
    active--;
    waiting.shift()?.();
  }

  async function runBatch(o: Owned, committed: string | null, records: EventRecord[]): Promise<void> {
    await acquireSlot();
    try {
      await deliver(records);
      await commit(o, committed, records.at(-1)!.position);
    } catch (error) {
      if (!stopping.signal.aborted) deps.onError(error, `partition ${o.partition} of ${o.topic}`);
    } finally {
      releaseSlot();
      o.busy = false;
      if (o.releasing) await release([o]).catch((error: unknown) => deps.onError(error, 'release'));
      wake();
    }
  }

  async function deliver(records: EventRecord[]): Promise<void> {
    if (records.length > 1) {
      try {
        await options.handle(records, { attempt: 1, signal: stopping.signal });
        return;
      } catch {
        // Isolate the failing record: one at a time, each with its own retries.
      }
    }
    for (const record of records) await deliverOne(record);
  }

  async function deliverOne(record: EventRecord): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(backoffDelay(retry, attempt - 1, deps.random()), undefined, { signal: stopping.signal });
      try {
        await options.handle([record], { attempt, signal: stopping.signal });
        return;
      } catch (error) {
        lastError = error;
        if (stopping.signal.aborted) throw error;
      }
    }
    await deps.append([{
      topic: deadLetterTopic(group),
      key: record.key,
      type: record.type,
      payload: record.payload,
      headers: {
        ...record.headers,
        'event-id': record.eventId,
        'dead-letter.source-id': record.id,
        'dead-letter.source-topic': record.topic,
        'dead-letter.attempts': String(retry.maxAttempts),
        'dead-letter.error': describe(lastError),
      },
    }]);
  }

  async function commit(o: Owned, committed: string | null, position: string): Promise<void> {
    if (abandoned) throw new Error('abandoned');
    const { rowCount } = await db.query(
      `INSERT INTO event_consumer_offsets AS c (group_name, topic, partition, position)
       SELECT $1, $2, $3, $4 WHERE EXISTS (
         SELECT 1 FROM event_partition_leases WHERE group_name = $1 AND topic = $2 AND partition = $3 AND owner = $5)
       ON CONFLICT (group_name, topic, partition) DO UPDATE SET position = excluded.position, updated_at = now()
       WHERE c.position IS NOT DISTINCT FROM $6::bigint`,
      [group, o.topic, o.partition, position, member, committed],
    );
    // Lost the lease, or someone moved the position (seek): the next fetch starts from the table.
    if (!rowCount) owned.delete(slot(o.topic, o.partition));
  }

  const tick = async (): Promise<void> => {
    try {
      await rebalance();
      await deps.sequence();
      wake();
    } catch (error) {
      deps.onError(error, 'rebalance');
    }
  };
  await rebalance();
  const renewTimer = setInterval(() => void tick(), Math.max(50, Math.floor(leaseMs / 3)));
  const pollTimer = setInterval(() => void deps.sequence().then(wake, (error: unknown) => deps.onError(error, 'sequence')), deps.pollMs);
  const unlisten = deps.onRecords(topics, wake);
  wake();

  return {
    abandon() {
      abandoned = true;
      clearInterval(renewTimer);
      clearInterval(pollTimer);
      unlisten();
      stopping.abort();
      stopped ??= Promise.resolve();
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(renewTimer);
        clearInterval(pollTimer);
        unlisten();
        stopping.abort();
        while (inFlight.size) await Promise.allSettled([...inFlight]);
        await db.query('UPDATE event_partition_leases SET owner = NULL, expires_at = now() WHERE group_name = $1 AND owner = $2', [group, member]);
        await db.query('DELETE FROM event_group_members WHERE group_name = $1 AND member = $2', [group, member]);
        owned.clear();
      })();
      return stopped;
    },
    async drained() {
      await deps.sequence();
      const heads = await db.query<{ topic: string; partition: number; position: string }>(
        'SELECT topic, partition, position FROM event_partition_heads WHERE topic = ANY($1)', [topics],
      );
      for (;;) {
        const { rows } = await db.query<{ behind: number }>(
          `SELECT count(*)::int AS behind FROM unnest($1::text[], $2::int[], $3::bigint[]) AS h(topic, partition, position)
           LEFT JOIN event_consumer_offsets c ON c.group_name = $4 AND c.topic = h.topic AND c.partition = h.partition
           WHERE coalesce(c.position, 0) < h.position`,
          [heads.rows.map((h) => h.topic), heads.rows.map((h) => h.partition), heads.rows.map((h) => h.position), group],
        );
        if (!rows[0]!.behind) return;
        if (stopped) throw new Error('subscription stopped before it drained');
        await sleep(25);
      }
    },
  };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${(error as { code?: unknown }).code ?? error.name}: ${error.message}` : String(error);
  return text.slice(0, 300);
}
