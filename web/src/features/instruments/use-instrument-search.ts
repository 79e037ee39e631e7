// Search as you type: a short debounce, the stale request cancelled, and the previous answer kept on
// screen until the next one lands, so the table never blanks between keystrokes.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { searchPath } from './instruments-api.ts';
import type { SearchHit, SearchQuery, SearchResponse } from './instruments-api.ts';

const DEBOUNCE_MS = 60;

export type InstrumentSearch = {
  /** The last answer, for `answeredPath`; undefined only before the first one. */
  response: SearchResponse | undefined;
  /** Every hit shown so far: the first page plus any pages added by `loadMore`. */
  hits: SearchHit[];
  /** The request the current answer belongs to; changes exactly when the results are replaced. */
  answeredPath: string | undefined;
  /** The text the current answer is for, which lags the box while the next answer is on its way. */
  answeredQuery: string | undefined;
  loading: boolean;
  loadingMore: boolean;
  error: Error | undefined;
  loadMore(): void;
  retry(): void;
};

type State = Omit<InstrumentSearch, 'loadMore' | 'retry'>;

const initial: State = { response: undefined, hits: [], answeredPath: undefined, answeredQuery: undefined, loading: true, loadingMore: false, error: undefined };

/** `refreshKey` re-runs the same search, e.g. after an import changed the instruments. */
export function useInstrumentSearch(query: SearchQuery, refreshKey: number): InstrumentSearch {
  const { client } = useSession();
  const [state, setState] = useState<State>(initial);
  const [attempt, setAttempt] = useState(0);
  const path = searchPath(query);
  const text = query.q;
  const nextPagePath = searchPath(query, state.hits.length);
  const moreController = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    moreController.current?.abort();
    setState((previous) => ({ ...previous, loading: true, loadingMore: false }));
    const timer = setTimeout(() => {
      client.request<SearchResponse>(path, { signal: controller.signal }).then(
        (response) =>
          setState({ response, hits: response.items, answeredPath: path, answeredQuery: text, loading: false, loadingMore: false, error: undefined }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState((previous) => ({ ...previous, loading: false, error: error instanceof Error ? error : new Error(String(error)) }));
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, path, text, refreshKey, attempt]);

  const loadMore = useCallback(() => {
    if (state.answeredPath !== path || state.loadingMore) return;
    const controller = new AbortController();
    moreController.current = controller;
    const offset = state.hits.length;
    setState((previous) => ({ ...previous, loadingMore: true }));
    client.request<SearchResponse>(nextPagePath, { signal: controller.signal }).then(
      (response) =>
        setState((previous) =>
          previous.answeredPath === path && previous.hits.length === offset
            ? { ...previous, hits: [...previous.hits, ...response.items], loadingMore: false }
            : previous,
        ),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, loadingMore: false, error: error instanceof Error ? error : new Error(String(error)) }));
      },
    );
  }, [client, path, nextPagePath, state.answeredPath, state.hits.length, state.loadingMore]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { ...state, loadMore, retry };
}
