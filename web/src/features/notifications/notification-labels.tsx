// How the page names and colours ledger statuses, channels and timeline steps.
import { Badge } from '../../ui/data-display.tsx';
import type { Tone } from '../../ui/data-display.tsx';
import type { Channel, MessageStatus } from './notifications-api.ts';

export const statusLabels: Record<MessageStatus, { label: string; tone: Tone; live?: boolean; hint: string }> = {
  planned: { label: 'Planned', tone: 'neutral', live: true, hint: 'In the ledger, about to be queued' },
  held: { label: 'Held', tone: 'warn', hint: 'Held for quiet hours or the DLT window; sent when it opens' },
  queued: { label: 'Queued', tone: 'info', live: true, hint: 'Waiting for a dispatcher' },
  sending: { label: 'Sending', tone: 'info', live: true, hint: 'A dispatcher is sending it now' },
  retrying: { label: 'Retrying', tone: 'warn', live: true, hint: 'The last attempt failed; another is scheduled' },
  accepted: { label: 'Accepted', tone: 'info', live: true, hint: 'The provider took it; waiting for a delivery receipt' },
  sent: { label: 'Sent', tone: 'info', live: true, hint: 'Sent to the handset; waiting for a delivery receipt' },
  delivered: { label: 'Delivered', tone: 'good', hint: 'A delivery receipt arrived' },
  read: { label: 'Read', tone: 'good', hint: 'The client read it' },
  failed: { label: 'Failed', tone: 'bad', hint: 'Every attempt failed; the fallback, if any, was sent' },
  undeliverable: { label: 'Undeliverable', tone: 'bad', hint: 'The recipient cannot be reached on this channel' },
  fell_back: { label: 'Fell back', tone: 'warn', hint: 'Replaced by its fallback on another channel' },
  cancelled: { label: 'Cancelled', tone: 'neutral', hint: 'Not sent: cancelled, or not needed' },
  throttled: { label: 'Throttled', tone: 'neutral', hint: 'The same alert went to this client shortly before' },
  waiting: { label: 'Waiting', tone: 'neutral', hint: 'A fallback: sent only if the message before it fails' },
};

export function StatusBadge({ status, testId }: { status: MessageStatus; testId?: string }) {
  const s = statusLabels[status] ?? { label: status, tone: 'neutral' as Tone, hint: '' };
  return (
    <Badge tone={s.tone} live={s.live === true} title={s.hint} testId={testId}>
      {s.label}
    </Badge>
  );
}

export const channelLabels: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', push: 'App push' };

export function channelLabel(channel: string): string {
  return channelLabels[channel as Channel] ?? channel;
}

export function ChannelGlyph({ channel }: { channel: string }) {
  return (
    <span className="notif-channel-glyph" data-channel={channel} aria-hidden="true">
      {channel === 'sms' ? 'S' : channel === 'whatsapp' ? 'W' : 'P'}
    </span>
  );
}

export const providerLabels: Record<string, string> = {
  sandbox: 'Sandbox',
  twilio: 'Twilio',
  msg91: 'MSG91',
  'whatsapp-cloud': 'WhatsApp Cloud',
  fcm: 'FCM',
  none: 'No provider',
};

export function providerLabel(provider: string | null): string {
  if (provider === null) return '—';
  return providerLabels[provider] ?? provider;
}

export type StepKind = 'done' | 'good' | 'bad' | 'warn' | 'info' | 'pending';

/** A timeline state as a step: its title and how it is drawn. Unknown states are shown as they come. */
export function describeStep(state: string): { title: string; kind: StepKind } {
  if (state.endsWith('(ignored: out of order)')) return { title: `Receipt ignored: ${state.split(' ')[0]} arrived out of order`, kind: 'done' };
  switch (state) {
    case 'planned': return { title: 'Planned', kind: 'done' };
    case 'held': return { title: 'Held', kind: 'warn' };
    case 'waiting': return { title: 'Waiting as a fallback', kind: 'done' };
    case 'throttled': return { title: 'Throttled', kind: 'done' };
    case 'queued': return { title: 'Queued', kind: 'info' };
    case 'sending': return { title: 'Sending', kind: 'info' };
    case 'accepted': return { title: 'Accepted by the provider', kind: 'info' };
    case 'sent': return { title: 'Sent to the handset', kind: 'info' };
    case 'delivered': return { title: 'Delivered', kind: 'good' };
    case 'read': return { title: 'Read', kind: 'good' };
    case 'send_failed': return { title: 'Attempt failed', kind: 'bad' };
    case 'failed': return { title: 'Failed', kind: 'bad' };
    case 'undeliverable': return { title: 'Undeliverable', kind: 'bad' };
    case 'undelivered': return { title: 'Not delivered', kind: 'bad' };
    case 'retry_scheduled': return { title: 'Retry scheduled', kind: 'warn' };
    case 'failover': return { title: 'Failover to the next provider', kind: 'warn' };
    case 'fell_back': return { title: 'Fell back to the next channel', kind: 'warn' };
    case 'superseded': return { title: 'Stopped: its fallback was accepted', kind: 'done' };
    case 'resumed': return { title: 'Resumed: its fallback could not reach the client', kind: 'warn' };
    case 'in_doubt': return { title: 'Interrupted send: checking before resending', kind: 'warn' };
    case 'manual_retry': return { title: 'Manual retry', kind: 'info' };
    case 'cancelled': return { title: 'Cancelled', kind: 'done' };
    default: return { title: state.replaceAll('_', ' '), kind: 'done' };
  }
}
