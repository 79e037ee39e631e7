// Consumer-group lag: per group its total (the number that matters), its open dead letters, and a
// bar per partition of each topic it reads, so a stuck partition stands out from a busy topic.
import { Badge } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Card, Spinner } from '../../ui/page.tsx';
import { formatCount } from '../../ui/format.ts';
import type { GroupLag, LagPartition, LagReport } from './events-api.ts';
import type { Loaded } from './use-event-data.ts';
import { LAG_POLL_MS } from './use-event-data.ts';

export function LagPanel({ lag, onOpenDeadLetters }: { lag: Loaded<LagReport>; onOpenDeadLetters(group: string): void }) {
  const note = (
    <span className="live-note" role="status">
      <span className="live-note-dot" aria-hidden="true" />
      Every {LAG_POLL_MS / 1000} s
    </span>
  );
  return (
    <Card title="Consumer lag" actions={lag.data !== undefined && lag.error === undefined ? note : undefined}>
      {lag.error !== undefined && (
        <p className="alert" role="alert">
          <Icon name="alert" size={16} />
          <span>
            {lag.data === undefined ? 'The lag could not be loaded' : 'The lag stopped updating'}: {lag.error}
          </span>
        </p>
      )}
      {lag.data === undefined ? (
        lag.error === undefined && <Spinner label="Loading consumer lag" />
      ) : lag.data.groups.length === 0 ? (
        <p className="muted">No consumer group has read the log yet. Groups appear here once they start.</p>
      ) : (
        <div className="lag-groups">
          {lag.data.groups.map((group) => (
            <GroupTile key={group.group} group={group} onOpenDeadLetters={() => onOpenDeadLetters(group.group)} />
          ))}
        </div>
      )}
    </Card>
  );
}

function GroupTile({ group, onOpenDeadLetters }: { group: GroupLag; onOpenDeadLetters(): void }) {
  const topics = [...new Set(group.partitions.map((p) => p.topic))];
  const owners = new Set(group.partitions.map((p) => p.owner).filter((o) => o !== null)).size;
  return (
    <section className="lag-group" aria-label={`Consumer group ${group.group}`} data-testid="lag-group">
      <header className="lag-group-header">
        <div>
          <h3 className="mono">{group.group}</h3>
          <p className="muted small">
            {owners === 0 ? 'No member holds a partition now' : owners === 1 ? '1 member reading' : `${owners} members reading`}
          </p>
        </div>
        <div className="lag-total" data-tone={group.lag === 0 ? 'good' : 'warn'}>
          <span className="lag-total-value" data-testid="group-lag">
            {formatCount(group.lag)}
          </span>
          <span className="lag-total-label">{group.lag === 0 ? 'caught up' : group.lag === 1 ? 'event behind' : 'events behind'}</span>
        </div>
      </header>
      {group.openDeadLetters > 0 && (
        <button type="button" className="lag-dead-letters" onClick={onOpenDeadLetters}>
          <Badge tone="bad">{formatCount(group.openDeadLetters)}</Badge>
          <span>open dead {group.openDeadLetters === 1 ? 'letter' : 'letters'}</span>
        </button>
      )}
      {topics.map((topic) => (
        <PartitionBars key={topic} topic={topic} partitions={group.partitions.filter((p) => p.topic === topic)} />
      ))}
    </section>
  );
}

function PartitionBars({ topic, partitions }: { topic: string; partitions: LagPartition[] }) {
  const most = Math.max(1, ...partitions.map((p) => p.lag));
  const behind = partitions.reduce((sum, p) => sum + p.lag, 0);
  return (
    <div className="lag-topic">
      <div className="lag-topic-header">
        <span className="mono small">{topic}</span>
        <span className="muted small">{behind === 0 ? 'up to date' : `${formatCount(behind)} behind`}</span>
      </div>
      <ol className="lag-bars" aria-label={`Lag per partition of ${topic}`}>
        {partitions.map((p) => (
          <li
            key={p.partition}
            className="lag-bar"
            data-behind={p.lag > 0}
            title={`Partition ${p.partition}: ${formatCount(p.lag)} behind (read ${p.position} of ${p.head})${p.owner === null ? ', no owner' : ''}`}
            aria-label={`Partition ${p.partition}: ${formatCount(p.lag)} behind`}
          >
            <span className="lag-bar-fill" style={{ height: `${p.lag === 0 ? 0 : Math.max(8, Math.round((p.lag / most) * 100))}%` }} />
          </li>
        ))}
      </ol>
    </div>
  );
}
