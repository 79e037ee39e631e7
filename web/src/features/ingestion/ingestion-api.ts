// The ingestion API as the page sees it: job types and one function per call.
import type { ApiClient } from '../../app/api-client.ts';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'interrupted';

export type IngestJob = {
  id: string;
  source: string;
  status: JobStatus;
  format: 'csv' | 'xlsx' | 'jsonl' | null;
  read: number;
  /** New clients. */
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicate: number;
  events: number;
  /** The file's size; null until the job has looked at it. */
  bytes: number | null;
  bytesRead: number;
  ratePerSec: number | null;
  etaSeconds: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type IngestJobDetail = IngestJob & { rejectsByRule: Record<string, number> };

/** File types the upload accepts, as extensions and as the MIME types browsers report. */
export const ACCEPTED_FILES = '.csv,.xlsx,.jsonl,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function isActive(job: Pick<IngestJob, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running';
}

const jobPath = (id: string) => `/api/ingest/${encodeURIComponent(id)}`;

export async function uploadIngestFile(client: ApiClient, file: File): Promise<{ id: string }> {
  const form = new FormData();
  form.set('file', file, file.name);
  return client.request<{ id: string }>('/api/ingest', { method: 'POST', body: form });
}

export async function listJobs(client: ApiClient, signal: AbortSignal): Promise<IngestJob[]> {
  const body = await client.request<{ items: IngestJob[] }>('/api/ingest', { signal });
  return body.items;
}

export function fetchJob(client: ApiClient, id: string, signal: AbortSignal): Promise<IngestJobDetail> {
  return client.request<IngestJobDetail>(jobPath(id), { signal });
}

/** Fetches the rejects with the session's token and hands them to the browser as a file download. */
export async function downloadRejects(client: ApiClient, job: Pick<IngestJob, 'id' | 'source'>): Promise<void> {
  const response = await client.requestResponse(`${jobPath(job.id)}/rejects.csv`, { accept: 'text/csv' });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `rejects-${job.source.replace(/\.[^.]+$/, '').replace(/[^\w-]+/g, '_')}-${job.id.slice(0, 8)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
