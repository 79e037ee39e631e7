// Delivery accuracy of the last 24 hours: delivered / deliverable chains (a message and its
// fallbacks), with what was left out and a bar per channel. Shown on the Overview and the
// Notifications page.
import { Link } from 'react-router';
import { ProgressBar } from '../../ui/data-display.tsx';
import type { Tone } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, Spinner } from '../../ui/page.tsx';
import { formatCount } from '../../ui/format.ts';
import { fetchAccuracy } from './notifications-api.ts';
import { channelLabel } from './notification-labels.tsx';
import { usePolled } from './use-notifications.ts';
import './notifications.css';

const DAY_MS = 86_400_000;

function toneOf(accuracy: number): Tone {
  return accuracy >= 0.95 ? 'good' : accuracy >= 0.8 ? 'warn' : 'bad';
}

function percent(value: number): string {
  return `${(value * 100).toFixed(value === 1 ? 0 : 1)}%`;
}

export function DeliveryAccuracyCard({ linkToPage = false }: { linkToPage?: boolean }) {
  const accuracy = usePolled('accuracy/24h', (client, signal) => fetchAccuracy(client, DAY_MS, signal), 15_000);
  const a = accuracy.data;
  const actions = linkToPage ? (
    <Link className="button button-ghost button-small" to="/notifications">
      <span>Notifications</span>
      <Icon name="arrow-right" size={14} />
    </Link>
  ) : undefined;

  return (
    <Card title="Delivery accuracy" actions={actions}>
      <div className="notif-accuracy" data-testid="delivery-accuracy">
        {accuracy.error !== undefined && (
          <p className="alert" role="alert">
            <Icon name="alert" size={16} />
            <span>Delivery accuracy could not be loaded: {accuracy.error}</span>
          </p>
        )}
        {a === undefined ? (
          accuracy.error === undefined && <Spinner label="Loading delivery accuracy" />
        ) : (
          <>
            <div className="notif-accuracy-figure" data-tone={a.deliverable === 0 ? 'neutral' : toneOf(a.accuracy)}>
              <span className="notif-accuracy-value" data-testid="accuracy-value">
                {a.deliverable === 0 ? '—' : percent(a.accuracy)}
              </span>
              <span className="notif-accuracy-caption">
                {a.deliverable === 0
                  ? 'Nothing deliverable has settled in the last 24 hours.'
                  : `${formatCount(a.delivered)} of ${formatCount(a.deliverable)} deliverable notifications delivered in the last 24 hours`}
              </span>
            </div>
            <dl className="facts notif-accuracy-facts">
              <div>
                <dt>In flight</dt>
                <dd>{formatCount(a.inFlight)}</dd>
              </div>
              <div>
                <dt title="The recipient cannot be reached on any planned channel">Undeliverable</dt>
                <dd>{formatCount(a.undeliverable)}</dd>
              </div>
              <div>
                <dt>Throttled or cancelled</dt>
                <dd>{formatCount(a.skipped)}</dd>
              </div>
            </dl>
            {a.byChannel.some((c) => c.deliverable > 0) && (
              <ul className="notif-accuracy-channels" aria-label="Delivered per channel (messages)">
                {a.byChannel
                  .filter((c) => c.deliverable > 0)
                  .map((c) => (
                    <li key={c.channel}>
                      <span>{channelLabel(c.channel)}</span>
                      <ProgressBar value={c.accuracy} label={`${channelLabel(c.channel)} delivered`} tone={toneOf(c.accuracy)} valueText={percent(c.accuracy)} />
                      <span className="notif-accuracy-pct">{percent(c.accuracy)}</span>
                    </li>
                  ))}
              </ul>
            )}
            <p className="muted small">
              A notification counts once with its fallbacks. Left out: messages still in flight, unreachable recipients, throttled and cancelled ones.
            </p>
          </>
        )}
      </div>
    </Card>
  );
}
