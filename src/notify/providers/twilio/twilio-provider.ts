// Twilio Programmable Messaging (SMS) as a ChannelProvider, through the official `twilio` SDK with
// our own HTTP client under it (base URL for the fake, per-call timeout and abort, the idempotency
// key header). Twilio has no idempotency field on send: the key travels as the `I-Idempotency-Key`
// header (ignored by Twilio, counted by the fake), and an in-doubt send is reconciled by `findSent`,
// which looks for a message to the same number with the same body sent since the attempt began.
// DLT fields are not sent: Twilio's India route takes no registered sender id (DOMAIN.md §4).
import twilio from 'twilio';
import type { ChannelProvider, OutgoingMessage, Receipt, SendOutcome } from '../../channel-provider.ts';
import { createTwilioHttpClient, type TwilioCall } from './http-client.ts';
import { classifySendError, describeLookupError, isNotFound, receiptStatusOf } from './outcomes.ts';
import { handleTwilioWebhook } from './webhook.ts';

export type TwilioProviderOptions = {
  accountSid: string;
  authToken: string;
  /** Sender number; used when no messaging service is configured. */
  from?: string;
  /** Messaging service to send through; wins over `from`. */
  messagingServiceSid?: string;
  /** Replaces https://api.twilio.com (the fake in tests). */
  baseUrl?: string;
  /** Bound on each HTTP request to Twilio. */
  timeoutMs: number;
  /** StatusCallback for messages that carry no `statusCallbackUrl` of their own. */
  statusCallbackUrl?: string;
  /** Stamps webhook receipts and resolves HTTP-date Retry-After; defaults to the system clock. */
  now?: () => Date;
};

/** Header that carries our idempotency key on every send. */
export const idempotencyHeader = 'I-Idempotency-Key';

/** How many messages to the number `findSent` reads at most. */
const findSentLimit = 200;
/** How far Twilio's clock (DateCreated, DateSent) may be behind ours. */
const clockSkewMs = 60_000;

/**
 * The Twilio SMS adapter. Guarantees those of the ChannelProvider port; besides:
 * - `send` posts To, Body, StatusCallback and MessagingServiceSid (else From); the SDK never retries.
 * - `findSent` lists messages To the number with DateSent >= `since`, plus the newest ones to it
 *   (a message still in Twilio's queue has no DateSent yet), and returns one created since `since`
 *   (less a minute of clock skew) whose body is ours. Identical text to the same number within that
 *   minute would be taken for ours: the planner's throttling keeps repeats further apart.
 * - `pollStatus` and `findSent` throw (with a message free of personal data) when Twilio cannot be
 *   asked; a message Twilio does not know is `null`.
 */
export function createTwilioProvider(options: TwilioProviderOptions): ChannelProvider {
  if (!options.messagingServiceSid && !options.from) throw new Error('twilio: set a sender number (from) or a messagingServiceSid');
  const now = options.now ?? (() => new Date());
  const http = createTwilioHttpClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, now });
  const client = twilio(options.accountSid, options.authToken, { httpClient: http.sdkClient, autoRetry: false });
  const sender = options.messagingServiceSid ? { messagingServiceSid: options.messagingServiceSid } : { from: options.from! };

  function smsText(message: OutgoingMessage): string {
    if (message.channel !== 'sms' || !message.sms) throw new Error(`twilio sends SMS only, not ${message.channel} (message ${message.messageId})`);
    return message.sms.text;
  }

  return {
    name: 'twilio',
    channel: 'sms',

    async send(message, { signal }): Promise<SendOutcome> {
      const body = smsText(message);
      const statusCallback = message.statusCallbackUrl ?? options.statusCallbackUrl;
      const call: TwilioCall = { signal, headers: { [idempotencyHeader]: message.idempotencyKey } };
      try {
        const sent = await http.run(call, () =>
          client.messages.create({ to: message.to, body, ...sender, ...(statusCallback ? { statusCallback } : {}) }),
        );
        return { kind: 'accepted', providerMessageId: sent.sid };
      } catch (error) {
        return classifySendError(error, call);
      }
    },

    async findSent(message, since, { signal }) {
      const body = smsText(message);
      const from = new Date(since.getTime() - clockSkewMs);
      const call: TwilioCall = { signal };
      try {
        // DateSent stays empty while Twilio queues a message, so the DateSent filter alone misses a
        // backlog: the newest messages to the number (queued ones among them) are read as well.
        const [sent, newest] = await http.run(call, () =>
          Promise.all([
            client.messages.list({ to: message.to, dateSentAfter: from, pageSize: 100, limit: findSentLimit }),
            client.messages.list({ to: message.to, pageSize: 50, limit: 50 }),
          ]),
        );
        const match = [...sent, ...newest].find((m) => m.body === body && m.direction !== 'inbound' && (validDate(m.dateCreated) ?? from) >= from);
        return match ? { providerMessageId: match.sid } : null;
      } catch (error) {
        // eslint-disable-next-line preserve-caught-error -- Twilio's error text quotes the number; the code and status are kept
        throw new Error(`twilio: finding an in-doubt send failed (${describeLookupError(error, call)})`);
      }
    },

    async pollStatus(providerMessageId, { signal }): Promise<Receipt | null> {
      const call: TwilioCall = { signal };
      try {
        const fetched = await http.run(call, () => client.messages(providerMessageId).fetch());
        const status = receiptStatusOf(fetched.status);
        if (!status) return null;
        return {
          provider: 'twilio',
          providerMessageId: fetched.sid,
          status,
          at: validDate(fetched.dateUpdated) ?? now(),
          receiptId: `${fetched.sid}:${fetched.status}`,
          ...(fetched.errorCode && (status === 'failed' || status === 'undelivered') ? { code: String(fetched.errorCode) } : {}),
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        // eslint-disable-next-line preserve-caught-error -- Twilio's error text quotes the number; the code and status are kept
        throw new Error(`twilio: status lookup failed (${describeLookupError(error, call)})`);
      }
    },

    async handleWebhook(request) {
      return handleTwilioWebhook(request, options.authToken, now);
    },
  };
}

/** The SDK hands back the raw string when a date does not parse. */
function validDate(value: unknown): Date | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
}
