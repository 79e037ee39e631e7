// The live event list: the newest page from GET /api/events, then every new event pushed by the
// stream, and status updates as the processor handles pending ones. The stream opens first and
// each (re)connection merges a fresh first page, so nothing appended in between is missed.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { followServerEvents } from '../../app/server-events.ts';
import type { StreamStatus } from '../../app/server-events.ts';
import { eventStreamPath, listEvents } from './events-api.ts';
import type { EventFilters, EventSummary, StatusUpdate } from './events-api.ts';

/** Rows kept in the browser; older ones are dropped from the bottom (Load older brings them back). */
const MAX_ROWS = 1000;

export type LiveEvents = {
  rows: EventSummary[] | undefined;
  /** Ids that arrived through the stream (highlighted once). */
  live: ReadonlySet<string>;
  error: string | undefined;
  status: StreamStatus;
  /** Events held back while paused. */
  held: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): void;
  showHeld(): void;
  retry(): void;
};

type State = {
  key: string;
  rows: EventSummary[] | undefined;
  held: EventSummary[];
  live: Set<string>;
  nextCursor: string | null;
  error: string | undefined;
  status: StreamStatus;
  loadingOlder: boolean;
};

const initial = (key: string): State => ({ key, rows: undefined, held: [], live: new Set(), nextCursor: null, error: undefined, status: 'connecting', loadingOlder: false });

/** Log ids are decimal strings that outgrow a double: compare by length, then as text. */
export function compareIdsDesc(a: string, b: string): number {
  return a.length !== b.length ? b.length - a.length : a < b ? 1 : a > b ? -1 : 0;
}

function merge(into: EventSummary[], more: EventSummary[]): EventSummary[] {
  const byId = new Map(into.map((row) => [row.id, row]));
  for (const row of more) byId.set(row.id, { ...byId.get(row.id), ...row });
  return [...byId.values()].sort((a, b) => compareIdsDesc(a.id, b.id)).slice(0, MAX_ROWS);
}

function applyStatus(rows: EventSummary[], update: StatusUpdate): EventSummary[] {
  return rows.map((row) => (row.id === update.id ? { ...row, ...update } : row));
}

export function useLiveEvents(filters: EventFilters, paused: boolean): LiveEvents {
  const { client } = useSession();
  const key = `${filters.type}|${filters.client}|${filters.status}`;
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<State>(() => initial(key));

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setState(initial(key));
    const update = (fn: (previous: State) => State) => {
      if (!signal.aborted) setState((previous) => (previous.key === key ? fn(previous) : previous));
    };

    async function loadFirstPage(): Promise<void> {
      try {
        const page = await listEvents(client, filters, null, signal);
        update((previous) => ({
          ...previous,
          rows: merge(previous.rows ?? [], page.items),
          nextCursor: previous.rows === undefined ? page.nextCursor : previous.nextCursor,
          error: undefined,
        }));
      } catch (error) {
        if (signal.aborted) return;
        update((previous) => ({ ...previous, error: messageOf(error) }));
      }
    }

    void loadFirstPage();
    void followServerEvents(client, eventStreamPath(filters), signal, {
      onEvent(message) {
        if (message.event === 'ready') {
          void loadFirstPage();
        } else if (message.event === 'event') {
          const row = JSON.parse(message.data) as EventSummary;
          update((previous) => ({ ...previous, held: [...previous.held, row], live: new Set(previous.live).add(row.id) }));
        } else if (message.event === 'status') {
          const change = JSON.parse(message.data) as StatusUpdate;
          update((previous) => ({
            ...previous,
            rows: previous.rows === undefined ? undefined : applyStatus(previous.rows, change),
            held: applyStatus(previous.held, change),
          }));
        }
      },
      onStatus: (status) => update((previous) => (previous.status === status ? previous : { ...previous, status })),
    });
    return () => controller.abort();
    // `filters` is read through `key`, which changes exactly when a filter does.
  }, [client, key, attempt]);

  // Arrivals wait in `held`; unless paused, they join the table as soon as the list is there.
  useEffect(() => {
    if (paused || state.held.length === 0 || state.rows === undefined) return;
    setState((previous) => ({ ...previous, rows: merge(previous.rows ?? [], previous.held), held: [] }));
  }, [paused, state.held, state.rows]);

  const loadOlder = useCallback(() => {
    const cursor = state.nextCursor;
    if (cursor === null || state.loadingOlder) return;
    setState((previous) => ({ ...previous, loadingOlder: true }));
    listEvents(client, filters, cursor).then(
      (page) => setState((previous) => (previous.key !== key ? previous : { ...previous, rows: merge(previous.rows ?? [], page.items), nextCursor: page.nextCursor, loadingOlder: false })),
      (error: unknown) => setState((previous) => (previous.key !== key ? previous : { ...previous, error: messageOf(error), loadingOlder: false })),
    );
  }, [client, key, state.nextCursor, state.loadingOlder]);

  const showHeld = useCallback(() => {
    setState((previous) => ({ ...previous, rows: merge(previous.rows ?? [], previous.held), held: [] }));
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const current = state.key === key ? state : initial(key);
  const rows = useMemo(
    () => (current.rows === undefined || filters.status === '' ? current.rows : current.rows.filter((row) => row.status === filters.status)),
    [current.rows, filters.status],
  );
  return {
    rows,
    live: current.live,
    error: current.error,
    status: current.status,
    held: current.held.length,
    hasOlder: current.nextCursor !== null,
    loadingOlder: current.loadingOlder,
    loadOlder,
    showHeld,
    retry,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
