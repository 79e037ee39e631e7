/**
 * EventLog port: an append-only, partitioned log of business events with consumer groups.
 *
 * Guarantees every adapter gives (test/contracts/event-log.contract.ts checks each one):
 * - Durability: `append` resolves only once the records are durable, or, with `tx`, the records
 *   become visible exactly when (and only if) that transaction commits (transactional outbox).
 * - Per-key order: records with the same key and topic land in one partition (FNV-1a of the key
 *   mod the topic's partition count) and are delivered to a group in the order they became
 *   visible. Records appended in one call or one transaction keep the order of the call.
 *   There is no order across topics, nor across keys.
 * - At-least-once delivery per consumer group: a record is handed to a group's handler until the
 *   handler resolves for it; a crash or a lost lease can redeliver records whose position was not
 *   yet committed. Handlers make their effects idempotent by `eventId`.
 * - One owner per partition and group: a partition is processed by one member at a time (a lease);
 *   a member that stops renewing (crash, kill -9) loses its partitions to the others within
 *   `leaseMs`. Within a partition one batch is in flight at a time, so per-key order holds while
 *   different partitions run concurrently (up to `concurrency` batches per member).
 * - Retries: a failing handler is retried record by record with exponential backoff and full
 *   jitter (`retry`); after `maxAttempts` the record goes to the group's dead-letter topic
 *   (`deadLetterTopic(group)`) with the error, and the partition moves on. A retried dead letter is
 *   appended to `retryTopic(group)`, which every subscription of the group also consumes.
 * - Replay: `seek` moves a group's committed positions back (or forward): to the earliest or latest
 *   record, to the first record appended at or after a time, or to a position (of one partition or
 *   of every partition), the record at that position being the next one delivered.
 *
 * Not in the port: connections and transactions belong to the adapter; `tx` is whatever the
 * adapter's store passes around (a Postgres `Queryable` for the Postgres adapter).
 */
import type { Queryable } from '../store/db.ts';

export type Headers = Record<string, string>;

/** What a producer appends. `key` decides the partition (a client id, an instrument id...). */
export type AppendRecord = {
  topic: string;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers?: Headers;
};

/** A record as stored and delivered. */
export type EventRecord = {
  /** The log's own id, unique across topics (a decimal string: bigint-safe). */
  id: string;
  /** The business event id: `headers['event-id']` when the producer set one, else `id`. */
  eventId: string;
  topic: string;
  partition: number;
  /** Position in the log: increasing in delivery order within a partition. Decimal string. */
  position: string;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers: Headers;
  /** When the record was appended. */
  appendedAt: Date;
};

export type RetryPolicy = {
  /** Attempts per record before it is dead-lettered (>= 1). */
  maxAttempts: number;
  /** First backoff in ms; attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  baseDelayMs: number;
  maxDelayMs: number;
};

export type HandlerContext = {
  /** 1 for the first delivery in this member; counts retries of a failing record. */
  attempt: number;
  /** Aborted when the subscription stops: finish or throw promptly. */
  signal: AbortSignal;
};

export type SubscribeOptions = {
  group: string;
  topics: string[];
  /**
   * Called with consecutive records of one partition, in order. Resolve when their effects are
   * done. On a throw the adapter re-delivers the batch's records one at a time (each as a batch of
   * one) with retries, so a single failing record is isolated. Must be idempotent by `eventId`.
   */
  handle(records: EventRecord[], context: HandlerContext): Promise<void>;
  /** Batches in flight at once across partitions (default: the number of cores). */
  concurrency?: number;
  /** Largest batch handed to `handle` (default 500). */
  batchSize?: number;
  retry?: Partial<RetryPolicy>;
};

export type Subscription = {
  /** Stops fetching, waits for batches in flight, commits, releases leases. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when every record visible now in the subscribed topics has been handled and committed. */
  drained(): Promise<void>;
};

export type LagRow = { group: string; topic: string; partition: number; position: string; head: string; lag: number; owner: string | null };

export type AppendOptions = { tx?: Queryable; returning?: boolean };

/**
 * Where `seek` moves a group: `{ position }` makes the record at that position the next one
 * delivered (it and everything after it are handled again), in `partition` or, without one, in
 * every partition of the topic; `{ time }` does so from the first record appended at or after the
 * time, per partition; `earliest` replays everything; `latest` skips everything not yet handled.
 */
export type SeekTarget = { position: string; partition?: number } | { time: Date } | 'earliest' | 'latest';

export type EventLog = {
  /**
   * Appends in order; with `tx` the records commit or roll back with the caller's transaction.
   * Resolves with the stored records, or with none when `returning` is false (bulk producers
   * that do not need them, which lets an adapter take a faster path).
   */
  append(records: AppendRecord[], options?: AppendOptions): Promise<EventRecord[]>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Moves the group's committed positions on `topic` to `target` (see `SeekTarget`); members
   * running now follow from their next fetch. Throws on a partition out of range or a position
   * below 1.
   */
  seek(group: string, topic: string, target: SeekTarget): Promise<void>;
  /** Committed position and lag of every partition of every group that has committed one. */
  lag(): Promise<LagRow[]>;
  /** Reads records by id (for detail views and dead-letter retries). */
  get(ids: string[]): Promise<EventRecord[]>;
  /**
   * Forgets a group: its committed positions, leases and members (its records stay). For a group
   * that lives as long as one process (one per node, each seeing every record), once its
   * subscriptions have stopped; a later subscription of that name would start from the earliest record.
   */
  deleteGroup(group: string): Promise<void>;
  /**
   * Forgets every group named `prefix…` that has had no live member, no commit and no seek for
   * `idleMs`: the per-node groups of processes that died without stopping. Returns their names.
   */
  deleteIdleGroups(prefix: string, idleMs: number): Promise<string[]>;
  readonly partitions: number;
};

export const deadLetterTopic = (group: string): string => `${group}.dead-letter`;
export const retryTopic = (group: string): string => `${group}.retry`;

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Full-jitter exponential backoff for attempt `n` (1-based) with a random number in [0, 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(ceiling * random);
}

/** FNV-1a 32-bit of the key's UTF-8 bytes, mod `partitions`: the same in every adapter and process. */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
