// The page's state in its URL (`?q=nifty&type=CE&id=NFO:…`), so a reload or a shared link shows the
// same search and the same instrument.
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import type { SearchQuery } from './instruments-api.ts';

const URL_SYNC_MS = 250;

export const emptyQuery: SearchQuery = { q: '', exchange: [], type: [], segment: [], expiryFrom: '', expiryTo: '' };

function listParam(params: URLSearchParams, name: string): string[] {
  return (params.get(name) ?? '').split(',').filter((value) => value !== '');
}

export function queryFromParams(params: URLSearchParams): SearchQuery {
  return {
    q: params.get('q') ?? '',
    exchange: listParam(params, 'exchange'),
    type: listParam(params, 'type'),
    segment: listParam(params, 'segment'),
    expiryFrom: params.get('expiryFrom') ?? '',
    expiryTo: params.get('expiryTo') ?? '',
  };
}

function paramsFrom(query: SearchQuery, selectedId: string | null): string {
  const params = new URLSearchParams();
  if (query.q !== '') params.set('q', query.q);
  for (const name of ['exchange', 'type', 'segment'] as const) if (query[name].length > 0) params.set(name, query[name].join(','));
  if (query.expiryFrom !== '') params.set('expiryFrom', query.expiryFrom);
  if (query.expiryTo !== '') params.set('expiryTo', query.expiryTo);
  if (selectedId !== null) params.set('id', selectedId);
  return params.toString();
}

/**
 * Mirrors the page state into the URL a moment after it settles, replacing rather than pushing history.
 * The input keeps its own state: a router navigation per keystroke would fight the caret.
 */
export function useUrlSync(query: SearchQuery, selectedId: string | null): void {
  const navigate = useNavigate();
  const search = paramsFrom(query, selectedId);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (window.location.search.replace(/^\?/, '') !== search) void navigate({ search }, { replace: true });
    }, URL_SYNC_MS);
    return () => clearTimeout(timer);
  }, [navigate, search]);
}
