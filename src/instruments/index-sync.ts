// Keeps this node's search index current with the instruments table through the event log (ADR 6).
// Every import appends, in each batch's transaction, an `instrument.changed` record listing the ids
// it inserted or updated; every node follows the topic with a consumer group of its own (each node
// needs every change, so nodes must not share one) and re-reads the changed rows into its index.
import type { AppendRecord, EventLog, EventRecord } from '../log/event-log.ts';
import type { Logger } from '../platform/logger.ts';
import { MINUTE } from '../platform/time.ts';
import type { InstrumentIndex } from './instrument-index.ts';
import type { InstrumentStore } from './instrument-store.ts';

export const instrumentChangesTopic = 'instruments.changes';
export const instrumentChangedType = 'instrument.changed';
const groupPrefix = 'instrument-index:';
/** Header naming the node whose index already holds the change (it applied its own import directly). */
const originHeader = 'origin-node';
/** A dead node's group is forgotten after this long without a sign of life (see deleteIdleGroups). */
const idleGroupMs = 10 * MINUTE;
const readChunk = 5_000;

/** The record announcing one import batch's changed instruments (ids only: no personal data here). */
export function instrumentChangeRecord(ids: readonly string[], key: string, origin?: string): AppendRecord {
  return { topic: instrumentChangesTopic, key, type: instrumentChangedType, payload: { ids: [...ids] }, headers: origin ? { [originHeader]: origin } : {} };
}

function changedIds(records: readonly EventRecord[], nodeId: string): string[] {
  const ids = new Set<string>();
  for (const record of records) {
    if (record.type !== instrumentChangedType || record.headers[originHeader] === nodeId) continue;
    const listed = record.payload['ids'];
    if (Array.isArray(listed)) for (const id of listed) if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

export type IndexSyncDeps = {
  eventLog: Pick<EventLog, 'seek' | 'subscribe' | 'deleteGroup' | 'deleteIdleGroups'>;
  store: Pick<InstrumentStore, 'getMany' | 'loadAll'>;
  index: InstrumentIndex;
  /** Unique per process start: names this node's consumer group. */
  nodeId: string;
  log: Logger;
};

/**
 * Builds the index from the table, then applies every change imported after that (by any process),
 * at least once and in the end as the table holds it: a change re-reads the current rows, and one
 * batch is handled at a time, so a later read is never overwritten by an earlier one.
 */
export function createIndexSync(deps: IndexSyncDeps) {
  const { eventLog, store, index, nodeId, log } = deps;
  const group = `${groupPrefix}${nodeId}`;
  let subscription: Awaited<ReturnType<EventLog['subscribe']>> | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  async function apply(records: EventRecord[]): Promise<void> {
    const ids = changedIds(records, nodeId);
    for (let i = 0; i < ids.length; i += readChunk) await index.upsert(await store.getMany(ids.slice(i, i + readChunk)));
  }

  async function sweep(): Promise<void> {
    const gone = await eventLog.deleteIdleGroups(groupPrefix, idleGroupMs);
    if (gone.length) log.info({ groups: gone }, 'forgot the instrument index groups of stopped nodes');
  }

  return {
    name: 'instrument-index',
    group,
    async start(): Promise<void> {
      // Positions first, then the build: a change committed while the table is read is then
      // delivered too (applied twice at worst), where seeking after the build could skip it.
      await eventLog.seek(group, instrumentChangesTopic, 'latest');
      await index.build(store.loadAll());
      subscription = await eventLog.subscribe({
        group,
        topics: [instrumentChangesTopic],
        handle: apply,
        concurrency: 1,
        batchSize: 20,
        // Only a database error fails a batch: keep retrying rather than dead-letter a change the
        // index would then lack until the next start.
        retry: { maxAttempts: Number.POSITIVE_INFINITY },
      });
      log.info({ instruments: index.size, group }, 'instrument index built; following instrument changes');
      await sweep().catch((error: unknown) => log.warn({ err: error }, 'instrument index: sweeping stopped nodes\' groups failed'));
      sweeper = setInterval(() => void sweep().catch((error: unknown) => log.warn({ err: error }, 'instrument index: sweeping stopped nodes\' groups failed')), idleGroupMs);
      sweeper.unref();
    },
    /** Resolves once every change appended so far has been applied here (tests, tools). */
    async drained(): Promise<void> {
      await subscription?.drained();
    },
    async stop(): Promise<void> {
      clearInterval(sweeper);
      await subscription?.stop();
      subscription = undefined;
      // The group is this process's alone: nothing would ever read its positions again.
      await eventLog.deleteGroup(group);
    },
  };
}

export type IndexSync = ReturnType<typeof createIndexSync>;
