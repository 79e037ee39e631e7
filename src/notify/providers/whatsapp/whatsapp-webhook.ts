// WhatsApp Cloud API webhooks: the GET subscription handshake and the POSTed `messages` field
// whose `statuses` are our delivery receipts. The POST is signed by Meta with
// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`: Meta escapes non-ASCII
// characters in that body, so the signature holds only over the bytes as received, never over a
// re-serialised JSON value.
import { isRecipientInvalidCode } from './whatsapp-errors.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Receipt, ReceiptStatus, WebhookRequest, WebhookResult } from '../../channel-provider.ts';
import type { Clock } from '../../../platform/time.ts';

export type WhatsAppWebhookOptions = {
  provider: string;
  appSecret: string;
  verifyToken: string;
  /** Statuses of another business number (same app) are not ours. */
  phoneNumberId: string;
  clock: Clock;
};

const statusMap: Partial<Record<string, ReceiptStatus>> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/** Answers the handshake or verifies and parses a status POST; never throws for what a caller sent. */
export function handleWhatsAppWebhook(request: WebhookRequest, options: WhatsAppWebhookOptions): WebhookResult {
  const method = request.method.toUpperCase();
  if (method === 'GET') return answerHandshake(request.url, options.verifyToken);
  if (method !== 'POST') return { verified: false, reason: `method ${method} is not a webhook` };
  const signature = header(request.headers, 'x-hub-signature-256');
  if (!signature) return { verified: false, reason: 'missing X-Hub-Signature-256' };
  if (!isSignatureValid(signature, request.rawBody, options.appSecret)) return { verified: false, reason: 'X-Hub-Signature-256 does not match the body' };
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { verified: false, reason: 'signed body is not JSON' };
  }
  return { verified: true, receipts: readReceipts(body, options) };
}

function answerHandshake(url: string, verifyToken: string): WebhookResult {
  const query = new URL(url, 'http://webhook.invalid').searchParams;
  const token = query.get('hub.verify_token');
  const challenge = query.get('hub.challenge');
  if (query.get('hub.mode') !== 'subscribe') return { verified: false, reason: 'hub.mode is not subscribe' };
  if (token === null || !equalSecrets(token, verifyToken)) return { verified: false, reason: 'hub.verify_token does not match' };
  if (challenge === null) return { verified: false, reason: 'hub.challenge missing' };
  return { verified: true, receipts: [], reply: { status: 200, body: challenge } };
}

/** Timing-safe check of `sha256=<hex>` over the raw bytes. */
export function isSignatureValid(signature: string, rawBody: Buffer, appSecret: string): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}

/** `sha256=<hex>` for a body: what Meta sends, and what fakes and tests sign with. */
export function signWhatsAppBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

function equalSecrets(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the compare leaks neither content nor length.
  const ha = createHmac('sha256', 'verify-token').update(a).digest();
  const hb = createHmac('sha256', 'verify-token').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    // Two signature headers are not something Meta sends: refuse rather than pick one.
    if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
    return value;
  }
  return undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `entry[].changes[].value.statuses[]` as receipts; inbound `messages`, other fields and unknown statuses are skipped. */
function readReceipts(body: unknown, options: WhatsAppWebhookOptions): Receipt[] {
  if (!isObj(body) || body.object !== 'whatsapp_business_account') return [];
  const receipts: Receipt[] = [];
  for (const entry of list(body.entry)) {
    if (!isObj(entry)) continue;
    for (const change of list(entry.changes)) {
      if (!isObj(change) || (change.field !== undefined && change.field !== 'messages') || !isObj(change.value)) continue;
      const numberId = isObj(change.value.metadata) ? change.value.metadata.phone_number_id : undefined;
      if (numberId !== undefined && numberId !== options.phoneNumberId) continue;
      for (const status of list(change.value.statuses)) {
        const receipt = readStatus(status, options);
        if (receipt) receipts.push(receipt);
      }
    }
  }
  return receipts;
}

function readStatus(status: unknown, options: WhatsAppWebhookOptions): Receipt | null {
  if (!isObj(status) || typeof status.id !== 'string' || status.id === '' || typeof status.status !== 'string') return null;
  const mapped = statusMap[status.status];
  if (!mapped) return null;
  const seconds = Number(status.timestamp);
  const at = Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : options.clock.now();
  const firstError = list(status.errors)[0];
  const code = mapped === 'failed' && isObj(firstError) && (typeof firstError.code === 'number' || typeof firstError.code === 'string') ? String(firstError.code) : undefined;
  const key = status.biz_opaque_callback_data;
  return {
    provider: options.provider,
    providerMessageId: status.id,
    status: mapped,
    ...(code !== undefined ? { code } : {}),
    ...(code !== undefined && isRecipientInvalidCode(Number(code)) ? { recipientInvalid: true } : {}),
    at,
    receiptId: `${status.id}:${status.status}`,
    ...(typeof key === 'string' && key !== '' ? { idempotencyKey: key } : {}),
  };
}
