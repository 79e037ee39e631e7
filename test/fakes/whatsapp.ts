// A fake WhatsApp Cloud API (Meta Graph API) on loopback, built on the shared fake server: the
// messages endpoint with Bearer auth, Meta's request validation and error bodies, and signed status
// webhooks (sent, then delivered and/or read; read alone when the chat was open) posted through
// the shared receipt scheduler so loss, duplication, reordering and delay apply.
//
// Recipients the fake plays:
//   - a number ending 0000 is not on WhatsApp: 400 with code 131026 at send time;
//   - a number ending 0001 is accepted, then its statuses are `sent` and `failed` (131026), as
//     Meta often reports undeliverable numbers only by webhook;
//   - every other number is accepted and delivered.
// Stricter than Meta in one place: `to` must be digits only (Meta tolerates a '+'), so a test
// catches an adapter that sends E.164 as is.
import { randomBytes } from 'node:crypto';
import { createWebhookAgent, postWebhook as post, startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer } from './fake-server.ts';
import { signWhatsAppBody } from '../../src/notify/providers/whatsapp/whatsapp-webhook.ts';

export type WhatsAppFakeOptions = {
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  /** Where status webhooks go; settable later with `setWebhookUrl`. Unset: no webhooks. */
  webhookUrl?: string;
  seed?: number;
  /** Approved templates and their body parameter counts; unset: every name is approved. */
  templates?: Record<string, number>;
  /** Refuse a second message to one user within this many ms with 131056 (Meta: ~6 s); 0 (default) is off. */
  pairRateLimitMs?: number;
};

export type FakeStatus = {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Defaults: from the accepted send with this wamid. */
  recipientId?: string;
  idempotencyKey?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** On failed: the error code (default 131026). */
  errorCode?: number;
};

export type WhatsAppFakeSend = { path: string; raw: string; body: unknown; wamid?: string; errorCode?: number };

export type WhatsAppFake = FakeServer & {
  /** Every request that reached the messages handler (after injected faults), in order. */
  sends: WhatsAppFakeSend[];
  setWebhookUrl(url: string | undefined): void;
  /** A status webhook exactly as Meta posts it: body bytes and headers with the signature. */
  statusWebhook(statuses: FakeStatus[]): { rawBody: Buffer; headers: Record<string, string> };
  sign(rawBody: Buffer | string): string;
  /** Runs Meta's subscription handshake against the webhook URL; true when the challenge came back. */
  verifySubscription(verifyToken: string): Promise<boolean>;
};

const titles: Record<number, string> = {
  2: 'Service temporarily unavailable',
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token - Cannot parse access token',
  2500: 'Unknown path components',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131008: 'Required parameter is missing',
  131016: 'Service unavailable',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131048: 'Spam rate limit hit',
  131050: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
};

const statusCodes: Record<number, number> = { 429: 130429, 400: 100, 401: 190, 500: 131000, 503: 131016 };

/** JSON as Meta writes it: non-ASCII escaped as \uXXXX (the signature covers these bytes). */
function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function startWhatsAppFake(options: WhatsAppFakeOptions): Promise<WhatsAppFake> {
  const agent = createWebhookAgent(); // this provider's own webhook connections
  let webhookUrl = options.webhookUrl;
  const sends: WhatsAppFakeSend[] = [];
  const accepted = new Map<string, { to: string; key: string | undefined }>();
  const lastSendTo = new Map<string, number>();
  let counter = 0;
  // The helpers below use `fake` (declared at the end): they run only once requests arrive.

  const token = (length: number) => Array.from({ length }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(fake.random() * 62)]).join('');
  const graphError = (status: number, code: number, details?: string, extra: Record<string, unknown> = {}): FakeResponse => ({
    status,
    body: metaJson({
      error: {
        message: `(#${code}) ${titles[code] ?? 'Error'}`,
        type: 'OAuthException',
        code,
        ...extra,
        ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
        fbtrace_id: `A${token(22)}`,
      },
    }),
  });

  function validate(body: unknown): FakeResponse | null {
    const b = body as Record<string, unknown> | null;
    if (!b || typeof b !== 'object') return graphError(400, 100, 'Request body must be a JSON object');
    if (b.messaging_product !== 'whatsapp') return graphError(400, 100, 'The parameter messaging_product is required and must be whatsapp');
    if (typeof b.to !== 'string' || !/^\d{8,15}$/.test(b.to)) return graphError(400, 100, "Parameter to must be the recipient's number in digits");
    if (b.type !== 'template') return graphError(400, 131047, 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
    const t = b.template as { name?: unknown; language?: { code?: unknown }; components?: unknown } | undefined;
    if (typeof t?.name !== 'string' || t.name === '') return graphError(400, 100, 'Parameter template.name is required');
    if (typeof t.language?.code !== 'string' || t.language.code === '') return graphError(400, 100, 'Parameter template.language.code is required');
    const parameters = bodyParameters(t.components);
    if (parameters === null) return graphError(400, 131008, 'Each body parameter needs type text and a non-empty text');
    const expected = options.templates?.[t.name];
    if (options.templates && expected === undefined) return graphError(404, 132001, `template name (${t.name}) does not exist in ${t.language.code}`);
    if (expected !== undefined && expected !== parameters) return graphError(400, 132000, `body: number of localizable_params (${parameters}) does not match the expected number of params (${expected})`);
    return null;
  }

  async function handle(request: FakeRequest, context: { accept(key: string): void }): Promise<FakeResponse> {
    const path = request.url.pathname;
    const match = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(path);
    if (request.method !== 'POST' || !match) return graphError(400, 2500, `Unknown path components: ${path}`);
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) return graphError(401, 190);
    if (match[1] !== options.phoneNumberId) {
      return graphError(400, 100, undefined, { error_subcode: 33, message: `Unsupported post request. Object with ID '${match[1]}' does not exist` });
    }
    const raw = request.body.toString('utf8');
    const send: WhatsAppFakeSend = { path, raw, body: undefined };
    sends.push(send);
    try {
      send.body = JSON.parse(raw);
    } catch {
      send.errorCode = 100;
      return graphError(400, 100, 'Request body is not JSON');
    }
    const refused = validate(send.body) ?? refuseRecipient(send.body as { to: string });
    if (refused) {
      send.errorCode = (JSON.parse(refused.body) as { error: { code: number } }).error.code;
      return refused;
    }
    const b = send.body as { to: string; biz_opaque_callback_data?: unknown };
    const wamid = `wamid.${Buffer.from(`${options.phoneNumberId}:${++counter}:${token(12)}`).toString('base64url')}`;
    const key = typeof b.biz_opaque_callback_data === 'string' ? b.biz_opaque_callback_data : undefined;
    send.wamid = wamid;
    accepted.set(wamid, { to: b.to, key });
    lastSendTo.set(b.to, Date.now());
    context.accept(key ?? `missing:${wamid}`);
    scheduleStatuses(wamid, b.to);
    return { status: 200, body: metaJson({ messaging_product: 'whatsapp', contacts: [{ input: b.to, wa_id: b.to }], messages: [{ id: wamid, message_status: 'accepted' }] }) };
  }

  function refuseRecipient(body: { to: string }): FakeResponse | null {
    if (body.to.endsWith('0000')) return graphError(400, 131026, 'Message Undeliverable.');
    const last = lastSendTo.get(body.to);
    if (options.pairRateLimitMs && last !== undefined && Date.now() - last < options.pairRateLimitMs) {
      return graphError(400, 131056, 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.');
    }
    return null;
  }

  /** sent, then delivered, delivered and read, or read alone (Meta skips delivered when the chat is open). */
  function scheduleStatuses(wamid: string, to: string): void {
    if (!webhookUrl) return;
    const now = Math.floor(Date.now() / 1000);
    let later: FakeStatus['status'][];
    if (to.endsWith('0001')) later = ['failed'];
    else {
      const roll = fake.random();
      later = roll < 0.2 ? ['read'] : roll < 0.5 ? ['delivered', 'read'] : ['delivered'];
    }
    const statuses = (['sent', ...later] as const).map((status, i) => ({ id: wamid, status, timestamp: now + i }));
    fake.scheduleReceipts(statuses.map((status) => () => postWebhook(status)));
  }

  async function postWebhook(status: FakeStatus): Promise<void> {
    if (!webhookUrl) return;
    const { rawBody, headers } = fake.statusWebhook([status]);
    for (let attempt = 1; ; attempt++) {
      const status = await post(webhookUrl, { headers, body: rawBody, agent });
      if ((status >= 200 && status < 300) || attempt === 3) return;
      // Meta retries failed webhooks with backoff; the fake does so briefly.
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }

  function statusObject(s: FakeStatus): Record<string, unknown> {
    const known = accepted.get(s.id);
    const key = s.idempotencyKey ?? known?.key;
    return {
      id: s.id,
      status: s.status,
      timestamp: String(s.timestamp ?? Math.floor(Date.now() / 1000)),
      recipient_id: s.recipientId ?? known?.to ?? '0',
      ...(key !== undefined ? { biz_opaque_callback_data: key } : {}),
      ...(s.status === 'failed'
        ? { errors: [{ code: s.errorCode ?? 131026, title: titles[s.errorCode ?? 131026] ?? 'Error', message: titles[s.errorCode ?? 131026] ?? 'Error', error_data: { details: 'Message Undeliverable.' } }] }
        : { pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' } }),
    };
  }

  const base = await startFakeServer({
    handle,
    errorBody: (fault: Extract<Fault, { kind: 'status' }>) => {
      const code = fault.code !== undefined ? Number(fault.code) : (statusCodes[fault.status] ?? (fault.status >= 500 ? 131000 : 100));
      return graphError(fault.status, code);
    },
    seed: options.seed,
  });

  const fake: WhatsAppFake = Object.assign(base, {
    sends,
    setWebhookUrl: (url: string | undefined) => void (webhookUrl = url),
    sign: (rawBody: Buffer | string) => signWhatsAppBody(rawBody, options.appSecret),
    statusWebhook(statuses: FakeStatus[]) {
      const body = metaJson({
        object: 'whatsapp_business_account',
        entry: [{ id: 'WABA-FAKE', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: options.phoneNumberId }, statuses: statuses.map(statusObject) } }] }],
      });
      const rawBody = Buffer.from(body, 'utf8');
      return { rawBody, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWhatsAppBody(rawBody, options.appSecret) } };
    },
    async verifySubscription(verifyToken: string) {
      if (!webhookUrl) return false;
      const challenge = randomBytes(8).toString('hex');
      const url = new URL(webhookUrl);
      url.searchParams.set('hub.mode', 'subscribe');
      url.searchParams.set('hub.verify_token', verifyToken);
      url.searchParams.set('hub.challenge', challenge);
      const response = await fetch(url);
      return response.status === 200 && (await response.text()) === challenge;
    },
  });
  return fake;
}

/** Number of well-formed body parameters, or null when one is malformed. */
function bodyParameters(components: unknown): number | null {
  if (components === undefined) return 0;
  if (!Array.isArray(components)) return null;
  let count = 0;
  for (const component of components as Array<{ type?: unknown; parameters?: unknown }>) {
    if (component?.type !== 'body') continue;
    if (!Array.isArray(component.parameters)) return null;
    for (const p of component.parameters as Array<{ type?: unknown; text?: unknown }>) {
      if (p?.type !== 'text' || typeof p.text !== 'string' || p.text === '') return null;
      count++;
    }
  }
  return count;
}
