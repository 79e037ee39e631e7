// The notification console API on a started platform (API role only, so no dispatcher moves rows
// under the test): the ledger list with its filters and keyset pages, masked destinations only, a
// message with its timeline and chain, retry and cancel with their status rules, roles and audit
// rows, stats per bucket, accuracy, the sandbox inbox (operators, decrypted), and /metrics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login, tokensByRole } from '../helpers/session.ts';
import { clientCode, clientInput, mobileFor, writeJsonl } from '../helpers/clients.ts';
import type { StaffRole } from '../../src/auth/roles.ts';
import { verifyAuditChain } from '../../src/auth/audit.ts';
import { seedLedger, type LedgerFixture } from './ledger-fixture.ts';

type Summary = { id: string; eventId: string; chainId: string; clientCode: string | null; channel: string; status: string; provider: string | null; maskedTo: string | null; attempts: number; lastCode: string | null; canRetry: boolean; canCancel: boolean; title: string | null };
type Page = { items: Summary[]; nextCursor: string | null };
type Detail = { message: Summary; timeline: Array<{ state: string; detail: string | null; code: string | null; provider: string | null }>; chain: Summary[]; event: { id: string; href: string } };

describe('notification console API', () => {
  let t: TestPlatform;
  let tokens: Record<StaffRole, string>;
  let dir: string;
  let fx: LedgerFixture;

  const inject = (method: 'GET' | 'POST', url: string, role: StaffRole) =>
    t.platform.http.inject({ method, url, headers: { authorization: `Bearer ${tokens[role]}` } });
  async function get<T>(url: string, role: StaffRole = 'viewer'): Promise<T> {
    const res = await inject('GET', url, role);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json<T>();
  }
  async function userId(role: StaffRole): Promise<string> {
    return (await login(t.platform.http, `${role}.tokens@test.pravah.in`, `${role}-password-123`, '10.9.0.1')).user.id;
  }

  before(async () => {
    t = await startTestPlatform({ env: { ROLES: 'api' } });
    tokens = await tokensByRole(t.platform);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-notify-routes-'));
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, [clientInput(1), clientInput(2)]);
    await t.platform.ingest.run(await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    fx = await seedLedger(t.platform);
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('lists every message newest first, with the client code and the masked destination only', async () => {
    const res = await inject('GET', '/api/notifications', 'viewer');
    assert.equal(res.statusCode, 200);
    const { items, nextCursor } = res.json<Page>();
    assert.equal(nextCursor, null);
    assert.equal(items.length, 6);
    assert.equal(items[0]!.channel === 'whatsapp' || items[0]!.channel === 'sms', true, 'the last planned (queued WhatsApp and its SMS) come first');
    const failed = items.find((m) => m.id === fx.ids.failedSms)!;
    assert.deepEqual([failed.status, failed.clientCode, failed.lastCode, failed.canRetry, failed.canCancel, failed.title], ['failed', clientCode(2), '30003', true, false, 'Funds received']);
    assert.match(failed.maskedTo!, /X{4,}/);
    for (const i of [1, 2]) assert.equal(res.body.includes(mobileFor(i)), false, 'no clear mobile in the answer');
    assert.equal(res.body.includes('to_enc') || res.body.includes('variables'), false);
  });

  test('filters by status, channel, type, client code, provider and time, alone and together', async () => {
    const ids = async (query: string) => (await get<Page>(`/api/notifications?${query}`)).items.map((m) => m.id).toSorted();
    assert.deepEqual(await ids('status=failed'), [fx.ids.failedSms]);
    assert.deepEqual(await ids('status=queued,waiting'), [fx.ids.queuedWhatsapp, fx.ids.waitingSms].toSorted());
    assert.deepEqual(await ids('channel=push'), [fx.ids.deliveredPush]);
    assert.deepEqual(await ids('channel=sms&status=delivered'), [fx.ids.deliveredSms]);
    assert.equal((await ids('type=funds.payin_received')).length, 6);
    assert.deepEqual(await ids('type=kyc.approved'), []);
    assert.deepEqual(await ids(`client=${clientCode(2)}`), [fx.ids.failedSms, fx.ids.deliveredPush].toSorted());
    assert.deepEqual(await ids(`client=${clientCode(2).toLowerCase()}&channel=sms`), [fx.ids.failedSms]);
    assert.equal((await ids('provider=sandbox')).length, 6);
    assert.deepEqual(await ids('provider=twilio'), []);
    assert.equal((await ids(`from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).length, 6);
    assert.deepEqual(await ids(`to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`), []);
    for (const bad of ['status=lost', 'channel=email', 'cursor=nope', 'from=yesterday', 'limit=0', 'client=AB-12']) {
      const res = await inject('GET', `/api/notifications?${bad}`, 'viewer');
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
  });

  test('keyset pages walk every message once, in order', async () => {
    const all = (await get<Page>('/api/notifications')).items.map((m) => m.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await get<Page>(`/api/notifications?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all);
  });

  test('a message with its timeline, its chain and its event', async () => {
    const failed = await get<Detail>(`/api/notifications/${fx.ids.failedSms}`);
    assert.deepEqual(failed.timeline.map((e) => e.state), ['planned', 'failed']);
    assert.equal(failed.timeline[1]!.code, '30003');
    assert.deepEqual(failed.chain, []);
    assert.deepEqual(failed.event, { id: fx.eventIds.failed, href: `/api/events/${fx.eventIds.failed}` });
    const queued = await get<Detail>(`/api/notifications/${fx.ids.queuedWhatsapp}`);
    assert.deepEqual(queued.chain.map((m) => [m.id, m.status]), [[fx.ids.waitingSms, 'waiting']]);
    const delivered = await get<Detail>(`/api/notifications/${fx.ids.deliveredSms}`);
    assert.deepEqual(delivered.timeline.map((e) => [e.state, e.provider]), [['planned', null], ['delivered', 'sandbox']]);
    const missing = await inject('GET', '/api/notifications/00000000-0000-4000-8000-000000000000', 'viewer');
    assert.equal(missing.statusCode, 404);
    assert.equal((await inject('GET', '/api/notifications/not-a-uuid', 'viewer')).statusCode, 400);
  });

  test('retry: operators only, only failed, undeliverable or cancelled messages; queued now with a timeline entry and an audit row', async () => {
    for (const role of ['viewer', 'compliance'] as const) assert.equal((await inject('POST', `/api/notifications/${fx.ids.failedSms}/retry`, role)).statusCode, 403);
    const res = await inject('POST', `/api/notifications/${fx.ids.failedSms}/retry`, 'ops');
    assert.equal(res.statusCode, 200, res.body);
    const detail = res.json<Detail>();
    assert.equal(detail.message.status, 'queued');
    assert.equal(detail.message.attempts, 0);
    assert.equal(detail.message.canRetry, false);
    assert.equal(detail.message.canCancel, true);
    const ops = await userId('ops');
    assert.deepEqual(detail.timeline.slice(-2).map((e) => e.state), ['manual_retry', 'queued']);
    assert.equal(detail.timeline.at(-2)!.detail, `manual retry by user:${ops} (was failed)`);
    const { rows } = await t.platform.store.db.query<{ actor: string; target: string; details: Record<string, unknown> }>(
      `SELECT actor, target, details FROM audit_log WHERE action = 'notification.retried'`,
    );
    assert.deepEqual(rows, [{ actor: `user:${ops}`, target: `notification:${fx.ids.failedSms}`, details: { from: 'failed', channel: 'sms', type: 'funds.payin_received', eventId: fx.eventIds.failed } }]);
    // Queued now: a second retry is refused, and so is a retry of a delivered message.
    const again = await inject('POST', `/api/notifications/${fx.ids.failedSms}/retry`, 'admin');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'CONFLICT');
    assert.equal(again.json().error.details.status, 'queued');
    assert.equal((await inject('POST', `/api/notifications/${fx.ids.deliveredSms}/retry`, 'admin')).statusCode, 409);
    assert.equal((await inject('POST', '/api/notifications/00000000-0000-4000-8000-000000000000/retry', 'admin')).statusCode, 404);
  });

  test('cancel: only messages not gone out; a primary takes its waiting fallback along; cancelled ones can be retried', async () => {
    assert.equal((await inject('POST', `/api/notifications/${fx.ids.queuedWhatsapp}/cancel`, 'viewer')).statusCode, 403);
    assert.equal((await inject('POST', `/api/notifications/${fx.ids.deliveredPush}/cancel`, 'ops')).statusCode, 409);
    // A message the dispatcher has claimed is not changed under it.
    await t.platform.store.db.query(`UPDATE notification_messages SET status = 'sending' WHERE id = $1`, [fx.ids.failedSms]);
    const sending = await inject('POST', `/api/notifications/${fx.ids.failedSms}/cancel`, 'ops');
    assert.equal(sending.statusCode, 409);
    assert.equal(sending.json().error.details.status, 'sending');
    await t.platform.store.db.query(`UPDATE notification_messages SET status = 'queued' WHERE id = $1`, [fx.ids.failedSms]);

    const res = await inject('POST', `/api/notifications/${fx.ids.queuedWhatsapp}/cancel`, 'admin');
    assert.equal(res.statusCode, 200, res.body);
    const detail = res.json<Detail>();
    assert.equal(detail.message.status, 'cancelled');
    assert.deepEqual(detail.chain.map((m) => m.status), ['cancelled']);
    const fallback = await get<Detail>(`/api/notifications/${fx.ids.waitingSms}`);
    assert.match(fallback.timeline.at(-1)!.detail!, /cancelled with its primary message by user:/);
    const { rows } = await t.platform.store.db.query<{ details: { from: string; fallbacksCancelled: string[] } }>(`SELECT details FROM audit_log WHERE action = 'notification.cancelled'`);
    assert.deepEqual(rows.map((r) => [r.details.from, r.details.fallbacksCancelled]), [['queued', [fx.ids.waitingSms]]]);
    assert.equal((await inject('POST', `/api/notifications/${fx.ids.queuedWhatsapp}/cancel`, 'admin')).statusCode, 409);
    const retried = await inject('POST', `/api/notifications/${fx.ids.queuedWhatsapp}/retry`, 'ops');
    assert.equal(retried.json<Detail>().message.status, 'queued');
    assert.equal(await verifyAuditChain(t.platform.store.db), undefined);
  });

  test('stats per hour: counts by channel, provider and status, and the delivery rate', async () => {
    const stats = await get<{
      bucket: string; buckets: string[]; overall: Array<{ start: string; delivered: number; deliverable: number; rate: number | null; total: number }>;
      series: Array<{ channel: string; provider: string; points: Array<{ delivered: number; total: number }>; byStatus: Record<string, number> }>; statuses: Record<string, number[]>;
    }>('/api/notifications/stats');
    assert.equal(stats.bucket, 'hour');
    assert.ok(stats.buckets.length === 24 || stats.buckets.length === 25, `${stats.buckets.length} buckets`);
    assert.ok(stats.buckets.every((b) => b.endsWith(':30:00.000Z')), 'IST hours start at half past in UTC');
    const last = stats.overall.findLast((b) => b.total > 0)!;
    assert.equal(stats.overall.reduce((n, b) => n + b.total, 0), 6);
    assert.ok(last.delivered >= 3);
    assert.equal(last.rate, last.delivered / last.deliverable);
    assert.deepEqual(stats.series.map((s) => `${s.channel}/${s.provider}`), ['push/sandbox', 'sms/sandbox', 'whatsapp/sandbox']);
    assert.equal(stats.series.find((s) => s.channel === 'push')!.byStatus['delivered'], 1);
    assert.equal(Object.values(stats.statuses).flat().reduce((a, b) => a + b, 0), 6);
    const days = await get<{ buckets: string[] }>('/api/notifications/stats?bucket=day');
    assert.ok(days.buckets.length >= 30 && days.buckets.every((b) => b.endsWith('T18:30:00.000Z')), 'IST days');
    const tooMany = await inject('GET', '/api/notifications/stats?bucket=hour&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'viewer');
    assert.equal(tooMany.statusCode, 400);
  });

  test('delivery accuracy per chain, by channel and by provider', async () => {
    const a = await get<{ delivered: number; deliverable: number; accuracy: number; inFlight: number; byChannel: Array<{ channel: string }>; byProvider: Array<{ provider: string }>; settleMs: number }>('/api/notifications/accuracy');
    // Delivered: the SMS, the push and the WhatsApp message; in flight: the two retried ones.
    assert.deepEqual([a.delivered, a.deliverable, a.inFlight, a.accuracy], [3, 3, 2, 1]);
    assert.deepEqual(a.byChannel.map((c) => c.channel), ['push', 'sms', 'whatsapp']);
    assert.deepEqual([...new Set(a.byProvider.map((p) => p.provider))], ['sandbox']);
    const past = await get<{ deliverable: number; accuracy: number }>('/api/notifications/accuracy?to=2020-01-01T00:00:00Z');
    assert.deepEqual([past.deliverable, past.accuracy], [0, 1]);
  });

  test('the sandbox inbox: operators read what each phone shows, decrypted', async () => {
    assert.equal((await inject('GET', '/api/sandbox/messages', 'viewer')).statusCode, 403);
    assert.equal((await inject('GET', '/api/sandbox/messages', 'compliance')).statusCode, 403);
    type Inbox = { items: Array<{ channel: string; clientCode: string | null; maskedTo: string | null; content: { sms?: { text: string; dlt: { header: string } }; whatsapp?: { templateName: string; parameters: string[] }; push?: { title: string } } | null }> };
    const inbox = await get<Inbox>('/api/sandbox/messages', 'ops');
    assert.deepEqual(inbox.items.map((m) => m.channel).toSorted(), ['push', 'sms', 'whatsapp']);
    const sms = inbox.items.find((m) => m.channel === 'sms')!;
    assert.equal(sms.content!.sms!.text, 'Dear client, Rs 500 received via UPI. -PRAVAH');
    assert.equal(sms.content!.sms!.dlt.header, 'PRVAHB');
    assert.equal(sms.clientCode, clientCode(1));
    assert.deepEqual(inbox.items.find((m) => m.channel === 'whatsapp')!.content!.whatsapp!.parameters, ['Rs 1200', 'UPI']);
    const mine = await get<Inbox>(`/api/sandbox/messages?client=${clientCode(2)}`, 'admin');
    assert.deepEqual(mine.items.map((m) => m.channel), ['push']);
    const { rows } = await t.platform.store.db.query<{ raw: string }>(`SELECT encode(content_enc, 'escape') AS raw FROM sandbox_messages`);
    assert.ok(rows.every((r) => !r.raw.includes('received via')), 'stored encrypted');
  });

  test('/metrics: delivery accuracy and messages by status and channel, computed at scrape', async () => {
    const res = await inject('GET', '/metrics', 'ops');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^pravah_notify_delivery_accuracy 1$/m);
    assert.match(res.body, /^pravah_notify_messages\{status="delivered",channel="push"\} 1$/m);
    assert.match(res.body, /^pravah_notify_messages\{status="queued",channel="sms"\} 1$/m);
    await t.platform.store.db.query(`UPDATE notification_messages SET status = 'failed', created_at = created_at - interval '1 hour' WHERE id = $1`, [fx.ids.failedSms]);
    const after = await inject('GET', '/metrics', 'ops');
    assert.match(after.body, /^pravah_notify_delivery_accuracy 0\.75$/m);
  });
});
