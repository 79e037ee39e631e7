// Notifications: delivery accuracy and the delivery rate over time, the ledger of every message
// (filters as chips, refreshed every few seconds) with a drawer holding its timeline, Retry and
// Cancel for operators, and the sandbox inbox. Tab, filters and the open message live in the URL.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession, useUser } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, PageHeader, Spinner } from '../../ui/page.tsx';
import { channels, fetchCatalog, noFilters, statusGroupNames, timeRanges } from './notifications-api.ts';
import type { CatalogEntry, Channel, LedgerFilters as Filters, NotificationSummary, StatusGroup, TimeRange } from './notifications-api.ts';
import { DeliveryAccuracyCard } from './accuracy-card.tsx';
import { DeliveryChart } from './delivery-chart.tsx';
import { LedgerFilters } from './ledger-filters.tsx';
import { LedgerTable } from './ledger-table.tsx';
import { MessageDrawer } from './message-drawer.tsx';
import { SandboxInbox } from './sandbox-inbox.tsx';
import { LEDGER_POLL_MS, useLedger } from './use-notifications.ts';
import './notifications.css';

type Tab = 'ledger' | 'inbox';

function readList<T extends string>(params: URLSearchParams, key: string, allowed: readonly string[]): T[] {
  return (params.get(key) ?? '').split(',').filter((v) => allowed.includes(v)) as T[];
}

function readFilters(params: URLSearchParams): Filters {
  const range = params.get('range') ?? '';
  return {
    status: readList<StatusGroup>(params, 'status', statusGroupNames),
    channel: readList<Channel>(params, 'channel', channels),
    provider: (params.get('provider') ?? '').split(',').filter((p) => /^[a-z0-9-]{1,40}$/.test(p)),
    type: params.get('type') ?? '',
    client: params.get('client') ?? '',
    range: range in timeRanges ? (range as TimeRange) : '',
  };
}

export function NotificationsPage() {
  const user = useUser();
  const canAct = user.role === 'admin' || user.role === 'ops';
  const [params, setParams] = useSearchParams();
  const tab: Tab = canAct && params.get('tab') === 'inbox' ? 'inbox' : 'ledger';
  const selected = params.get('message');
  // A retry or cancel in the drawer shows in the ledger at once, not at its next refresh.
  const [changed, setChanged] = useState<NotificationSummary | undefined>(undefined);

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

  return (
    <div className="notif-page">
      <PageHeader
        title="Notifications"
        description="Every SMS, WhatsApp and push message with its delivery proven: the ledger, each message’s timeline, and how well each channel and provider delivers."
      />
      <div className="notif-overview">
        <DeliveryAccuracyCard />
        <DeliveryChart />
      </div>
      {canAct && (
        <div className="notif-tabs" role="tablist" aria-label="Notifications views">
          <button type="button" role="tab" id="notif-tab-ledger" aria-controls="notif-panel" aria-selected={tab === 'ledger'} onClick={() => update({ tab: null })}>
            Ledger
          </button>
          <button type="button" role="tab" id="notif-tab-inbox" aria-controls="notif-panel" aria-selected={tab === 'inbox'} onClick={() => update({ tab: 'inbox' })}>
            Sandbox inbox
          </button>
        </div>
      )}
      <div id="notif-panel" role={canAct ? 'tabpanel' : undefined} aria-labelledby={canAct ? (tab === 'ledger' ? 'notif-tab-ledger' : 'notif-tab-inbox') : undefined}>
        {tab === 'ledger' ? (
          <LedgerView params={params} update={update} changed={changed} />
        ) : (
          <SandboxInbox client={params.get('inbox') ?? ''} onClientChange={(code) => update({ inbox: code })} onOpenMessage={(id) => update({ message: id })} />
        )}
      </div>
      {selected !== null && (
        <MessageDrawer id={selected} canAct={canAct} onClose={() => update({ message: null })} onOpen={(id) => update({ message: id })} onChanged={setChanged} />
      )}
    </div>
  );
}

function LedgerView({ params, update, changed }: { params: URLSearchParams; update(changes: Record<string, string | null>): void; changed: NotificationSummary | undefined }) {
  const filters = useMemo(() => readFilters(params), [params]);
  const ledger = useLedger(filters);
  const { replace } = ledger;
  useEffect(() => {
    if (changed !== undefined) replace(changed);
  }, [changed, replace]);
  const catalog = useCatalog();
  const selected = params.get('message');
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);
  const providers = useMemo(() => [...new Set((ledger.rows ?? []).flatMap((r) => r.providers))], [ledger.rows]);

  function setFilters(next: Filters) {
    update({
      status: next.status.join(','), channel: next.channel.join(','), provider: next.provider.join(','), type: next.type, client: next.client, range: next.range,
    });
  }

  return (
    <Card
      title="Ledger"
      actions={
        <span className="notif-live" role="status">
          <span className="notif-live-dot" aria-hidden="true" />
          Refreshing every {LEDGER_POLL_MS / 1000} s
        </span>
      }
    >
      <LedgerFilters filters={filters} catalog={catalog} providers={providers} onChange={setFilters} />
      {ledger.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>
            {ledger.rows === undefined ? 'The ledger could not be loaded' : 'Refreshing the ledger failed'}: {ledger.error}
          </span>
          <button type="button" className="button button-secondary button-small" onClick={ledger.reload}>
            Try again
          </button>
        </p>
      )}
      {ledger.rows === undefined ? (
        ledger.error === undefined && <Spinner label="Loading the ledger" />
      ) : ledger.rows.length === 0 ? (
        <NoMessages filtered={filtered} />
      ) : (
        <>
          <LedgerTable rows={ledger.rows} fresh={ledger.fresh} selectedId={selected} onSelect={(id) => update({ message: id })} />
          {ledger.hasOlder && (
            <button type="button" className="button button-secondary notif-older" onClick={ledger.loadOlder} disabled={ledger.loadingOlder}>
              {ledger.loadingOlder ? 'Loading…' : 'Load older messages'}
            </button>
          )}
        </>
      )}
    </Card>
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

function NoMessages({ filtered }: { filtered: boolean }) {
  return (
    <div className="notif-empty">
      <span className="empty-state-icon">
        <Icon name="notifications" size={22} />
      </span>
      <div>
        <h3>{filtered ? 'No messages match these filters' : 'No notifications yet'}</h3>
        <p className="muted">
          {filtered
            ? 'Matching messages appear here as they are planned. Clear a filter to see more.'
            : 'A message is planned for each channel when an event reaches a client: WhatsApp first with SMS behind it, push alongside. They appear here within seconds.'}
        </p>
      </div>
    </div>
  );
}
