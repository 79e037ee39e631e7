// The embedded and default EventLog: the outbox table is the log (migration 0006 explains the
// sequencing). Appends notify `pravah_outbox`; the sequencer of any consuming process turns
// committed rows into positions and notifies `pravah_log`, which wakes the subscriptions.
import { connectionOf, type Db, type Queryable } from '../store/db.ts';
import { SECOND } from '../platform/time.ts';
import type pg from 'pg';
import { CopyBinaryWriter, copyBinaryIn } from '../store/copy-binary.ts';
import { partitionOf, type AppendOptions, type AppendRecord, type EventLog, type EventRecord, type LagRow, type SeekTarget } from './event-log.ts';
import { createSequencer } from './postgres-sequencer.ts';
import { startSubscription, type PgSubscription } from './postgres-subscription.ts';
import { outboxColumns, toEventRecord, type OutboxRow } from './postgres-rows.ts';

export type PostgresEventLogOptions = {
  db: Db;
  /** Partitions per topic; fixed when the log is first used (default 16). */
  partitions?: number;
  /** A member that has not renewed for this long loses its partitions (default 5 s). */
  leaseMs?: number;
  /** Fallback poll for records appended without a notification (default 1 s). */
  pollMs?: number;
  random?: () => number;
  onError?: (error: unknown, context: string) => void;
};

export type PostgresEventLog = EventLog & {
  /** Stops every subscription (releasing its leases) and the listener. */
  close(): Promise<void>;
  /** Test hook: stops every subscription WITHOUT releasing its leases or committing, as a crash would. */
  abandon(): void;
};

export async function createPostgresEventLog(options: PostgresEventLogOptions): Promise<PostgresEventLog> {
  const { db } = options;
  const requested = options.partitions ?? 16;
  await db.query('INSERT INTO event_log_head (partitions) VALUES ($1) ON CONFLICT (singleton) DO NOTHING', [requested]);
  const { rows } = await db.query<{ partitions: number }>('SELECT partitions FROM event_log_head');
  const partitions = rows[0]!.partitions;
  if (partitions !== requested) {
    throw new Error(`the event log was created with ${partitions} partitions per topic; EVENT_PARTITIONS=${requested} would break per-key order`);
  }
  const onError = options.onError ?? (() => undefined);
  const sequencer = createSequencer(db, partitions);
  const sequence = (): Promise<unknown> => sequencer.run();
  const wakers = new Map<string, Set<() => void>>();
  const subscriptions = new Set<PgSubscription>();
  let listener: { client: pg.PoolClient; release(): void } | undefined;
  let listening: Promise<void> | undefined;
  let closed = false;

  function notifyTopics(topics: Iterable<string>): void {
    for (const topic of topics) for (const wake of wakers.get(topic) ?? []) wake();
  }

  /** One connection per process LISTENs; it reconnects after a drop (the poll covers the gap). */
  async function listen(): Promise<void> {
    const client = await db.pool.connect();
    // A LISTENing connection never goes back to the pool: it is destroyed, exactly once.
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (listener?.client === client) listener = undefined;
      client.release(true);
    };
    listener = { client, release };
    client.on('notification', (message) => {
      if (message.channel === 'pravah_outbox') void sequence().catch((error: unknown) => onError(error, 'sequence'));
      else if (message.channel === 'pravah_log') notifyTopics((message.payload ?? '').split(','));
    });
    client.on('error', (error) => {
      if (released) return;
      onError(error, 'listen');
      release();
      listening = undefined;
      if (!closed) setTimeout(() => void ensureListening().catch(() => undefined), SECOND).unref();
    });
    await client.query('LISTEN pravah_outbox');
    await client.query('LISTEN pravah_log');
  }

  function ensureListening(): Promise<void> {
    listening ??= listen().catch((error: unknown) => {
      listening = undefined;
      throw error;
    });
    return listening;
  }

  /** Many records without reading them back: one binary COPY on the transaction's connection. */
  async function copyAppend(tx: Queryable, records: AppendRecord[]): Promise<void> {
    const rows = new CopyBinaryWriter(records.length * 256);
    for (const r of records) {
      rows.row(6).text(r.topic).text(r.key).text(r.type).jsonb(JSON.stringify(r.payload)).jsonb(JSON.stringify(r.headers ?? {})).int4(partitionOf(r.key, partitions));
    }
    await copyBinaryIn(tx, 'outbox (topic, key, type, payload, headers, partition)', rows.finish());
    await tx.query(`SELECT pg_notify('pravah_outbox', '')`);
  }

  async function append(records: AppendRecord[], appendOptions: AppendOptions = {}): Promise<EventRecord[]> {
    if (!records.length) return [];
    if (appendOptions.returning === false && appendOptions.tx && connectionOf(appendOptions.tx)) {
      await copyAppend(appendOptions.tx, records);
      return [];
    }
    const run = async (q: Queryable): Promise<EventRecord[]> => {
      const inserted = await q.query<OutboxRow>(
        `INSERT INTO outbox (topic, key, type, payload, headers, partition)
         SELECT t, k, y, p, h, n FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::int[]) WITH ORDINALITY AS x(t, k, y, p, h, n, o)
         ORDER BY o
         RETURNING ${outboxColumns}`,
        [
          records.map((r) => r.topic), records.map((r) => r.key), records.map((r) => r.type),
          records.map((r) => JSON.stringify(r.payload)), records.map((r) => JSON.stringify(r.headers ?? {})),
          records.map((r) => partitionOf(r.key, partitions)),
        ],
      );
      await q.query(`SELECT pg_notify('pravah_outbox', '')`);
      return inserted.rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id))).map(toEventRecord);
    };
    return appendOptions.tx ? run(appendOptions.tx) : db.transaction(run);
  }

  async function headsOf(topic: string): Promise<Map<number, string>> {
    const heads = await db.query<{ partition: number; position: string }>('SELECT partition, position FROM event_partition_heads WHERE topic = $1', [topic]);
    return new Map(heads.rows.map((h) => [h.partition, h.position]));
  }

  async function seek(group: string, topic: string, target: SeekTarget): Promise<void> {
    await sequencer.run();
    let all = Array.from({ length: partitions }, (_, p) => p);
    let positions: string[];
    if (target === 'earliest') positions = all.map(() => '0');
    else if (target === 'latest') {
      const heads = await headsOf(topic);
      positions = all.map((p) => heads.get(p) ?? '0');
    } else if ('position' in target) {
      if (!/^[1-9]\d{0,18}$/.test(target.position)) throw new Error(`seek: position ${target.position} is not a position (1 or more)`);
      if (target.partition !== undefined) {
        if (!Number.isInteger(target.partition) || target.partition < 0 || target.partition >= partitions) {
          throw new Error(`seek: partition ${target.partition} is not one of 0-${partitions - 1}`);
        }
        all = [target.partition];
      }
      // The committed position is the last one handled: the record at `position` comes next.
      positions = all.map(() => (BigInt(target.position) - 1n).toString());
    } else {
      // Each partition restarts just before its first record appended at or after the time.
      const heads = await headsOf(topic);
      const first = await db.query<{ partition: number; position: string }>(
        'SELECT partition, min(position) - 1 AS position FROM outbox WHERE topic = $1 AND created_at >= $2 AND position IS NOT NULL GROUP BY partition',
        [topic, target.time],
      );
      const from = new Map(first.rows.map((r) => [r.partition, r.position]));
      positions = all.map((p) => from.get(p) ?? heads.get(p) ?? '0');
    }
    await db.query(
      `INSERT INTO event_consumer_offsets (group_name, topic, partition, position)
       SELECT $1, $2, p, pos FROM unnest($3::int[], $4::bigint[]) AS x(p, pos)
       ON CONFLICT (group_name, topic, partition) DO UPDATE SET position = excluded.position, updated_at = now()`,
      [group, topic, all, positions],
    );
  }

  async function lag(): Promise<LagRow[]> {
    const { rows: lagRows } = await db.query<{ group_name: string; topic: string; partition: number; position: string | null; head: string; owner: string | null }>(
      `WITH groups AS (SELECT DISTINCT group_name, topic FROM event_consumer_offsets
                       UNION SELECT DISTINCT group_name, topic FROM event_partition_leases)
       SELECT g.group_name, g.topic, h.partition, c.position, h.position AS head,
              CASE WHEN l.expires_at > now() THEN l.owner END AS owner
       FROM groups g JOIN event_partition_heads h ON h.topic = g.topic
       LEFT JOIN event_consumer_offsets c ON c.group_name = g.group_name AND c.topic = g.topic AND c.partition = h.partition
       LEFT JOIN event_partition_leases l ON l.group_name = g.group_name AND l.topic = g.topic AND l.partition = h.partition
       ORDER BY 1, 2, 3`,
    );
    return lagRows.map((r) => ({
      group: r.group_name, topic: r.topic, partition: r.partition, position: r.position ?? '0', head: r.head,
      lag: Number(BigInt(r.head) - BigInt(r.position ?? '0')), owner: r.owner,
    }));
  }

  async function deleteGroup(group: string): Promise<void> {
    await db.transaction(async (tx) => {
      for (const table of ['event_consumer_offsets', 'event_partition_leases', 'event_group_members']) {
        await tx.query(`DELETE FROM ${table} WHERE group_name = $1`, [group]);
      }
    });
  }

  async function deleteIdleGroups(prefix: string, idleMs: number): Promise<string[]> {
    // A live member renews its row every lease/3 and a seek or a commit stamps `updated_at`, so a
    // group quiet on all three counts for `idleMs` has no process left (or one stalled that long,
    // which would re-register and read from the start: safe for the idempotent handlers this is for).
    const { rows: idle } = await db.query<{ group_name: string }>(
      `WITH named AS (
         SELECT group_name, updated_at AS at FROM event_consumer_offsets WHERE starts_with(group_name, $1)
         UNION ALL SELECT group_name, expires_at FROM event_partition_leases WHERE starts_with(group_name, $1)
         UNION ALL SELECT group_name, expires_at FROM event_group_members WHERE starts_with(group_name, $1))
       SELECT group_name FROM named GROUP BY group_name HAVING max(at) < now() - $2 * interval '1 millisecond'`,
      [prefix, idleMs],
    );
    for (const { group_name: group } of idle) await deleteGroup(group);
    return idle.map((r) => r.group_name);
  }

  return {
    partitions,
    append,
    deleteGroup,
    deleteIdleGroups,
    async subscribe(subscribeOptions) {
      if (closed) throw new Error('the event log is closed');
      await ensureListening();
      const subscription = await startSubscription({
        db, partitions, leaseMs: options.leaseMs ?? 5 * SECOND, pollMs: options.pollMs ?? SECOND, random: options.random ?? Math.random,
        append: (records) => append(records), sequence, onError,
        onRecords(topics, wake) {
          for (const topic of topics) wakers.set(topic, (wakers.get(topic) ?? new Set()).add(wake));
          return () => {
            for (const topic of topics) wakers.get(topic)?.delete(wake);
          };
        },
      }, subscribeOptions);
      subscriptions.add(subscription);
      return {
        drained: () => subscription.drained(),
        stop: () => {
          subscriptions.delete(subscription);
          return subscription.stop();
        },
      };
    },
    seek,
    lag,
    async get(ids) {
      if (!ids.length) return [];
      const { rows: found } = await db.query<OutboxRow>(`SELECT ${outboxColumns} FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
      return found.map(toEventRecord);
    },
    abandon() {
      closed = true;
      for (const s of subscriptions) s.abandon();
      subscriptions.clear();
      listener?.release();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.stop()));
      listener?.release();
    },
  };
}
