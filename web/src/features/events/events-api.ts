// The events API as the Events page sees it: response types and one function per call.
import type { ApiClient } from '../../app/api-client.ts';

export const eventStatuses = ['pending', 'planned', 'skipped', 'invalid', 'client_unknown', 'dead_letter'] as const;
export type EventStatus = (typeof eventStatuses)[number];

export type EventSummary = {
  id: string;
  eventId: string;
  topic: string;
  partition: number | null;
  position: string | null;
  type: string;
  title: string | null;
  clientId: string | null;
  clientCode: string | null;
  source: string | null;
  appendedAt: string;
  occurredAt: string | null;
  status: EventStatus;
  reason: string | null;
  requests: number;
  handledAt: string | null;
};

export type EventPage = { items: EventSummary[]; nextCursor: string | null };

export type StatusUpdate = Pick<EventSummary, 'id' | 'eventId' | 'type' | 'clientId' | 'clientCode' | 'status' | 'reason' | 'requests' | 'handledAt'>;

export const deadLetterStatuses = ['open', 'retried', 'discarded'] as const;
export type DeadLetterStatus = (typeof deadLetterStatuses)[number];

export type DeadLetter = {
  id: string;
  group: string;
  eventId: string;
  type: string;
  clientId: string | null;
  clientCode: string | null;
  sourceId: string | null;
  sourceTopic: string | null;
  error: string | null;
  attempts: number | null;
  deadAt: string;
  status: DeadLetterStatus;
  actedBy: string | null;
  actedAt: string | null;
  retryId: string | null;
};

export type SkippedChannel = { channel: string; reason: string };

export type EventDetail = {
  event: EventSummary & { variables: Record<string, unknown>; headers: Record<string, string> };
  outcome: { status: string; reason: string | null; requests: number; occurredAt: string | null; handledAt: string; logId: string } | null;
  requests: Array<{
    type: string;
    regulatory: boolean;
    channels: string[];
    skipped: SkippedChannel[];
    destinations: Record<string, string>;
    variables: Record<string, unknown>;
    occurredAt: string;
    createdAt: string;
  }>;
  deadLetters: DeadLetter[];
  deliveries: Array<{ group: string; topic: string; partition: number; committed: string; passed: boolean }>;
};

export type LagPartition = { topic: string; partition: number; position: string; head: string; lag: number; owner: string | null };
export type GroupLag = { group: string; lag: number; openDeadLetters: number; partitions: LagPartition[] };
export type LagReport = { at: string; groups: GroupLag[] };

export type CatalogEntry = { type: string; title: string; category: string; regulatory: boolean };

export type EventFilters = { type: string; client: string; status: EventStatus | '' };

export const noFilters: EventFilters = { type: '', client: '', status: '' };

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export function listEvents(client: ApiClient, filters: EventFilters, cursor: string | null, signal?: AbortSignal): Promise<EventPage> {
  const path = `/api/events${query({ type: filters.type, client: filters.client, status: filters.status, limit: '50', cursor: cursor ?? undefined })}`;
  return client.request<EventPage>(path, { signal });
}

export function fetchEvent(client: ApiClient, id: string, signal?: AbortSignal): Promise<EventDetail> {
  return client.request<EventDetail>(`/api/events/${encodeURIComponent(id)}`, { signal });
}

export function fetchLag(client: ApiClient, signal?: AbortSignal): Promise<LagReport> {
  return client.request<LagReport>('/api/events/lag', { signal });
}

export async function fetchCatalog(client: ApiClient, signal?: AbortSignal): Promise<CatalogEntry[]> {
  return (await client.request<{ items: CatalogEntry[] }>('/api/events/catalog', { signal })).items;
}

/** The stream is filtered on the server by type and client; status changes, so it is filtered here. */
export function eventStreamPath(filters: EventFilters): string {
  return `/api/events/stream${query({ type: filters.type, client: filters.client })}`;
}

export function listDeadLetters(client: ApiClient, group: string, status: DeadLetterStatus, signal?: AbortSignal): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
  return client.request(`/api/events/dead-letters${query({ group, status, limit: '100' })}`, { signal });
}

export function actOnDeadLetter(client: ApiClient, id: string, action: 'retry' | 'discard'): Promise<DeadLetter> {
  return client.request<DeadLetter>(`/api/events/dead-letters/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
}

/** A client code as the API accepts it: letters and digits, up to 10. */
export const clientCodePattern = /^[A-Za-z0-9]{1,10}$/;
