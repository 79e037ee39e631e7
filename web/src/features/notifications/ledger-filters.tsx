// The ledger's filters as chips: status groups, channels and providers toggle on and off; time, type
// and client code are chips once set. Everything goes to the server and lives in the page's URL.
import { useEffect, useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Icon } from '../../ui/icons.tsx';
import { channels, clientCodePattern, noFilters, statusGroupNames, statusGroups, timeRanges } from './notifications-api.ts';
import type { CatalogEntry, LedgerFilters as Filters, TimeRange } from './notifications-api.ts';
import { channelLabel, providerLabel } from './notification-labels.tsx';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function LedgerFilters({ filters, catalog, providers, onChange }: {
  filters: Filters;
  catalog: CatalogEntry[] | undefined;
  /** Providers seen in the ledger (from the stats); the selected ones are always offered. */
  providers: string[];
  onChange(next: Filters): void;
}) {
  const id = useId();
  const [code, setCode] = useState(filters.client);
  const [codeError, setCodeError] = useState<string | null>(null);
  useEffect(() => setCode(filters.client), [filters.client]);
  const active = JSON.stringify(filters) !== JSON.stringify(noFilters);
  const providerChoices = [...new Set([...providers, ...filters.provider])].sort();

  function applyCode(event?: FormEvent) {
    event?.preventDefault();
    const value = code.trim().toUpperCase();
    if (value !== '' && !clientCodePattern.test(value)) {
      setCodeError('A client code is 1 to 10 letters or digits');
      return;
    }
    setCodeError(null);
    if (value !== filters.client) onChange({ ...filters, client: value });
  }

  return (
    <form className="notif-filters" role="search" aria-label="Filter notifications" onSubmit={applyCode} noValidate>
      <ChipGroup label="Status">
        {statusGroupNames.map((group) => (
          <Chip key={group} pressed={filters.status.includes(group)} tone={group} onClick={() => onChange({ ...filters, status: toggle(filters.status, group) })}>
            {statusGroups[group].label}
          </Chip>
        ))}
      </ChipGroup>
      <ChipGroup label="Channel">
        {channels.map((channel) => (
          <Chip key={channel} pressed={filters.channel.includes(channel)} onClick={() => onChange({ ...filters, channel: toggle(filters.channel, channel) })}>
            {channelLabel(channel)}
          </Chip>
        ))}
      </ChipGroup>
      {providerChoices.length > 0 && (
        <ChipGroup label="Provider">
          {providerChoices.map((provider) => (
            <Chip key={provider} pressed={filters.provider.includes(provider)} onClick={() => onChange({ ...filters, provider: toggle(filters.provider, provider) })}>
              {providerLabel(provider)}
            </Chip>
          ))}
        </ChipGroup>
      )}
      <ChipGroup label="Planned">
        {(Object.keys(timeRanges) as TimeRange[]).map((range) => (
          <Chip key={range} pressed={filters.range === range} onClick={() => onChange({ ...filters, range: filters.range === range ? '' : range })}>
            {timeRanges[range].label}
          </Chip>
        ))}
      </ChipGroup>
      <div className="notif-filter-fields">
        <label className="notif-field">
          <span>Event type</span>
          <select className="notif-select" value={filters.type} onChange={(e) => onChange({ ...filters, type: e.target.value })}>
            <option value="">All types</option>
            {(catalog ?? []).map((entry) => (
              <option key={entry.type} value={entry.type}>
                {entry.title} ({entry.type})
              </option>
            ))}
            {filters.type !== '' && !(catalog ?? []).some((entry) => entry.type === filters.type) && <option value={filters.type}>{filters.type}</option>}
          </select>
        </label>
        <div className="notif-field">
          <label htmlFor={`${id}-client`}>Client code</label>
          <input
            id={`${id}-client`}
            className="notif-input"
            name="client"
            value={code}
            placeholder="e.g. RS100001"
            autoComplete="off"
            spellCheck={false}
            maxLength={10}
            aria-invalid={codeError !== null}
            aria-describedby={codeError === null ? undefined : `${id}-client-error`}
            onChange={(e) => setCode(e.target.value)}
            onBlur={() => applyCode()}
          />
          {codeError !== null && (
            <span id={`${id}-client-error`} className="notif-field-error" role="alert">
              {codeError}
            </span>
          )}
        </div>
      </div>
      {active && (
        <div className="notif-active" aria-label="Active filters">
          {filters.type !== '' && (
            <RemovableChip label={`Type: ${filters.type}`} onRemove={() => onChange({ ...filters, type: '' })} />
          )}
          {filters.client !== '' && <RemovableChip label={`Client: ${filters.client}`} onRemove={() => onChange({ ...filters, client: '' })} />}
          <button type="button" className="button button-ghost button-small" onClick={() => onChange(noFilters)}>
            Clear all filters
          </button>
        </div>
      )}
    </form>
  );
}

function ChipGroup({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="notif-chip-group" role="group" aria-label={label}>
      <span className="notif-chip-label">{label}</span>
      <div className="notif-chips">{children}</div>
    </div>
  );
}

function Chip({ pressed, tone, onClick, children }: { pressed: boolean; tone?: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className="notif-chip" data-tone={tone} aria-pressed={pressed} onClick={onClick}>
      {pressed && <span className="notif-chip-check" aria-hidden="true">✓</span>}
      {children}
    </button>
  );
}

function RemovableChip({ label, onRemove }: { label: string; onRemove(): void }) {
  return (
    <span className="notif-chip notif-chip-set">
      {label}
      <button type="button" aria-label={`Remove ${label}`} onClick={onRemove}>
        <Icon name="close" size={12} />
      </button>
    </span>
  );
}
