// One event and what it caused: the processor's outcome, the notification requests with their
// channels (and why others were skipped), masked destinations, dead letters, and whether each
// consumer group has read past it. Everything shown is ids, codes and masked forms.
import type { ReactNode } from 'react';
import { Badge } from '../../ui/data-display.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Spinner } from '../../ui/page.tsx';
import { formatTimestamp, humanise } from '../../ui/format.ts';
import type { EventDetail as Detail } from './events-api.ts';
import { channelLabel, DeadLetterStatusBadge, EventStatusBadge, formatValue, skipReasonLabel, sourceLabel } from './event-labels.tsx';
import type { Loaded } from './use-event-data.ts';

export function EventDetail({ detail, onClose, onOpenDeadLetters }: { detail: Loaded<Detail>; onClose(): void; onOpenDeadLetters(group: string): void }) {
  const data = detail.data;
  return (
    <aside className="card event-detail" aria-label="Event detail" data-testid="event-detail">
      <div className="card-header">
        <h2>{data === undefined ? 'Event' : (data.event.title ?? data.event.type)}</h2>
        <button type="button" className="button button-ghost button-small" onClick={onClose} aria-label="Close the event detail">
          <Icon name="close" size={14} />
        </button>
      </div>
      <div className="card-body">
        {detail.error !== undefined && (
          <p className="alert" role="alert">
            <Icon name="alert" size={16} />
            <span>The event could not be loaded: {detail.error}</span>
          </p>
        )}
        {data === undefined ? detail.error === undefined && <Spinner label="Loading the event" /> : <DetailBody data={data} onOpenDeadLetters={onOpenDeadLetters} />}
      </div>
    </aside>
  );
}

function DetailBody({ data, onOpenDeadLetters }: { data: Detail; onOpenDeadLetters(group: string): void }) {
  const { event, outcome } = data;
  const variables = Object.entries(event.variables);
  return (
    <>
      <div className="event-detail-status">
        <EventStatusBadge status={event.status} />
        {event.reason !== null && <span className="event-reason">{event.reason}</span>}
      </div>
      <dl className="facts event-facts">
        <Fact label="Event id">
          <span className="mono" data-testid="detail-event-id">{event.eventId}</span>
        </Fact>
        <Fact label="Type">
          <span className="mono">{event.type}</span>
        </Fact>
        <Fact label="Client">{event.clientCode === null ? <span className="muted">—</span> : <span className="mono">{event.clientCode}</span>}</Fact>
        <Fact label="Source">
          {sourceLabel(event.source)}
          {event.headers['caller'] !== undefined && <span className="muted small"> · {event.headers['caller']}</span>}
        </Fact>
        <Fact label="In the log">
          <span className="mono small">
            {event.topic} · p{event.partition ?? '?'} · #{event.position ?? 'unsequenced'}
          </span>
        </Fact>
        {event.occurredAt !== null && <Fact label="Occurred">{formatTimestamp(event.occurredAt)}</Fact>}
        <Fact label="Appended">{formatTimestamp(event.appendedAt)}</Fact>
        <Fact label="Handled">{outcome === null ? <span className="muted">Not yet</span> : formatTimestamp(outcome.handledAt)}</Fact>
      </dl>

      <Section title="Variables">
        {variables.length === 0 ? (
          <p className="muted small">No catalog variables.</p>
        ) : (
          <dl className="event-variables">
            {variables.map(([name, value]) => (
              <div key={name}>
                <dt className="mono">{name}</dt>
                <dd>{formatValue(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </Section>

      <Section title="Notification requests" testId="detail-requests">
        {data.requests.length === 0 ? (
          <p className="muted small">{noRequestReason(data)}</p>
        ) : (
          data.requests.map((request, index) => (
            <div className="event-request" key={index}>
              <div className="event-channels">
                {request.channels.map((channel) => (
                  <Badge key={channel} tone="good">
                    {channelLabel(channel)}
                  </Badge>
                ))}
                {request.regulatory && <Badge tone="info" title="Regulatory: sent whatever the client's opt-outs">Regulatory</Badge>}
              </div>
              {request.skipped.length > 0 && (
                <ul className="event-skipped">
                  {request.skipped.map((skip) => (
                    <li key={skip.channel}>
                      <strong>{channelLabel(skip.channel)}</strong> skipped: {skipReasonLabel(skip.reason)}
                    </li>
                  ))}
                </ul>
              )}
              {Object.keys(request.destinations).length > 0 && (
                <dl className="event-destinations">
                  {Object.entries(request.destinations).map(([kind, masked]) => (
                    <div key={kind}>
                      <dt>{humanise(kind)}</dt>
                      <dd className="mono">{masked}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
          ))
        )}
      </Section>

      <Section title="Deliveries">
        {data.deliveries.length === 0 ? (
          <p className="muted small">No consumer group reads this partition yet.</p>
        ) : (
          <ul className="event-deliveries">
            {data.deliveries.map((d) => (
              <li key={d.group} data-testid="delivery">
                <span className="mono">{d.group}</span>
                {d.passed ? (
                  <Badge tone="good" title={`Committed position ${d.committed}`}>
                    Read past
                  </Badge>
                ) : (
                  <Badge tone="warn" live title={`Committed position ${d.committed}, this event is at ${event.position ?? '?'}`}>
                    Not yet
                  </Badge>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>

      {data.deadLetters.length > 0 && (
        <Section title="Dead letters">
          {data.deadLetters.map((letter) => (
            <div className="event-dead-letter" key={letter.id}>
              <div className="event-dead-letter-head">
                <DeadLetterStatusBadge status={letter.status} />
                <span className="muted small">
                  {letter.group} · {formatTimestamp(letter.deadAt)}
                  {letter.attempts !== null && ` · ${letter.attempts} attempts`}
                </span>
              </div>
              {letter.error !== null && <p className="event-error mono small">{letter.error}</p>}
              {letter.status === 'open' && (
                <button type="button" className="button button-secondary button-small" onClick={() => onOpenDeadLetters(letter.group)}>
                  Open in dead letters
                </button>
              )}
            </div>
          ))}
        </Section>
      )}
    </>
  );
}

function noRequestReason(data: Detail): string {
  switch (data.event.status) {
    case 'pending':
      return 'Not handled yet: the processor has not reached this event.';
    case 'dead_letter':
      return 'None: handling failed. Retry its dead letter to handle it again.';
    case 'planned':
      return 'None recorded.';
    default:
      return `None: ${data.event.reason ?? humanise(data.event.status).toLowerCase()}.`;
  }
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Section({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <section className="event-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
