// Notification gauges in /metrics, computed from the ledger at scrape time (the pattern of
// src/events/lag-metrics.ts): delivery accuracy and messages by status and channel over a trailing
// window. The gauges of one scrape share one read of the ledger.
import { Gauge } from 'prom-client';
import type { Db } from '../store/db.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { Clock } from '../platform/time.ts';
import { deliveryAccuracy, type DeliveryAccuracy } from './accuracy.ts';

type Snapshot = { accuracy: DeliveryAccuracy; messages: Array<{ status: string; channel: string; n: number }> };

export function registerNotifyMetrics(deps: {
  metrics: Metrics;
  db: Db;
  clock: Clock;
  /** The trailing window both gauges cover. */
  windowMs: number;
  settleMs: number;
  onError?: (error: unknown) => void;
}): void {
  const registers = [deps.metrics.registry];
  let inFlight: Promise<Snapshot | undefined> | undefined;

  function snapshot(): Promise<Snapshot | undefined> {
    inFlight ??= (async () => {
      const now = deps.clock.now();
      const from = new Date(now.getTime() - deps.windowMs);
      const [accuracy, messages] = await Promise.all([
        deliveryAccuracy(deps.db, { from, settleMs: deps.settleMs, now }),
        deps.db.query<{ status: string; channel: string; n: number }>(
          'SELECT status, channel, count(*)::int AS n FROM notification_messages WHERE created_at >= $1 GROUP BY status, channel', [from],
        ),
      ]);
      return { accuracy, messages: messages.rows };
    })()
      .catch((error: unknown) => {
        deps.onError?.(error);
        return undefined;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  const window = `${Math.round(deps.windowMs / 3_600_000)} h`;
  new Gauge({
    name: 'pravah_notify_delivery_accuracy',
    help: `Delivered / deliverable notification chains planned in the last ${window} (1 when none was deliverable; in-flight, undeliverable, throttled and cancelled ones excluded)`,
    registers,
    async collect() {
      this.reset();
      const current = await snapshot();
      if (current) this.set(current.accuracy.accuracy);
    },
  });
  new Gauge({
    name: 'pravah_notify_messages',
    help: `Notification messages planned in the last ${window}, by current status and channel`,
    labelNames: ['status', 'channel'],
    registers,
    async collect() {
      this.reset();
      for (const r of (await snapshot())?.messages ?? []) this.set({ status: r.status, channel: r.channel }, r.n);
    },
  });
}
