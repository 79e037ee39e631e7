// A fake Twilio Programmable Messaging API on loopback, speaking the real wire format
// (../shared/PROVIDERS.md): Basic auth, form-encoded sends, snake_case JSON, Twilio error bodies,
// message fetch and list with To/DateSent filters, and signed status callbacks to StatusCallback
// sent through the shared receipt scheduler (so loss, duplication, reordering and delay apply).
// The signature is computed here from the documented algorithm, not with the SDK, so the adapter's
// verification is tested against an independent implementation.
//
// Numbers the fake treats specially (by the last four digits of To):
//   0000 -> 400 21211 invalid number     0001 -> 400 21614 not SMS-capable   0002 -> 400 21610 unsubscribed
//   9999 -> accepted, then sent + undelivered (30003)    8888 -> accepted, then failed (30006)
//   anything else -> accepted, then sent + delivered
// The fake "delivers" at once: a stored message holds its final status (and DateSent) as soon as it
// is accepted, whatever happens to the callbacks that report it. With `holdInQueue` set, accepted
// messages stay 'queued' without DateSent (a Twilio backlog) until `releaseQueue()`.
import { createHash, createHmac } from 'node:crypto';
import { createWebhookAgent, postWebhook, startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer } from './fake-server.ts';

export type TwilioFakeMessage = {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  /** The final status (the fake delivers at once), or queued while the fake holds its queue. */
  status: 'queued' | 'delivered' | 'undelivered' | 'failed';
  errorCode?: string;
  /** The status a held message gets on release. */
  outcome: { status: 'delivered' | 'undelivered' | 'failed'; errorCode?: string };
  idempotencyKey?: string;
  statusCallback?: string;
  dateCreated: Date;
  /** Unset while queued, as on Twilio. */
  dateSent?: Date;
};

export type TwilioStatusCallback = { url: string; headers: Record<string, string>; body: string };

export type TwilioFake = FakeServer & {
  accountSid: string;
  authToken: string;
  /** Every accepted message by sid. */
  messages: Map<string, TwilioFakeMessage>;
  /** The form fields of every send that reached the handler (after faults), with its idempotency header. */
  createRequests: Array<{ form: Record<string, string>; idempotencyKey?: string }>;
  /** Status callbacks actually posted (after loss; a duplicate appears twice). */
  callbacksSent: Array<{ sid: string; status: string; token: string }>;
  /** What reached handsets: accepted messages whose final status is delivered. */
  deliveredToHandsets(): TwilioFakeMessage[];
  /** A signed status callback as Twilio would post it (for webhook tests). */
  statusCallback(sid: string, status: string, options?: { url?: string; errorCode?: string; token?: string }): TwilioStatusCallback;
  /** X-Twilio-Signature of a form POST to `url`. */
  sign(url: string, params: Record<string, string>): string;
  /** Keep newly accepted messages queued (no DateSent, no callbacks) until `releaseQueue()`. */
  holdInQueue: boolean;
  /** Sends every held message: final status, DateSent, callbacks. */
  releaseQueue(): void;
};

export type TwilioFakeOptions = { accountSid: string; authToken: string; seed?: number; /** The clock of `downFor` (a test's manual clock). */ now?: () => number };

const apiVersion = '2010-04-01';

const errorTexts: Record<string, string> = {
  '20003': 'Authenticate',
  '20404': 'The requested resource was not found',
  '20429': 'Too Many Requests',
  '20500': 'Internal Server Error',
  '20503': 'Service Unavailable',
  '21211': "The 'To' number {to} is not a valid phone number.",
  '21602': 'Message body is required.',
  '21603': "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
  '21604': "A 'To' phone number is required.",
  '21608': 'The number {to} is unverified. Trial accounts cannot send messages to unverified numbers.',
  '21610': 'Attempt to send to unsubscribed recipient {to}',
  '21614': "'To' number {to} is not a valid mobile number",
  '21900': 'Invalid DLT entity',
  '21901': 'Invalid DLT template',
  '30003': 'Unreachable destination handset',
  '30006': 'Landline or unreachable carrier',
};

/** Twilio's error body; like Twilio, the text may quote the number. */
function twilioError(status: number, code: string, to = ''): FakeResponse {
  const message = (errorTexts[code] ?? `Error ${code}`).replace('{to}', to);
  return { status, body: JSON.stringify({ code: Number(code), message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }) };
}

function defaultCode(status: number): string {
  if (status === 429) return '20429';
  if (status === 401) return '20003';
  if (status === 404) return '20404';
  if (status === 503) return '20503';
  return status >= 500 ? '20500' : '21211';
}

/** X-Twilio-Signature from the documented algorithm: base64 HMAC-SHA1 over the URL, then key+value sorted by key. */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function segments(body: string): number {
  const unicode = /[^\x20-\x7e\n\r]/.test(body);
  const [single, multi] = unicode ? [70, 67] : [160, 153];
  return body.length <= single ? 1 : Math.ceil(body.length / multi);
}

export async function startTwilioFake(options: TwilioFakeOptions): Promise<TwilioFake> {
  const agent = createWebhookAgent(); // this provider's own webhook connections
  const { accountSid, authToken } = options;
  const messages = new Map<string, TwilioFakeMessage>();
  const createRequests: TwilioFake['createRequests'] = [];
  const callbacksSent: TwilioFake['callbacksSent'] = [];
  const base = `/${apiVersion}/Accounts/${accountSid}`;
  let counter = 0;
  const hex = (kind: string) => createHash('md5').update(`${options.seed ?? 1}:${kind}:${++counter}`).digest('hex');

  const sign = (url: string, params: Record<string, string>) => signTwilioRequest(authToken, url, params);

  function statusCallback(sid: string, status: string, o: { url?: string; errorCode?: string; token?: string } = {}): TwilioStatusCallback {
    const m = messages.get(sid);
    const url = o.url ?? m?.statusCallback ?? 'http://127.0.0.1/webhooks/twilio';
    const params: Record<string, string> = {
      AccountSid: accountSid, ApiVersion: apiVersion, MessageSid: sid, MessageStatus: status, SmsSid: sid, SmsStatus: status, To: m?.to ?? '+910000000001',
      ...(m?.from ? { From: m.from } : {}),
      ...(m?.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
      ...(o.errorCode ? { ErrorCode: o.errorCode } : {}),
    };
    const token = o.token ?? hex('token').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    return {
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(url, params), 'i-twilio-idempotency-token': token, 'user-agent': 'TwilioProxy/1.1' },
      body: new URLSearchParams(params).toString(),
    };
  }

  /** `initial` renders the create answer (queued or accepted) instead of the stored state. */
  function messageJson(m: TwilioFakeMessage, initial?: 'queued' | 'accepted') {
    const status = initial ?? m.status;
    const sentAt = initial ? undefined : m.dateSent;
    const failed = status === 'failed' || status === 'undelivered';
    return {
      account_sid: accountSid, api_version: apiVersion, body: m.body,
      date_created: rfc2822(m.dateCreated), date_sent: sentAt ? rfc2822(sentAt) : null, date_updated: rfc2822(sentAt ?? m.dateCreated),
      direction: 'outbound-api', error_code: failed && m.errorCode ? Number(m.errorCode) : null, error_message: failed && m.errorCode ? errorTexts[m.errorCode] ?? null : null,
      from: m.from ?? null, messaging_service_sid: m.messagingServiceSid ?? null, num_media: '0', num_segments: String(segments(m.body)),
      price: null, price_unit: 'USD', sid: m.sid, status, to: m.to,
      subresource_uris: { media: `${base}/Messages/${m.sid}/Media.json` }, uri: `${base}/Messages/${m.sid}.json`,
    };
  }

  /** The message leaves the queue: its final status and DateSent, then its callbacks (receipt faults apply). */
  function release(m: TwilioFakeMessage): void {
    Object.assign(m, m.outcome, { dateSent: new Date() });
    if (!m.statusCallback) return;
    const steps: Array<[string, string?]> = m.status === 'failed' ? [['failed', m.errorCode]] : [['sent'], [m.status, m.errorCode]];
    fake.scheduleReceipts(
      steps.map(([status, errorCode]) => {
        const callback = statusCallback(m.sid, status, { errorCode }); // one token per step: a duplicate repeats it
        return async () => {
          callbacksSent.push({ sid: m.sid, status, token: callback.headers['i-twilio-idempotency-token']! });
          await postWebhook(callback.url, { headers: callback.headers, body: callback.body, agent });
        };
      }),
    );
  }

  function create(request: FakeRequest, accept: (key: string) => void): FakeResponse {
    const form = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
    const idempotencyKey = [request.headers['i-idempotency-key']].flat()[0];
    createRequests.push({ form, idempotencyKey });
    const to = form.To ?? '';
    if (!to) return twilioError(400, '21604');
    if (!form.Body) return twilioError(400, '21602');
    if (!form.From && !form.MessagingServiceSid) return twilioError(400, '21603');
    if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to)) return twilioError(400, '21211', to);
    const refused = { '0000': '21211', '0001': '21614', '0002': '21610' }[to.slice(-4)];
    if (refused) return twilioError(400, refused, to);

    const sid = `SM${hex('sid')}`;
    const outcome = to.endsWith('9999') ? { status: 'undelivered' as const, errorCode: '30003' } : to.endsWith('8888') ? { status: 'failed' as const, errorCode: '30006' } : { status: 'delivered' as const };
    const m: TwilioFakeMessage = {
      sid, to, body: form.Body, status: 'queued', outcome, dateCreated: new Date(),
      ...(form.From ? { from: form.From } : {}), ...(form.MessagingServiceSid ? { messagingServiceSid: form.MessagingServiceSid } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}), ...(form.StatusCallback ? { statusCallback: form.StatusCallback } : {}),
    };
    messages.set(sid, m);
    accept(idempotencyKey ?? `(no key) ${sid}`);
    if (!fake.holdInQueue) release(m);
    return { status: 201, body: JSON.stringify(messageJson(m, m.messagingServiceSid ? 'accepted' : 'queued')) };
  }

  function list(url: URL): FakeResponse {
    const q = url.searchParams;
    const bound = (value: string | null, endOfDay: boolean): number | undefined => {
      if (!value) return undefined;
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) + (endOfDay ? 86_400_000 - 1 : 0);
      return Date.parse(value);
    };
    // `DateSent>=X` arrives as the key `DateSent>` (the SDK's dateSentAfter): inclusive, like Twilio.
    const exact = q.get('DateSent');
    const after = bound(q.get('DateSent>') ?? exact, false);
    const before = bound(q.get('DateSent<') ?? (exact && exact.length === 10 ? exact : null), true);
    const seconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) * 1000 : Number.NaN); // unsent matches no DateSent filter
    const matching = [...messages.values()]
      .reverse() // newest first, as Twilio lists; the sort below is stable for equal times
      .filter((m) => (!q.get('To') || m.to === q.get('To')) && (!q.get('From') || m.from === q.get('From')))
      .filter((m) => (after === undefined || seconds(m.dateSent) >= after) && (before === undefined || seconds(m.dateSent) <= before))
      .filter((m) => !exact || exact.length === 10 || seconds(m.dateSent) === Date.parse(exact))
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    const pageSize = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50)));
    const page = Math.max(0, Number(q.get('Page') ?? 0));
    const start = page * pageSize;
    const slice = matching.slice(start, start + pageSize);
    const pageUri = (n: number) => {
      const p = new URLSearchParams(q);
      p.set('PageSize', String(pageSize));
      p.set('Page', String(n));
      p.set('PageToken', `PA${n}`);
      return `${base}/Messages.json?${p.toString()}`;
    };
    return {
      status: 200,
      body: JSON.stringify({
        messages: slice.map((m) => messageJson(m)),
        first_page_uri: pageUri(0), previous_page_uri: page > 0 ? pageUri(page - 1) : null,
        next_page_uri: start + pageSize < matching.length ? pageUri(page + 1) : null,
        page, page_size: pageSize, start, end: start + Math.max(0, slice.length - 1), uri: `${url.pathname}${url.search}`,
      }),
    };
  }

  function handle(request: FakeRequest, context: { accept(key: string): void }): FakeResponse {
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return twilioError(401, '20003');
    const path = request.url.pathname;
    if (!path.startsWith(`${base}/`)) return twilioError(404, '20404');
    if (path === `${base}/Messages.json`) {
      if (request.method === 'POST') return create(request, context.accept);
      if (request.method === 'GET') return list(request.url);
    }
    const one = /^\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(path.slice(base.length));
    const m = one && request.method === 'GET' ? messages.get(one[1]!) : undefined;
    if (m) return { status: 200, body: JSON.stringify(messageJson(m)) };
    return twilioError(404, '20404');
  }

  const fake = (await startFakeServer({
    seed: options.seed,
    ...(options.now ? { now: options.now } : {}),
    handle,
    errorBody: (fault: Extract<Fault, { kind: 'status' }>) => twilioError(fault.status, fault.code ?? defaultCode(fault.status)),
  })) as TwilioFake;
  return Object.assign(fake, {
    accountSid,
    authToken,
    messages,
    createRequests,
    callbacksSent,
    deliveredToHandsets: () => [...messages.values()].filter((m) => m.status === 'delivered'),
    statusCallback,
    sign,
    holdInQueue: false,
    releaseQueue: () => [...messages.values()].filter((m) => m.status === 'queued').forEach(release),
  });
}
