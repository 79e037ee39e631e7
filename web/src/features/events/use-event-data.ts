// Data the Events page polls or loads on demand: consumer lag (every few seconds), one event's
// detail (again whenever its row's status changes), and a group's dead letters.
import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { fetchEvent, fetchLag, listDeadLetters } from './events-api.ts';
import type { DeadLetter, DeadLetterStatus, EventDetail, LagReport } from './events-api.ts';

export const LAG_POLL_MS = 3000;

export type Loaded<T> = { data: T | undefined; error: string | undefined; loading: boolean; reload(): void };

export function useLag(): Loaded<LagReport> {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: LagReport | undefined; error: string | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll(): Promise<void> {
      try {
        const data = await fetchLag(client, controller.signal);
        setState({ data, error: undefined, loading: false });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, error: messageOf(error), loading: false }));
      }
      timer = setTimeout(poll, LAG_POLL_MS);
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

/** One event's detail; `stamp` (its row's status) changing fetches it again. */
export function useEventDetail(id: string, stamp: string | undefined): Loaded<EventDetail> {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ id: string; data: EventDetail | undefined; error: string | undefined; loading: boolean }>({ id, data: undefined, error: undefined, loading: true });

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => (previous.id === id ? { ...previous, loading: true } : { id, data: undefined, error: undefined, loading: true }));
    fetchEvent(client, id, controller.signal).then(
      (data) => setState({ id, data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, id, error: messageOf(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [client, id, stamp, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // A newly opened event shows nothing of the previous one while its own detail loads.
  const current = state.id === id ? state : { data: undefined, error: undefined, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, reload };
}

export function useDeadLetters(group: string, status: DeadLetterStatus): Loaded<DeadLetter[]> & { replace(letter: DeadLetter): void } {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const key = `${group}|${status}`;
  const [state, setState] = useState<{ key: string; data: DeadLetter[] | undefined; error: string | undefined; loading: boolean }>({ key, data: undefined, error: undefined, loading: true });

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => (previous.key === key ? { ...previous, loading: true } : { key, data: undefined, error: undefined, loading: true }));
    listDeadLetters(client, group, status, controller.signal).then(
      (page) => setState({ key, data: page.items, error: undefined, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, key, error: messageOf(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [client, group, status, key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((letter: DeadLetter) => {
    setState((previous) => ({ ...previous, data: previous.data?.map((d) => (d.id === letter.id ? letter : d)) }));
  }, []);
  const current = state.key === key ? state : { data: undefined, error: undefined, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, reload, replace };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
