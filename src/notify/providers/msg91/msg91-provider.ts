// ChannelProvider adapter for MSG91, an Indian DLT-native SMS gateway.
//
// Which MSG91 API: the HTTP send API (`POST /api/sendhttp.php`, form-encoded), not the Flow
// ("OneAPI", `/api/v5/flow`) API. The Flow API sends an MSG91-side template by MSG91's own
// template id with named variables, and MSG91 renders the text; Pravah renders the text itself
// (the template, its version and its `{#var#}` check live here) and holds the DLT template id, not
// MSG91's. The HTTP API takes exactly what we have: the rendered text, the DLT template id
// (`DLT_TE_ID`), the principal entity id (`PE_ID`, which MSG91 takes on every API but Flow), the
// header as `sender`, the route (4 service/transactional, 1 promotional) and `unicode=1` for Hindi.
// DLT scrubbing compares that text with the registered template, so a mismatch is MSG91's refusal
// (classified permanent), never a silent substitution.
//
// Idempotency: the key travels as `CRQID`, MSG91's client request id, echoed in every delivery
// report (see msg91-reference.ts). MSG91 also refuses "the same request twice within 10 seconds"
// (code 311): that is our own in-doubt send coming back, so it counts as accepted.
//
// Receipts: delivery-report webhooks (msg91-webhook.ts, verified by a secret token in the URL,
// since MSG91 signs nothing) and `pollStatus` over MSG91's SMS logs report.
import type { ChannelProvider, OutgoingMessage, Receipt, SendOutcome, WebhookRequest, WebhookResult } from '../../channel-provider.ts';
import { DAY, systemClock, type Clock } from '../../../platform/time.ts';
import { classifyMsg91Error, classifyMsg91HttpFailure, duplicateRequestCode } from './msg91-errors.ts';
import { parseRetryAfter } from '../retry-after.ts';
import { createProviderHttp, headerOf, ProviderHttpFailure } from '../provider-http.ts';
import { msg91ClientReference } from './msg91-reference.ts';
import { deriveMsg91WebhookToken, handleMsg91Webhook, receiptStatusOf, toReceipt, webhookTokenParam } from './msg91-webhook.ts';

export type Msg91ProviderOptions = {
  authKey: string;
  /** Default DLT header when a message's template names none. */
  senderId: string;
  /** Default DLT principal entity id when a message's template names none. */
  peId: string;
  /** Default https://control.msg91.com; tests point it at the fake. */
  baseUrl?: string;
  /** Budget of one call, connection to last byte. */
  timeoutMs: number;
  /** Secret in the registered webhook URL; default derived from the auth key (see `msg91WebhookUrl`). */
  webhookToken?: string;
  clock?: Clock;
};

export const msg91ProviderName = 'msg91';
const indianMobile = /^\+?91\d{10}$/;
export const msg91SendPath = '/api/sendhttp.php';
export const msg91LogsPath = '/api/v5/report/logs/p/sms';

/** The delivery-report URL to register in MSG91's panel: our webhook route with the secret token. */
export function msg91WebhookUrl(routeUrl: string, options: { authKey: string; webhookToken?: string }): string {
  const url = new URL(routeUrl);
  url.searchParams.set(webhookTokenParam, options.webhookToken ?? deriveMsg91WebhookToken(options.authKey));
  return url.toString();
}

/** The form fields of one send, in the order MSG91 documents them. */
export function buildMsg91Form(message: OutgoingMessage, options: Pick<Msg91ProviderOptions, 'authKey' | 'senderId' | 'peId'>): URLSearchParams {
  const sms = message.sms;
  if (message.channel !== 'sms' || !sms) throw new Error(`MSG91 provider got a ${message.channel} message without SMS content`);
  const form = new URLSearchParams({
    authkey: options.authKey,
    mobiles: message.to.replace(/^\+/, ''),
    message: sms.text,
    sender: sms.dlt.header || options.senderId,
    route: sms.dlt.category === 'promotional' ? '1' : '4',
    country: '91',
    DLT_TE_ID: sms.dlt.templateId,
    PE_ID: sms.dlt.peId || options.peId,
    CRQID: msg91ClientReference(message.idempotencyKey),
    response: 'json',
  });
  if (sms.unicode) form.set('unicode', '1');
  return form;
}

/**
 * MSG91 provider. `send` never throws for what MSG91 or the network does (see the port); it throws
 * only for a message that is not an SMS.
 */
export function createMsg91Provider(options: Msg91ProviderOptions): ChannelProvider {
  const clock = options.clock ?? systemClock;
  const base = (options.baseUrl ?? 'https://control.msg91.com').replace(/\/+$/, '');
  const webhookToken = options.webhookToken ?? deriveMsg91WebhookToken(options.authKey);
  const http = createProviderHttp();
  const sendUrl = new URL(`${base}${msg91SendPath}`);

  async function send(message: OutgoingMessage, { signal }: { signal: AbortSignal }): Promise<SendOutcome> {
    const form = buildMsg91Form(message, options);
    // The DLT route (country 91) reaches Indian mobiles only. A number abroad (an NRI client's) is
    // not an invalid recipient, just not this gateway's: the next SMS provider (Twilio) takes it.
    if (message.to && !indianMobile.test(message.to)) return { kind: 'permanent', code: 'not_indian_number', detail: 'MSG91 sends to Indian (+91) mobiles only' };
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await http.request(sendUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        timeoutMs: options.timeoutMs,
        signal,
      });
      status = response.status;
      retryAfter = headerOf(response.headers, 'retry-after');
      text = response.text;
    } catch (error) {
      return transportFailure(error);
    }
    if (status === 429 || status >= 500) return classifyMsg91HttpFailure(status, parseRetryAfter(retryAfter, clock.now().getTime()));
    const answer = readAnswer(text);
    if (answer.type === 'success' && status >= 200 && status < 300) {
      if (answer.message) return { kind: 'accepted', providerMessageId: answer.message };
      // Taken without a request id: the CRQID finds it in the reports; a quick retry meets code 311.
      return { kind: 'retryable', code: 'bad_response', detail: `MSG91 answered HTTP ${status} success without a request id` };
    }
    if (answer.code === duplicateRequestCode) {
      // MSG91 took this very request (same CRQID, number and text) moments ago and refuses a copy.
      return { kind: 'accepted', providerMessageId: `crqid:${form.get('CRQID')}` };
    }
    return classifyMsg91Error(answer.code, status);
  }

  async function pollStatus(providerMessageId: string, { signal }: { signal: AbortSignal }): Promise<Receipt | null> {
    if (providerMessageId.startsWith('crqid:')) return null;
    // The logs report wants a date range (MSG91 allows three days); India dates.
    const day = (ms: number) => new Date(ms + 5.5 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const now = clock.now().getTime();
    const query = new URLSearchParams({ startDate: day(now - 2 * DAY), endDate: day(now), requestId: providerMessageId });
    // A failed lookup (not "unknown") throws, so reconciliation may ask again; the report's rows
    // carry the number, so nothing of the answer goes into the error.
    const failed = (reason: string) => new Error(`msg91: status lookup failed (${reason})`);
    let response: Awaited<ReturnType<typeof http.request>>;
    try {
      response = await http.request(`${base}${msg91LogsPath}?${query}`, {
        method: 'POST',
        headers: { authkey: options.authKey, accept: 'application/json' },
        timeoutMs: options.timeoutMs,
        signal,
      });
    } catch (error) {
      throw failed(error instanceof ProviderHttpFailure ? error.kind : 'error');
    }
    if (response.status < 200 || response.status >= 300) throw failed(`HTTP ${response.status}`);
    let body: { data?: Array<Record<string, unknown>> };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      throw failed('bad_response');
    }
    const row = body.data?.find((r) => r.requestId === undefined || r.requestId === providerMessageId);
    if (!row || receiptStatusOf(String(row.status ?? '')) === null) return null;
    const date = [row.deliveryDate, row.deliveryTime].every((v) => typeof v === 'string') ? `${String(row.deliveryDate)} ${String(row.deliveryTime)}` : String(row.requestDate ?? '');
    return toReceipt(msg91ProviderName, { requestId: providerMessageId, status: String(row.status), desc: '', reason: String(row.failureReason ?? ''), date, crqid: String(row.CRQID ?? '') }, clock);
  }

  return {
    name: msg91ProviderName,
    // MSG91 answers 311 to the same request within 10 s: a quick re-send of an in-doubt one is safe.
    dedupeWindowMs: 10_000,
    channel: 'sms',
    send,
    pollStatus,
    handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
      return handleMsg91Webhook(request, { provider: msg91ProviderName, token: webhookToken, clock });
    },
  };
}

/** MSG91's JSON answer, or its plain-text request id when `response=json` was not honoured. */
function readAnswer(text: string): { type: string; message: string; code?: string } {
  try {
    const parsed = JSON.parse(text) as { type?: unknown; message?: unknown; code?: unknown };
    const code = typeof parsed.code === 'string' || typeof parsed.code === 'number' ? String(parsed.code) : undefined;
    return { type: String(parsed.type ?? ''), message: typeof parsed.message === 'string' ? parsed.message : '', ...(code ? { code } : {}) };
  } catch {
    const id = text.trim();
    return /^[A-Za-z0-9]{16,40}$/.test(id) ? { type: 'success', message: id } : { type: 'error', message: '' };
  }
}

/** Timeouts, aborts and connection failures: in doubt, retryable (a quick retry meets code 311). */
function transportFailure(error: unknown): SendOutcome {
  const failure = error instanceof ProviderHttpFailure ? error : new ProviderHttpFailure('connection', error instanceof Error ? error.name : 'error');
  if (failure.kind === 'timeout') return { kind: 'retryable', code: 'timeout', detail: 'no answer from MSG91 within the provider timeout' };
  if (failure.kind === 'aborted') return { kind: 'retryable', code: 'aborted', detail: 'send aborted by the caller before an answer' };
  return { kind: 'retryable', code: 'connection', detail: `connection to MSG91 failed (${failure.detail})` };
}
