// Imports for operations: upload a workbook or list, watch it run, read the counts, fetch the rejects.
import { useEffect, useRef, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { useApiQuery } from '../../app/use-api.ts';
import { Icon } from '../../ui/icons.tsx';
import { Card } from '../../ui/page.tsx';
import { fetchImport, uploadImport } from './instruments-api.ts';
import type { ImportSummary } from './instruments-api.ts';
import { ImportProgress, RecentImports } from './import-results.tsx';
import './instrument-imports.css';

const POLL_MS = 500;
const MAPPING_EXAMPLE = `{
  "symbol": "Ticker",
  "name": "Company",
  "isin": "ISIN",
  "lotSize": "Lot",
  "defaults": { "exchange": "NSE", "type": "EQ" }
}`;

/** `onImported` runs when an import finishes, so the search can show what it changed. */
export function InstrumentImports({ onImported }: { onImported(): void }) {
  const recent = useApiQuery<{ items: ImportSummary[] }>('/api/instruments/imports');
  const [currentId, setCurrentId] = useState<string | null>(null);
  const current = useImportProgress(currentId, () => {
    recent.reload();
    onImported();
  });

  const refresh = (
    <button type="button" className="button button-ghost button-small" onClick={recent.reload} disabled={recent.loading}>
      <Icon name="refresh" size={14} />
      <span>Refresh</span>
    </button>
  );

  return (
    <Card title="Import instruments" actions={refresh}>
      <p className="muted small">
        CSV or XLSX. The desk workbook, NSE EQUITY_L, the BSE equity list, Kite and Upstox instrument dumps and the Dhan
        scrip master are recognised by their headers; any other layout needs a column mapping. Re-imports merge by
        exchange and symbol.
      </p>
      <UploadForm onStarted={setCurrentId} running={current.summary?.status === 'running'} />
      {current.summary !== undefined && <ImportProgress summary={current.summary} pollError={current.error} />}
      <RecentImports imports={recent.data?.items} error={recent.error} loading={recent.loading} />
    </Card>
  );
}

function useImportProgress(id: string | null, onFinished: () => void): { summary: ImportSummary | undefined; error: string | undefined } {
  const { client } = useSession();
  const [state, setState] = useState<{ summary: ImportSummary | undefined; error: string | undefined }>({ summary: undefined, error: undefined });
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    if (id === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll(): Promise<void> {
      try {
        const summary = await fetchImport(client, id as string, controller.signal);
        setState({ summary, error: undefined });
        if (summary.status === 'running') timer = setTimeout(poll, POLL_MS);
        else finished.current();
      } catch (error) {
        if (controller.signal.aborted) return;
        // A lost poll is not a failed import: say so and keep asking, more slowly.
        setState((previous) => ({ ...previous, error: error instanceof Error ? error.message : String(error) }));
        timer = setTimeout(poll, 4 * POLL_MS);
      }
    }
    setState({ summary: undefined, error: undefined });
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, id]);

  return state;
}

function UploadForm({ onStarted, running }: { onStarted(id: string): void; running: boolean }) {
  const { client } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState('');
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  function choose(next: File | null) {
    setFile(next);
    setError(null);
  }

  function handleDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0] ?? null);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (file === null) {
      setError('Choose a CSV or XLSX file first.');
      return;
    }
    const mappingError = checkMapping(mapping);
    if (mappingError !== null) {
      setError(mappingError);
      return;
    }
    setError(null);
    setUploading(true);
    try {
      const { id } = await uploadImport(client, file, mapping);
      onStarted(id);
      choose(null);
      if (input.current !== null) input.current.value = '';
    } catch (cause) {
      setError(describeUploadError(cause));
    } finally {
      setUploading(false);
    }
  }

  return (
    <form className="import-form" onSubmit={handleSubmit} noValidate>
      <div className="import-row">
        <label
          className="file-drop"
          data-dragging={dragging}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={handleDrop}
        >
          <input
            ref={input}
            type="file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-label="Instrument file (CSV or XLSX)"
            onChange={(event) => choose(event.target.files?.[0] ?? null)}
          />
          <Icon name="ingestion" size={18} />
          {file === null ? (
            <span>
              <strong>Choose a file</strong> <span className="muted">or drop it here · CSV or XLSX</span>
            </span>
          ) : (
            <span>
              <strong>{file.name}</strong> <span className="muted">{formatBytes(file.size)}</span>
            </span>
          )}
        </label>
        <button type="submit" className="button button-primary" disabled={file === null || uploading || running}>
          {uploading ? 'Uploading…' : running ? 'Importing…' : 'Import'}
        </button>
      </div>
      <details className="mapping">
        <summary>Column mapping (optional)</summary>
        <div className="field">
          <label htmlFor="import-mapping">Which header holds which field, as JSON</label>
          <textarea
            id="import-mapping"
            name="mapping"
            className="mono"
            rows={7}
            spellCheck={false}
            placeholder={MAPPING_EXAMPLE}
            value={mapping}
            onChange={(event) => setMapping(event.target.value)}
          />
          <p className="muted small">
            Fields: symbol, exchange, type, name, underlying, isin, series, expiry, strike, optionType, lotSize, tickSize,
            sector, industry, token, aliases. <code>defaults</code> fills exchange or type when the file has no such column.
          </p>
        </div>
      </details>
      {error !== null && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>{error}</span>
        </p>
      )}
    </form>
  );
}

function checkMapping(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'The column mapping must be a JSON object.';
    return null;
  } catch (cause) {
    return `The column mapping is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}

function describeUploadError(cause: unknown): string {
  if (!isApiError(cause)) return 'The upload failed. Try again.';
  if (cause.status === 403) return 'Only admin and operations users can import instruments.';
  if (cause.status === 413) return 'The file is larger than the server accepts.';
  return cause.message;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
