// Instruments: search as you type (the box drives the table from the keyboard), filter by facet, open an
// instrument for its live quote and intraday chart, and, for operations, import the instrument master.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useUser } from '../../app/session.tsx';
import { Icon } from '../../ui/icons.tsx';
import { PageHeader } from '../../ui/page.tsx';
import { InstrumentDetail } from './instrument-detail.tsx';
import { InstrumentImports } from './instrument-imports.tsx';
import type { FacetName, SearchHit, SearchQuery } from './instruments-api.ts';
import { SearchBox } from './search-box.tsx';
import { hasActiveFilters, SearchFilters } from './search-filters.tsx';
import { rowId, SearchResults } from './search-results.tsx';
import { emptyQuery, queryFromParams, useUrlSync } from './search-url.ts';
import { useInstrumentSearch } from './use-instrument-search.ts';
import { useResultNavigation } from './use-result-navigation.ts';
import './instruments.css';

export function InstrumentsPage() {
  const user = useUser();
  const canImport = user.role === 'admin' || user.role === 'ops';
  const [searchParams] = useSearchParams();
  const [query, setQuery] = useState<SearchQuery>(() => queryFromParams(searchParams));
  const [selectedId, setSelectedId] = useState<string | null>(() => searchParams.get('id'));
  const [refreshKey, setRefreshKey] = useState(0);
  const search = useInstrumentSearch(query, refreshKey);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId().replace(/:/g, '');
  const detailId = `${listId}-detail`;
  useUrlSync(query, selectedId);

  const revealDetail = useRef(false);
  const openInstrument = useCallback((hit: SearchHit) => {
    setSelectedId(hit.instrument.id);
    revealDetail.current = true;
  }, []);
  const setText = useCallback((q: string) => setQuery((previous) => ({ ...previous, q })), []);
  const clearText = useCallback(() => setText(''), [setText]);
  const navigation = useResultNavigation(search, openInstrument, clearText);

  // On narrow screens the detail sits below the results: bring it into view when the user opens one.
  useEffect(() => {
    if (!revealDetail.current) return;
    revealDetail.current = false;
    const panel = document.getElementById(detailId);
    if (panel !== null && panel.getBoundingClientRect().top > window.innerHeight - 80) panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [selectedId, detailId]);

  function toggleFilter(facet: FacetName, value: string) {
    setQuery((previous) => {
      const values = previous[facet];
      return { ...previous, [facet]: values.includes(value) ? values.filter((v) => v !== value) : [...values, value] };
    });
  }

  function closeDetail() {
    setSelectedId(null);
    input.current?.focus();
  }

  const clearFilters = () => setQuery((previous) => ({ ...emptyQuery, q: previous.q }));

  return (
    <div className="instruments-page">
      <PageHeader
        title="Instruments"
        description="Every listed instrument, searched as you type: symbols, company names, ISINs and F&O phrases such as “nifty 25000 ce”."
      />
      <div className="search-panel">
        <SearchBox
          inputRef={input}
          listId={listId}
          value={query.q}
          expanded={search.hits.length > 0}
          activeDescendant={navigation.activeIndex >= 0 ? rowId(listId, navigation.activeIndex) : undefined}
          onChange={setText}
          onKeyDown={navigation.handleKeyDown}
        />
        <SearchFilters
          query={query}
          facets={search.response?.facets}
          onToggle={toggleFilter}
          onExpiryChange={(range) => setQuery((previous) => ({ ...previous, ...range }))}
          onClear={clearFilters}
        />
      </div>
      <div className="instruments-layout">
        <SearchResults
          listId={listId}
          search={search}
          activeIndex={navigation.activeIndex}
          selectedId={selectedId}
          filtersActive={hasActiveFilters(query)}
          canImport={canImport}
          onOpen={navigation.open}
          onClearFilters={clearFilters}
        />
        {selectedId === null ? <DetailPlaceholder /> : <InstrumentDetail id={selectedId} panelId={detailId} onClose={closeDetail} />}
      </div>
      {canImport && <InstrumentImports onImported={() => setRefreshKey((n) => n + 1)} />}
    </div>
  );
}

function DetailPlaceholder() {
  return (
    <aside className="card detail-panel detail-placeholder" aria-label="Instrument detail">
      <span className="empty-state-icon">
        <Icon name="instruments" size={20} />
      </span>
      <h2>Pick an instrument</h2>
      <p className="muted">Its live quote, today’s chart and its identifiers (ISIN, token, lot and tick size) show here.</p>
      <ul className="key-hints">
        <li>
          <kbd>/</kbd> search from anywhere
        </li>
        <li>
          <kbd>↑</kbd> <kbd>↓</kbd> move through the results
        </li>
        <li>
          <kbd>Enter</kbd> or click to open
        </li>
        <li>
          <kbd>Esc</kbd> clear the search
        </li>
      </ul>
    </aside>
  );
}
