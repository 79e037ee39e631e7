/**
 * ChannelProvider port: one adapter per provider (Twilio SMS, a DLT SMS gateway, WhatsApp Cloud API,
 * FCM HTTP v1, the embedded sandbox). The dispatcher renders a message, sends it through a provider
 * and records what the provider said; it never parses provider errors itself.
 *
 * Guarantees every adapter gives:
 * - `send` never throws for a provider answer: every HTTP status, provider error code, timeout and
 *   dropped connection becomes a `SendOutcome` (accepted / retryable / permanent) carrying the
 *   provider's code. It throws only for programming errors (a message for another channel).
 * - `send` carries `message.idempotencyKey` to the provider in whatever field the provider echoes
 *   or de-duplicates on (a header, `biz_opaque_callback_data`, a client reference, an FCM
 *   notification tag), so fakes can count deliveries per key and in-doubt sends can be reconciled.
 * - Classification follows the provider's documented codes (../shared/PROVIDERS.md): throttling,
 *   5xx, timeouts and transient handset errors are retryable (with `retryAfterMs` when the provider
 *   says); invalid or unsubscribed recipients, template mismatches and DLT scrubbing failures are
 *   permanent. `recipientInvalid` marks a recipient that can never be reached on this channel (it
 *   is excluded from delivery accuracy); `tokenUnregistered` tells the caller to drop a push token.
 * - `verifyWebhook` / `parseReceipts` check the provider's signature over the exact bytes received
 *   and return receipts; an unverifiable request yields `{ verified: false }` and no receipts.
 * - Time and randomness come from the caller; adapters hold no state between sends except
 *   connections and access tokens.
 */
export const channels = ['sms', 'whatsapp', 'push'] as const;
export type Channel = (typeof channels)[number];

/** DLT facts every SMS in India carries (TRAI): principal entity id, header, template id, category. */
export type DltInfo = {
  peId: string;
  header: string;
  templateId: string;
  category: 'transactional' | 'service_implicit' | 'service_explicit' | 'promotional';
};

export type SmsContent = { text: string; dlt: DltInfo; unicode: boolean };
export type WhatsAppContent = {
  templateName: string;
  language: string;
  category: 'utility' | 'authentication' | 'marketing';
  /** Body parameters in template order, already formatted (₹12,500.00, 26 Nov 2026). */
  parameters: string[];
};
export type PushContent = { title: string; body: string; data: Record<string, string> };

export type OutgoingMessage = {
  /** Our message id (the ledger row). */
  messageId: string;
  /** (event id, client id, channel): the same for every attempt and every provider of the message. */
  idempotencyKey: string;
  channel: Channel;
  /** E.164 for SMS and WhatsApp; the device token for push. In memory only. */
  to: string;
  sms?: SmsContent;
  whatsapp?: WhatsAppContent;
  push?: PushContent;
  /** Where the provider should post status callbacks for this message, when it takes one per send. */
  statusCallbackUrl?: string;
};

export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string; /** push: accepted is terminal success */ terminal?: boolean }
  | { kind: 'retryable'; code: string; detail: string; retryAfterMs?: number }
  | { kind: 'permanent'; code: string; detail: string; recipientInvalid?: boolean; tokenUnregistered?: boolean };

/** Provider statuses mapped to ours; ordered: a receipt never moves a message backwards. */
export const receiptStatuses = ['sent', 'delivered', 'read', 'failed', 'undelivered'] as const;
export type ReceiptStatus = (typeof receiptStatuses)[number];

export type Receipt = {
  provider: string;
  providerMessageId: string;
  status: ReceiptStatus;
  /** Provider error code on failed/undelivered. */
  code?: string;
  /** A failure that says the recipient can never be reached on this channel (not on WhatsApp, a landline). */
  recipientInvalid?: boolean;
  at: Date;
  /** De-duplication key of this receipt (Twilio's I-Twilio-Idempotency-Token, or id+status). */
  receiptId: string;
  /** Our idempotency key when the provider echoes it (WhatsApp biz_opaque_callback_data). */
  idempotencyKey?: string;
};

export type WebhookRequest = {
  /** The full URL the provider called (Twilio signs it), including the query string. */
  url: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
};

export type WebhookResult =
  | { verified: false; reason: string }
  | { verified: true; receipts: Receipt[]; /** a reply the provider expects (WhatsApp GET handshake) */ reply?: { status: number; body: string } };

export type ChannelProvider = {
  /** Stable name, e.g. 'twilio', 'msg91', 'whatsapp-cloud', 'fcm', 'sandbox'. */
  readonly name: string;
  readonly channel: Channel;
  send(message: OutgoingMessage, options: { signal: AbortSignal }): Promise<SendOutcome>;
  /** Verifies and parses a status webhook; absent when the provider sends none (FCM). */
  handleWebhook?(request: WebhookRequest): Promise<WebhookResult>;
  /**
   * Looks up the current status of a sent message (reconciliation); null when the provider does not
   * know it (yet); throws when the lookup itself failed (connection, timeout, an error answer), so
   * the caller may ask again.
   */
  pollStatus?(providerMessageId: string, options: { signal: AbortSignal }): Promise<Receipt | null>;
  /**
   * Finds a message this provider accepted for `message` though we never recorded the answer (a
   * crash during the send), so it is not sent twice. Absent when the provider cannot tell.
   */
  findSent?(message: OutgoingMessage, since: Date, options: { signal: AbortSignal }): Promise<{ providerMessageId: string } | null>;
  /** The provider drops a repeat of the same idempotency key within this many ms (MSG91: 10 s). */
  readonly dedupeWindowMs?: number;
};
