// A fake MSG91 SMS gateway on loopback, built on the shared fake server, speaking MSG91's HTTP send
// API (`POST /api/sendhttp.php`, form-encoded, `response=json`), its SMS logs report
// (`POST /api/v5/report/logs/p/sms`) and its v2 delivery-report webhook (form-encoded
// `data=<JSON>`), posted through the shared receipt scheduler so loss, duplication, reordering and
// delay apply.
//
// It plays the gateway's checks in MSG91's order, answering `{"type":"error","message","code"}`:
//   106/207 missing or wrong auth key; 101/202 missing or invalid mobile (an Indian mobile is
//   91 followed by ten digits starting 6-9); 102 missing message; 103/203 missing or malformed
//   sender (six letters); 107 missing route; 306 the promotional route (1) outside 10:00-21:00
//   IST; 311 the same request (number, text, template and CRQID) twice within 10 seconds.
// And DLT scrubbing against the templates registered in the fake (as the operators do), with the
// DLT platform's codes: 630 TEMPLATE_NOT_FOUND for an unregistered template id, and for text that
// does not match the registered `{#var#}` pattern (each variable 1-30 characters); 620 when the
// header is not the one registered with the template; 623 when the PE id is not the template's
// entity.
//
// Recipients the fake plays: a number ending 0001 is accepted and then reported failed (status 2,
// ABSENT SUBSCRIBER); every other valid number is delivered (status 1). Deliveries are counted per
// CRQID: the idempotency key as the adapter sends it.
import { createWebhookAgent, postWebhook, startFakeServer, type Fault, type FakeRequest, type FakeResponse, type FakeServer } from './fake-server.ts';

export type DltTemplate = { templateId: string; peId: string; header: string; pattern: string };

export type Msg91FakeOptions = {
  authKey: string;
  /** Where delivery reports go (with the secret token in its query); settable later. Unset: none. */
  webhookUrl?: string;
  seed?: number;
  /** DLT templates the fake's operator knows; more with `registerTemplate`. */
  templates?: DltTemplate[];
  /** The gateway's clock (promotional window, report times); default the real one. */
  now?: () => Date;
};

export type Msg91FakeSend = { form: Record<string, string>; requestId?: string; errorCode?: string };

/** One report as the fake posts it in a v2 webhook. */
export type Msg91FakeReport = { requestId: string; number: string; status: '1' | '2' | '9' | '16' | '17' | '25'; desc: string; crqid?: string; failedReason?: string; date?: Date };

export type Msg91Fake = FakeServer & {
  /** Every request that reached the send handler (after injected faults), in order. */
  sends: Msg91FakeSend[];
  registerTemplate(template: DltTemplate): void;
  setWebhookUrl(url: string | undefined): void;
  /** The v2 webhook body MSG91 posts for these reports (form-encoded `data`). */
  reportBody(reports: Msg91FakeReport[]): Buffer;
};

const errors: Record<string, string> = {
  '101': 'Missing mobile no.',
  '102': 'Missing message',
  '103': 'Missing sender ID',
  '106': 'Missing Authentication Key',
  '107': 'Missing Route',
  '202': 'Invalid mobile number. You must have entered either less than 10 digits or there is an alphabetic character in the mobile number field in API.',
  '203': 'Invalid sender ID. Your sender ID must be 6 characters, alphabetic.',
  '207': 'Invalid authentication key. Crosscheck your authentication key from your account\'s API section.',
  '301': 'Insufficient balance to send SMS',
  '306': 'This route is currently unavailable. You can send SMS from this route only between 10 AM - 9 PM.',
  '311': 'Request discarded because same request was generated twice within 10 seconds',
  '620': 'HEADER_NOT_FOUND',
  '623': 'PEID_NOT_MATCHED_WITH_HEADER',
  '630': 'TEMPLATE_NOT_FOUND',
};

/** `YYYY-MM-DD HH:mm:ss` in India time, as MSG91 writes report times. */
export function istString(date: Date): string {
  return new Date(date.getTime() + 5.5 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The DLT pattern as a regular expression: literal text, each `{#var#}` 1-30 characters. */
export function dltPatternRegExp(pattern: string): RegExp {
  const parts = pattern.split('{#var#}').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]{1,30}')}$`);
}

export async function startMsg91Fake(options: Msg91FakeOptions): Promise<Msg91Fake> {
  const agent = createWebhookAgent(); // this provider's own webhook connections
  const now = options.now ?? (() => new Date());
  const templates = new Map<string, DltTemplate & { regexp: RegExp }>();
  const register = (t: DltTemplate) => void templates.set(t.templateId, { ...t, regexp: dltPatternRegExp(t.pattern) });
  for (const t of options.templates ?? []) register(t);
  let webhookUrl = options.webhookUrl;
  const sends: Msg91FakeSend[] = [];
  const recent = new Map<string, number>();
  const logs = new Map<string, { requestDate: Date; status: string; failureReason: string; number: string; crqid: string; reportedAt?: Date }>();

  const error = (send: Msg91FakeSend | undefined, code: string, status = 200): FakeResponse => {
    if (send) send.errorCode = code;
    return { status, body: JSON.stringify({ type: 'error', message: errors[code] ?? 'Error', code }) };
  };

  function checkDlt(send: Msg91FakeSend, f: Record<string, string>): FakeResponse | null {
    const template = templates.get(f.DLT_TE_ID ?? '');
    if (!template) return error(send, '630');
    if (f.PE_ID !== undefined && f.PE_ID !== template.peId) return error(send, '623');
    if (f.sender !== template.header) return error(send, '620');
    if (!template.regexp.test(f.message ?? '')) return error(send, '630');
    return null;
  }

  function inPromotionalWindow(at: Date): boolean {
    const minutes = (at.getUTCHours() * 60 + at.getUTCMinutes() + 330) % (24 * 60);
    return minutes >= 10 * 60 && minutes < 21 * 60;
  }

  function handleSend(request: FakeRequest, context: { accept(key: string): void }): FakeResponse {
    const f = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
    const send: Msg91FakeSend = { form: f };
    sends.push(send);
    if (!f.authkey) return error(send, '106');
    if (f.authkey !== options.authKey) return error(send, '207');
    if (!f.mobiles) return error(send, '101');
    if (!/^91[6-9]\d{9}$/.test(f.mobiles)) return error(send, '202');
    if (!f.message) return error(send, '102');
    if (!f.sender) return error(send, '103');
    if (!/^[A-Za-z]{6}$/.test(f.sender)) return error(send, '203');
    if (!f.route) return error(send, '107');
    const at = now();
    if (f.route === '1' && !inPromotionalWindow(at)) return error(send, '306');
    const dlt = checkDlt(send, f);
    if (dlt) return dlt;
    const fingerprint = JSON.stringify([f.mobiles, f.message, f.DLT_TE_ID, f.CRQID ?? '']);
    const last = recent.get(fingerprint);
    recent.set(fingerprint, Date.now());
    if (last !== undefined && Date.now() - last < 10_000) return error(send, '311');
    const requestId = Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(server.random() * 16)]).join('');
    send.requestId = requestId;
    const failed = f.mobiles.endsWith('0001');
    logs.set(requestId, { requestDate: at, status: failed ? 'Failed' : 'Delivered', failureReason: failed ? 'ABSENT SUBSCRIBER' : '', number: f.mobiles, crqid: f.CRQID ?? '0', reportedAt: at });
    context.accept(f.CRQID || `missing:${requestId}`);
    scheduleReport({ requestId, number: f.mobiles, status: failed ? '2' : '1', desc: failed ? 'FAILED' : 'DELIVERED', crqid: f.CRQID, ...(failed ? { failedReason: 'ABSENT SUBSCRIBER' } : {}), date: at });
    return { status: 200, body: JSON.stringify({ message: requestId, type: 'success' }) };
  }

  function handleLogs(request: FakeRequest): FakeResponse {
    if (request.headers.authkey !== options.authKey) return { status: 401, body: JSON.stringify({ type: 'error', message: 'Unauthorized', code: '401' }) };
    const { startDate, endDate, requestId } = Object.fromEntries(request.url.searchParams);
    if (!startDate || !endDate) return { status: 400, body: JSON.stringify({ type: 'error', message: 'startDate and endDate are required' }) };
    const rows = [...logs.entries()]
      .filter(([id, log]) => (!requestId || id === requestId) && istString(log.requestDate).slice(0, 10) >= startDate && istString(log.requestDate).slice(0, 10) <= endDate)
      .map(([id, log]) => ({
        requestId: id,
        requestDate: istString(log.requestDate),
        status: log.status,
        deliveryDate: istString(log.reportedAt ?? log.requestDate).slice(0, 10),
        deliveryTime: istString(log.reportedAt ?? log.requestDate).slice(11),
        telNum: log.number,
        failureReason: log.failureReason,
        CRQID: log.crqid,
      }));
    return { status: 200, body: JSON.stringify({ data: rows, metadata: { total: rows.length } }) };
  }

  function reportBody(reports: Msg91FakeReport[]): Buffer {
    const data = reports.map((r) => ({
      senderId: 'PRVAHB',
      requestId: r.requestId,
      report: [{ date: istString(r.date ?? now()), amount: '0.20', clientid: '', INMSID: '0', CRQID: r.crqid ?? '0', ctCode: '900', number: r.number, credit: '1', status: r.status, desc: r.desc, failedReason: r.failedReason ?? '' }],
      userId: '270001',
      campaignName: 'Sendhttp',
    }));
    return Buffer.from(new URLSearchParams({ data: JSON.stringify(data) }).toString());
  }

  function scheduleReport(report: Msg91FakeReport): void {
    if (!webhookUrl) return;
    server.scheduleReceipts([() => postReport(report)]);
  }

  async function postReport(report: Msg91FakeReport): Promise<void> {
    if (!webhookUrl) return;
    await postWebhook(webhookUrl, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: reportBody([report]), agent });
  }

  const server = await startFakeServer({
    seed: options.seed,
    handle(request, context) {
      if (request.method === 'POST' && request.url.pathname === '/api/sendhttp.php') return handleSend(request, context);
      if (request.method === 'POST' && request.url.pathname === '/api/v5/report/logs/p/sms') return handleLogs(request);
      return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>404 Not Found</body></html>' };
    },
    errorBody: (fault: Extract<Fault, { kind: 'status' }>) => ({ status: fault.status, body: JSON.stringify({ type: 'error', message: errors[fault.code ?? ''] ?? 'Service unavailable', code: fault.code ?? String(fault.status) }) }),
  });
  return Object.assign(server, {
    sends,
    registerTemplate: register,
    setWebhookUrl: (url: string | undefined) => void (webhookUrl = url),
    reportBody,
  });
}
