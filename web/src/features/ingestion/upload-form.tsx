// Choosing or dropping a KYC file and sending it off. The upload returns as soon as the server has
// the file; the job then runs in the background and shows up in the jobs table.
import { useRef, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { formatBytes } from '../../ui/format.ts';
import { ACCEPTED_FILES, uploadIngestFile } from './ingestion-api.ts';

export function UploadForm({ onUploaded }: { onUploaded(id: string): void }) {
  const { client } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  function choose(next: File | null) {
    setFile(next);
    setError(null);
    if (next === null && input.current !== null) input.current.value = '';
  }

  function handleDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setDragging(false);
    if (!uploading) choose(event.dataTransfer.files[0] ?? null);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (file === null) {
      setError('Choose a CSV, XLSX or JSONL file first.');
      return;
    }
    setError(null);
    setUploading(true);
    try {
      const { id } = await uploadIngestFile(client, file);
      choose(null);
      onUploaded(id);
    } catch (cause) {
      setError(describeUploadError(cause));
    } finally {
      setUploading(false);
    }
  }

  return (
    <form className="upload-form" onSubmit={handleSubmit} noValidate>
      <label
        className="drop-zone"
        data-dragging={dragging}
        data-chosen={file !== null}
        data-busy={uploading}
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
          accept={ACCEPTED_FILES}
          disabled={uploading}
          aria-label="KYC file (CSV, XLSX or JSONL)"
          onChange={(event) => choose(event.target.files?.[0] ?? null)}
        />
        <span className="drop-zone-icon">
          <Icon name="ingestion" size={20} />
        </span>
        {file === null ? (
          <span className="drop-zone-text">
            <strong>Drop a file here</strong> <span className="muted">or click to choose one</span>
            <span className="muted small">CSV, XLSX or JSONL · KRA APP_* columns or Pravah’s own</span>
          </span>
        ) : (
          <span className="drop-zone-text">
            <strong className="drop-zone-file">{file.name}</strong>
            <span className="muted small">{formatBytes(file.size)} · ready to ingest</span>
          </span>
        )}
      </label>
      <div className="upload-actions">
        {file !== null && (
          <button type="button" className="button button-ghost" onClick={() => choose(null)} disabled={uploading}>
            Remove
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={file === null || uploading}>
          {uploading ? 'Uploading…' : 'Upload and ingest'}
        </button>
      </div>
      {error !== null && (
        <p className="alert upload-error" role="alert">
          <Icon name="alert" size={16} />
          <span>{error}</span>
        </p>
      )}
    </form>
  );
}

function describeUploadError(cause: unknown): string {
  if (!isApiError(cause)) return 'The upload failed. Try again.';
  if (cause.status === 403) return 'Only admin and operations users can ingest files.';
  if (cause.status === 413) return 'The file is larger than the server accepts.';
  return cause.message.charAt(0).toUpperCase() + cause.message.slice(1);
}
