// Delivery rate over time (uPlot, as the instruments page's intraday chart): one line per channel,
// or per provider of each channel, by IST hour over the last day or by day over the last 30 days.
// A bucket with nothing deliverable yet is a gap, not a zero.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { Icon } from '../../ui/icons.tsx';
import { Card, Spinner } from '../../ui/page.tsx';
import { formatCount } from '../../ui/format.ts';
import { fetchStats } from './notifications-api.ts';
import type { Stats } from './notifications-api.ts';
import { channelLabel, providerLabel } from './notification-labels.tsx';
import { usePolled } from './use-notifications.ts';

const HEIGHT = 220;
const TIME_ZONE = 'Asia/Kolkata';
const palette = ['#4f46e5', '#12b76a', '#f79009', '#0ba5ec', '#d92d20', '#7a5af8', '#667085', '#ee46bc'];
/** By channel, the lines take the colours of the channel marks in the ledger. */
const channelColours: Record<string, string> = { sms: '#175cd3', whatsapp: '#16a34a', push: '#7a5af8' };

type Line = { key: string; label: string; colour: string; rates: Array<number | null>; delivered: number; deliverable: number; total: number };
type Mode = 'channel' | 'provider';

/** Lines of the chart: per channel (its providers summed) or per channel and provider. */
export function chartLines(stats: Stats, mode: Mode): Line[] {
  const groups = new Map<string, { label: string; points: Array<{ delivered: number; deliverable: number; total: number }> }>();
  for (const s of stats.series) {
    const key = mode === 'channel' ? s.channel : `${s.channel}/${s.provider}`;
    const label = mode === 'channel' ? channelLabel(s.channel) : `${channelLabel(s.channel)} · ${providerLabel(s.provider)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label, points: stats.buckets.map(() => ({ delivered: 0, deliverable: 0, total: 0 })) }));
    s.points.forEach((p, i) => {
      const t = g.points[i]!;
      t.delivered += p.delivered;
      t.deliverable += p.deliverable;
      t.total += p.total;
    });
  }
  return [...groups].map(([key, g], index) => ({
    key,
    label: g.label,
    colour: (mode === 'channel' ? channelColours[key] : undefined) ?? palette[index % palette.length]!,
    rates: g.points.map((p) => (p.deliverable > 0 ? (p.delivered / p.deliverable) * 100 : null)),
    delivered: g.points.reduce((n, p) => n + p.delivered, 0),
    deliverable: g.points.reduce((n, p) => n + p.deliverable, 0),
    total: g.points.reduce((n, p) => n + p.total, 0),
  }));
}

const hourFormat = new Intl.DateTimeFormat('en-IN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
const dayFormat = new Intl.DateTimeFormat('en-IN', { timeZone: TIME_ZONE, day: 'numeric', month: 'short' });

export function DeliveryChart() {
  const [bucket, setBucket] = useState<'hour' | 'day'>('hour');
  const [mode, setMode] = useState<Mode>('channel');
  const stats = usePolled(bucket, (client, signal) => fetchStats(client, bucket, signal), 30_000);
  const lines = useMemo(() => (stats.data === undefined ? [] : chartLines(stats.data, mode)), [stats.data, mode]);
  const total = lines.reduce((n, l) => n + l.total, 0);

  const controls = (
    <div className="notif-chart-controls">
      <Segmented label="Group by" value={mode} options={[['channel', 'Channel'], ['provider', 'Provider']]} onChange={(v) => setMode(v as Mode)} />
      <Segmented label="Range" value={bucket} options={[['hour', '24 hours'], ['day', '30 days']]} onChange={(v) => setBucket(v as 'hour' | 'day')} />
    </div>
  );

  return (
    <Card title="Delivery rate over time" actions={controls}>
      {stats.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>The delivery figures could not be loaded: {stats.error}</span>
          <button type="button" className="button button-secondary button-small" onClick={stats.reload}>
            Try again
          </button>
        </p>
      )}
      {stats.data === undefined ? (
        stats.error === undefined && <Spinner label="Loading delivery figures" />
      ) : total === 0 ? (
        <p className="notif-chart-empty muted">No messages were planned in this range yet. The rate appears here per {bucket} as messages are delivered.</p>
      ) : (
        <>
          <RateChart stats={stats.data} lines={lines} />
          <ul className="notif-legend" aria-label="Delivery rate per line over the range">
            {lines.map((l) => (
              <li key={l.key}>
                <span className="notif-legend-swatch" style={{ background: l.colour }} aria-hidden="true" />
                <span>{l.label}</span>
                <strong>{l.deliverable > 0 ? `${((l.delivered / l.deliverable) * 100).toFixed(1)}%` : '—'}</strong>
                <span className="muted small">
                  {formatCount(l.delivered)} of {formatCount(l.deliverable)} · {formatCount(l.total)} messages
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function RateChart({ stats, lines }: { stats: Stats; lines: Line[] }) {
  const container = useRef<HTMLDivElement>(null);
  const xs = useMemo(() => stats.buckets.map((b) => Date.parse(b) / 1000), [stats.buckets]);
  const shape = `${stats.bucket}|${lines.map((l) => l.key).join(',')}`;
  const data = useMemo(() => [xs, ...lines.map((l) => l.rates)] as uPlot.AlignedData, [xs, lines]);
  const plot = useRef<uPlot | null>(null);
  const [hover, setHover] = useState<number | null>(null);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const format = stats.bucket === 'hour' ? hourFormat : dayFormat;
    const axis = { stroke: '#667085', font: '11px system-ui, sans-serif', grid: { stroke: '#eef0f3', width: 1 }, ticks: { show: false } };
    const instance = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height: HEIGHT,
        padding: [8, 12, 0, 0],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: [0, 100] } },
        axes: [
          { ...axis, values: (_u, splits) => splits.map((s) => format.format(new Date(s * 1000))) },
          { ...axis, size: 48, values: (_u, splits) => splits.map((s) => `${s}%`) },
        ],
        series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.colour, width: 2, spanGaps: false, points: { show: true, size: 5, fill: l.colour } }))],
        hooks: { setCursor: [(u) => setHover(u.cursor.idx ?? null)] },
      },
      data,
      element,
    );
    plot.current = instance;
    const observer = new ResizeObserver(() => instance.setSize({ width: Math.max(240, element.clientWidth), height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.destroy();
      plot.current = null;
    };
    // The plot is rebuilt only when its lines change; new figures go through setData below.
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const point = hover === null ? undefined : stats.overall[hover];
  return (
    <figure className="notif-chart" aria-label="Delivery rate by time">
      <figcaption className="notif-chart-caption">
        <span>Delivered / deliverable, per IST {stats.bucket}</span>
        <span aria-hidden={point === undefined}>
          {point !== undefined &&
            `${(stats.bucket === 'hour' ? hourFormat : dayFormat).format(new Date(point.start))} · ${point.rate === null ? 'nothing settled' : `${(point.rate * 100).toFixed(1)}%`} · ${formatCount(point.total)} messages`}
        </span>
      </figcaption>
      <div ref={container} className="notif-chart-plot" />
    </figure>
  );
}

function Segmented({ label, value, options, onChange }: { label: string; value: string; options: Array<[string, string]>; onChange(value: string): void }) {
  return (
    <div className="notif-segmented" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button key={v} type="button" aria-pressed={value === v} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}
