// Twilio status callbacks: form-encoded POSTs to the StatusCallback URL, signed with
// X-Twilio-Signature = base64(HMAC-SHA1(authToken, full URL + every POST parameter as key+value,
// sorted by key)). Each carries an I-Twilio-Idempotency-Token that is the same on a retried
// callback, which makes it the receipt's de-duplication key.
import twilio from 'twilio';
import type { Receipt, WebhookRequest, WebhookResult } from '../../channel-provider.ts';
import { receiptStatusOf } from './outcomes.ts';

export function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The POST parameters as the signature sees them: a repeated key keeps every value. */
function formParams(rawBody: Buffer): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) {
    const seen = params[key];
    params[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies and parses one status callback. Statuses before the message left Twilio (queued,
 * accepted, sending) verify but give no receipt. `now` stamps the receipt: callbacks carry no time.
 */
export function handleTwilioWebhook(request: WebhookRequest, authToken: string, now: () => Date): WebhookResult {
  if (request.method.toUpperCase() !== 'POST') return { verified: false, reason: 'not a POST' };
  const signature = header(request.headers, 'x-twilio-signature');
  if (!signature) return { verified: false, reason: 'missing X-Twilio-Signature' };
  const params = formParams(request.rawBody);
  if (!twilio.validateRequest(authToken, signature, request.url, params)) return { verified: false, reason: 'bad X-Twilio-Signature' };

  const sid = single(params.MessageSid) ?? single(params.SmsSid);
  const twilioStatus = single(params.MessageStatus) ?? single(params.SmsStatus);
  const status = twilioStatus ? receiptStatusOf(twilioStatus) : null;
  if (!sid || !twilioStatus || !status) return { verified: true, receipts: [] };
  const errorCode = single(params.ErrorCode);
  const receipt: Receipt = {
    provider: 'twilio',
    providerMessageId: sid,
    status,
    at: now(),
    receiptId: header(request.headers, 'i-twilio-idempotency-token') || `${sid}:${twilioStatus}`,
    ...(errorCode && (status === 'failed' || status === 'undelivered') ? { code: errorCode } : {}),
    // Landline or unknown destination: this number will never take an SMS.
    ...(errorCode && (status === 'failed' || status === 'undelivered') && ['30005', '30006', '21211', '21614', '21610'].includes(errorCode) ? { recipientInvalid: true } : {}),
  };
  return { verified: true, receipts: [receipt] };
}
