// The results table: one row per instrument, matches highlighted, derivative columns only when the
// answer holds derivatives. The search box drives it (aria-activedescendant), so rows never take focus.
import { useEffect, useRef } from 'react';
import { Icon } from '../../ui/icons.tsx';
import { Spinner } from '../../ui/page.tsx';
import { formatCount, formatExpiry, formatNumber, formatTook, isDerivative } from './format.ts';
import { Highlighted, OtherMatch, spansFor } from './highlight.tsx';
import { MAX_OFFSET } from './instruments-api.ts';
import type { SearchHit, SearchResponse } from './instruments-api.ts';
import type { InstrumentSearch } from './use-instrument-search.ts';

export function rowId(listId: string, index: number): string {
  return `${listId}-row-${index}`;
}

type ResultsProps = {
  listId: string;
  search: InstrumentSearch;
  activeIndex: number;
  selectedId: string | null;
  filtersActive: boolean;
  canImport: boolean;
  onOpen(index: number): void;
  onClearFilters(): void;
};

export function SearchResults(props: ResultsProps) {
  const { listId, search, activeIndex } = props;

  useEffect(() => {
    if (activeIndex < 0) return;
    document.getElementById(rowId(listId, activeIndex))?.scrollIntoView({ block: 'nearest' });
  }, [listId, activeIndex]);

  return (
    <section className="card results-card" aria-label="Search results">
      <div className="results-progress" data-loading={search.loading} aria-hidden="true" />
      <ResultsSummary {...props} />
      <ResultsBody {...props} />
    </section>
  );
}

function ResultsSummary({ search }: ResultsProps) {
  const { response, hits, answeredQuery } = search;
  let text = 'Searching…';
  if (response !== undefined) {
    const asked = (answeredQuery ?? '').trim();
    const count =
      asked === ''
        ? `${formatCount(response.total)} ${response.total === 0 ? '' : 'popular '}${response.total === 1 ? 'instrument' : 'instruments'}`
        : `${formatCount(response.total)} ${response.total === 1 ? 'result' : 'results'} for “${truncate(asked, 40)}”`;
    const showing = hits.length < response.total ? `${formatCount(hits.length)} of ` : '';
    text = `${showing}${count} · ${formatTook(response.tookMs)}`;
  }
  return (
    <div className="results-summary">
      <p aria-live="polite" aria-atomic="true" data-testid="results-count">
        {text}
      </p>
      {response?.derivative != null && <ParsedPhrase phrase={response.derivative} />}
      {response !== undefined && response.warnings.length > 0 && (
        <p className="results-warning" role="note">
          <Icon name="alert" size={14} />
          <span>{response.warnings.join(' ')}</span>
        </p>
      )}
    </div>
  );
}

/** How the server read an F&O phrase, so a dealer can see why `nifty 22000 ce` found what it found. */
function ParsedPhrase({ phrase }: { phrase: NonNullable<SearchResponse['derivative']> }) {
  const parts = [
    phrase.strike === null ? null : formatNumber(phrase.strike),
    phrase.types.length > 0 ? phrase.types.join('/') : null,
    phrase.expiry === null ? null : formatExpiry(phrase.expiry),
  ].filter((part): part is string => part !== null);
  return (
    <p className="parsed-phrase">
      Read as <strong>{phrase.underlying}</strong>
      {parts.map((part) => (
        <span key={part}> · {part}</span>
      ))}
    </p>
  );
}

function ResultsBody(props: ResultsProps) {
  const { search, filtersActive, canImport, onClearFilters } = props;
  const asked = (search.answeredQuery ?? '').trim();

  if (search.response === undefined) {
    if (search.error !== undefined) return <SearchError error={search.error} retry={search.retry} />;
    return <SkeletonRows />;
  }
  if (search.hits.length === 0) {
    const emptyMaster = asked === '' && !filtersActive;
    return (
      <>
        {search.error !== undefined && <SearchError error={search.error} retry={search.retry} />}
        <div className="results-empty">
          <span className="empty-state-icon">
            <Icon name="instruments" size={20} />
          </span>
          {emptyMaster ? (
            <div>
              <h2>No instruments yet</h2>
              <p className="muted">
                {canImport
                  ? 'Import the instrument master below: the desk workbook or an exchange or broker list.'
                  : 'Operations imports the instrument master; ask them to load it.'}
              </p>
            </div>
          ) : (
            <div>
              <h2>No instruments match {asked === '' ? 'these filters' : `“${truncate(asked, 60)}”`}</h2>
              <p className="muted">
                Try a symbol (<kbd>RELIANCE</kbd>), a company name, an ISIN, or an F&amp;O phrase such as{' '}
                <kbd>nifty 25000 ce</kbd> or <kbd>banknifty fut</kbd>.
              </p>
              {filtersActive && (
                <button type="button" className="button button-secondary button-small" onClick={onClearFilters}>
                  Clear filters
                </button>
              )}
            </div>
          )}
        </div>
      </>
    );
  }
  return (
    <>
      {search.error !== undefined && <SearchError error={search.error} retry={search.retry} />}
      <ResultsTable {...props} />
    </>
  );
}

function ResultsTable({ listId, search, activeIndex, selectedId, onOpen }: ResultsProps) {
  const { hits, response, answeredPath } = search;
  const scroller = useRef<HTMLDivElement>(null);

  // A new answer starts at its top; more pages of the same answer keep the place.
  useEffect(() => {
    if (scroller.current !== null) scroller.current.scrollTop = 0;
  }, [answeredPath]);

  const derivatives = hits.some((hit) => isDerivative(hit.instrument.instrumentType));
  return (
    <div ref={scroller} className="results-scroll" data-stale={search.loading}>
      <table className="results-table" id={listId} role="grid" aria-label="Instruments" aria-rowcount={(response?.total ?? hits.length) + 1}>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Name</th>
            <th scope="col">Exch</th>
            <th scope="col">Type</th>
            {derivatives && <th scope="col">Expiry</th>}
            {derivatives && (
              <th scope="col" className="numeric">
                Strike
              </th>
            )}
            <th scope="col" className="numeric">
              Lot
            </th>
          </tr>
        </thead>
        <tbody>
          {hits.map((hit, index) => (
            <ResultRow
              key={hit.instrument.id}
              id={rowId(listId, index)}
              hit={hit}
              index={index}
              active={index === activeIndex}
              selected={hit.instrument.id === selectedId}
              derivatives={derivatives}
              onOpen={onOpen}
            />
          ))}
        </tbody>
      </table>
      {response !== undefined && hits.length < response.total && (
        <div className="results-more">
          {hits.length <= MAX_OFFSET ? (
            <button type="button" className="button button-secondary button-small" onClick={search.loadMore} disabled={search.loadingMore}>
              {search.loadingMore ? 'Loading…' : `Show more (${formatCount(response.total - hits.length)} left)`}
            </button>
          ) : (
            <p className="muted small">Narrow the search or add a filter to see the other {formatCount(response.total - hits.length)}.</p>
          )}
        </div>
      )}
    </div>
  );
}

type RowProps = {
  id: string;
  hit: SearchHit;
  index: number;
  active: boolean;
  selected: boolean;
  derivatives: boolean;
  onOpen(index: number): void;
};

function ResultRow({ id, hit, index, active, selected, derivatives, onOpen }: RowProps) {
  const { instrument, matched } = hit;
  return (
    <tr
      id={id}
      aria-rowindex={index + 2}
      aria-selected={active}
      data-current={selected || undefined}
      className="result-row"
      onClick={() => onOpen(index)}
    >
      <td className="result-symbol">
        <Highlighted text={instrument.symbol} spans={spansFor(matched, 'symbol', instrument.symbol.length)} />
      </td>
      <td className="result-name" title={instrument.name}>
        <span className="result-name-text">
          <Highlighted text={instrument.name} spans={spansFor(matched, 'name', instrument.name.length)} />
        </span>
        <OtherMatch hit={hit} />
      </td>
      <td>
        <span className="badge" data-exchange={instrument.exchange}>
          {instrument.exchange}
        </span>
      </td>
      <td>
        <span className="badge" data-type={instrument.instrumentType}>
          {instrument.instrumentType}
        </span>
      </td>
      {derivatives && <td className="nowrap">{instrument.expiry === null ? '' : formatExpiry(instrument.expiry)}</td>}
      {derivatives && (
        <td className="numeric nowrap">
          {instrument.strike === null ? '' : formatNumber(instrument.strike)}
          {instrument.optionType !== null && <span className={`option-type option-${instrument.optionType}`}> {instrument.optionType}</span>}
        </td>
      )}
      <td className="numeric">{instrument.lotSize === null ? '' : formatCount(instrument.lotSize)}</td>
    </tr>
  );
}

function SearchError({ error, retry }: { error: Error; retry(): void }) {
  return (
    <div className="alert results-alert" role="alert">
      <Icon name="alert" size={16} />
      <span>{error.message}</span>
      <button type="button" className="button button-ghost button-small" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

function SkeletonRows() {
  return (
    <div className="results-skeleton">
      <span className="visually-hidden">
        <Spinner label="Loading instruments" />
      </span>
      {Array.from({ length: 8 }, (_, index) => (
        <div key={index} className="skeleton-row" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
      ))}
    </div>
  );
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
