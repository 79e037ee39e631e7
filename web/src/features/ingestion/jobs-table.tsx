// The recent jobs, newest first: one row each, with live progress while a job runs. A row opens
// the job's detail.
import type { KeyboardEvent } from 'react';
import { formatCount, formatDateTime, formatDuration } from '../../ui/format.ts';
import { isActive } from './ingestion-api.ts';
import type { IngestJob } from './ingestion-api.ts';
import { jobDuration, JobProgress, JobStatusBadge } from './job-status.tsx';

const counts = [
  { key: 'read', label: 'Read', title: 'Rows read from the file' },
  { key: 'accepted', label: 'New', title: 'New clients stored' },
  { key: 'updated', label: 'Updated', title: 'Existing clients with newer data' },
  { key: 'unchanged', label: 'Unchanged', title: 'Rows identical to, or older than, what is stored' },
  { key: 'duplicate', label: 'Duplicate', title: 'The same client again in this file' },
  { key: 'rejected', label: 'Rejected', title: 'Rows that broke a rule; see the rejects' },
  { key: 'events', label: 'Events', title: 'Domain events written to the outbox' },
] as const satisfies ReadonlyArray<{ key: keyof IngestJob; label: string; title: string }>;

export function JobsTable({ jobs, selectedId, onSelect }: { jobs: IngestJob[]; selectedId: string | null; onSelect(id: string): void }) {
  const now = Date.now();
  return (
    <div className="table-frame">
      <table className="table jobs-table" aria-label="Ingestion jobs">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            {counts.map((count) => (
              <th key={count.key} scope="col" className="cell-number" title={count.title}>
                {count.label}
              </th>
            ))}
            <th scope="col">Started</th>
            <th scope="col" className="cell-number">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} now={now} selected={job.id === selectedId} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({ job, now, selected, onSelect }: { job: IngestJob; now: number; selected: boolean; onSelect(id: string): void }) {
  const duration = jobDuration(job, now);
  function handleKeyDown(event: KeyboardEvent<HTMLTableRowElement>) {
    if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    onSelect(job.id);
  }
  return (
    <tr
      data-selectable="true"
      aria-selected={selected}
      data-testid="job-row"
      tabIndex={0}
      onClick={() => onSelect(job.id)}
      onKeyDown={handleKeyDown}
    >
      <td>
        <div className="job-source">
          <span className="job-source-name" title={job.source}>
            {job.source}
          </span>
          {job.format !== null && <span className="job-format">{job.format}</span>}
        </div>
      </td>
      <td className="job-status-cell">
        <JobStatusBadge status={job.status} />
        {isActive(job) && <JobProgress job={job} />}
      </td>
      {counts.map((count) => (
        <td key={count.key} className="cell-number" data-tone={count.key === 'rejected' && job.rejected > 0 ? 'bad' : undefined}>
          <span className={job[count.key] === 0 ? 'cell-zero' : undefined}>{formatCount(job[count.key])}</span>
        </td>
      ))}
      <td className="cell-nowrap">{job.startedAt === null ? <span className="muted">—</span> : formatDateTime(job.startedAt)}</td>
      <td className="cell-number">{duration === null ? <span className="muted">—</span> : formatDuration(duration)}</td>
    </tr>
  );
}
