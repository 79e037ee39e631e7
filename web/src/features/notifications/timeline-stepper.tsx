// A message's timeline as a vertical stepper, oldest first: planned → held → sending → accepted →
// delivered, or failed with the provider's code → retry → failover → fell back. A message still in
// flight ends with the step it is waiting for.
import { formatTimestamp } from '../../ui/format.ts';
import type { NotificationSummary, TimelineEntry } from './notifications-api.ts';
import { describeStep, providerLabel } from './notification-labels.tsx';

export function TimelineStepper({ message, timeline }: { message: NotificationSummary; timeline: TimelineEntry[] }) {
  const next = waitingFor(message);
  return (
    <ol className="notif-stepper" aria-label="Timeline" data-testid="message-timeline">
      {timeline.map((entry) => {
        const step = describeStep(entry.state);
        return (
          <li key={entry.id} className="notif-step" data-kind={step.kind} data-state={entry.state} data-testid="timeline-step">
            <span className="notif-step-marker" aria-hidden="true">
              {step.kind === 'good' ? '✓' : step.kind === 'bad' ? '!' : ''}
            </span>
            <div className="notif-step-body">
              <div className="notif-step-head">
                <span className="notif-step-title">{step.title}</span>
                <time className="notif-step-time" dateTime={entry.at}>
                  {formatTimestamp(entry.at)}
                </time>
              </div>
              {(entry.provider !== null || entry.code !== null || entry.attempt !== null) && (
                <div className="notif-step-meta">
                  {entry.provider !== null && <span>{providerLabel(entry.provider)}</span>}
                  {entry.attempt !== null && entry.attempt > 0 && <span>attempt {entry.attempt}</span>}
                  {entry.code !== null && <span className="notif-step-code mono">code {entry.code}</span>}
                </div>
              )}
              {entry.detail !== null && <p className="notif-step-detail">{entry.detail}</p>}
            </div>
          </li>
        );
      })}
      {next !== null && (
        <li className="notif-step" data-kind="pending" data-testid="timeline-next">
          <span className="notif-step-marker" aria-hidden="true" />
          <div className="notif-step-body">
            <div className="notif-step-head">
              <span className="notif-step-title">{next.title}</span>
              {next.at !== undefined && (
                <time className="notif-step-time" dateTime={next.at}>
                  {formatTimestamp(next.at)}
                </time>
              )}
            </div>
            <p className="notif-step-detail">{next.detail}</p>
          </div>
        </li>
      )}
    </ol>
  );
}

function waitingFor(m: NotificationSummary): { title: string; detail: string; at?: string } | null {
  switch (m.status) {
    case 'planned':
    case 'queued':
      return { title: 'Sending', detail: `Next: ${providerLabel(m.providers[0] ?? null)}, as soon as a dispatcher is free.` };
    case 'held':
      return { title: 'Release', detail: 'Sent when the quiet hours or the DLT window end.', at: m.nextAttemptAt };
    case 'retrying':
      return { title: 'Next attempt', detail: `Retries continue until the deadline, ${formatTimestamp(m.deadline)}.`, at: m.nextAttemptAt };
    case 'sending':
      return { title: 'Provider answer', detail: 'A dispatcher is sending it now.' };
    case 'accepted':
    case 'sent':
      return {
        title: 'Delivery receipt',
        detail: m.fallbackChannel === null ? 'Waiting for the provider to confirm delivery.' : `If none arrives in time, the ${m.fallbackChannel.toUpperCase()} fallback is sent.`,
      };
    case 'waiting':
      return { title: 'Fallback', detail: 'Sent only if the message before it in the chain fails or is not confirmed in time.' };
    default:
      return null;
  }
}
