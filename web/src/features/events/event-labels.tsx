// The Events page's words and badges for the server's codes: event and dead-letter statuses,
// channels, skip reasons, and the time of an event to the second, in IST.
import { Badge } from '../../ui/data-display.tsx';
import type { Tone } from '../../ui/data-display.tsx';
import { DISPLAY_TIME_ZONE, humanise } from '../../ui/format.ts';
import type { DeadLetterStatus, EventStatus } from './events-api.ts';

export const eventStatusLabels: Record<EventStatus, { label: string; tone: Tone; title: string }> = {
  pending: { label: 'Pending', tone: 'info', title: 'In the log; the processor has not handled it yet' },
  planned: { label: 'Planned', tone: 'good', title: 'Handled: notifications were requested' },
  skipped: { label: 'Skipped', tone: 'neutral', title: 'Handled: every channel was skipped (consent or contacts)' },
  invalid: { label: 'Invalid', tone: 'bad', title: 'Handled: the event breaks the catalog' },
  client_unknown: { label: 'Client unknown', tone: 'warn', title: 'Handled: no client with this code has been ingested' },
  dead_letter: { label: 'Dead letter', tone: 'bad', title: 'Handling failed after every attempt; see the dead letters' },
};

export function EventStatusBadge({ status }: { status: EventStatus }) {
  const { label, tone, title } = eventStatusLabels[status] ?? { label: humanise(status), tone: 'neutral' as const, title: status };
  return (
    <Badge tone={tone} live={status === 'pending'} title={title} testId="event-status">
      {label}
    </Badge>
  );
}

const deadLetterLabels: Record<DeadLetterStatus, { label: string; tone: Tone }> = {
  open: { label: 'Open', tone: 'bad' },
  retried: { label: 'Retried', tone: 'info' },
  discarded: { label: 'Discarded', tone: 'neutral' },
};

export function DeadLetterStatusBadge({ status }: { status: DeadLetterStatus }) {
  const { label, tone } = deadLetterLabels[status];
  return (
    <Badge tone={tone} testId="dead-letter-status">
      {label}
    </Badge>
  );
}

const channelLabels: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp', push: 'App push' };
export const channelLabel = (channel: string): string => channelLabels[channel] ?? humanise(channel);

const skipReasons: Record<string, string> = {
  no_contact: 'no mobile number on record',
  opted_out: 'the client opted out',
  no_opt_in: 'no opt-in from the client',
};
export const skipReasonLabel = (reason: string): string => skipReasons[reason] ?? humanise(reason).toLowerCase();

const sourceLabels: Record<string, string> = { api: 'API', cli: 'CLI', stream: 'Stream', scheduler: 'Scheduler', ingestion: 'Ingestion' };
export const sourceLabel = (source: string | null): string => (source === null ? '—' : (sourceLabels[source] ?? humanise(source)));

const clock = new Intl.DateTimeFormat('en-IN', { timeZone: DISPLAY_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const day = new Intl.DateTimeFormat('en-IN', { timeZone: DISPLAY_TIME_ZONE, day: 'numeric', month: 'short' });

/** `14:05:09` for today (IST), `12 Mar 14:05:09` for another day. */
export function formatEventTime(iso: string, now: Date = new Date()): string {
  const time = new Date(iso);
  const sameDay = day.format(time) === day.format(now);
  return sameDay ? clock.format(time) : `${day.format(time)} ${clock.format(time)}`;
}

/** A variable's value for display: strings as they are, anything else as compact JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2 }).format(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}
