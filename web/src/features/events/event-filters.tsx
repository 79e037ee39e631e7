// Filters of the live table: event type (from the catalog), client code and status. Type and client
// go to the server (list and stream); the status is matched as rows change.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Icon } from '../../ui/icons.tsx';
import { clientCodePattern, eventStatuses, noFilters } from './events-api.ts';
import type { CatalogEntry, EventFilters as Filters, EventStatus } from './events-api.ts';
import { eventStatusLabels } from './event-labels.tsx';

export function EventFilters({ filters, catalog, onChange }: { filters: Filters; catalog: CatalogEntry[] | undefined; onChange(next: Filters): void }) {
  const id = useId();
  const [code, setCode] = useState(filters.client);
  const [codeError, setCodeError] = useState<string | null>(null);
  useEffect(() => setCode(filters.client), [filters.client]);

  const categories = [...new Set((catalog ?? []).map((entry) => entry.category))];
  const active = filters.type !== '' || filters.client !== '' || filters.status !== '';

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
    <form className="event-filters" role="search" aria-label="Filter events" onSubmit={applyCode} noValidate>
      <div className="event-filter">
        <label htmlFor={`${id}-type`}>Type</label>
        <select id={`${id}-type`} className="event-select" value={filters.type} onChange={(e) => onChange({ ...filters, type: e.target.value })}>
          <option value="">All types</option>
          {categories.map((category) => (
            <optgroup key={category} label={category.toUpperCase()}>
              {(catalog ?? [])
                .filter((entry) => entry.category === category)
                .map((entry) => (
                  <option key={entry.type} value={entry.type}>
                    {entry.title} ({entry.type})
                  </option>
                ))}
            </optgroup>
          ))}
          {filters.type !== '' && catalog !== undefined && !catalog.some((entry) => entry.type === filters.type) && <option value={filters.type}>{filters.type}</option>}
        </select>
      </div>
      <div className="event-filter">
        <label htmlFor={`${id}-client`}>Client code</label>
        <div className="event-code" data-invalid={codeError !== null}>
          <input
            id={`${id}-client`}
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
          {filters.client !== '' && (
            <button type="button" className="event-code-clear" aria-label="Clear the client code" onClick={() => onChange({ ...filters, client: '' })}>
              <Icon name="close" size={14} />
            </button>
          )}
        </div>
        {codeError !== null && (
          <span id={`${id}-client-error`} className="field-error" role="alert">
            {codeError}
          </span>
        )}
      </div>
      <div className="event-filter">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} className="event-select" value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value as EventStatus | '' })}>
          <option value="">Any status</option>
          {eventStatuses.map((status) => (
            <option key={status} value={status}>
              {eventStatusLabels[status].label}
            </option>
          ))}
        </select>
      </div>
      {active && (
        <button type="button" className="button button-ghost button-small event-filters-clear" onClick={() => onChange(noFilters)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
