// Consumer-group lag in /metrics, computed from the event log at scrape time (nothing is sampled in
// between, so a scrape always sees the log as it is). One snapshot serves every gauge of a scrape.
import { Gauge } from 'prom-client';
import type { Metrics } from '../platform/metrics.ts';
import type { EventLog, LagRow } from '../log/event-log.ts';

type Snapshot = { rows: LagRow[]; openDeadLetters: Map<string, number> };

export function registerLagMetrics(deps: {
  metrics: Metrics;
  log: Pick<EventLog, 'lag'>;
  openDeadLetters(): Promise<Map<string, number>>;
  onError?: (error: unknown) => void;
}): void {
  const registers = [deps.metrics.registry];
  let inFlight: Promise<Snapshot | undefined> | undefined;

  /** prom-client collects the gauges of a scrape concurrently: they share one read of the log. */
  function snapshot(): Promise<Snapshot | undefined> {
    inFlight ??= Promise.all([deps.log.lag(), deps.openDeadLetters()])
      .then(
        ([rows, openDeadLetters]) => ({ rows, openDeadLetters }),
        (error: unknown) => {
          deps.onError?.(error);
          return undefined;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  new Gauge({
    name: 'pravah_event_consumer_lag',
    help: 'Records appended to a partition that the consumer group has not committed yet',
    labelNames: ['group', 'topic', 'partition'],
    registers,
    async collect() {
      this.reset();
      for (const r of (await snapshot())?.rows ?? []) this.set({ group: r.group, topic: r.topic, partition: String(r.partition) }, r.lag);
    },
  });
  new Gauge({
    name: 'pravah_event_consumer_group_lag',
    help: 'Records not yet committed by the consumer group, over all its topics and partitions',
    labelNames: ['group'],
    registers,
    async collect() {
      this.reset();
      const totals = new Map<string, number>();
      for (const r of (await snapshot())?.rows ?? []) totals.set(r.group, (totals.get(r.group) ?? 0) + r.lag);
      for (const [group, lag] of totals) this.set({ group }, lag);
    },
  });
  new Gauge({
    name: 'pravah_event_dead_letters_open',
    help: 'Dead letters of the consumer group neither retried nor discarded',
    labelNames: ['group'],
    registers,
    async collect() {
      this.reset();
      const current = await snapshot();
      if (!current) return;
      // Every group that consumes shows a line, 0 included, so an alert can compare with it.
      for (const r of current.rows) this.set({ group: r.group }, 0);
      for (const [group, n] of current.openDeadLetters) this.set({ group }, n);
    },
  });
}
