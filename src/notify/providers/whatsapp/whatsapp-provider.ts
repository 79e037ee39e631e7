// ChannelProvider adapter for the WhatsApp Cloud API (Meta Graph API): approved template messages
// sent with `POST /{version}/{phone-number-id}/messages`, receipts from the signed `messages`
// webhook. The idempotency key travels as `biz_opaque_callback_data`, which Meta does not read but
// echoes in every status webhook: receipts find our message by it, and a send whose answer was
// lost (timeout, dropped connection) is recognised when its statuses arrive. Meta has no lookup
// by that value and no message-status endpoint, so there is no `findSent` and no `pollStatus`.
import type { ChannelProvider, OutgoingMessage, SendOutcome, WebhookRequest, WebhookResult } from '../../channel-provider.ts';
import { systemClock, type Clock } from '../../../platform/time.ts';
import { classifyErrorAnswer, readGraphError, redact } from './whatsapp-errors.ts';
import { parseRetryAfter } from '../retry-after.ts';
import { createProviderHttp, headerOf, ProviderHttpFailure } from '../provider-http.ts';
import { handleWhatsAppWebhook } from './whatsapp-webhook.ts';

export type WhatsAppProviderOptions = {
  accessToken: string;
  phoneNumberId: string;
  /** Meta app secret: the key of `X-Hub-Signature-256`. */
  appSecret: string;
  /** The token we gave Meta for the subscription handshake. */
  verifyToken: string;
  /** Graph API version, e.g. `v21.0`. */
  apiVersion: string;
  /** Default https://graph.facebook.com; tests point it at the fake. */
  baseUrl?: string;
  /** Budget of one send, connection to last byte. */
  timeoutMs: number;
  /** Reads Retry-After dates and dates receipts that lack a timestamp. */
  clock?: Clock;
};

export const whatsAppProviderName = 'whatsapp-cloud';

/** Builds the Meta `messages` body for a template message; `to` is E.164 without the '+'. */
export function buildTemplateBody(message: OutgoingMessage): Record<string, unknown> {
  const content = message.whatsapp;
  if (message.channel !== 'whatsapp' || !content) throw new Error(`WhatsApp provider got a ${message.channel} message without WhatsApp content`);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to.replace(/^\+/, ''),
    type: 'template',
    template: {
      name: content.templateName,
      language: { code: content.language },
      ...(content.parameters.length
        ? { components: [{ type: 'body', parameters: content.parameters.map((text) => ({ type: 'text', text })) }] }
        : {}),
    },
    biz_opaque_callback_data: message.idempotencyKey,
  };
}

/**
 * WhatsApp Cloud API provider. `send` never throws for what Meta or the network does (see the
 * port); it throws only for a message that is not a WhatsApp template message.
 */
export function createWhatsAppProvider(options: WhatsAppProviderOptions): ChannelProvider {
  const clock = options.clock ?? systemClock;
  const base = (options.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const endpoint = new URL(`${base}/${encodeURIComponent(options.apiVersion)}/${encodeURIComponent(options.phoneNumberId)}/messages`);
  const http = createProviderHttp();
  const headers = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json', accept: 'application/json' };

  async function send(message: OutgoingMessage, { signal }: { signal: AbortSignal }): Promise<SendOutcome> {
    const body = JSON.stringify(buildTemplateBody(message));
    const secrets = [message.to, message.to.replace(/^\+/, ''), ...(message.whatsapp?.parameters ?? [])];
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await http.request(endpoint, { method: 'POST', headers, body, timeoutMs: options.timeoutMs, signal });
      status = response.status;
      retryAfter = headerOf(response.headers, 'retry-after');
      text = response.text;
    } catch (error) {
      return transportFailure(error, secrets);
    }
    if (status >= 200 && status < 300) return readAccepted(status, text);
    return classifyErrorAnswer(status, readGraphError(text), parseRetryAfter(retryAfter, clock.now().getTime()), secrets);
  }

  return {
    name: whatsAppProviderName,
    channel: 'whatsapp',
    send,
    async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
      const { appSecret, verifyToken, phoneNumberId } = options;
      return handleWhatsAppWebhook(request, { provider: whatsAppProviderName, appSecret, verifyToken, phoneNumberId, clock });
    },
  };
}

function readAccepted(status: number, text: string): SendOutcome {
  let id: unknown;
  try {
    id = (JSON.parse(text) as { messages?: Array<{ id?: unknown }> }).messages?.[0]?.id;
  } catch {
    id = undefined;
  }
  if (typeof id === 'string' && id.length > 0) return { kind: 'accepted', providerMessageId: id };
  // A 2xx without a message id: Meta may have taken it. Retrying is safe to reconcile because the
  // statuses of a message that did go out carry our idempotency key.
  return { kind: 'retryable', code: 'bad_response', detail: `HTTP ${status} without messages[0].id` };
}

/** Timeouts, aborts and connection failures: all in doubt, all retryable. */
function transportFailure(error: unknown, secrets: string[]): SendOutcome {
  const failure = error instanceof ProviderHttpFailure ? error : new ProviderHttpFailure('connection', error instanceof Error ? error.message : String(error));
  if (failure.kind === 'timeout') return { kind: 'retryable', code: 'timeout', detail: 'no answer from the WhatsApp Cloud API within the provider timeout' };
  if (failure.kind === 'aborted') return { kind: 'retryable', code: 'aborted', detail: 'send aborted by the caller before an answer' };
  return { kind: 'retryable', code: 'connection', detail: `connection to the WhatsApp Cloud API failed: ${redact(failure.detail, secrets)}` };
}
