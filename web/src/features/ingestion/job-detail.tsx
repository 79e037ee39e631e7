// One job in full: its counts, how long it took, the error that stopped it, and its rejects by rule
// with the CSV download.
import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, Spinner } from '../../ui/page.tsx';
import { formatBytes, formatCount, formatDuration, formatTimestamp } from '../../ui/format.ts';
import { downloadRejects, isActive } from './ingestion-api.ts';
import type { IngestJob, IngestJobDetail } from './ingestion-api.ts';
import { jobDuration, JobProgress, JobStatusBadge } from './job-status.tsx';
import type { JobDetailState } from './use-ingest-jobs.ts';

const tiles = [
  { key: 'read', label: 'Read' },
  { key: 'accepted', label: 'New clients' },
  { key: 'updated', label: 'Updated' },
  { key: 'unchanged', label: 'Unchanged' },
  { key: 'duplicate', label: 'Duplicate' },
  { key: 'rejected', label: 'Rejected' },
  { key: 'events', label: 'Events' },
] as const satisfies ReadonlyArray<{ key: keyof IngestJob; label: string }>;

/** Rules listed before "Show all": a bad file can break dozens. */
const TOP_RULES = 10;

export function JobDetail({ detail, onClose }: { detail: JobDetailState; onClose(): void }) {
  const { job, error } = detail;
  const close = (
    <button type="button" className="button button-ghost button-small" onClick={onClose} aria-label="Close job detail">
      <Icon name="close" size={14} />
      <span>Close</span>
    </button>
  );
  return (
    <section className="job-detail" aria-label="Job detail" data-testid="job-detail">
      <Card title={job?.source ?? 'Job'} actions={close}>
        {job === undefined ? (
          error === undefined ? <Spinner label="Loading the job" /> : <ErrorLine message={error} />
        ) : (
          <JobBody job={job} pollError={error} />
        )}
      </Card>
    </section>
  );
}

function JobBody({ job, pollError }: { job: IngestJobDetail; pollError: string | undefined }) {
  const duration = jobDuration(job, Date.now());
  return (
    <>
      <div className="job-detail-head">
        <JobStatusBadge status={job.status} />
        {job.format !== null && <span className="job-format">{job.format}</span>}
        {job.bytes !== null && <span className="muted small">{formatBytes(job.bytes)}</span>}
        <span className="muted small mono" title={job.id}>
          {job.id}
        </span>
      </div>
      {isActive(job) && <JobProgress job={job} />}
      {job.error !== null && <ErrorLine message={job.error} />}
      <dl className="stat-grid">
        {tiles.map((tile) => (
          <div key={tile.key} className="stat" data-tone={tile.key === 'rejected' && job.rejected > 0 ? 'bad' : undefined}>
            <dt>{tile.label}</dt>
            <dd data-testid={`job-${tile.key}`}>{formatCount(job[tile.key])}</dd>
          </div>
        ))}
      </dl>
      <dl className="facts job-times">
        <Fact label="Uploaded" value={formatTimestamp(job.createdAt)} />
        <Fact label="Started" value={job.startedAt === null ? '—' : formatTimestamp(job.startedAt)} />
        <Fact label="Finished" value={job.finishedAt === null ? '—' : formatTimestamp(job.finishedAt)} />
        <Fact label="Duration" value={duration === null ? '—' : formatDuration(duration)} />
        {duration !== null && duration > 0 && job.read > 0 && (
          <Fact label="Throughput" value={`${formatCount((job.read * 1000) / duration)} rows/s`} />
        )}
      </dl>
      <RejectsByRule job={job} />
      {pollError !== undefined && <p className="muted small">Lost touch with the job ({pollError}); still trying.</p>}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function RejectsByRule({ job }: { job: IngestJobDetail }) {
  const [showAll, setShowAll] = useState(false);
  const rules = Object.entries(job.rejectsByRule).sort(([ruleA, a], [ruleB, b]) => b - a || ruleA.localeCompare(ruleB));
  if (job.rejected === 0 && rules.length === 0) {
    return isActive(job) ? null : <p className="muted small">No rejected rows.</p>;
  }
  const largest = Math.max(1, ...rules.map(([, count]) => count));
  const shown = showAll ? rules : rules.slice(0, TOP_RULES);
  return (
    <section className="rejects" aria-label="Rejects by rule">
      <div className="rejects-head">
        <h3>Rejects by rule</h3>
        {job.rejected > 0 && <RejectsDownload job={job} />}
      </div>
      <p className="muted small">
        Each bad row is listed in the CSV with its sheet, row, field and rule; the value itself is never included. A row can
        break more than one rule.
      </p>
      <ol className="rule-list">
        {shown.map(([rule, count]) => (
          <li key={rule} data-testid="reject-rule">
            <span className="rule-name mono">{rule}</span>
            <span className="rule-bar" aria-hidden="true">
              <span style={{ width: `${(count / largest) * 100}%` }} />
            </span>
            <span className="rule-count">{formatCount(count)}</span>
          </li>
        ))}
      </ol>
      {rules.length > TOP_RULES && (
        <button type="button" className="button button-ghost button-small rules-toggle" onClick={() => setShowAll(!showAll)} aria-expanded={showAll}>
          {showAll ? 'Show the top rules only' : `Show all ${rules.length} rules`}
        </button>
      )}
    </section>
  );
}

function RejectsDownload({ job }: { job: IngestJob }) {
  const { client } = useSession();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  async function download() {
    setState('busy');
    try {
      await downloadRejects(client, job);
      setState('idle');
    } catch {
      setState('failed');
    }
  }
  return (
    <button type="button" className="button button-secondary button-small" onClick={download} disabled={state === 'busy'}>
      <Icon name="ingestion" size={14} />
      <span>{state === 'busy' ? 'Preparing…' : state === 'failed' ? 'Download failed, retry' : 'Download rejects CSV'}</span>
    </button>
  );
}

function ErrorLine({ message }: { message: string }) {
  return (
    <p className="alert" role="alert">
      <Icon name="alert" size={16} />
      <span>{message}</span>
    </p>
  );
}
