// The KYC status now and how it got there: every status the KRA has reported for this client,
// newest first, with when Pravah recorded it and from which source version.
import { Card } from '../../ui/page.tsx';
import { formatCalendarDate, formatTimestamp } from '../../ui/format.ts';
import type { ClientDetail, StatusChange } from './clients-api.ts';
import { decodeKraStatus, KraStatusBadge, kycModes } from './client-codes.tsx';
import { Facts } from './facts.tsx';

export function KycCard({ client }: { client: ClientDetail }) {
  const { profile } = client;
  const status = decodeKraStatus(client.kraStatus);
  return (
    <Card title="KYC status">
      <Facts
        rows={[
          ['Status', <KraStatusBadge key="status" code={client.kraStatus} />],
          ['KRA', status?.kra ?? profile.kra],
          ['Status date', profile.kraStatusDate === null ? '—' : formatCalendarDate(profile.kraStatusDate)],
          ['Status code', <span key="code" className="mono">{client.kraStatus}</span>],
          ['KYC mode', kycModes[profile.kycMode] ?? String(profile.kycMode)],
        ]}
      />
      <StatusHistory history={client.statusHistory} />
    </Card>
  );
}

function StatusHistory({ history }: { history: StatusChange[] }) {
  const newestFirst = [...history].reverse();
  return (
    <section className="status-history" aria-label="KRA status history">
      <h3>History</h3>
      {newestFirst.length === 0 ? (
        <p className="muted small">No status changes recorded yet.</p>
      ) : (
        <ol className="timeline">
          {newestFirst.map((change, index) => (
            <li key={`${change.recordedAt}-${change.sourceVersion}-${index}`} data-current={index === 0} data-testid="status-change">
              <span className="timeline-dot" data-tone={decodeKraStatus(change.kraStatus)?.tone ?? 'neutral'} aria-hidden="true" />
              <div className="timeline-body">
                <div className="timeline-head">
                  <KraStatusBadge code={change.kraStatus} />
                  {index === 0 && <span className="muted small">Current</span>}
                </div>
                <p className="muted small">
                  {change.kraStatusDate !== null && <>Status date {formatCalendarDate(change.kraStatusDate)} · </>}
                  Recorded {formatTimestamp(change.recordedAt)} · source version {change.sourceVersion}
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
