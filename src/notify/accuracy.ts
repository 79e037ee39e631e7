// Delivery accuracy (issue 5, item 8): of the notifications that could be delivered, how many were.
// Counted per chain (a primary message and the fallbacks planned from it share `chain_id`), since
// a client who got the SMS after WhatsApp failed was notified. The breakdowns by channel and by
// provider count messages instead: a channel's or provider's own record, fallbacks apart.
import type { Queryable } from '../store/db.ts';

/** Statuses in which a message may still be delivered without anyone acting on it. */
export const inFlightStatuses = ['planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent'] as const;
/** Success: a delivery or read receipt (push: the provider's acceptance, recorded as delivered). */
export const deliveredStatuses = ['delivered', 'read'] as const;
/** Never sent on purpose: throttled repeats, cancelled messages, fallbacks not needed. */
export const skippedStatuses = ['cancelled', 'throttled', 'waiting'] as const;

export type AccuracyCounts = {
  delivered: number;
  /** Everything that could have been delivered: settled, not undeliverable, not skipped. */
  deliverable: number;
  /** delivered / deliverable; 1 when nothing was deliverable. */
  accuracy: number;
  /** Still on its way and younger than the settle time: in neither count. */
  inFlight: number;
  /** The recipient cannot be reached (invalid number, not on WhatsApp): in neither count. */
  undeliverable: number;
  /** Throttled or cancelled: in neither count. */
  skipped: number;
};

export type DeliveryAccuracy = AccuracyCounts & {
  /** Messages per channel (chains are not split by channel). */
  byChannel: Array<AccuracyCounts & { channel: string }>;
  /** Messages per provider: the one that last handled the message, else the one it would use next. */
  byProvider: Array<AccuracyCounts & { channel: string; provider: string }>;
};

export type AccuracyOptions = {
  /** Chains planned at or after this time. */
  from?: Date;
  /** Chains planned before this time. */
  to?: Date;
  /** How long a message may be in flight before it counts as not delivered. */
  settleMs: number;
  /** The current time (the caller's clock); defaults to the wall clock. */
  now?: Date;
};

type Counted = { delivered: string; in_flight: string; undeliverable: string; skipped: string; total: string };

const list = (statuses: readonly string[]) => `(${statuses.map((s) => `'${s}'`).join(', ')})`;

/**
 * SQL of when a message row `m` started waiting for its outcome: its planning, or for a message held
 * for quiet hours, its release. A message in flight for less than the settle time since then is
 * still settling.
 */
export const settlesFromSql = (m: string) => `greatest(${m}.created_at, CASE WHEN ${m}.status = 'held' THEN ${m}.next_attempt_at END)`;

/** SQL of the provider a message row `m` is attributed to. */
export const effectiveProviderSql = (m: string) => `coalesce(${m}.provider, ${m}.providers[${m}.provider_index + 1], 'none')`;

/**
 * SQL classifying one message row `m`: delivered, failed, in_flight, undeliverable or skipped.
 * `$settled` is the parameter holding `now - settleMs`: in flight since before it counts as failed.
 */
export function messageOutcomeSql(m: string, settled: string): string {
  return `CASE
    WHEN ${m}.status IN ${list(deliveredStatuses)} THEN 'delivered'
    WHEN ${m}.status = 'undeliverable' THEN 'undeliverable'
    WHEN ${m}.status IN ${list(skippedStatuses)} THEN 'skipped'
    WHEN ${m}.status IN ${list(inFlightStatuses)} AND ${settlesFromSql(m)} > ${settled} THEN 'in_flight'
    ELSE 'failed' END`;
}

/** Counts to figures: deliverable is what is left once the excluded are taken away. */
export function toAccuracy(c: { delivered: number; inFlight: number; undeliverable: number; skipped: number; total: number }): AccuracyCounts {
  const deliverable = c.total - c.inFlight - c.undeliverable - c.skipped;
  return {
    delivered: c.delivered, deliverable, accuracy: deliverable > 0 ? c.delivered / deliverable : 1,
    inFlight: c.inFlight, undeliverable: c.undeliverable, skipped: c.skipped,
  };
}

const fromRow = (r: Counted) =>
  toAccuracy({ delivered: Number(r.delivered), inFlight: Number(r.in_flight), undeliverable: Number(r.undeliverable), skipped: Number(r.skipped), total: Number(r.total) });

/**
 * Delivery accuracy of the chains planned in [from, to):
 * - delivered: a message of the chain reached delivered or read;
 * - not counted: chains still in flight and younger than `settleMs`, chains whose messages all
 *   ended undeliverable (waiting or cancelled fallbacks aside), and throttled or cancelled chains;
 * - deliverable: every other chain, so a message stuck in flight past the settle time (a lost
 *   receipt, a provider down) counts against accuracy.
 */
export async function deliveryAccuracy(db: Queryable, options: AccuracyOptions): Promise<DeliveryAccuracy> {
  const now = options.now ?? new Date();
  const values: unknown[] = [new Date(now.getTime() - options.settleMs)];
  const where = ['true'];
  if (options.from) where.push(`m.created_at >= $${values.push(options.from)}`);
  if (options.to) where.push(`m.created_at < $${values.push(options.to)}`);
  const scope = `FROM notification_messages m WHERE ${where.join(' AND ')}`;

  const [chains, messages] = await Promise.all([
    db.query<Counted>(
      `WITH chains AS (
         SELECT bool_or(m.status IN ${list(deliveredStatuses)}) AS delivered,
           bool_or(m.status IN ${list(inFlightStatuses)} AND ${settlesFromSql('m')} > $1) AS settling,
           bool_or(m.status IN ${list(inFlightStatuses)}) AS active,
           bool_and(m.status IN ('undeliverable', 'waiting', 'cancelled')) AND bool_or(m.status = 'undeliverable') AS undeliverable,
           bool_and(m.status IN ${list(skippedStatuses)}) AS skipped
         ${scope} GROUP BY m.chain_id)
       SELECT count(*) FILTER (WHERE delivered) AS delivered,
         count(*) FILTER (WHERE NOT delivered AND settling) AS in_flight,
         count(*) FILTER (WHERE NOT delivered AND NOT active AND undeliverable) AS undeliverable,
         count(*) FILTER (WHERE NOT delivered AND NOT active AND skipped AND NOT undeliverable) AS skipped,
         count(*) AS total
       FROM chains`,
      values,
    ),
    db.query<Counted & { channel: string; provider: string }>(
      `SELECT channel, provider,
         count(*) FILTER (WHERE outcome = 'delivered') AS delivered, count(*) FILTER (WHERE outcome = 'in_flight') AS in_flight,
         count(*) FILTER (WHERE outcome = 'undeliverable') AS undeliverable, count(*) FILTER (WHERE outcome = 'skipped') AS skipped, count(*) AS total
       FROM (SELECT m.channel, ${effectiveProviderSql('m')} AS provider, ${messageOutcomeSql('m', '$1')} AS outcome ${scope}) x
       GROUP BY channel, provider ORDER BY channel, provider`,
      values,
    ),
  ]);

  const byChannel = new Map<string, Counted>();
  for (const r of messages.rows) {
    const c = byChannel.get(r.channel) ?? { delivered: '0', in_flight: '0', undeliverable: '0', skipped: '0', total: '0' };
    for (const k of ['delivered', 'in_flight', 'undeliverable', 'skipped', 'total'] as const) c[k] = String(Number(c[k]) + Number(r[k]));
    byChannel.set(r.channel, c);
  }
  return {
    ...fromRow(chains.rows[0]!),
    byChannel: [...byChannel].map(([channel, c]) => ({ channel, ...fromRow(c) })),
    byProvider: messages.rows.map((r) => ({ channel: r.channel, provider: r.provider, ...fromRow(r) })),
  };
}
