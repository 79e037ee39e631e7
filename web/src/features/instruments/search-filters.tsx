// Filter chips built from the answer's facets, with their counts. A chip that is on stays visible even
// when the current answer has no count for it, so it can always be turned off again.
import { formatCount, facetOrder, isDerivative, segmentLabels, typeLabels } from './format.ts';
import type { FacetName, SearchQuery, SearchResponse } from './instruments-api.ts';

type FilterProps = {
  query: SearchQuery;
  facets: SearchResponse['facets'] | undefined;
  onToggle(facet: FacetName, value: string): void;
  onExpiryChange(range: { expiryFrom: string; expiryTo: string }): void;
  onClear(): void;
};

const groups: Array<{ facet: FacetName; label: string; labels: Record<string, string> }> = [
  { facet: 'exchange', label: 'Exchange', labels: {} },
  { facet: 'type', label: 'Type', labels: typeLabels },
  { facet: 'segment', label: 'Segment', labels: segmentLabels },
];

export function hasActiveFilters(query: SearchQuery): boolean {
  return query.exchange.length + query.type.length + query.segment.length > 0 || query.expiryFrom !== '' || query.expiryTo !== '';
}

export function SearchFilters({ query, facets, onToggle, onExpiryChange, onClear }: FilterProps) {
  const showExpiry = query.type.some(isDerivative) || query.expiryFrom !== '' || query.expiryTo !== '';
  return (
    <div className="filters" role="group" aria-label="Filters">
      {groups.map(({ facet, label, labels }) => {
        const values = chipValues(facet, facets?.[facet] ?? {}, query[facet]);
        if (values.length === 0) return null;
        return (
          <div className="filter-group" key={facet} role="group" aria-label={label}>
            <span className="filter-label" aria-hidden="true">
              {label}
            </span>
            {values.map((value) => {
              const on = query[facet].includes(value);
              const count = facets?.[facet]?.[value];
              return (
                <button
                  key={value}
                  type="button"
                  className="chip"
                  aria-pressed={on}
                  onClick={() => onToggle(facet, value)}
                  title={`${on ? 'Remove' : 'Only show'} ${labels[value] ?? value}`}
                >
                  <span>{labels[value] ?? value}</span>
                  {count !== undefined && <span className="chip-count">{formatCount(count)}</span>}
                </button>
              );
            })}
          </div>
        );
      })}
      {showExpiry && (
        <div className="filter-group expiry-range" role="group" aria-label="Expiry">
          <span className="filter-label" aria-hidden="true">
            Expiry
          </span>
          <label className="date-field">
            <span className="visually-hidden">Expiry from</span>
            <span aria-hidden="true">from</span>
            <input
              type="date"
              value={query.expiryFrom}
              max={query.expiryTo || undefined}
              onChange={(event) => onExpiryChange({ expiryFrom: event.target.value, expiryTo: query.expiryTo })}
            />
          </label>
          <label className="date-field">
            <span className="visually-hidden">Expiry to</span>
            <span aria-hidden="true">to</span>
            <input
              type="date"
              value={query.expiryTo}
              min={query.expiryFrom || undefined}
              onChange={(event) => onExpiryChange({ expiryFrom: query.expiryFrom, expiryTo: event.target.value })}
            />
          </label>
        </div>
      )}
      {hasActiveFilters(query) && (
        <button type="button" className="button button-ghost button-small filters-clear" onClick={onClear}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** Known values in their usual order, then unknown ones by count; zero counts only while active. */
function chipValues(facet: FacetName, counts: Record<string, number>, active: readonly string[]): string[] {
  const present = new Set([...Object.keys(counts).filter((value) => (counts[value] ?? 0) > 0), ...active]);
  const known = facetOrder[facet].filter((value) => present.has(value));
  const unknown = [...present]
    .filter((value) => !facetOrder[facet].includes(value))
    .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a.localeCompare(b));
  return [...known, ...unknown];
}
