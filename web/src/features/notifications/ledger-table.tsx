// The ledger, newest first: one row per message with its masked destination, provider, attempts and
// status. A row opens the message drawer; rows that arrive with a refresh flash once.
import type { KeyboardEvent } from 'react';
import { formatDateTime } from '../../ui/format.ts';
import type { NotificationSummary } from './notifications-api.ts';
import { ChannelGlyph, channelLabel, providerLabel, StatusBadge } from './notification-labels.tsx';

export function LedgerTable({ rows, fresh, selectedId, onSelect }: {
  rows: NotificationSummary[];
  fresh: ReadonlySet<string>;
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  return (
    <div className="table-frame">
      <table className="table notif-table" aria-label="Notification ledger">
        <thead>
          <tr>
            <th scope="col">Planned (IST)</th>
            <th scope="col">Event</th>
            <th scope="col">Client</th>
            <th scope="col">Channel</th>
            <th scope="col">Provider</th>
            <th scope="col" className="cell-number">
              Attempts
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <LedgerRow key={row.id} row={row} fresh={fresh.has(row.id)} selected={row.id === selectedId} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LedgerRow({ row, fresh, selected, onSelect }: { row: NotificationSummary; fresh: boolean; selected: boolean; onSelect(id: string): void }) {
  function handleKeyDown(event: KeyboardEvent<HTMLTableRowElement>) {
    if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    onSelect(row.id);
  }
  return (
    <tr
      data-selectable="true"
      data-fresh={fresh}
      aria-selected={selected}
      data-testid="notification-row"
      data-message-id={row.id}
      data-status={row.status}
      tabIndex={0}
      onClick={() => onSelect(row.id)}
      onKeyDown={handleKeyDown}
    >
      <td className="cell-nowrap">{formatDateTime(row.createdAt)}</td>
      <td>
        <div className="notif-event">
          <span className="notif-event-title">{row.title ?? row.type}</span>
          <span className="notif-event-type mono">{row.type}</span>
        </div>
      </td>
      <td className="cell-nowrap mono">{row.clientCode ?? <span className="muted">—</span>}</td>
      <td className="cell-nowrap">
        <div className="notif-channel">
          <ChannelGlyph channel={row.channel} />
          <div>
            <span>{channelLabel(row.channel)}</span>
            <span className="notif-masked mono">{row.maskedTo ?? '—'}</span>
          </div>
        </div>
      </td>
      <td className="cell-nowrap">{providerLabel(row.provider ?? row.providers[0] ?? null)}</td>
      <td className="cell-number">{row.attempts}</td>
      <td className="cell-nowrap">
        <StatusBadge status={row.status} testId="notification-status" />
        {row.lastCode !== null && (row.status === 'failed' || row.status === 'undeliverable' || row.status === 'retrying') && (
          <span className="notif-code mono" title={row.lastDetail ?? undefined}>
            {row.lastCode}
          </span>
        )}
      </td>
    </tr>
  );
}
