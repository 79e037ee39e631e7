// One message in a drawer: its facts (masked destination only), the other messages of its chain,
// its timeline as a stepper, and Retry or Cancel for operators, each behind a confirmation.
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { Badge } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Spinner } from '../../ui/page.tsx';
import { formatTimestamp } from '../../ui/format.ts';
import { cancelNotification, fetchNotification, retryNotification } from './notifications-api.ts';
import type { NotificationDetail, NotificationSummary } from './notifications-api.ts';
import { ChannelGlyph, channelLabel, providerLabel, StatusBadge } from './notification-labels.tsx';
import { TimelineStepper } from './timeline-stepper.tsx';
import { LEDGER_POLL_MS, messageOf, usePolled } from './use-notifications.ts';

type Action = 'retry' | 'cancel';

export function MessageDrawer({ id, canAct, onClose, onOpen, onChanged }: {
  id: string;
  canAct: boolean;
  onClose(): void;
  onOpen(id: string): void;
  onChanged(message: NotificationSummary): void;
}) {
  const polled = usePolled(id, (client, signal) => fetchNotification(client, id, signal), LEDGER_POLL_MS);
  const [changed, setChanged] = useState<NotificationDetail | undefined>(undefined);
  useEffect(() => setChanged(undefined), [id, polled.data]);
  const detail = changed ?? polled.data;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="notif-drawer" aria-label="Message detail" data-testid="message-drawer">
      <div className="notif-drawer-header">
        <div>
          <h2>{detail === undefined ? 'Message' : (detail.message.title ?? detail.message.type)}</h2>
          {detail !== undefined && <span className="muted small mono">{detail.message.type}</span>}
        </div>
        <button type="button" className="button button-ghost button-small" onClick={onClose} aria-label="Close the message detail">
          <Icon name="close" size={14} />
        </button>
      </div>
      <div className="notif-drawer-body">
        {polled.error !== undefined && (
          <p className="alert" role="alert">
            <Icon name="alert" size={16} />
            <span>The message could not be loaded: {polled.error}</span>
          </p>
        )}
        {detail === undefined ? (
          polled.error === undefined && <Spinner label="Loading the message" />
        ) : (
          <DrawerBody
            detail={detail}
            canAct={canAct}
            onOpen={onOpen}
            onChanged={(next) => {
              setChanged(next);
              onChanged(next.message);
            }}
          />
        )}
      </div>
    </aside>
  );
}

function DrawerBody({ detail, canAct, onOpen, onChanged }: { detail: NotificationDetail; canAct: boolean; onOpen(id: string): void; onChanged(next: NotificationDetail): void }) {
  const m = detail.message;
  return (
    <>
      <div className="notif-drawer-status">
        <StatusBadge status={m.status} testId="drawer-status" />
        {m.regulatory && <Badge tone="info" title="Regulatory: sent whatever the client's opt-outs and quiet hours">Regulatory</Badge>}
        {m.lastCode !== null && (m.status === 'failed' || m.status === 'undeliverable' || m.status === 'retrying') && (
          <span className="notif-last-code small">
            Last code <span className="mono">{m.lastCode}</span>
            {m.lastDetail !== null && <> · {m.lastDetail}</>}
          </span>
        )}
      </div>
      {canAct && (m.canRetry || m.canCancel) && <Actions message={m} onChanged={onChanged} />}
      <dl className="facts notif-facts">
        <Fact label="Client">{m.clientCode === null ? <span className="muted">—</span> : <Link className="mono" to={`/clients/${encodeURIComponent(m.clientCode)}`}>{m.clientCode}</Link>}</Fact>
        <Fact label="Channel">
          <span className="notif-channel">
            <ChannelGlyph channel={m.channel} />
            {channelLabel(m.channel)} · <span className="mono">{m.maskedTo ?? '—'}</span>
          </span>
        </Fact>
        <Fact label="Providers">
          <span className="notif-providers">
            {m.providers.map((p) => (
              <span key={p} data-current={p === m.provider}>
                {providerLabel(p)}
              </span>
            ))}
          </span>
        </Fact>
        <Fact label="Attempts">{m.attempts}</Fact>
        <Fact label="Template">{m.templateId === null ? <span className="muted">Not rendered yet</span> : <span className="mono small">{m.templateId} v{m.templateVersion}</span>}</Fact>
        <Fact label="Event">
          <Link className="mono small" to={`/events?event=${encodeURIComponent(detail.event.id)}`} data-testid="drawer-event-link">
            {detail.event.id}
          </Link>
        </Fact>
        <Fact label="Planned">{formatTimestamp(m.createdAt)}</Fact>
        {m.acceptedAt !== null && <Fact label="Accepted">{formatTimestamp(m.acceptedAt)}</Fact>}
        {m.deliveredAt !== null && <Fact label="Delivered">{formatTimestamp(m.deliveredAt)}</Fact>}
        <Fact label="Deadline">{formatTimestamp(m.deadline)}</Fact>
      </dl>
      {detail.chain.length > 0 && (
        <section className="notif-section">
          <h3>Chain</h3>
          <p className="muted small">{m.fallbackChannel !== null ? 'Its fallback, sent only if this message fails or is not confirmed in time:' : 'The other messages of the same chain:'}</p>
          <ul className="notif-chain">
            {detail.chain.map((other) => (
              <li key={other.id}>
                <button type="button" className="notif-chain-item" onClick={() => onOpen(other.id)}>
                  <ChannelGlyph channel={other.channel} />
                  <span>{channelLabel(other.channel)}</span>
                  <StatusBadge status={other.status} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="notif-section">
        <h3>Timeline</h3>
        <TimelineStepper message={m} timeline={detail.timeline} />
      </section>
      <p className="muted small notif-id">
        Message <span className="mono">{m.id}</span>
      </p>
    </>
  );
}

function Actions({ message, onChanged }: { message: NotificationSummary; onChanged(next: NotificationDetail): void }) {
  const { client } = useSession();
  const [pending, setPending] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => setDone(null), [message.id]);

  async function confirm() {
    if (pending === null) return;
    setBusy(true);
    setError(undefined);
    try {
      const next = pending === 'retry' ? await retryNotification(client, message.id) : await cancelNotification(client, message.id);
      setDone(pending === 'retry' ? 'Queued again: it is sent from its first provider.' : 'Cancelled.');
      setPending(null);
      onChanged(next);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="notif-actions">
      {message.canRetry && (
        <button type="button" className="button button-primary button-small" onClick={() => setPending('retry')}>
          <Icon name="refresh" size={14} />
          <span>Retry</span>
        </button>
      )}
      {message.canCancel && (
        <button type="button" className="button button-secondary button-small" onClick={() => setPending('cancel')}>
          Cancel message
        </button>
      )}
      {done !== null && (
        <span className="notif-action-done small" role="status">
          {done}
        </span>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending === 'retry' ? 'Retry this message?' : 'Cancel this message?'}
        confirmLabel={pending === 'retry' ? 'Retry now' : 'Cancel message'}
        danger={pending === 'cancel'}
        busy={busy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => {
          setPending(null);
          setError(undefined);
        }}
      >
        {pending === 'retry' ? (
          <p>
            The {channelLabel(message.channel)} message goes back to the queue now and is sent again from its first provider with a fresh attempt
            budget. The client may receive it even if a fallback already reached them. The retry is recorded in the audit log.
          </p>
        ) : (
          <p>
            The {channelLabel(message.channel)} message will not be sent{message.fallbackChannel !== null ? ', and neither will its waiting fallback' : ''}. The
            cancellation is recorded in the audit log.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
