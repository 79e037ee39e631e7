// Events: every business event as it arrives (live, filtered), what the processor made of each and
// what it caused, how far each consumer group has read, and the dead letters to retry or discard.
// Tab, filters, the open event and the dead-letter group live in the URL, so a link shows the same.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession, useUser } from '../../app/session.tsx';
import type { StreamStatus } from '../../app/server-events.ts';
import { Badge } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, PageHeader, Spinner } from '../../ui/page.tsx';
import { formatCount } from '../../ui/format.ts';
import { eventStatuses, fetchCatalog } from './events-api.ts';
import type { CatalogEntry, EventFilters as Filters, EventStatus } from './events-api.ts';
import { DeadLettersTab } from './dead-letters-tab.tsx';
import { EventDetail } from './event-detail.tsx';
import { EventFilters } from './event-filters.tsx';
import { EventsTable } from './events-table.tsx';
import { LagPanel } from './lag-panel.tsx';
import { useEventDetail, useLag } from './use-event-data.ts';
import { useLiveEvents } from './use-live-events.ts';
import './events.css';

type Tab = 'stream' | 'dead-letters';
const DEFAULT_GROUP = 'processor';

export function EventsPage() {
  const user = useUser();
  const canAct = user.role === 'admin' || user.role === 'ops';
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'dead-letters' ? 'dead-letters' : 'stream';
  const group = params.get('group') ?? DEFAULT_GROUP;
  const lag = useLag();
  const groups = useMemo(() => [...new Set([DEFAULT_GROUP, ...(lag.data?.groups.map((g) => g.group) ?? [])])], [lag.data]);
  const open = lag.data?.groups.find((g) => g.group === DEFAULT_GROUP)?.openDeadLetters ?? 0;

  function update(changes: Record<string, string | null>) {
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  }

  const openDeadLetters = (g: string) => update({ tab: 'dead-letters', group: g === DEFAULT_GROUP ? null : g, event: null });
  const openEvent = (id: string) => update({ tab: null, event: id });

  return (
    <div className="events-page">
      <PageHeader
        title="Events"
        description="Every business event as it arrives, what the processor made of it, and how far each consumer has read."
      />
      <LagPanel lag={lag} onOpenDeadLetters={openDeadLetters} />
      <div className="tabs" role="tablist" aria-label="Events views">
        <button type="button" role="tab" id="events-tab-stream" aria-controls="events-panel" aria-selected={tab === 'stream'} onClick={() => update({ tab: null })}>
          Live events
        </button>
        <button type="button" role="tab" id="events-tab-dead-letters" aria-controls="events-panel" aria-selected={tab === 'dead-letters'} onClick={() => openDeadLetters(group)}>
          Dead letters
          {open > 0 && <Badge tone="bad">{formatCount(open)}</Badge>}
        </button>
      </div>
      <div id="events-panel" role="tabpanel" aria-labelledby={tab === 'stream' ? 'events-tab-stream' : 'events-tab-dead-letters'}>
        {tab === 'stream' ? (
          <StreamView params={params} update={update} onOpenDeadLetters={openDeadLetters} />
        ) : (
          <Card>
            <DeadLettersTab
              groups={groups}
              group={group}
              canAct={canAct}
              onGroupChange={(g) => update({ group: g === DEFAULT_GROUP ? null : g })}
              onOpenEvent={openEvent}
              onChanged={lag.reload}
            />
          </Card>
        )}
      </div>
    </div>
  );
}

function readFilters(params: URLSearchParams): Filters {
  const status = params.get('status') ?? '';
  return {
    type: params.get('type') ?? '',
    client: params.get('client') ?? '',
    status: (eventStatuses as readonly string[]).includes(status) ? (status as EventStatus) : '',
  };
}

function StreamView({ params, update, onOpenDeadLetters }: {
  params: URLSearchParams;
  update(changes: Record<string, string | null>): void;
  onOpenDeadLetters(group: string): void;
}) {
  const filters = readFilters(params);
  const selected = params.get('event');
  const [paused, setPaused] = useState(false);
  const events = useLiveEvents(filters, paused);
  const catalog = useCatalog();
  const selectedRow = events.rows?.find((row) => row.id === selected || row.eventId === selected);

  return (
    <div className="events-layout" data-detail={selected !== null}>
      <Card
        title="Live events"
        actions={
          <div className="events-live-actions">
            <StreamNote status={events.status} paused={paused} />
            <button type="button" className="button button-ghost button-small" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
              {paused ? 'Resume' : 'Pause'}
            </button>
          </div>
        }
      >
        <EventFilters filters={filters} catalog={catalog} onChange={(next) => update({ type: next.type, client: next.client, status: next.status })} />
        {events.held > 0 && paused && (
          <button type="button" className="events-held" onClick={events.showHeld}>
            Show {formatCount(events.held)} new {events.held === 1 ? 'event' : 'events'}
          </button>
        )}
        {events.error !== undefined && (
          <p className="alert" role="alert">
            <Icon name="alert" size={16} />
            <span>
              {events.rows === undefined ? 'The events could not be loaded' : 'Loading events failed'}: {events.error}
            </span>
            <button type="button" className="button button-secondary button-small" onClick={events.retry}>
              Try again
            </button>
          </p>
        )}
        {events.rows === undefined ? (
          events.error === undefined && <Spinner label="Loading events" />
        ) : events.rows.length === 0 ? (
          <NoEvents filtered={filters.type !== '' || filters.client !== '' || filters.status !== ''} />
        ) : (
          <>
            <EventsTable rows={events.rows} live={events.live} selectedId={selectedRow?.id ?? selected} onSelect={(id) => update({ event: id })} />
            {events.hasOlder && (
              <button type="button" className="button button-secondary events-older" onClick={events.loadOlder} disabled={events.loadingOlder}>
                {events.loadingOlder ? 'Loading…' : 'Load older events'}
              </button>
            )}
          </>
        )}
      </Card>
      {selected !== null && (
        <SelectedEvent id={selected} stamp={selectedRow ? `${selectedRow.status}/${selectedRow.requests}` : undefined} onClose={() => update({ event: null })} onOpenDeadLetters={onOpenDeadLetters} />
      )}
    </div>
  );
}

function SelectedEvent({ id, stamp, onClose, onOpenDeadLetters }: { id: string; stamp: string | undefined; onClose(): void; onOpenDeadLetters(group: string): void }) {
  const detail = useEventDetail(id, stamp);
  const panel = useRef<HTMLDivElement>(null);
  // On a narrow screen the detail opens below the table: bring it into view when it starts off screen.
  useEffect(() => {
    const top = panel.current?.getBoundingClientRect().top;
    if (top !== undefined && top > window.innerHeight - 120) panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [id]);
  return (
    <div ref={panel} className="event-detail-anchor">
      <EventDetail detail={detail} onClose={onClose} onOpenDeadLetters={onOpenDeadLetters} />
    </div>
  );
}

function StreamNote({ status, paused }: { status: StreamStatus; paused: boolean }) {
  if (paused) return <span className="live-note">Paused</span>;
  if (status === 'live') {
    return (
      <span className="live-note" role="status" data-testid="stream-status">
        <span className="live-note-dot" aria-hidden="true" />
        Live
      </span>
    );
  }
  return (
    <span className="live-note" role="status" data-testid="stream-status">
      <Spinner label="Connecting" />
      {status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </span>
  );
}

function useCatalog(): CatalogEntry[] | undefined {
  const { client } = useSession();
  const [catalog, setCatalog] = useState<CatalogEntry[] | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    // Without the catalog the type filter lists nothing but still works from the URL.
    fetchCatalog(client, controller.signal).then(setCatalog, () => undefined);
    return () => controller.abort();
  }, [client]);
  return catalog;
}

function NoEvents({ filtered }: { filtered: boolean }) {
  return (
    <div className="events-empty">
      <span className="empty-state-icon">
        <Icon name="events" size={22} />
      </span>
      <div>
        <h3>{filtered ? 'No events match these filters' : 'No events yet'}</h3>
        <p className="muted">
          {filtered
            ? 'New matching events appear here as they arrive. Clear a filter to see more.'
            : 'Events appear here the moment they arrive: from POST /api/events, the events.triggered stream, the scheduler, and the KYC changes ingestion finds.'}
        </p>
      </div>
    </div>
  );
}
