// A modal confirmation for actions that cannot be undone: the browser's own <dialog>, so focus is
// trapped and Escape cancels. While `busy` the buttons wait; `error` shows why the action failed.
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { Icon } from './icons.tsx';
import './confirm-dialog.css';

export function ConfirmDialog({ open, title, confirmLabel, danger = false, busy = false, error, onConfirm, onCancel, children }: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | undefined;
  onConfirm(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="confirm-dialog-body">{children}</div>
      {error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>{error}</span>
        </p>
      )}
      <div className="confirm-dialog-actions">
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
