// Loading data for a page: one GET, cancelled when the page goes away, reloadable on demand.
import { useCallback, useEffect, useState } from 'react';
import { useSession } from './session.tsx';

export type ApiQuery<T> = {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** When the current data arrived. */
  loadedAt: Date | undefined;
  reload(): void;
};

export function useApiQuery<T>(path: string): ApiQuery<T> {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<Omit<ApiQuery<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: true,
    loadedAt: undefined,
  });

  useEffect(() => {
    const controller = new AbortController();
    setResult((previous) => ({ ...previous, loading: true }));
    client.request<T>(path, { signal: controller.signal }).then(
      (data) => setResult({ data, error: undefined, loading: false, loadedAt: new Date() }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        setResult((previous) => ({ ...previous, error: failure, loading: false }));
      },
    );
    return () => controller.abort();
  }, [client, path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...result, reload };
}
