// Which of an event's default channels a client gets, from the consents on the KYC record.
// Rules (DOMAIN.md §3-5; preferences per category arrive with the notifications issue):
// - WhatsApp needs an opt-in: an active consent on the WHATSAPP channel (Meta policy; the general
//   KYC consent on ALL is not one). Regulatory events follow the same rule: they go by SMS anyway.
// - SMS and push go unless the client withdrew an alerts consent on that channel (or ALL), the
//   latest record per channel deciding; a withdrawn MARKETING consent does not stop alerts.
// - Regulatory events ignore opt-outs (they must reach the client).
// - SMS and WhatsApp need a mobile number.
import type { Consent } from '../kyc/client-record.ts';
import type { EventChannel } from './catalog.ts';
import type { SkippedChannel } from './notification-request.ts';

const consentChannel: Record<EventChannel, string> = { sms: 'SMS', whatsapp: 'WHATSAPP', push: 'PUSH' };
const nonAlertPurposes = new Set(['MARKETING']);

/** The latest consent decision per channel name for alert purposes: true given, false withdrawn. */
function latestDecisions(consents: readonly Consent[]): Map<string, boolean> {
  const latest = new Map<string, { at: string; given: boolean }>();
  for (const c of consents) {
    if (nonAlertPurposes.has(c.purpose)) continue;
    const at = c.withdrawnAt ?? c.givenAt;
    const previous = latest.get(c.channel);
    if (!previous || at >= previous.at) latest.set(c.channel, { at, given: c.withdrawnAt === undefined });
  }
  return new Map([...latest].map(([channel, d]) => [channel, d.given]));
}

export function chooseChannels(input: {
  defaults: readonly EventChannel[];
  regulatory: boolean;
  consents: readonly Consent[];
  hasMobile: boolean;
}): { channels: EventChannel[]; skipped: SkippedChannel[] } {
  const decisions = latestDecisions(input.consents);
  const channels: EventChannel[] = [];
  const skipped: SkippedChannel[] = [];
  for (const channel of input.defaults) {
    const name = consentChannel[channel];
    const own = decisions.get(name);
    const all = decisions.get('ALL');
    if (channel !== 'push' && !input.hasMobile) skipped.push({ channel, reason: 'no_contact' });
    else if (channel === 'whatsapp' && own !== true) skipped.push({ channel, reason: own === false ? 'opted_out' : 'no_opt_in' });
    else if (!input.regulatory && (own === false || (own === undefined && all === false))) skipped.push({ channel, reason: 'opted_out' });
    else channels.push(channel);
  }
  return { channels, skipped };
}
