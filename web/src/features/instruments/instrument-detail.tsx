// The selected instrument: who it is (identifiers), what it trades at now (a quote kept live by the
// stream, flashing on each change) and how today went (the intraday chart).
import { useState } from 'react';
import { useApiQuery } from '../../app/use-api.ts';
import { Icon } from '../../ui/icons.tsx';
import { Spinner } from '../../ui/page.tsx';
import {
  describeContract,
  formatCount,
  formatExpiry,
  formatNumber,
  formatPrice,
  formatSigned,
  formatTimeOfDay,
} from './format.ts';
import { IntradayChart } from './intraday-chart.tsx';
import type { Instrument, InstrumentDetail as Detail, IntradayChart as ChartData, Quote } from './instruments-api.ts';
import { useLiveQuote } from './quote-stream.ts';
import type { StreamStatus } from './quote-stream.ts';

const instrumentPath = (id: string) => `/api/instruments/${encodeURIComponent(id)}`;

export function InstrumentDetail({ id, panelId, onClose }: { id: string; panelId: string; onClose(): void }) {
  const detail = useApiQuery<Detail>(instrumentPath(id));
  const chart = useApiQuery<ChartData>(`${instrumentPath(id)}/chart`);
  const live = useLiveQuote(id);
  // useApiQuery keeps the previous answer while the next loads: show it dimmed, never as this one.
  const current = detail.data?.instrument.id === id ? detail.data : undefined;
  const shown = current ?? detail.data;

  if (shown === undefined) {
    return (
      <aside id={panelId} className="card detail-panel" aria-label="Instrument detail" aria-busy={detail.error === undefined}>
        {detail.error !== undefined ? (
          <div className="detail-body">
            <p className="alert" role="alert">
              <Icon name="alert" size={16} />
              <span>{detail.error.message}</span>
            </p>
            <div className="detail-actions">
              <button type="button" className="button button-secondary button-small" onClick={detail.reload}>
                Try again
              </button>
              <button type="button" className="button button-ghost button-small" onClick={onClose}>
                Close
              </button>
            </div>
          </div>
        ) : (
          <div className="detail-loading">
            <Spinner label="Loading the instrument" />
          </div>
        )}
      </aside>
    );
  }

  const quote = current === undefined ? undefined : latestQuote(current.quote, live.quote);
  const chartData = chart.data?.instrumentId === id ? chart.data : undefined;

  return (
    <aside
      id={panelId}
      className="card detail-panel"
      aria-label={`${shown.instrument.symbol} detail`}
      aria-busy={current === undefined}
      data-stale={current === undefined}
    >
      <DetailHeader instrument={shown.instrument} onClose={onClose} />
      <div className="detail-body">
        {current !== undefined && <QuoteView key={id} quote={quote} status={live.status} />}
        <section className="detail-section" aria-label="Intraday chart">
          {chartData !== undefined ? (
            <IntradayChart chart={chartData} quote={quote} />
          ) : chart.error !== undefined ? (
            <p className="muted small">The intraday chart is unavailable: {chart.error.message}</p>
          ) : (
            <div className="chart-placeholder" aria-hidden="true" />
          )}
        </section>
        <Identifiers instrument={shown.instrument} />
      </div>
    </aside>
  );
}

/** The newer of the detail call's quote and the last streamed one. */
function latestQuote(fromDetail: Quote | null, streamed: Quote | undefined): Quote | undefined {
  if (streamed === undefined) return fromDetail ?? undefined;
  if (fromDetail === null) return streamed;
  return Date.parse(streamed.at) >= Date.parse(fromDetail.at) ? streamed : fromDetail;
}

function DetailHeader({ instrument, onClose }: { instrument: Instrument; onClose(): void }) {
  const contract = describeContract(instrument);
  return (
    <header className="detail-header">
      <div className="detail-title">
        <h2>
          <span className="detail-symbol">{instrument.symbol}</span>
          <span className="badge" data-exchange={instrument.exchange}>
            {instrument.exchange}
          </span>
          <span className="badge" data-type={instrument.instrumentType}>
            {instrument.instrumentType}
          </span>
        </h2>
        <p className="muted">{contract ?? instrument.name}</p>
      </div>
      <button type="button" className="button button-ghost button-small detail-close" onClick={onClose} aria-label="Close detail">
        <span aria-hidden="true">×</span>
      </button>
    </header>
  );
}

function QuoteView({ quote, status }: { quote: Quote | undefined; status: StreamStatus }) {
  // Each new price restarts the flash: the key changes, so the element (and its animation) is new.
  const [flash, setFlash] = useState<{ price: number | undefined; direction: 'up' | 'down' | undefined; n: number }>({
    price: quote?.last,
    direction: undefined,
    n: 0,
  });
  if (quote !== undefined && quote.last !== flash.price) {
    const direction = flash.price === undefined ? undefined : quote.last > flash.price ? 'up' : 'down';
    setFlash({ price: quote.last, direction, n: flash.n + 1 });
  }

  if (quote === undefined) {
    return (
      <section className="quote" aria-label="Quote">
        <div className="quote-head">
          <h3>Last price</h3>
          <StreamBadge status={status} marketOpen={undefined} />
        </div>
        <p className="muted">No quote for this instrument yet; it shows here as soon as one arrives.</p>
      </section>
    );
  }

  const tone = quote.change > 0 ? 'up' : quote.change < 0 ? 'down' : 'flat';
  const arrow = tone === 'up' ? '▲' : tone === 'down' ? '▼' : '';
  return (
    <section className="quote" aria-label="Quote">
      <div className="quote-head">
        <h3>Last price</h3>
        <StreamBadge status={status} marketOpen={quote.marketOpen} />
      </div>
      <div className="quote-main">
        <span key={flash.n} className="quote-last" data-flash={flash.direction} data-testid="quote-last">
          {formatPrice(quote.last)}
        </span>
        <span className="quote-change" data-tone={tone}>
          {arrow !== '' && <span aria-hidden="true">{arrow} </span>}
          {formatSigned(quote.change)} ({formatSigned(quote.changePct)}%)
        </span>
      </div>
      <dl className="ohlc">
        <Fact label="Open" value={formatPrice(quote.open)} />
        <Fact label="High" value={formatPrice(quote.high)} />
        <Fact label="Low" value={formatPrice(quote.low)} />
        <Fact label="Prev close" value={formatPrice(quote.prevClose)} />
        <Fact label="Volume" value={formatCount(quote.volume)} />
        <Fact label="As of" value={`${formatTimeOfDay(quote.at)} IST`} />
      </dl>
    </section>
  );
}

function StreamBadge({ status, marketOpen }: { status: StreamStatus; marketOpen: boolean | undefined }) {
  if (marketOpen === false) return <span className="status-badge" data-tone="closed">Market closed</span>;
  if (status === 'live') {
    return (
      <span className="status-badge" data-tone="live">
        <span className="live-dot" aria-hidden="true" />
        Live
      </span>
    );
  }
  return (
    <span className="status-badge" data-tone="waiting">
      {status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
    </span>
  );
}

function Fact({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={mono === true ? 'mono' : undefined}>{value}</dd>
    </div>
  );
}

function Identifiers({ instrument }: { instrument: Instrument }) {
  const rows: Array<[string, string | null, boolean?]> = [
    ['ISIN', instrument.isin, true],
    ['Token', instrument.token, true],
    ['Instrument ID', instrument.id, true],
    ['Underlying', instrument.underlying],
    ['Expiry', instrument.expiry === null ? null : formatExpiry(instrument.expiry)],
    ['Strike', instrument.strike === null ? null : `${formatNumber(instrument.strike)}${instrument.optionType === null ? '' : ` ${instrument.optionType}`}`],
    ['Series', instrument.series],
    ['Lot size', instrument.lotSize === null ? null : formatCount(instrument.lotSize)],
    ['Tick size', instrument.tickSize === null ? null : formatNumber(instrument.tickSize)],
    ['Segment', instrument.segment],
    ['Sector', instrument.sector],
    ['Industry', instrument.industry !== null && instrument.industry !== instrument.sector ? instrument.industry : null],
    ['Also known as', instrument.aliases.length > 0 ? instrument.aliases.join(', ') : null],
  ];
  return (
    <section className="detail-section" aria-label="Identifiers">
      <h3>Identifiers</h3>
      <dl className="identifiers">
        {rows
          .filter((row): row is [string, string, boolean?] => row[1] !== null && row[1] !== '')
          .map(([label, value, mono]) => (
            <Fact key={label} label={label} value={value} mono={mono === true} />
          ))}
      </dl>
    </section>
  );
}
