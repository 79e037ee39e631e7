// The instruments API as the page sees it: response types and one function per call.
import type { ApiClient } from '../../app/api-client.ts';

export type InstrumentType = 'EQ' | 'ETF' | 'INDEX' | 'DEBT' | 'FUT' | 'CE' | 'PE';

export type Instrument = {
  id: string;
  symbol: string;
  name: string;
  exchange: string;
  segment: string;
  instrumentType: InstrumentType;
  underlying: string | null;
  isin: string | null;
  series: string | null;
  /** `YYYY-MM-DD`, derivatives only. */
  expiry: string | null;
  strike: number | null;
  optionType: 'CE' | 'PE' | null;
  lotSize: number | null;
  tickSize: number | null;
  sector: string | null;
  industry: string | null;
  token: string | null;
  aliases: string[];
};

export type MatchedField = 'symbol' | 'name' | 'underlying' | 'isin' | 'aliases' | 'token';

/** `[start, end)` into `instrument[field]`, or into `instrument.aliases[index]` for aliases. */
export type MatchSpan = { field: MatchedField; start: number; end: number; index?: number };

export type SearchHit = { instrument: Instrument; score: number; matched: MatchSpan[] };

export type FacetName = 'exchange' | 'type' | 'segment';

export type SearchResponse = {
  items: SearchHit[];
  total: number;
  facets: Record<FacetName, Record<string, number>>;
  tookMs: number;
  warnings: string[];
  /** How the query was read as an F&O phrase (`nifty 22000 ce`), when it was. */
  derivative?: { underlying: string; strike: number | null; types: string[]; expiry: string | null } | null;
};

export type Quote = {
  instrumentId: string;
  last: number;
  change: number;
  changePct: number;
  open: number;
  high: number;
  low: number;
  prevClose: number;
  volume: number;
  at: string;
  marketOpen: boolean;
};

export type InstrumentDetail = { instrument: Instrument; quote: Quote | null };

export type IntradayChart = { instrumentId: string; prevClose: number | null; points: Array<{ t: string; price: number }> };

export type ImportSummary = {
  id: string;
  source: string;
  status: 'running' | 'completed' | 'failed';
  formats: string[];
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicate: number;
  rejected: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

/** What the search box and the chips ask for; list filters are sent comma-separated. */
export type SearchQuery = {
  q: string;
  exchange: string[];
  type: string[];
  segment: string[];
  expiryFrom: string;
  expiryTo: string;
};

export const PAGE_SIZE = 50;
/** The server pages no further than this offset: past it, the query has to be narrowed. */
export const MAX_OFFSET = 1000;

export function searchPath(query: SearchQuery, offset = 0, limit = PAGE_SIZE): string {
  const params = new URLSearchParams({ q: query.q });
  if (query.exchange.length > 0) params.set('exchange', query.exchange.join(','));
  if (query.type.length > 0) params.set('type', query.type.join(','));
  if (query.segment.length > 0) params.set('segment', query.segment.join(','));
  if (query.expiryFrom !== '') params.set('expiryFrom', query.expiryFrom);
  if (query.expiryTo !== '') params.set('expiryTo', query.expiryTo);
  params.set('limit', String(limit));
  if (offset > 0) params.set('offset', String(offset));
  return `/api/instruments/search?${params}`;
}

const instrumentPath = (id: string) => `/api/instruments/${encodeURIComponent(id)}`;

export function fetchInstrument(client: ApiClient, id: string, signal: AbortSignal): Promise<InstrumentDetail> {
  return client.request<InstrumentDetail>(instrumentPath(id), { signal });
}

export function fetchIntradayChart(client: ApiClient, id: string, signal: AbortSignal): Promise<IntradayChart> {
  return client.request<IntradayChart>(`${instrumentPath(id)}/chart`, { signal });
}

export function quoteStreamPath(ids: readonly string[]): string {
  return `/api/instruments/quotes/stream?ids=${ids.map(encodeURIComponent).join(',')}`;
}

export async function uploadImport(client: ApiClient, file: File, mapping: string): Promise<{ id: string }> {
  const form = new FormData();
  form.set('file', file, file.name);
  if (mapping.trim() !== '') form.set('mapping', mapping);
  return client.request<{ id: string }>('/api/instruments/imports', { method: 'POST', body: form });
}

export async function listImports(client: ApiClient, signal?: AbortSignal): Promise<ImportSummary[]> {
  const body = await client.request<{ items: ImportSummary[] }>('/api/instruments/imports', signal ? { signal } : {});
  return body.items;
}

export function fetchImport(client: ApiClient, id: string, signal?: AbortSignal): Promise<ImportSummary> {
  return client.request<ImportSummary>(`/api/instruments/imports/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

/** Fetches the rejects with the session's token and hands them to the browser as a file download. */
export async function downloadRejects(client: ApiClient, summary: ImportSummary): Promise<void> {
  const response = await client.requestResponse(`/api/instruments/imports/${encodeURIComponent(summary.id)}/rejects.csv`, {
    accept: 'text/csv',
  });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `rejects-${summary.source.replace(/\.[^.]+$/, '').replace(/[^\w-]+/g, '_')}-${summary.id.slice(0, 8)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
