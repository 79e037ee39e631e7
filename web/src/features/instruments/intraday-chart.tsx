// The day's price line (uPlot) over the whole 09:15-15:30 IST session, with the previous close as a
// dashed reference. Streamed quotes extend the line, so it moves with the quote above it.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount, formatHourMinute, formatPrice, MARKET_TIME_ZONE } from './format.ts';
import type { IntradayChart as ChartData, Quote } from './instruments-api.ts';

const HEIGHT = 168;
const MINUTE = 60;

type Series = { xs: number[]; ys: number[] };

/** Minute points from the server, with the live quote folded into the last minute or a new one. */
export function withLiveQuote(points: ChartData['points'], quote: Quote | undefined): Series {
  const xs = points.map((point) => Math.floor(Date.parse(point.t) / 1000));
  const ys = points.map((point) => point.price);
  const session = sessionWindow(xs);
  if (quote === undefined || !quote.marketOpen || session === null) return { xs, ys };
  const minute = Math.floor(Date.parse(quote.at) / 1000 / MINUTE) * MINUTE;
  const last = xs.at(-1) ?? 0;
  // A quote from outside the chart's session (late ticks, clock skew) would stretch the day.
  if (minute < last || minute > session[1]) return { xs, ys };
  if (minute === last) ys[ys.length - 1] = quote.last;
  else {
    xs.push(minute);
    ys.push(quote.last);
  }
  return { xs, ys };
}

/** 09:15 to 15:30 IST on the day of the first point (a trading session never crosses midnight). */
function sessionWindow(xs: number[]): [number, number] | null {
  const first = xs[0];
  if (first === undefined) return null;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: MARKET_TIME_ZONE }).format(new Date(first * 1000));
  const open = Date.parse(`${day}T09:15:00+05:30`) / 1000;
  const close = Date.parse(`${day}T15:30:00+05:30`) / 1000;
  return [Math.min(open, first), Math.max(close, xs.at(-1) ?? close)];
}

function cssColour(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function IntradayChart({ chart, quote }: { chart: ChartData; quote: Quote | undefined }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const series = useMemo(() => withLiveQuote(chart.points, quote), [chart.points, quote]);
  const prevClose = chart.prevClose ?? quote?.prevClose ?? null;
  // The line takes the quote's colour, so the chart and the change above it never disagree.
  const lastPrice = quote?.last ?? series.ys.at(-1);
  const up = lastPrice === undefined || prevClose === null || lastPrice >= prevClose;
  // uPlot reads these through closures at draw time; refs keep it from being rebuilt on every quote.
  const session = sessionWindow(series.xs);
  const live = useRef({ prevClose, up, session, series });
  live.current = { prevClose, up, session, series };
  const [hover, setHover] = useState<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const good = cssColour('--good', '#12b76a');
    const bad = cssColour('--bad', '#d92d20');
    const grid = '#eef0f3';
    const tone = () => (live.current.up ? good : bad);
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT,
      padding: [8, 8, 0, 0],
      legend: { show: false },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), MARKET_TIME_ZONE),
      cursor: { drag: { x: false, y: false }, points: { size: 7, fill: () => tone() } },
      scales: {
        x: { time: true, range: (_u, min, max) => live.current.session ?? [min, max] },
        y: {
          range: (_u, min, max) => {
            const reference = live.current.prevClose;
            const low = reference === null ? min : Math.min(min, reference);
            const high = reference === null ? max : Math.max(max, reference);
            const pad = (high - low) * 0.1 || Math.abs(high) * 0.005 || 1;
            return [low - pad, high + pad];
          },
        },
      },
      axes: [
        {
          stroke: '#667085',
          font: '11px system-ui, sans-serif',
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map((split) => formatHourMinute(new Date(split * 1000))),
        },
        {
          stroke: '#667085',
          font: '11px system-ui, sans-serif',
          size: 64,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => {
            // Whole rupees once the ticks are a rupee or more apart; paise only for tight ranges.
            const step = splits.length > 1 ? Math.abs((splits[1] ?? 0) - (splits[0] ?? 0)) : 0;
            return splits.map((split) => (step >= 1 ? formatCount(split) : formatPrice(split)));
          },
        },
      ],
      series: [
        {},
        {
          stroke: () => tone(),
          width: 1.5,
          points: { show: false },
          fill: (u) => {
            const gradient = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
            gradient.addColorStop(0, `${tone()}33`);
            gradient.addColorStop(1, `${tone()}00`);
            return gradient;
          },
        },
      ],
      hooks: {
        draw: [(u) => drawReference(u, live.current.prevClose)],
        setCursor: [
          (u) => {
            const index = u.cursor.idx;
            const x = index === null || index === undefined ? undefined : u.data[0][index];
            const y = index === null || index === undefined ? undefined : u.data[1]?.[index];
            setHover(x === undefined || y === undefined || y === null ? null : { x, y });
          },
        ],
      },
    };
    const instance = new uPlot(options, [live.current.series.xs, live.current.series.ys], element);
    plot.current = instance;
    const observer = new ResizeObserver(() => instance.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.destroy();
      plot.current = null;
    };
  }, [chart.instrumentId]);

  useEffect(() => {
    plot.current?.setData([series.xs, series.ys]);
  }, [series]);

  const readout =
    hover !== null
      ? `${formatHourMinute(new Date(hover.x * 1000))} · ${formatPrice(hover.y)}`
      : prevClose !== null
        ? `Prev close ${formatPrice(prevClose)}`
        : '';

  return (
    <figure className="intraday" aria-label="Intraday price chart">
      <figcaption className="intraday-caption">
        <span>Today, IST</span>
        <span className="intraday-readout" aria-hidden={hover !== null}>
          {hover === null && prevClose !== null && <span className="reference-swatch" aria-hidden="true" />}
          {readout}
        </span>
      </figcaption>
      {series.xs.length === 0 ? <p className="intraday-empty muted small">No trades yet today.</p> : null}
      <div ref={container} className="intraday-plot" hidden={series.xs.length === 0} />
    </figure>
  );
}

function drawReference(u: uPlot, prevClose: number | null): void {
  if (prevClose === null) return;
  const y = Math.round(u.valToPos(prevClose, 'y', true)) + 0.5;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = '#98a2b3';
  ctx.lineWidth = 1 * uPlot.pxRatio;
  ctx.setLineDash([4 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
  ctx.beginPath();
  ctx.moveTo(bbox.left, y);
  ctx.lineTo(bbox.left + bbox.width, y);
  ctx.stroke();
  ctx.restore();
}
