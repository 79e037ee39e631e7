// Dead letters of a consumer group: the records its handler gave up on after every attempt. Ops and
// admin users retry one (its original record goes to the group's retry topic) or discard it, each
// after a confirmation; either can happen once, and a second try explains who was first.
import { useState } from 'react';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Spinner } from '../../ui/page.tsx';
import { actOnDeadLetter, deadLetterStatuses } from './events-api.ts';
import type { DeadLetter, DeadLetterStatus } from './events-api.ts';
import { DeadLetterStatusBadge, formatEventTime } from './event-labels.tsx';
import { messageOf, useDeadLetters } from './use-event-data.ts';

type Action = { letter: DeadLetter; kind: 'retry' | 'discard' };

const statusLabels: Record<DeadLetterStatus, string> = { open: 'Open', retried: 'Retried', discarded: 'Discarded' };

export function DeadLettersTab({ groups, group, canAct, onGroupChange, onOpenEvent, onChanged }: {
  groups: string[];
  group: string;
  canAct: boolean;
  onGroupChange(group: string): void;
  onOpenEvent(eventId: string): void;
  /** After a retry or discard: the lag panel's open count changes. */
  onChanged(): void;
}) {
  const { client } = useSession();
  const [status, setStatus] = useState<DeadLetterStatus>('open');
  const letters = useDeadLetters(group, status);
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | null>(null);

  async function confirm(): Promise<void> {
    if (action === null) return;
    setBusy(true);
    setActionError(undefined);
    try {
      const updated = await actOnDeadLetter(client, action.letter.id, action.kind);
      letters.replace(updated);
      setDone(
        action.kind === 'retry'
          ? `Dead letter ${updated.id} was sent to ${updated.group}.retry; the event is handled again in a moment.`
          : `Dead letter ${updated.id} was discarded. It stays in the log, marked discarded.`,
      );
      setAction(null);
      onChanged();
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        setDone(`Dead letter ${action.letter.id} had already been handled by someone else: ${error.message}.`);
        setAction(null);
        letters.reload();
        onChanged();
      } else {
        setActionError(messageOf(error));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="dead-letters" data-testid="dead-letters">
      <div className="dead-letters-toolbar">
        {groups.length > 1 && (
          <label className="dead-letters-group">
            <span>Group</span>
            <select className="event-select" value={group} onChange={(e) => onGroupChange(e.target.value)}>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="segmented" role="group" aria-label="Dead-letter status">
          {deadLetterStatuses.map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
              {statusLabels[s]}
            </button>
          ))}
        </div>
        <button type="button" className="button button-ghost button-small" onClick={letters.reload}>
          <Icon name="refresh" size={14} />
          <span>Refresh</span>
        </button>
      </div>
      {!canAct && (
        <p className="notice">
          <Icon name="alert" size={16} />
          <span>Retrying and discarding dead letters is for operations and admin users.</span>
        </p>
      )}
      {done !== null && (
        <p className="notice notice-done" role="status">
          <span>{done}</span>
          <button type="button" className="button button-ghost button-small" aria-label="Dismiss" onClick={() => setDone(null)}>
            <Icon name="close" size={14} />
          </button>
        </p>
      )}
      {letters.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>The dead letters could not be loaded: {letters.error}</span>
        </p>
      )}
      {letters.data === undefined ? (
        letters.error === undefined && <Spinner label="Loading dead letters" />
      ) : letters.data.length === 0 ? (
        <EmptyDeadLetters status={status} group={group} />
      ) : (
        <DeadLetterTable letters={letters.data} canAct={canAct} onAct={(letter, kind) => { setActionError(undefined); setAction({ letter, kind }); }} onOpenEvent={onOpenEvent} />
      )}
      <ConfirmDialog
        open={action !== null}
        title={action?.kind === 'discard' ? 'Discard this dead letter?' : 'Retry this dead letter?'}
        confirmLabel={action?.kind === 'discard' ? 'Discard' : 'Retry'}
        danger={action?.kind === 'discard'}
        busy={busy}
        error={actionError}
        onConfirm={() => void confirm()}
        onCancel={() => setAction(null)}
      >
        {action !== null && (
          <>
            <p>
              <strong>{action.letter.type}</strong> for client <span className="mono">{action.letter.clientCode ?? '—'}</span> (event{' '}
              <span className="mono nowrap">{action.letter.eventId}</span>).
            </p>
            <p>
              {action.kind === 'retry'
                ? `The original event goes to ${action.letter.group}.retry and is handled again. An event already handled is not notified twice.`
                : 'It will not be handled again. The record stays in the log, marked discarded, and the action is audited.'}
            </p>
            <p className="muted small">This can be done once, and it is recorded in the audit log under your name.</p>
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}

function DeadLetterTable({ letters, canAct, onAct, onOpenEvent }: {
  letters: DeadLetter[];
  canAct: boolean;
  onAct(letter: DeadLetter, kind: 'retry' | 'discard'): void;
  onOpenEvent(eventId: string): void;
}) {
  const now = new Date();
  return (
    <div className="table-frame">
      <table className="table dead-letters-table" aria-label="Dead letters">
        <thead>
          <tr>
            <th scope="col">Dead since (IST)</th>
            <th scope="col">Event</th>
            <th scope="col">Client</th>
            <th scope="col">Last error</th>
            <th scope="col">Status</th>
            {canAct && <th scope="col"><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {letters.map((letter) => (
            <tr key={letter.id} data-testid="dead-letter-row" data-event-id={letter.eventId}>
              <td className="cell-nowrap">{formatEventTime(letter.deadAt, now)}</td>
              <td>
                <div className="event-type">
                  <span className="event-type-title mono">{letter.type}</span>
                  <button type="button" className="link-button mono small" onClick={() => onOpenEvent(letter.eventId)} title="Open the event">
                    {letter.eventId}
                  </button>
                </div>
              </td>
              <td className="mono cell-nowrap">{letter.clientCode ?? <span className="muted">—</span>}</td>
              <td>
                <span className="dead-letter-error" title={letter.error ?? undefined}>
                  {letter.error ?? <span className="muted">—</span>}
                </span>
                {letter.attempts !== null && <span className="muted small"> after {letter.attempts} attempts</span>}
              </td>
              <td className="cell-nowrap">
                <DeadLetterStatusBadge status={letter.status} />
                {letter.actedAt !== null && <div className="muted small">{formatEventTime(letter.actedAt, now)}</div>}
              </td>
              {canAct && (
                <td className="cell-nowrap dead-letter-actions">
                  {letter.status === 'open' && (
                    <>
                      <button type="button" className="button button-secondary button-small" onClick={() => onAct(letter, 'retry')}>
                        Retry
                      </button>
                      <button type="button" className="button button-ghost button-small" onClick={() => onAct(letter, 'discard')}>
                        Discard
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EmptyDeadLetters({ status, group }: { status: DeadLetterStatus; group: string }) {
  const text: Record<DeadLetterStatus, string> = {
    open: `No open dead letters for ${group}. An event lands here when its handler fails every attempt; the rest of its partition carries on.`,
    retried: `No dead letter of ${group} has been retried.`,
    discarded: `No dead letter of ${group} has been discarded.`,
  };
  return (
    <div className="events-empty">
      <span className="empty-state-icon">
        <Icon name="events" size={22} />
      </span>
      <p className="muted">{text[status]}</p>
    </div>
  );
}
