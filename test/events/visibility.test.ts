// What the console sees of the events: GET /api/events with filters and keyset pages, the detail
// with the outcome, requests and deliveries, dead letters retried or discarded once (audited,
// operators only), lag in JSON and in /metrics, and the live SSE stream with server-side filters.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { tokensByRole } from '../helpers/session.ts';
import { clientCode, clientInput, mobileFor, writeJsonl } from '../helpers/clients.ts';
import type { StaffRole } from '../../src/auth/roles.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { triggeredEventsTopic } from '../../src/events/intake.ts';
import { processorGroup } from '../../src/events/processor.ts';
import { deadLetterTopic } from '../../src/log/event-log.ts';

type Summary = { id: string; eventId: string; topic: string; type: string; clientId: string | null; clientCode: string | null; source: string | null; status: string; reason: string | null; requests: number; appendedAt: string };
type Page = { items: Summary[]; nextCursor: string | null };
type DeadLetter = { id: string; group: string; eventId: string; status: string; error: string | null; attempts: number | null; retryId: string | null; actedBy: string | null };

const payin = (id: string, code: string, amount = 100) => ({ id, type: 'funds.payin_received', clientCode: code, variables: { amount, mode: 'UPI', balance: 5000 } });

describe('event visibility', () => {
  let t: TestPlatform;
  let tokens: Record<StaffRole, string>;
  let dir: string;
  let idOf: (code: string) => string;

  async function get<T>(url: string, role: StaffRole = 'viewer'): Promise<T> {
    const res = await t.platform.http.inject({ url, headers: { authorization: `Bearer ${tokens[role]}` } });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json<T>();
  }
  function post(url: string, role: StaffRole) {
    return t.platform.http.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens[role]}` } });
  }
  async function trigger(events: unknown[]) {
    const result = await t.platform.eventIntake.submit(events, { source: 'api', caller: 'api-key:test' });
    await t.platform.events.processor.drained();
    return result;
  }
  /** A dead letter of the processor, appended as the log writes one. */
  async function deadLetter(eventId: string, code: string, source: { id: string; topic: string } = { id: '999999', topic: triggeredEventsTopic }) {
    const [record] = await t.platform.eventLog.append([{
      topic: deadLetterTopic(processorGroup), key: idOf(code), type: 'funds.payin_received',
      payload: { clientId: idOf(code), clientCode: code, occurredAt: '2026-03-02T10:00:00Z', variables: { amount: 7, mode: 'UPI', balance: 10 } },
      headers: {
        'event-id': eventId, source: 'api', 'dead-letter.source-id': source.id, 'dead-letter.source-topic': source.topic, 'dead-letter.attempts': '5',
        'dead-letter.error': `Error: timeout sending to ${mobileFor(1)} for client1@example.in`,
      },
    }]);
    return record!;
  }

  /** Opens the live stream with `query`; collects its messages. */
  const open = async (query: string) => {
    const controller = new AbortController();
    const res = await fetch(`${t.url}/api/events/stream${query}`, { headers: { authorization: `Bearer ${tokens.viewer}` }, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const messages: Array<{ event: string; data: Record<string, unknown> }> = [];
    const pump = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          text += value;
          let end: number;
          while ((end = text.indexOf('\n\n')) !== -1) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) messages.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          }
        }
      } catch {
        // aborted
      }
    })();
    const waitFor = async (predicate: (m: { event: string; data: Record<string, unknown> }) => boolean, ms = 10_000) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const found = messages.find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.fail(`no matching message; got ${JSON.stringify(messages)}`);
    };
    return { messages, waitFor, close: async () => { controller.abort(); await pump; } };
  };
  before(async () => {
    t = await startTestPlatform({ env: { EVENT_LEASE_MS: '1000' } });
    tokens = await tokensByRole(t.platform);
    idOf = (code) => clientIdForCode(createBlindIndex(t.platform.keys), code);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-visibility-'));
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, [clientInput(1), clientInput(2), clientInput(3, { kraStatus: '003' })]);
    await t.platform.ingest.run(await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' }));
    await trigger([
      payin('pay-1', clientCode(1), 101), payin('pay-2', clientCode(2), 102), payin('pay-3', clientCode(1), 103),
      payin('pay-unknown', 'ZZ99999', 104),
    ]);
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('lists events of both topics newest first, with their outcome', async () => {
    const { items, nextCursor } = await get<Page>('/api/events');
    assert.equal(nextCursor, null);
    // 3 kyc events from ingestion (2 approved, 1 on hold) and 4 triggered ones.
    assert.equal(items.length, 7);
    assert.deepEqual(items.map((e) => e.id), items.map((e) => e.id).toSorted((a, b) => Number(b) - Number(a)));
    assert.deepEqual(items.slice(0, 4).map((e) => e.eventId).toSorted(), ['pay-1', 'pay-2', 'pay-3', 'pay-unknown']);
    const pay1 = items.find((e) => e.eventId === 'pay-1')!;
    assert.equal(pay1.status, 'planned');
    assert.equal(pay1.requests, 1);
    assert.equal(pay1.clientCode, clientCode(1));
    assert.equal(pay1.clientId, idOf(clientCode(1)));
    assert.equal(items.find((e) => e.eventId === 'pay-unknown')!.status, 'client_unknown');
    assert.deepEqual(new Set(items.map((e) => e.topic)), new Set(['kyc.events', triggeredEventsTopic]));
  });

  test('filters by type, client code, status, topic and time', async () => {
    const byType = await get<Page>('/api/events?type=kyc.approved,kyc.on_hold');
    assert.deepEqual(byType.items.map((e) => e.type).toSorted(), ['kyc.approved', 'kyc.approved', 'kyc.on_hold']);
    const byClient = await get<Page>(`/api/events?client=${clientCode(1).toLowerCase()}`);
    assert.deepEqual(byClient.items.map((e) => e.eventId).slice(0, 2), ['pay-3', 'pay-1']);
    assert.ok(byClient.items.every((e) => e.clientId === idOf(clientCode(1))));
    assert.equal(byClient.items.length, 3);
    const unknown = await get<Page>('/api/events?status=client_unknown');
    assert.deepEqual(unknown.items.map((e) => e.eventId), ['pay-unknown']);
    const triggered = await get<Page>(`/api/events?topic=${triggeredEventsTopic}`);
    assert.equal(triggered.items.length, 4);
    const future = await get<Page>(`/api/events?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    assert.equal(future.items.length, 0);
    const past = await get<Page>(`/api/events?to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&type=funds.payin_received`);
    assert.equal(past.items.length, 4);
    const bad = await t.platform.http.inject({ url: '/api/events?topic=processor.retry', headers: { authorization: `Bearer ${tokens.viewer}` } });
    assert.equal(bad.statusCode, 400);
    const badCursor = await t.platform.http.inject({ url: '/api/events?cursor=abc', headers: { authorization: `Bearer ${tokens.viewer}` } });
    assert.equal(badCursor.statusCode, 400);
  });

  test('pages with a keyset cursor: no overlap, nothing missed', async () => {
    const all = (await get<Page>('/api/events')).items.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await get<Page>(`/api/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.deepEqual(seen, all);
    assert.equal(pages, 3);
  });

  test('the detail shows the outcome, the requests with channels and skipped reasons, masked destinations and deliveries', async () => {
    const byEventId = await get<{
      event: Summary & { variables: Record<string, unknown>; headers: Record<string, string> };
      outcome: { status: string; requests: number } | null;
      requests: Array<{ channels: string[]; skipped: Array<{ channel: string; reason: string }>; destinations: Record<string, string>; variables: Record<string, unknown> }>;
      deliveries: Array<{ group: string; passed: boolean }>;
      deadLetters: unknown[];
    }>('/api/events/pay-1');
    assert.equal(byEventId.event.eventId, 'pay-1');
    assert.deepEqual(byEventId.event.variables, { amount: 101, mode: 'UPI', balance: 5000 });
    assert.equal(byEventId.event.headers['source'], 'api');
    assert.equal(byEventId.outcome?.status, 'planned');
    assert.equal(byEventId.requests.length, 1);
    const [request] = byEventId.requests;
    assert.deepEqual(request!.channels, ['push']);
    assert.deepEqual(request!.skipped.map((s) => `${s.channel}:${s.reason}`), ['whatsapp:no_opt_in']);
    assert.match(request!.destinations['mobile']!, /X{4,}/);
    assert.deepEqual(byEventId.deliveries.map((d) => [d.group, d.passed]), [[processorGroup, true]]);
    assert.deepEqual(byEventId.deadLetters, []);
    // The same event by its log id; and no personal value anywhere in the answer.
    const byLogId = await t.platform.http.inject({ url: `/api/events/${byEventId.event.id}`, headers: { authorization: `Bearer ${tokens.viewer}` } });
    assert.equal(byLogId.json<{ event: Summary }>().event.eventId, 'pay-1');
    assert.ok(!byLogId.body.includes(mobileFor(1)) && !byLogId.body.includes('Verma') && !byLogId.body.includes('client1@example.in'));
    // A domain event from ingestion: the name is never shown, even though the template uses it.
    const approved = (await get<Page>(`/api/events?type=kyc.approved&client=${clientCode(2)}`)).items[0]!;
    const detail = await get<{ event: { variables: Record<string, unknown> }; requests: Array<{ variables: Record<string, unknown> }> }>(`/api/events/${approved.id}`);
    assert.deepEqual(detail.event.variables, { segments: ['CM'] });
    assert.equal(detail.requests[0]!.variables['name'], undefined);
    const missing = await t.platform.http.inject({ url: '/api/events/no-such-event', headers: { authorization: `Bearer ${tokens.viewer}` } });
    assert.equal(missing.statusCode, 404);
  });

  test('dead letters: listed masked, retried once by ops (audited), the retry handled; viewers may not act', async () => {
    const record = await deadLetter('dl-retry', clientCode(2));
    const open = await get<{ items: DeadLetter[] }>('/api/events/dead-letters?status=open');
    const listed = open.items.find((d) => d.id === record.id)!;
    assert.equal(listed.eventId, 'dl-retry');
    assert.equal(listed.group, processorGroup);
    assert.equal(listed.attempts, 5);
    assert.ok(!listed.error!.includes(mobileFor(1)) && !listed.error!.includes('client1@example.in'), listed.error!);
    assert.match(listed.error!, /timeout sending to X+\d{4} for c\*{4}@example\.in/);

    assert.equal((await post(`/api/events/dead-letters/${record.id}/retry`, 'viewer')).statusCode, 403);
    assert.equal((await post(`/api/events/dead-letters/${record.id}/retry`, 'compliance')).statusCode, 403);
    const retried = await post(`/api/events/dead-letters/${record.id}/retry`, 'ops');
    assert.equal(retried.statusCode, 200, retried.body);
    const body = retried.json<DeadLetter>();
    assert.equal(body.status, 'retried');
    assert.match(body.actedBy!, /^user:/);
    const [again] = await t.platform.eventLog.get([body.retryId!]);
    assert.equal(again!.topic, `${processorGroup}.retry`);
    assert.equal(again!.headers['retry-of'], record.id);
    assert.equal(again!.headers['event-id'], 'dl-retry');
    assert.ok(!Object.keys(again!.headers).some((k) => k.startsWith('dead-letter.')));
    assert.deepEqual(again!.payload, record.payload);
    await t.platform.events.processor.drained();
    const { rows } = await t.database.db.query<{ status: string }>(`SELECT status FROM event_outcomes WHERE event_id = 'dl-retry'`);
    assert.equal(rows[0]?.status, 'planned');

    const twice = await post(`/api/events/dead-letters/${record.id}/retry`, 'admin');
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, 'CONFLICT');
    assert.equal((await post(`/api/events/dead-letters/${record.id}/discard`, 'admin')).statusCode, 409);
    const audit = await t.database.db.query<{ action: string; target: string }>(`SELECT action, target FROM audit_log WHERE action LIKE 'event.%'`);
    assert.deepEqual(audit.rows, [{ action: 'event.dead_letter_retried', target: `dead-letter:${record.id}` }]);
    assert.equal((await post('/api/events/dead-letters/123456789/retry', 'ops')).statusCode, 404);
  });

  test('dead letters: discarded once; the status filter follows', async () => {
    const record = await deadLetter('dl-discard', clientCode(1));
    assert.equal((await post(`/api/events/dead-letters/${record.id}/discard`, 'viewer')).statusCode, 403);
    const discarded = await post(`/api/events/dead-letters/${record.id}/discard`, 'admin');
    assert.equal(discarded.statusCode, 200, discarded.body);
    assert.equal(discarded.json<DeadLetter>().status, 'discarded');
    assert.equal((await post(`/api/events/dead-letters/${record.id}/retry`, 'ops')).statusCode, 409);
    const ids = async (status: string) => (await get<{ items: DeadLetter[] }>(`/api/events/dead-letters?status=${status}`)).items.map((d) => d.eventId);
    assert.ok((await ids('discarded')).includes('dl-discard'));
    assert.ok(!(await ids('open')).includes('dl-discard'));
    assert.ok((await ids('retried')).includes('dl-retry'));
    const audit = await t.database.db.query(`SELECT 1 FROM audit_log WHERE action = 'event.dead_letter_discarded' AND target = $1`, [`dead-letter:${record.id}`]);
    assert.equal(audit.rowCount, 1);
  });

  test('an event the processor gave up on shows as dead_letter until a retry handles it', async () => {
    const processor = t.platform.events.processor;
    await processor.stop();
    const key = idOf(clientCode(3));
    const [original] = await t.platform.eventLog.append([{
      topic: triggeredEventsTopic, key, type: 'funds.payin_received',
      payload: { clientId: key, clientCode: clientCode(3), occurredAt: '2026-03-02T10:00:00Z', variables: { amount: 9, mode: 'UPI', balance: 9 } },
      headers: { 'event-id': 'gave-up', source: 'stream' },
    }]);
    // The processor moved past it after its attempts, as the log does when it dead-letters.
    await t.platform.eventLog.seek(processorGroup, triggeredEventsTopic, 'latest');
    await processor.start();
    const dead = await deadLetter('gave-up', clientCode(3), { id: original!.id, topic: triggeredEventsTopic });
    const listed = await get<Page>('/api/events?status=dead_letter');
    assert.deepEqual(listed.items.map((e) => e.eventId), ['gave-up']);
    const detail = await get<{ deadLetters: DeadLetter[]; outcome: unknown }>('/api/events/gave-up');
    assert.equal(detail.outcome, null);
    assert.deepEqual(detail.deadLetters.map((d) => [d.id, d.status]), [[dead.id, 'open']]);

    assert.equal((await post(`/api/events/dead-letters/${dead.id}/retry`, 'ops')).statusCode, 200);
    await processor.drained();
    const after = await get<{ event: Summary; deadLetters: DeadLetter[] }>(`/api/events/${original!.id}`);
    assert.equal(after.event.status, 'planned');
    assert.equal(after.deadLetters[0]!.status, 'retried');
  });

  test('lag per group and partition, as JSON and in /metrics', async () => {
    await t.platform.events.processor.drained();
    const lag = await get<{ groups: Array<{ group: string; lag: number; openDeadLetters: number; partitions: Array<{ topic: string; partition: number; head: string; position: string; lag: number }> }> }>('/api/events/lag');
    const processor = lag.groups.find((g) => g.group === processorGroup)!;
    assert.equal(processor.lag, 0);
    assert.ok(processor.partitions.some((p) => p.topic === triggeredEventsTopic && Number(p.head) > 0));
    assert.ok(processor.partitions.every((p) => p.lag === 0 && p.position === p.head));

    // Appended while the processor is stopped: lag shows until it runs again.
    await t.platform.events.processor.stop();
    try {
      await t.platform.eventIntake.submit([payin('lagging-1', clientCode(1)), payin('lagging-2', clientCode(1))], { source: 'api' });
      await t.platform.eventLog.seek('nobody', triggeredEventsTopic, 'earliest'); // a second group, never consuming
      const metricsRes = await t.platform.http.inject({ url: '/metrics', headers: { authorization: `Bearer ${tokens.ops}` } });
      assert.equal(metricsRes.statusCode, 200);
      const text = metricsRes.body;
      const partition = (await t.platform.eventLog.get([(await get<Page>('/api/events?limit=1', 'admin')).items[0]!.id]))[0]!.partition;
      assert.match(text, new RegExp(`pravah_event_consumer_lag\\{group="processor",topic="events.triggered",partition="${partition}"\\} [1-9]`));
      assert.match(text, /pravah_event_consumer_group_lag\{group="processor"\} 2\b/);
      assert.match(text, /pravah_event_consumer_group_lag\{group="nobody"\} [1-9]/);
      assert.match(text, /pravah_event_dead_letters_open\{group="processor"\} 0\b/);
      const lagging = await get<Page>('/api/events?status=pending');
      assert.deepEqual(lagging.items.map((e) => e.eventId), ['lagging-2', 'lagging-1']);
    } finally {
      await t.platform.events.processor.start();
    }
    await t.platform.events.processor.drained();
    assert.match((await t.platform.http.inject({ url: '/metrics', headers: { authorization: `Bearer ${tokens.ops}` } })).body, /pravah_event_consumer_group_lag\{group="processor"\} 0\b/);
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: { authorization: `Bearer ${tokens.viewer}` } })).statusCode, 403);
  });

  test('the live stream pushes new events and their status, filtered by client on the server', async () => {
    const all = await open('');
    const onlyClient2 = await open(`?client=${clientCode(2)}&type=funds.payin_received`);
    await all.waitFor((m) => m.event === 'ready');
    await onlyClient2.waitFor((m) => m.event === 'ready');
    await t.platform.eventIntake.submit([payin('live-1', clientCode(1)), payin('live-2', clientCode(2))], { source: 'api' });
    const pushed = await all.waitFor((m) => m.event === 'event' && m.data['eventId'] === 'live-1');
    assert.equal(pushed.data['type'], 'funds.payin_received');
    assert.equal(pushed.data['clientId'], idOf(clientCode(1)));
    // Its outcome: on the event itself when the processor was quicker than the feed, else pushed after.
    const settled = await all.waitFor((m) => m.data['eventId'] === 'live-1' && (m.event === 'status' || m.data['status'] !== 'pending'));
    assert.equal(settled.data['status'], 'planned');
    assert.equal(settled.data['requests'], 1);
    await onlyClient2.waitFor((m) => m.event === 'event' && m.data['eventId'] === 'live-2');
    await all.waitFor((m) => m.event === 'event' && m.data['eventId'] === 'live-2');
    assert.ok(!onlyClient2.messages.some((m) => m.data['eventId'] === 'live-1'));

    // An event still pending when it is pushed gets its status pushed once the processor handles it.
    await t.platform.events.processor.stop();
    try {
      await t.platform.eventIntake.submit([payin('live-3', clientCode(2))], { source: 'api' });
      assert.equal((await onlyClient2.waitFor((m) => m.event === 'event' && m.data['eventId'] === 'live-3')).data['status'], 'pending');
    } finally {
      await t.platform.events.processor.start();
    }
    const update = await onlyClient2.waitFor((m) => m.event === 'status' && m.data['eventId'] === 'live-3');
    assert.equal(update.data['status'], 'planned');
    await all.waitFor((m) => m.event === 'status' && m.data['eventId'] === 'live-3');
    await all.close();
    await onlyClient2.close();
  });

  test('a producer\'s event on the stream topic, keyed by client code, is found and streamed by client', async () => {
    const code = clientCode(2);
    const live = await open(`?client=${code.toLowerCase()}`);
    await live.waitFor((m) => m.event === 'ready');
    await t.platform.events.processor.stop();
    try {
      await t.platform.eventLog.append([{
        topic: triggeredEventsTopic, key: code, type: 'funds.payin_received', headers: { 'event-id': 'from-stream-1', source: 'stream' },
        payload: { clientCode: code, variables: { amount: 77, mode: 'IMPS', balance: 177 } },
      }]);
      const pushed = await live.waitFor((m) => m.event === 'event' && m.data['eventId'] === 'from-stream-1');
      assert.deepEqual([pushed.data['status'], pushed.data['clientId'], pushed.data['clientCode']], ['pending', null, code]);
    } finally {
      await t.platform.events.processor.start();
    }
    const update = await live.waitFor((m) => m.event === 'status' && m.data['eventId'] === 'from-stream-1');
    assert.deepEqual([update.data['status'], update.data['clientCode']], ['planned', code]);
    await live.close();
    const listed = await get<Page>(`/api/events?client=${code}&type=funds.payin_received`);
    const found = listed.items.find((e) => e.eventId === 'from-stream-1');
    assert.ok(found, JSON.stringify(listed.items.map((e) => e.eventId)));
    assert.deepEqual([found.status, found.clientId, found.source], ['planned', idOf(code), 'stream']);
    const detail = await get<{ event: Summary; requests: Array<{ variables: Record<string, unknown> }> }>('/api/events/from-stream-1');
    assert.equal(detail.requests[0]!.variables['amount'], 77);
  });
});
