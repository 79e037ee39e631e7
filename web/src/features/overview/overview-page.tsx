// The landing page: who you are signed in as and whether the platform is healthy.
import { roleLabels } from '../../app/navigation.ts';
import { useUser } from '../../app/session.tsx';
import { useApiQuery } from '../../app/use-api.ts';
import { Icon } from '../../ui/icons.tsx';
import { Card, PageHeader, Spinner } from '../../ui/page.tsx';
import { DeliveryAccuracyCard } from '../notifications/accuracy-card.tsx';

type Health = { status: string; version: string; mode: string };

export function OverviewPage() {
  const user = useUser();
  return (
    <>
      <PageHeader
        title="Overview"
        description="The platform at a glance. Live ingestion, event and notification figures arrive with their issues."
      />
      <div className="card-grid">
        <HealthCard />
        <DeliveryAccuracyCard linkToPage />
        <Card title="Your access">
          <dl className="facts">
            <div>
              <dt>Signed in as</dt>
              <dd>{user.name || user.email}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>{user.email}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>
                <span className="role-badge" data-role={user.role}>
                  {roleLabels[user.role].label}
                </span>
              </dd>
            </div>
          </dl>
          <p className="muted small">{roleLabels[user.role].summary}</p>
        </Card>
      </div>
    </>
  );
}

function HealthCard() {
  const health = useApiQuery<Health>('/api/health');
  const refresh = (
    <button type="button" className="button button-ghost button-small" onClick={health.reload} disabled={health.loading}>
      <Icon name="refresh" size={14} />
      <span>Refresh</span>
    </button>
  );

  return (
    <Card title="Platform health" actions={refresh}>
      {health.data === undefined && health.error === undefined ? (
        <Spinner label="Checking platform health" />
      ) : (
        <>
          <HealthStatus health={health.data} failed={health.error !== undefined} />
          {health.error !== undefined && <p className="muted small">{health.error.message}</p>}
          {health.data !== undefined && (
            <dl className="facts">
              <div>
                <dt>Version</dt>
                <dd className="mono">{health.data.version}</dd>
              </div>
              <div>
                <dt>Mode</dt>
                <dd>{capitalise(health.data.mode)}</dd>
              </div>
              {health.loadedAt !== undefined && (
                <div>
                  <dt>Checked</dt>
                  <dd>{health.loadedAt.toLocaleTimeString()}</dd>
                </div>
              )}
            </dl>
          )}
        </>
      )}
    </Card>
  );
}

function HealthStatus({ health, failed }: { health: Health | undefined; failed: boolean }) {
  const tone = failed ? 'bad' : health?.status === 'ok' ? 'good' : 'warn';
  const label = failed ? 'Unreachable' : health?.status === 'ok' ? 'Operational' : `Degraded (${health?.status ?? 'unknown'})`;
  return (
    <p className="health-status" data-tone={tone} role="status">
      <span className="status-dot" aria-hidden="true" />
      {label}
    </p>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
