// The live table of events, newest first. A row opens the event's detail; rows that arrive through
// the stream flash once so the eye finds them.
import type { KeyboardEvent } from 'react';
import type { EventSummary } from './events-api.ts';
import { EventStatusBadge, formatEventTime, sourceLabel } from './event-labels.tsx';

export function EventsTable({ rows, live, selectedId, onSelect }: {
  rows: EventSummary[];
  live: ReadonlySet<string>;
  selectedId: string | null;
  onSelect(id: string): void;
}) {
  const now = new Date();
  return (
    <div className="table-frame">
      <table className="table events-table" aria-label="Events">
        <thead>
          <tr>
            <th scope="col">Time (IST)</th>
            <th scope="col">Event</th>
            <th scope="col">Client</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col" className="cell-number" title="Notification requests the event caused">
              Requests
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <EventRow key={row.id} row={row} now={now} live={live.has(row.id)} selected={row.id === selectedId} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventRow({ row, now, live, selected, onSelect }: { row: EventSummary; now: Date; live: boolean; selected: boolean; onSelect(id: string): void }) {
  function handleKeyDown(event: KeyboardEvent<HTMLTableRowElement>) {
    if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    onSelect(row.id);
  }
  return (
    <tr
      data-selectable="true"
      data-live={live}
      aria-selected={selected}
      data-testid="event-row"
      data-event-id={row.eventId}
      tabIndex={0}
      onClick={() => onSelect(row.id)}
      onKeyDown={handleKeyDown}
    >
      <td className="cell-nowrap" title={row.appendedAt}>
        {formatEventTime(row.appendedAt, now)}
      </td>
      <td>
        <div className="event-type">
          <span className="event-type-title">{row.title ?? row.type}</span>
          <span className="event-type-code mono">{row.type}</span>
        </div>
      </td>
      <td className="mono cell-nowrap">{row.clientCode ?? <span className="muted">—</span>}</td>
      <td className="cell-nowrap">{sourceLabel(row.source)}</td>
      <td className="cell-nowrap" title={row.reason ?? undefined}>
        <EventStatusBadge status={row.status} />
      </td>
      <td className="cell-number">
        <span className={row.requests === 0 ? 'cell-zero' : undefined}>{row.requests}</span>
      </td>
    </tr>
  );
}
