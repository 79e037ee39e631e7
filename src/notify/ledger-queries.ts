// Reading the notification ledger for the console: messages newest first (filtered, keyset pages),
// one message with its timeline and its chain, and counts per time bucket for the charts. Only
// non-personal columns leave here: the masked destination, never `to_enc` or the variables.
import type { Db, Queryable } from '../store/db.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { clientIdForCode } from '../kyc/client-id.ts';
import { normalizeCode } from '../kyc/validate/text.ts';
import { AppError } from '../platform/errors.ts';
import { getEventDefinition } from '../events/catalog.ts';
import { redactErrorText } from '../events/dead-letters.ts';
import { effectiveProviderSql, messageOutcomeSql, toAccuracy } from './accuracy.ts';

export const messageStatuses = [
  'planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent', 'delivered', 'read',
  'failed', 'undeliverable', 'fell_back', 'cancelled', 'throttled', 'waiting',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** What an operator may do to a message in each status (ledger-actions.ts enforces it). */
export const retryableStatuses: readonly string[] = ['failed', 'undeliverable', 'cancelled'];
export const cancellableStatuses: readonly string[] = ['queued', 'held', 'retrying', 'waiting'];

export type NotificationSummary = {
  id: string; eventId: string; chainId: string; clientId: string; clientCode: string | null;
  type: string; title: string | null; category: string; regulatory: boolean; channel: string; language: string; status: MessageStatus;
  /** The provider that last handled the message; null before the first send. */
  provider: string | null;
  /** Its providers in failover order. */
  providers: string[];
  attempts: number; maskedTo: string | null; lastCode: string | null; lastDetail: string | null; fallbackChannel: string | null;
  templateId: string | null; templateVersion: number | null;
  occurredAt: string; createdAt: string; updatedAt: string; acceptedAt: string | null; deliveredAt: string | null; nextAttemptAt: string; deadline: string;
  canRetry: boolean; canCancel: boolean;
};

export type TimelineItem = { id: string; at: string; state: string; provider: string | null; code: string | null; detail: string | null; attempt: number | null };

export type NotificationDetail = {
  message: NotificationSummary;
  timeline: TimelineItem[];
  /** The other messages of its chain (the fallback, or the primary it falls back from). */
  chain: NotificationSummary[];
  /** The business event that caused it: details at `href`. */
  event: { id: string; href: string };
};

export type NotificationFilter = {
  status?: string[]; channel?: string[]; type?: string[]; provider?: string[];
  /** A client code: matched through the client id derived from it. */
  client?: string;
  from?: Date; to?: Date; limit?: number; cursor?: string;
};

export const defaultPageSize = 50;
export const maxPageSize = 200;
const cursorPattern = /^(\d{1,19})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

type Row = {
  id: string; event_id: string; chain_id: string; client_id: string; client_code: string | null; type: string; category: string; regulatory: boolean;
  channel: string; language: string; status: MessageStatus; provider: string | null; providers: string[]; attempts: number; masked_to: string | null;
  last_code: string | null; last_detail: string | null; fallback_channel: string | null; template_id: string | null; template_version: number | null;
  occurred_at: Date; created_at: Date; updated_at: Date; accepted_at: Date | null; delivered_at: Date | null; next_attempt_at: Date; deadline: Date; created_us: string;
};

const select = `
  SELECT m.id, m.event_id, m.chain_id, m.client_id, c.masked ->> 'clientCode' AS client_code, m.type, m.category, m.regulatory, m.channel, m.language,
    m.status, m.provider, m.providers, m.attempts, m.masked_to, m.last_code, m.last_detail, m.fallback_channel, m.template_id, m.template_version,
    m.occurred_at, m.created_at, m.updated_at, m.accepted_at, m.delivered_at, m.next_attempt_at, m.deadline,
    (extract(epoch FROM m.created_at) * 1000000)::bigint::text AS created_us
  FROM notification_messages m LEFT JOIN clients c ON c.id = m.client_id`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toSummary(r: Row): NotificationSummary {
  return {
    id: r.id, eventId: r.event_id, chainId: r.chain_id, clientId: r.client_id, clientCode: r.client_code, type: r.type,
    title: getEventDefinition(r.type)?.title ?? null, category: r.category, regulatory: r.regulatory, channel: r.channel, language: r.language,
    status: r.status, provider: r.provider, providers: r.providers, attempts: r.attempts, maskedTo: r.masked_to, lastCode: r.last_code,
    lastDetail: r.last_detail === null ? null : redactErrorText(r.last_detail), fallbackChannel: r.fallback_channel,
    templateId: r.template_id, templateVersion: r.template_version, occurredAt: r.occurred_at.toISOString(), createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(), acceptedAt: iso(r.accepted_at), deliveredAt: iso(r.delivered_at), nextAttemptAt: r.next_attempt_at.toISOString(),
    deadline: r.deadline.toISOString(), canRetry: retryableStatuses.includes(r.status), canCancel: cancellableStatuses.includes(r.status),
  };
}

function invalid(field: string, rule: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: [{ field: `querystring.${field}`, rule }] });
}

/** The message and everything the console shows with it, read in `q` (a transaction after an action). */
export async function readDetail(q: Queryable, id: string): Promise<NotificationDetail | undefined> {
  const { rows } = await q.query<Row>(`${select} WHERE m.id = $1`, [id]);
  const row = rows[0];
  if (!row) return undefined;
  const [timeline, chain] = await Promise.all([
    q.query<{ id: string; at: Date; state: string; provider: string | null; code: string | null; detail: string | null; attempt: number | null }>(
      'SELECT id::text, at, state, provider, code, detail, attempt FROM notification_timeline WHERE message_id = $1 ORDER BY at, id', [id],
    ),
    q.query<Row>(`${select} WHERE m.chain_id = $1 AND m.id <> $2 ORDER BY m.created_at, m.channel = 'sms'`, [row.chain_id, id]),
  ]);
  return {
    message: toSummary(row),
    timeline: timeline.rows.map((t) => ({ ...t, at: t.at.toISOString(), detail: t.detail === null ? null : redactErrorText(t.detail) })),
    chain: chain.rows.map(toSummary),
    event: { id: row.event_id, href: `/api/events/${encodeURIComponent(row.event_id)}` },
  };
}

export type StatsBucket = 'hour' | 'day';
export type StatsPoint = { delivered: number; deliverable: number; rate: number | null; total: number };
export type NotificationStats = {
  from: string; to: string; bucket: StatsBucket;
  /** Start of every bucket in the range (IST hours or days), empty ones included. */
  buckets: string[];
  /** Messages per bucket, all channels. `rate` is null when nothing in the bucket was deliverable yet. */
  overall: Array<StatsPoint & { start: string }>;
  /** One series per channel and provider, a point per bucket. */
  series: Array<{ channel: string; provider: string; points: StatsPoint[]; byStatus: Record<string, number> }>;
  /** Messages by status per bucket: `counts[status][i]` is bucket i. */
  statuses: Record<string, number[]>;
};

/** Buckets one stats request may ask for: 16 days of hours, a year of days. */
export const maxBuckets = 400;
const timeZone = 'Asia/Kolkata';

export function createLedgerQueries(deps: { db: Db; blindIndex: BlindIndex }) {
  const { db, blindIndex } = deps;

  /** The client id a client code's notifications are stored under. */
  function clientKey(code: string): string {
    return clientIdForCode(blindIndex, normalizeCode(code));
  }

  async function list(filter: NotificationFilter): Promise<{ items: NotificationSummary[]; nextCursor: string | null }> {
    const values: unknown[] = [];
    const where: string[] = ['true'];
    const param = (value: unknown) => `$${values.push(value)}`;
    for (const s of filter.status ?? []) if (!(messageStatuses as readonly string[]).includes(s)) throw invalid('status', 'enum', `status ${s} is not one of ${messageStatuses.join(', ')}`);
    if (filter.status?.length) where.push(`m.status = ANY(${param(filter.status)}::text[])`);
    if (filter.channel?.length) where.push(`m.channel = ANY(${param(filter.channel)}::text[])`);
    if (filter.type?.length) where.push(`m.type = ANY(${param(filter.type)}::text[])`);
    if (filter.provider?.length) where.push(`${effectiveProviderSql('m')} = ANY(${param(filter.provider)}::text[])`);
    if (filter.client) where.push(`m.client_id = ${param(clientKey(filter.client))}`);
    if (filter.from) where.push(`m.created_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`m.created_at < ${param(filter.to)}`);
    if (filter.cursor !== undefined) {
      const match = cursorPattern.exec(filter.cursor);
      if (!match) throw invalid('cursor', 'format', 'cursor is not one this API gave');
      where.push(`(m.created_at, m.id) < (timestamptz 'epoch' + ${param(match[1])}::bigint * interval '1 microsecond', ${param(match[2])}::uuid)`);
    }
    const limit = Math.min(maxPageSize, Math.max(1, filter.limit ?? defaultPageSize));
    const { rows } = await db.query<Row>(`${select} WHERE ${where.join(' AND ')} ORDER BY m.created_at DESC, m.id DESC LIMIT ${param(limit + 1)}`, values);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(toSummary), nextCursor: rows.length > limit && last ? `${last.created_us}.${last.id}` : null };
  }

  /**
   * Messages planned in [from, to) per IST hour or day: counts by channel, provider and status, and
   * the delivery rate per message (in flight within `settleMs` of `now` left out, as in accuracy).
   */
  async function stats(input: { from: Date; to: Date; bucket: StatsBucket; settleMs: number; now: Date }): Promise<NotificationStats> {
    const { from, to, bucket } = input;
    if (to <= from) throw invalid('to', 'range', 'to must be later than from');
    const span = (to.getTime() - from.getTime()) / (bucket === 'hour' ? 3_600_000 : 86_400_000);
    if (span > maxBuckets) throw invalid('from', 'range', `at most ${maxBuckets} ${bucket}s per request; narrow the range or use a larger bucket`);
    const unit = bucket === 'hour' ? 'hour' : 'day';
    const trunc = (expr: string) => `(date_trunc('${unit}', ${expr} AT TIME ZONE '${timeZone}') AT TIME ZONE '${timeZone}')`;
    const [series, counts] = await Promise.all([
      db.query<{ start: Date }>(`SELECT generate_series(${trunc('$1::timestamptz')}, $2::timestamptz - interval '1 microsecond', interval '1 ${unit}') AS start`, [from, to]),
      db.query<{ start: Date; channel: string; provider: string; status: string; outcome: string; n: number }>(
        `SELECT ${trunc('m.created_at')} AS start, m.channel, ${effectiveProviderSql('m')} AS provider, m.status, ${messageOutcomeSql('m', '$3')} AS outcome, count(*)::int AS n
         FROM notification_messages m WHERE m.created_at >= $1 AND m.created_at < $2
         GROUP BY 1, 2, 3, 4, 5`,
        [from, to, new Date(input.now.getTime() - input.settleMs)],
      ),
    ]);
    const starts = series.rows.map((r) => r.start.toISOString());
    const index = new Map(starts.map((s, i) => [s, i]));
    type Tally = { delivered: number; inFlight: number; undeliverable: number; skipped: number; total: number };
    const empty = (): Tally[] => starts.map(() => ({ delivered: 0, inFlight: 0, undeliverable: 0, skipped: 0, total: 0 }));
    const overall = empty();
    const bySeries = new Map<string, { channel: string; provider: string; tallies: Tally[]; byStatus: Record<string, number> }>();
    const statuses: Record<string, number[]> = {};
    for (const r of counts.rows) {
      const i = index.get(r.start.toISOString());
      if (i === undefined) continue;
      const key = `${r.channel}/${r.provider}`;
      let s = bySeries.get(key);
      if (!s) bySeries.set(key, (s = { channel: r.channel, provider: r.provider, tallies: empty(), byStatus: {} }));
      for (const t of [overall[i]!, s.tallies[i]!]) {
        t.total += r.n;
        if (r.outcome === 'delivered') t.delivered += r.n;
        else if (r.outcome === 'in_flight') t.inFlight += r.n;
        else if (r.outcome === 'undeliverable') t.undeliverable += r.n;
        else if (r.outcome === 'skipped') t.skipped += r.n;
      }
      s.byStatus[r.status] = (s.byStatus[r.status] ?? 0) + r.n;
      (statuses[r.status] ??= starts.map(() => 0))[i]! += r.n;
    }
    const point = (t: Tally): StatsPoint => {
      const a = toAccuracy(t);
      return { delivered: a.delivered, deliverable: a.deliverable, rate: a.deliverable > 0 ? a.accuracy : null, total: t.total };
    };
    return {
      from: from.toISOString(), to: to.toISOString(), bucket, buckets: starts,
      overall: overall.map((t, i) => ({ start: starts[i]!, ...point(t) })),
      series: [...bySeries.values()].sort((a, b) => a.channel.localeCompare(b.channel) || a.provider.localeCompare(b.provider))
        .map((s) => ({ channel: s.channel, provider: s.provider, points: s.tallies.map(point), byStatus: s.byStatus })),
      statuses,
    };
  }

  return { list, stats, clientKey, detail: (id: string) => readDetail(db, id) };
}

export type LedgerQueries = ReturnType<typeof createLedgerQueries>;
