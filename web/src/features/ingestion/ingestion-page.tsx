// Ingestion: upload a KYC file, watch its job run, and read what it did, down to the rejects by
// rule. The open job lives in the URL (?job=…), so a link shows the same job.
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { useUser } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, PageHeader, Spinner } from '../../ui/page.tsx';
import { JobDetail } from './job-detail.tsx';
import { JobsTable } from './jobs-table.tsx';
import { UploadForm } from './upload-form.tsx';
import { useIngestJobs, useJobDetail } from './use-ingest-jobs.ts';
import type { JobsState } from './use-ingest-jobs.ts';
import './ingestion.css';

export function IngestionPage() {
  const user = useUser();
  const canIngest = user.role === 'admin' || user.role === 'ops';
  return (
    <div className="ingestion-page">
      <PageHeader
        title="Ingestion"
        description="Load a day’s KYC records from a file: every row is validated, encrypted and stored, and every bad row explained."
      />
      {canIngest ? (
        <IngestionWorkspace />
      ) : (
        <p className="notice">
          <Icon name="alert" size={16} />
          <span>Ingestion jobs are run and reviewed by admin and operations users. Ask one of them for a job’s results.</span>
        </p>
      )}
    </div>
  );
}

function IngestionWorkspace() {
  const jobs = useIngestJobs();
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get('job');

  function select(id: string | null) {
    setSearchParams(id === null ? {} : { job: id }, { replace: true });
  }

  return (
    <>
      <Card title="Upload a file">
        <UploadForm
          onUploaded={(id) => {
            jobs.reload();
            select(id);
          }}
        />
      </Card>
      <JobsCard jobs={jobs} selectedId={selectedId} onSelect={select} />
      {selectedId !== null && <SelectedJob id={selectedId} jobs={jobs} onClose={() => select(null)} />}
    </>
  );
}

function JobsCard({ jobs, selectedId, onSelect }: { jobs: JobsState; selectedId: string | null; onSelect(id: string): void }) {
  const actions = jobs.live ? (
    <span className="live-note" role="status">
      <span className="live-note-dot" aria-hidden="true" />
      Updating every second
    </span>
  ) : (
    <button type="button" className="button button-ghost button-small" onClick={jobs.reload}>
      <Icon name="refresh" size={14} />
      <span>Refresh</span>
    </button>
  );
  return (
    <Card title="Jobs" actions={actions}>
      {jobs.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>
            {jobs.jobs === undefined ? 'The jobs could not be loaded' : 'The jobs stopped updating'}: {jobs.error}
          </span>
        </p>
      )}
      {jobs.jobs === undefined ? (
        jobs.error === undefined && <Spinner label="Loading ingestion jobs" />
      ) : jobs.jobs.length === 0 ? (
        <NoJobs />
      ) : (
        <JobsTable jobs={jobs.jobs} selectedId={selectedId} onSelect={onSelect} />
      )}
    </Card>
  );
}

function SelectedJob({ id, jobs, onClose }: { id: string; jobs: JobsState; onClose(): void }) {
  const detail = useJobDetail(
    id,
    jobs.jobs?.find((job) => job.id === id),
  );
  const panel = useRef<HTMLDivElement>(null);

  // The detail opens below the table: bring it into view when it would start off screen.
  useEffect(() => {
    const top = panel.current?.getBoundingClientRect().top;
    if (top !== undefined && top > window.innerHeight - 120) panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [id]);

  return (
    <div ref={panel} className="job-detail-anchor">
      <JobDetail detail={detail} onClose={onClose} />
    </div>
  );
}

function NoJobs() {
  return (
    <div className="jobs-empty">
      <span className="empty-state-icon">
        <Icon name="ingestion" size={22} />
      </span>
      <div>
        <h3>No ingestion jobs yet</h3>
        <p className="muted">Upload a file above to start one. Pravah reads:</p>
        <ul className="planned-list">
          <li>
            <strong>CSV</strong> or <strong>XLSX</strong> with a header row: the KRA <code>APP_*</code> names
            (<code>APP_PAN_NO</code>, <code>APP_NAME</code>, <code>APP_DOB_DT</code>, …) or Pravah’s own (
            <code>client_code</code>, <code>pan</code>, <code>first_name</code>, …)
          </li>
          <li>
            <strong>JSONL</strong>: one client record per line, in Pravah’s JSON field names
          </li>
        </ul>
        <p className="muted small">
          The format is detected from the content. Newer records update older ones by client code; bad rows are
          rejected one by one and the rest of the file is kept.
        </p>
      </div>
    </div>
  );
}
