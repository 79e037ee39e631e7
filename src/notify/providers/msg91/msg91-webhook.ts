// MSG91 delivery-report webhooks. MSG91 signs nothing: its SMS webhooks (v2, v3, v4 and the
// newer customisable "Webhook (New)") carry no signature header and no shared secret of their
// own. So the URL we register in MSG91's panel carries one: `?token=<secret>`, compared in
// constant time. That authenticates the caller (only MSG91 and we know the URL); body integrity
// rests on TLS, as it does for every provider. A request without the right token is refused.
//
// Bodies understood:
//   - v2 (MSG91's default): form-encoded `data=<JSON string>`, an array of
//     `{senderId, requestId, report: [{date, number, status, desc, CRQID, failedReason, ...}], ...}`;
//   - v3 and "Webhook (New)": JSON, one object (or an array of them) per report with `requestId`,
//     `status`, `desc` or `failureReason`, `date` or `deliveryTime`, and `CRQID`.
// Report status codes: 1 delivered; 2 failed (not delivered to the handset); 9 NDNC, 16 and 25
// rejected, 17 blocked number (never sent). The recipient's number in the report is personal
// data and never leaves this file.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Receipt, ReceiptStatus, WebhookRequest, WebhookResult } from '../../channel-provider.ts';
import type { Clock } from '../../../platform/time.ts';
import { idempotencyKeyOfReference } from './msg91-reference.ts';

/** The query parameter of the registered webhook URL that carries the shared secret. */
export const webhookTokenParam = 'token';

/** A webhook token derived from the auth key, for when none is configured: stable, and not the key itself. */
export function deriveMsg91WebhookToken(authKey: string): string {
  return createHmac('sha256', authKey).update('pravah:msg91:delivery-report-webhook').digest('base64url');
}

export type Msg91Report = { requestId: string; status: string; desc: string; reason: string; date: string; crqid: string };

const numericStatuses: Record<string, ReceiptStatus> = { '1': 'delivered', '2': 'undelivered', '9': 'failed', '16': 'failed', '17': 'failed', '25': 'failed' };

/** Our status for an MSG91 report status (numeric code, or its text as the logs API gives it); null when in between. */
export function receiptStatusOf(status: string, desc = ''): ReceiptStatus | null {
  const mapped = numericStatuses[status.trim()];
  if (mapped) return mapped;
  const text = `${status} ${desc}`.toLowerCase();
  if (/deliver(ed|rd)\b/.test(text) && !/undeliver/.test(text)) return 'delivered';
  if (/undeliver|failed|fail\b/.test(text)) return 'undelivered';
  if (/reject|block|ndnc|dnd/.test(text)) return 'failed';
  if (/sent|submit|pending|queued|accepted/.test(text)) return 'sent';
  return null;
}

/** MSG91 report times are India time without a zone: `2024-05-22 10:06:20`. */
export function parseIstTime(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+05:30`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function toReceipt(provider: string, report: Msg91Report, clock: Clock): Receipt | null {
  const status = receiptStatusOf(report.status, report.desc);
  if (!status || !report.requestId) return null;
  const key = idempotencyKeyOfReference(report.crqid);
  const failed = status === 'failed' || status === 'undelivered';
  return {
    provider,
    providerMessageId: report.requestId,
    status,
    ...(failed ? { code: report.reason || report.desc || `STATUS_${report.status}` } : {}),
    at: parseIstTime(report.date) ?? clock.now(),
    receiptId: `${report.requestId}:${status}`,
    ...(key ? { idempotencyKey: key } : {}),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Reports from a v2 form body or a v3 / Webhook (New) JSON body; null when unreadable. */
export function readMsg91Reports(rawBody: Buffer): Msg91Report[] | null {
  const raw = rawBody.toString('utf8').trim();
  let parsed: unknown;
  try {
    if (raw.startsWith('data=') || raw.includes('&data=')) parsed = JSON.parse(new URLSearchParams(raw).get('data') ?? '');
    else parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const reports: Msg91Report[] = [];
  for (const item of items as Array<Record<string, unknown> | null>) {
    if (!item || typeof item !== 'object') return null;
    const requestId = text(item.requestId);
    if (Array.isArray(item.report)) {
      for (const r of item.report as Array<Record<string, unknown>>) {
        reports.push({ requestId, status: text(r.status), desc: text(r.desc), reason: text(r.failedReason), date: text(r.date), crqid: text(r.CRQID) });
      }
    } else {
      reports.push({
        requestId,
        status: text(item.status),
        desc: text(item.desc),
        reason: text(item.failureReason ?? item.failedReason),
        date: text(item.date ?? item.deliveryTime),
        crqid: text(item.CRQID),
      });
    }
  }
  return reports;
}

function sameSecret(given: string, expected: string): boolean {
  // Digests make the comparison constant-time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

export async function handleMsg91Webhook(request: WebhookRequest, options: { provider: string; token: string; clock: Clock }): Promise<WebhookResult> {
  let url: URL;
  try {
    url = new URL(request.url, 'http://localhost');
  } catch {
    return { verified: false, reason: 'unreadable url' };
  }
  const given = url.searchParams.get(webhookTokenParam);
  if (given === null) return { verified: false, reason: 'webhook token missing' };
  if (!sameSecret(given, options.token)) return { verified: false, reason: 'webhook token mismatch' };
  if (request.method.toUpperCase() !== 'POST') return { verified: false, reason: `method ${request.method} not accepted` };
  const reports = readMsg91Reports(request.rawBody);
  if (!reports) return { verified: false, reason: 'unreadable delivery report body' };
  const receipts = reports.map((r) => toReceipt(options.provider, r, options.clock)).filter((r): r is Receipt => r !== null);
  return { verified: true, receipts };
}
