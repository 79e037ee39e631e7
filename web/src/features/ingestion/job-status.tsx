// How a job's state reads at a glance: its status badge, and while it runs, how far it has got.
import { Badge, ProgressBar } from '../../ui/data-display.tsx';
import type { Tone } from '../../ui/data-display.tsx';
import { formatCount, formatDuration } from '../../ui/format.ts';
import { isActive } from './ingestion-api.ts';
import type { IngestJob, JobStatus } from './ingestion-api.ts';

const statuses: Record<JobStatus, { label: string; tone: Tone; hint: string }> = {
  queued: { label: 'Queued', tone: 'neutral', hint: 'Waiting for the job before it to finish.' },
  running: { label: 'Running', tone: 'info', hint: 'Reading, validating and storing rows.' },
  completed: { label: 'Completed', tone: 'good', hint: 'Every row was read; bad rows are in the rejects.' },
  failed: { label: 'Failed', tone: 'bad', hint: 'The file as a whole could not be read.' },
  interrupted: { label: 'Interrupted', tone: 'warn', hint: 'Stopped by a restart; it resumes from its last checkpoint.' },
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const { label, tone, hint } = statuses[status];
  return (
    <Badge tone={tone} live={status === 'running'} title={hint} testId="job-status">
      {label}
    </Badge>
  );
}

/** The share of the file read so far; null while the size is unknown. */
export function fractionRead(job: IngestJob): number | null {
  if (job.status === 'completed') return 1;
  if (job.bytes === null || job.bytes === 0) return null;
  return job.bytesRead / job.bytes;
}

/** The progress bar with the rate and time left under it, for a queued or running job. */
export function JobProgress({ job }: { job: IngestJob }) {
  if (job.status === 'queued') {
    return (
      <div className="job-progress">
        <span className="job-progress-text">Waiting to start</span>
      </div>
    );
  }
  const fraction = fractionRead(job);
  const percent = fraction === null ? null : Math.floor(fraction * 100);
  return (
    <div className="job-progress">
      <ProgressBar
        value={fraction}
        label={`Progress of ${job.source}`}
        valueText={percent === null ? `${formatCount(job.read)} rows read` : `${percent}% read`}
      />
      <span className="job-progress-text">{describeProgress(job, percent)}</span>
    </div>
  );
}

function describeProgress(job: IngestJob, percent: number | null): string {
  const parts = [percent === null ? `${formatCount(job.read)} rows` : `${percent}%`];
  if (job.ratePerSec !== null) parts.push(`${formatCount(job.ratePerSec)} rows/s`);
  if (job.etaSeconds !== null) parts.push(`${formatDuration(job.etaSeconds * 1000)} left`);
  return parts.join(' · ');
}

/** How long the job ran, or has been running so far. */
export function jobDuration(job: IngestJob, now: number): number | null {
  if (job.startedAt === null) return null;
  // An interrupted job has no end yet, but it is not running either.
  if (job.finishedAt === null && !isActive(job)) return null;
  const end = job.finishedAt === null ? now : Date.parse(job.finishedAt);
  return end - Date.parse(job.startedAt);
}
