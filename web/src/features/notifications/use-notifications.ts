// Live data of the Notifications page. Everything is polled (the ledger every few seconds, the
// charts more slowly) and a poll is skipped while the tab is hidden. The ledger keeps every row it
// has seen for the current filters: a poll refreshes and adds the newest, "Load older" walks back.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import type { ApiClient } from '../../app/api-client.ts';
import { listNotifications } from './notifications-api.ts';
import type { LedgerFilters, NotificationSummary } from './notifications-api.ts';

export const LEDGER_POLL_MS = 3000;

export type Polled<T> = { data: T | undefined; error: string | undefined; loadedAt: Date | undefined; reload(): void };

/** Loads with `load` now and every `intervalMs` after; a new `key` starts over. */
export function usePolled<T>(key: string, load: (client: ApiClient, signal: AbortSignal) => Promise<T>, intervalMs: number): Polled<T> {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ key: string; data: T | undefined; error: string | undefined; loadedAt: Date | undefined }>({
    key, data: undefined, error: undefined, loadedAt: undefined,
  });
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll(): Promise<void> {
      if (document.hidden) {
        timer = setTimeout(poll, intervalMs);
        return;
      }
      try {
        const data = await loader.current(client, controller.signal);
        setState({ key, data, error: undefined, loadedAt: new Date() });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...(previous.key === key ? previous : { key, data: undefined, loadedAt: undefined }), error: messageOf(error) }));
      }
      if (!controller.signal.aborted) timer = setTimeout(poll, intervalMs);
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, key, intervalMs, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // A new key shows nothing of the previous one while its own data loads.
  return state.key === key ? { data: state.data, error: state.error, loadedAt: state.loadedAt, reload } : { data: undefined, error: undefined, loadedAt: undefined, reload };
}

export type LedgerState = {
  rows: NotificationSummary[] | undefined;
  error: string | undefined;
  /** Ids that appeared since the first load, to flash once. */
  fresh: ReadonlySet<string>;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
  reload(): void;
  /** Puts a changed message (after retry or cancel) in place at once. */
  replace(row: NotificationSummary): void;
};

const newestFirst = (a: NotificationSummary, b: NotificationSummary) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

export function useLedger(filters: LedgerFilters): LedgerState {
  const { client } = useSession();
  const key = JSON.stringify(filters);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ key: string; rows: NotificationSummary[] | undefined; cursor: string | null; error: string | undefined; fresh: Set<string>; loadingOlder: boolean }>(
    { key, rows: undefined, cursor: null, error: undefined, fresh: new Set(), loadingOlder: false },
  );
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState((previous) => (previous.key === key ? previous : { key, rows: undefined, cursor: null, error: undefined, fresh: new Set(), loadingOlder: false }));
    async function poll(): Promise<void> {
      if (!document.hidden) {
        try {
          const page = await listNotifications(client, filtersRef.current, { signal: controller.signal });
          setState((previous) => {
            if (previous.key !== key) return previous;
            if (previous.rows === undefined) return { ...previous, rows: page.items, cursor: page.nextCursor, error: undefined };
            const known = new Set(previous.rows.map((r) => r.id));
            const updated = new Map(page.items.map((r) => [r.id, r]));
            const fresh = new Set(page.items.filter((r) => !known.has(r.id)).map((r) => r.id));
            const rows = [...page.items, ...previous.rows.filter((r) => !updated.has(r.id))].sort(newestFirst);
            return { ...previous, rows, error: undefined, fresh: fresh.size > 0 ? fresh : previous.fresh };
          });
        } catch (error) {
          if (controller.signal.aborted) return;
          setState((previous) => (previous.key === key ? { ...previous, error: messageOf(error) } : previous));
        }
      }
      if (!controller.signal.aborted) timer = setTimeout(poll, LEDGER_POLL_MS);
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, key, attempt]);

  const current = state.key === key ? state : { key, rows: undefined, cursor: null, error: undefined, fresh: new Set<string>(), loadingOlder: false };

  const loadOlder = useCallback(() => {
    const cursor = state.cursor;
    if (cursor === null || state.loadingOlder) return;
    setState((previous) => ({ ...previous, loadingOlder: true }));
    listNotifications(client, filtersRef.current, { cursor }).then(
      (page) =>
        setState((previous) => {
          if (previous.key !== key) return previous;
          const known = new Set((previous.rows ?? []).map((r) => r.id));
          return { ...previous, loadingOlder: false, cursor: page.nextCursor, rows: [...(previous.rows ?? []), ...page.items.filter((r) => !known.has(r.id))].sort(newestFirst) };
        }),
      (error: unknown) => setState((previous) => ({ ...previous, loadingOlder: false, error: messageOf(error) })),
    );
  }, [client, key, state.cursor, state.loadingOlder]);

  const replace = useCallback((row: NotificationSummary) => {
    setState((previous) => (previous.rows === undefined ? previous : { ...previous, rows: previous.rows.map((r) => (r.id === row.id ? row : r)) }));
  }, []);

  return {
    rows: current.rows,
    error: current.error,
    fresh: current.fresh,
    hasOlder: current.cursor !== null,
    loadingOlder: current.loadingOlder,
    loadOlder,
    reload: useCallback(() => setAttempt((n) => n + 1), []),
    replace,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
