// What an import did: the live progress of the current one and the table of recent ones, each with
// its counts and, when rows were rejected, the rejects as a CSV download.
import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { formatCount, formatDateTime, formatDuration } from './format.ts';
import { downloadRejects } from './instruments-api.ts';
import type { ImportSummary } from './instruments-api.ts';

export function ImportProgress({ summary, pollError }: { summary: ImportSummary; pollError: string | undefined }) {
  const running = summary.status === 'running';
  return (
    <section className="import-progress" aria-label="Current import" data-testid="current-import">
      <div className="import-progress-head">
        <strong className="import-source">{summary.source}</strong>
        <ImportStatus status={summary.status} />
        {summary.formats.length > 0 && <span className="muted small">{summary.formats.join(', ')}</span>}
      </div>
      <div
        className="progress"
        data-state={summary.status}
        role="progressbar"
        aria-label="Import progress"
        aria-valuetext={`${formatCount(summary.read)} rows read${running ? '' : `, ${summary.status}`}`}
        {...(running ? {} : { 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 100 })}
      >
        <span className="progress-bar" />
      </div>
      <p className="small" role="status">
        {formatCount(summary.read)} {summary.read === 1 ? 'row' : 'rows'} read
        {running
          ? '…'
          : summary.finishedAt !== null
            ? ` in ${formatDuration(Date.parse(summary.finishedAt) - Date.parse(summary.startedAt))}`
            : ''}
      </p>
      {(summary.status !== 'failed' || summary.read > 0) && (
        <dl className="import-counts">
          <Count label="Inserted" value={summary.inserted} id="inserted" />
          <Count label="Updated" value={summary.updated} id="updated" />
          <Count label="Unchanged" value={summary.unchanged} id="unchanged" />
          <Count label="Duplicate" value={summary.duplicate} id="duplicate" />
          <Count label="Rejected" value={summary.rejected} id="rejected" tone={summary.rejected > 0 ? 'bad' : undefined} />
        </dl>
      )}
      {summary.rejected > 0 && !running && <RejectsLink summary={summary} />}
      {summary.error !== null && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>{summary.error}</span>
        </p>
      )}
      {pollError !== undefined && <p className="muted small">Lost touch with the import ({pollError}); still trying.</p>}
    </section>
  );
}

function Count({ label, value, id, tone }: { label: string; value: number; id: string; tone?: 'bad' | undefined }) {
  return (
    <div data-tone={tone}>
      <dt>{label}</dt>
      <dd data-testid={`import-${id}`}>{formatCount(value)}</dd>
    </div>
  );
}

function ImportStatus({ status }: { status: ImportSummary['status'] }) {
  const label = status === 'running' ? 'Running' : status === 'completed' ? 'Completed' : 'Failed';
  return (
    <span className="status-badge" data-tone={status} data-testid="import-status">
      {label}
    </span>
  );
}

function RejectsLink({ summary, compact = false }: { summary: ImportSummary; compact?: boolean }) {
  const { client } = useSession();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  async function download() {
    setState('busy');
    try {
      await downloadRejects(client, summary);
      setState('idle');
    } catch {
      setState('failed');
    }
  }
  const idle = compact ? `${formatCount(summary.rejected)} · CSV` : `Download rejects CSV (${formatCount(summary.rejected)})`;
  return (
    <button
      type="button"
      className="link-button"
      onClick={download}
      disabled={state === 'busy'}
      title={`Download the ${formatCount(summary.rejected)} rejected rows of ${summary.source} with their reasons`}
    >
      {state === 'busy' ? 'Preparing…' : state === 'failed' ? 'Failed, retry' : idle}
    </button>
  );
}

export function RecentImports({ imports, error, loading }: { imports: ImportSummary[] | undefined; error: Error | undefined; loading: boolean }) {
  return (
    <section className="recent-imports" aria-label="Recent imports">
      <h3>Recent imports</h3>
      {error !== undefined && <p className="muted small">Recent imports are unavailable: {error.message}</p>}
      {imports === undefined ? (
        error === undefined && loading && <p className="muted small">Loading…</p>
      ) : imports.length === 0 ? (
        <p className="muted small">No imports yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col" className="numeric">Read</th>
                <th scope="col" className="numeric">Inserted</th>
                <th scope="col" className="numeric">Updated</th>
                <th scope="col" className="numeric">Unchanged</th>
                <th scope="col" className="numeric">Rejected</th>
                <th scope="col">Started</th>
                <th scope="col" className="numeric">Duration</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((item) => (
                <tr key={item.id}>
                  <td>
                    <ImportStatus status={item.status} />
                  </td>
                  <td>
                    <div className="import-source-cell">
                      <span className="import-source">{item.source}</span>
                      {item.formats.length > 0 && <span className="muted small">{item.formats.join(', ')}</span>}
                      {item.error !== null && (
                        <span className="import-error small" title={item.error}>
                          {item.error}
                        </span>
                      )}
                    </div>
                  </td>
                  <td className="numeric">{formatCount(item.read)}</td>
                  <td className="numeric">{formatCount(item.inserted)}</td>
                  <td className="numeric">{formatCount(item.updated)}</td>
                  <td className="numeric">{formatCount(item.unchanged)}</td>
                  <td className="numeric">
                    {item.rejected > 0 && item.status !== 'running' ? <RejectsLink summary={item} compact /> : formatCount(item.rejected)}
                  </td>
                  <td className="nowrap">{formatDateTime(item.startedAt)}</td>
                  <td className="numeric nowrap">
                    {item.finishedAt === null ? '…' : formatDuration(Date.parse(item.finishedAt) - Date.parse(item.startedAt))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
