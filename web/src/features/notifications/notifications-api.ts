// The notification ledger API as the Notifications page sees it: response types, the filters the
// page keeps in its URL, and one function per call.
import type { ApiClient } from '../../app/api-client.ts';

export const channels = ['sms', 'whatsapp', 'push'] as const;
export type Channel = (typeof channels)[number];

export type MessageStatus =
  | 'planned' | 'held' | 'queued' | 'sending' | 'retrying' | 'accepted' | 'sent' | 'delivered' | 'read'
  | 'failed' | 'undeliverable' | 'fell_back' | 'cancelled' | 'throttled' | 'waiting';

/** The status chips: each stands for several ledger statuses. */
export const statusGroups = {
  in_flight: { label: 'In flight', statuses: ['planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent', 'waiting'] },
  delivered: { label: 'Delivered', statuses: ['delivered', 'read'] },
  failed: { label: 'Failed', statuses: ['failed', 'fell_back'] },
  undeliverable: { label: 'Undeliverable', statuses: ['undeliverable'] },
  skipped: { label: 'Cancelled or throttled', statuses: ['cancelled', 'throttled'] },
} as const satisfies Record<string, { label: string; statuses: readonly MessageStatus[] }>;
export type StatusGroup = keyof typeof statusGroups;
export const statusGroupNames = Object.keys(statusGroups) as StatusGroup[];

export const timeRanges = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
} as const;
export type TimeRange = keyof typeof timeRanges;

export type LedgerFilters = {
  status: StatusGroup[];
  channel: Channel[];
  provider: string[];
  type: string;
  client: string;
  range: TimeRange | '';
};

export const noFilters: LedgerFilters = { status: [], channel: [], provider: [], type: '', client: '', range: '' };
export const clientCodePattern = /^[A-Za-z0-9]{1,10}$/;

export type NotificationSummary = {
  id: string;
  eventId: string;
  chainId: string;
  clientId: string;
  clientCode: string | null;
  type: string;
  title: string | null;
  category: string;
  regulatory: boolean;
  channel: Channel;
  language: string;
  status: MessageStatus;
  provider: string | null;
  providers: string[];
  attempts: number;
  maskedTo: string | null;
  lastCode: string | null;
  lastDetail: string | null;
  fallbackChannel: string | null;
  templateId: string | null;
  templateVersion: number | null;
  occurredAt: string;
  createdAt: string;
  updatedAt: string;
  acceptedAt: string | null;
  deliveredAt: string | null;
  nextAttemptAt: string;
  deadline: string;
  canRetry: boolean;
  canCancel: boolean;
};

export type NotificationPage = { items: NotificationSummary[]; nextCursor: string | null };

export type TimelineEntry = { id: string; at: string; state: string; provider: string | null; code: string | null; detail: string | null; attempt: number | null };

export type NotificationDetail = {
  message: NotificationSummary;
  timeline: TimelineEntry[];
  chain: NotificationSummary[];
  event: { id: string; href: string };
};

export type AccuracyCounts = { delivered: number; deliverable: number; accuracy: number; inFlight: number; undeliverable: number; skipped: number };
export type Accuracy = AccuracyCounts & {
  from: string | null;
  to: string | null;
  at: string;
  settleMs: number;
  byChannel: Array<AccuracyCounts & { channel: string }>;
  byProvider: Array<AccuracyCounts & { channel: string; provider: string }>;
};

export type StatsPoint = { delivered: number; deliverable: number; rate: number | null; total: number };
export type Stats = {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  buckets: string[];
  overall: Array<StatsPoint & { start: string }>;
  series: Array<{ channel: string; provider: string; points: StatsPoint[]; byStatus: Record<string, number> }>;
  statuses: Record<string, number[]>;
};

export type SandboxMessage = {
  id: string;
  messageId: string;
  clientId: string;
  clientCode: string | null;
  channel: Channel;
  maskedTo: string | null;
  receivedAt: string;
  type: string | null;
  status: MessageStatus | null;
  content: {
    sms?: { text: string; unicode: boolean; dlt: { peId: string; header: string; templateId: string; category: string } };
    whatsapp?: { templateName: string; language: string; category: string; parameters: string[] };
    push?: { title: string; body: string; data: Record<string, string> };
  } | null;
};

export type CatalogEntry = { type: string; title: string; category: string };

/** The query string of the ledger list for these filters (`now` anchors the time range). */
export function ledgerQuery(filters: LedgerFilters, now: Date, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  const statuses = filters.status.flatMap((group) => statusGroups[group].statuses);
  if (statuses.length > 0) params.set('status', statuses.join(','));
  if (filters.channel.length > 0) params.set('channel', filters.channel.join(','));
  if (filters.provider.length > 0) params.set('provider', filters.provider.join(','));
  if (filters.type !== '') params.set('type', filters.type);
  if (filters.client !== '') params.set('client', filters.client);
  if (filters.range !== '') params.set('from', new Date(now.getTime() - timeRanges[filters.range].ms).toISOString());
  return params.toString();
}

export function listNotifications(client: ApiClient, filters: LedgerFilters, options: { cursor?: string; limit?: number; signal?: AbortSignal } = {}): Promise<NotificationPage> {
  const extra: Record<string, string> = { limit: String(options.limit ?? 50) };
  if (options.cursor !== undefined) extra['cursor'] = options.cursor;
  return client.request<NotificationPage>(`/api/notifications?${ledgerQuery(filters, new Date(), extra)}`, { signal: options.signal });
}

export function fetchNotification(client: ApiClient, id: string, signal?: AbortSignal): Promise<NotificationDetail> {
  return client.request<NotificationDetail>(`/api/notifications/${encodeURIComponent(id)}`, { signal });
}

export function retryNotification(client: ApiClient, id: string): Promise<NotificationDetail> {
  return client.request<NotificationDetail>(`/api/notifications/${encodeURIComponent(id)}/retry`, { method: 'POST' });
}

export function cancelNotification(client: ApiClient, id: string): Promise<NotificationDetail> {
  return client.request<NotificationDetail>(`/api/notifications/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}

export function fetchStats(client: ApiClient, bucket: 'hour' | 'day', signal?: AbortSignal): Promise<Stats> {
  return client.request<Stats>(`/api/notifications/stats?bucket=${bucket}`, { signal });
}

/** Delivery accuracy of the chains planned in the last `windowMs` (all of them when undefined). */
export function fetchAccuracy(client: ApiClient, windowMs: number | undefined, signal?: AbortSignal): Promise<Accuracy> {
  const query = windowMs === undefined ? '' : `?from=${encodeURIComponent(new Date(Date.now() - windowMs).toISOString())}`;
  return client.request<Accuracy>(`/api/notifications/accuracy${query}`, { signal });
}

export function fetchSandbox(client: ApiClient, clientCode: string, signal?: AbortSignal): Promise<{ items: SandboxMessage[] }> {
  const query = new URLSearchParams({ limit: '100' });
  if (clientCode !== '') query.set('client', clientCode);
  return client.request<{ items: SandboxMessage[] }>(`/api/sandbox/messages?${query.toString()}`, { signal });
}

export async function fetchCatalog(client: ApiClient, signal?: AbortSignal): Promise<CatalogEntry[]> {
  return (await client.request<{ items: CatalogEntry[] }>('/api/events/catalog', { signal })).items;
}
