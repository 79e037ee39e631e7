// Gives committed outbox rows their partition and per-partition position, in commit order. Every
// process that consumes runs one; they serialise on the event_log_head row, and one that finds
// the row busy retries shortly (the holder may have started before our rows committed).
import { prepared, type Db } from '../store/db.ts';
import { partitionOf } from './event-log.ts';

const batchLimit = 10_000;

export type Sequencer = {
  /** Sequences everything committed so far; resolves with the topics that received records. */
  run(): Promise<Set<string>>;
};

export function createSequencer(db: Db, partitions: number): Sequencer {
  let running: Promise<Set<string>> | undefined;
  let again = false;

  async function once(): Promise<{ topics: Set<string>; full: boolean; busy: boolean }> {
    return db.transaction(async (tx) => {
      const head = await tx.query(prepared('SELECT sequenced FROM event_log_head FOR UPDATE SKIP LOCKED'));
      if (!head.rowCount) return { topics: new Set<string>(), full: false, busy: true };
      const { rows } = await tx.query<{ id: string; topic: string; key: string; partition: number | null }>(
        prepared('SELECT id, topic, key, partition FROM outbox WHERE position IS NULL ORDER BY id LIMIT $1'),
        [batchLimit],
      );
      if (!rows.length) return { topics: new Set<string>(), full: false, busy: false };
      const parts = rows.map((r) => r.partition ?? partitionOf(r.key, partitions));
      const topics = rows.map((r) => r.topic);
      // Positions continue each partition's head; rank keeps id (commit-visibility) order.
      await tx.query(
        prepared(`WITH input AS (
           SELECT id, topic, part, row_number() OVER (PARTITION BY topic, part ORDER BY n) AS rank
           FROM unnest($1::bigint[], $2::text[], $3::int[]) WITH ORDINALITY AS x(id, topic, part, n)),
         counts AS (SELECT topic, part, count(*) AS n FROM input GROUP BY topic, part),
         heads AS (
           INSERT INTO event_partition_heads AS h (topic, partition, position)
           SELECT topic, part, n FROM counts
           ON CONFLICT (topic, partition) DO UPDATE SET position = h.position + excluded.position
           RETURNING topic, partition, position)
         UPDATE outbox o SET partition = i.part, position = h.position - c.n + i.rank
         FROM input i JOIN counts c ON c.topic = i.topic AND c.part = i.part
           JOIN heads h ON h.topic = i.topic AND h.partition = i.part
         WHERE o.id = i.id`),
        [rows.map((r) => r.id), topics, parts],
      );
      await tx.query(prepared('UPDATE event_log_head SET sequenced = sequenced + $1'), [rows.length]);
      const touched = new Set(topics);
      await tx.query(prepared('SELECT pg_notify($1, $2)'), ['pravah_log', [...touched].join(',')]);
      return { topics: touched, full: rows.length === batchLimit, busy: false };
    });
  }

  async function loop(): Promise<Set<string>> {
    const all = new Set<string>();
    for (let busyTries = 0; ;) {
      again = false;
      const { topics, full, busy } = await once();
      for (const t of topics) all.add(t);
      if (busy) {
        // Another process holds the head; it may have missed our rows, so look again soon.
        if (++busyTries > 200) return all;
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (!full && !again) return all;
    }
  }

  function run(): Promise<Set<string>> {
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
      // Asked again after the last look: look once more so no caller's rows wait for the poll.
      if (again) void run().catch(() => undefined);
    });
    return running;
  }

  return { run };
}
