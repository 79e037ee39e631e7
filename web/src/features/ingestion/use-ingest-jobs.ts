// Live job data. The jobs list is the page's one clock: it is fetched again every second while any
// job is queued or running, and not at all once every job has finished. The open job's detail
// follows the list (refetched whenever its row changes), so the two never disagree for long.
import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { fetchJob, isActive, listJobs } from './ingestion-api.ts';
import type { IngestJob, IngestJobDetail } from './ingestion-api.ts';

export const POLL_MS = 1000;
/** After a failed poll, ask again more slowly: a lost answer is not a failed job. */
const RETRY_MS = 5 * POLL_MS;

export type JobsState = {
  jobs: IngestJob[] | undefined;
  error: string | undefined;
  /** True while some job is queued or running, so the list refreshes itself. */
  live: boolean;
  reload(): void;
};

export function useIngestJobs(): JobsState {
  const { client } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ jobs: IngestJob[] | undefined; error: string | undefined }>({ jobs: undefined, error: undefined });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll(): Promise<void> {
      try {
        const jobs = await listJobs(client, controller.signal);
        setState({ jobs, error: undefined });
        if (jobs.some(isActive)) timer = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, error: messageOf(error) }));
        timer = setTimeout(poll, RETRY_MS);
      }
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const live = state.jobs?.some(isActive) ?? false;
  return { ...state, live, reload };
}

export type JobDetailState = { job: IngestJobDetail | undefined; error: string | undefined };

/**
 * One job with its rejects by rule. `listed` is the job's row in the polled list, if it has one:
 * the detail is fetched again whenever that row changes. A job not in the list polls on its own.
 */
export function useJobDetail(id: string, listed: IngestJob | undefined): JobDetailState {
  const { client } = useSession();
  const [state, setState] = useState<JobDetailState & { id: string }>({ id, job: undefined, error: undefined });
  const stamp = listed === undefined ? undefined : `${listed.status}/${listed.read}/${listed.bytesRead}`;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll(): Promise<void> {
      try {
        const job = await fetchJob(client, id, controller.signal);
        setState({ id, job, error: undefined });
        if (stamp === undefined && isActive(job)) timer = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, id, error: messageOf(error) }));
        const gone = isApiError(error) && error.status === 404;
        if (stamp === undefined && !gone) timer = setTimeout(poll, RETRY_MS);
      }
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, id, stamp]);

  // A newly opened job shows nothing of the previous one while its own detail loads.
  return state.id === id ? { job: state.job, error: state.error } : { job: undefined, error: undefined };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
