// POST /api/events and GET /api/events/catalog on a started platform: single and batch intake,
// mixed batches, the batch limit, idempotent replay, scopes and roles, and per-key rate limits.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { tokensByRole } from '../helpers/session.ts';
import type { StaffRole, ApiKeyScope } from '../../src/auth/roles.ts';
import { triggeredEventsTopic } from '../../src/events/intake.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';

type Outcome = { accepted: number; duplicate: number; rejected: number; results: Array<{ index: number; status: string; eventId: string | null; errors?: Array<{ field: string; rule: string; message: string }> }> };

const event = (id: string | undefined, clientCode = 'AB1234') => ({
  ...(id === undefined ? {} : { id }), type: 'funds.payin_received', clientCode, occurredAt: '2026-02-10T10:15:00+05:30',
  variables: { amount: 25000, mode: 'UPI', balance: 41250.5 },
});

describe('events API', () => {
  let t: TestPlatform;
  let tokens: Record<StaffRole, string>;
  let keyCount = 0;

  async function apiKey(scopes: ApiKeyScope[] = ['events:write']): Promise<string> {
    return (await t.platform.apiKeys.create({ name: `producer-${++keyCount}`, scopes }, { label: 'test' })).key;
  }
  function post(credential: string, payload: unknown, headers: Record<string, string> = {}) {
    return t.platform.http.inject({ method: 'POST', url: '/api/events', headers: { authorization: `Bearer ${credential}`, ...headers }, payload: payload as object });
  }

  before(async () => {
    t = await startTestPlatform({ env: { EVENTS_RATE_PER_SECOND: '1', EVENTS_RATE_BURST: '1000' } });
    tokens = await tokensByRole(t.platform);
  });
  after(() => t.stop());

  test('the catalog is readable by any staff role, as JSON Schema', async () => {
    assert.equal((await t.platform.http.inject({ url: '/api/events/catalog' })).statusCode, 401);
    const res = await t.platform.http.inject({ url: '/api/events/catalog', headers: { authorization: `Bearer ${tokens.viewer}` } });
    assert.equal(res.statusCode, 200);
    const { items } = res.json<{ items: Array<{ type: string; variables: { type: string; properties: Record<string, unknown> }; audience: string; regulatory: boolean; sample: object }> }>();
    assert.equal(items.length, 30);
    const payin = items.find((i) => i.type === 'funds.payin_received')!;
    assert.equal(payin.variables.type, 'object');
    assert.deepEqual(Object.keys(payin.variables.properties), ['amount', 'mode', 'balance']);
    assert.equal(items.find((i) => i.type === 'account.contact_changed')!.audience, 'old_and_new_contact');
  });

  test('one event: 202, appended to events.triggered under the client id', async () => {
    const key = await apiKey();
    const res = await post(key, event('single-1', 'ab1234'));
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json(), { accepted: 1, duplicate: 0, rejected: 0, results: [{ index: 0, status: 'accepted', eventId: 'single-1' }] });
    const { rows } = await t.database.db.query<{ log_id: string }>('SELECT log_id FROM event_intake WHERE event_id = $1', ['single-1']);
    const [record] = await t.platform.eventLog.get([rows[0]!.log_id]);
    assert.equal(record!.topic, triggeredEventsTopic);
    assert.equal(record!.key, clientIdForCode(createBlindIndex(t.platform.keys), 'AB1234'));
    assert.match(record!.headers['caller']!, /^api-key:/);
    assert.equal(record!.headers['source'], 'api');
    // The same id again is a duplicate: still 202, nothing appended.
    const again = await post(key, event('single-1'));
    assert.equal(again.statusCode, 202);
    assert.equal(again.json<Outcome>().results[0]!.status, 'duplicate');
  });

  test('a mixed batch accepts the good events and explains the bad ones; all bad is 422', async () => {
    const key = await apiKey();
    const tooBig = { ...event('big-1'), variables: { ...event('x').variables, mode: 'U'.repeat(20_000) } };
    const res = await post(key, { events: [event('mix-1'), { ...event('mix-2'), type: 'funds.vanished' }, { ...event('mix-3'), variables: { amount: '25000' } }, tooBig, event('mix-1')] });
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json<Outcome>();
    assert.deepEqual([body.accepted, body.duplicate, body.rejected], [1, 1, 3]);
    assert.deepEqual(body.results.map((r) => r.status), ['accepted', 'rejected', 'rejected', 'rejected', 'duplicate']);
    assert.deepEqual(body.results[1]!.errors!.map((e) => `${e.field} ${e.rule}`), ['type event.type_unknown']);
    assert.deepEqual(body.results[2]!.errors!.map((e) => `${e.field} ${e.rule}`).sort(), ['variables.amount field.type', 'variables.balance field.required', 'variables.mode field.required']);
    assert.deepEqual(body.results[3]!.errors!.map((e) => e.rule), ['event.too_large']);
    assert.equal(res.body.includes('UUUU'), false, 'values are never echoed');

    const bad = await post(key, { events: [{ ...event('bad-1'), clientCode: 'no good' }, 'junk'] });
    assert.equal(bad.statusCode, 422);
    const error = bad.json<{ error: { code: string; details: Outcome } }>().error;
    assert.equal(error.code, 'EVENTS_REJECTED');
    assert.deepEqual(error.details.results.map((r) => [r.index, r.eventId, r.errors![0]!.rule]), [[0, 'bad-1', 'client_code.format'], [1, null, 'event.not_object']]);
    const single = await post(key, { type: 'nope', clientCode: 'A1', variables: {} });
    assert.equal(single.statusCode, 422);
  });

  test('more than 1,000 events is refused whole with 413; an empty batch with 400', async () => {
    const key = await apiKey();
    const res = await post(key, { events: Array.from({ length: 1001 }, (_, i) => event(`limit-${i}`)) });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json<{ error: { code: string; message: string } }>().error.code, 'EVENT_BATCH_TOO_LARGE');
    assert.match(res.json<{ error: { message: string } }>().error.message, /at most 1000 events/);
    assert.equal((await t.database.db.query("SELECT 1 FROM event_intake WHERE event_id LIKE 'limit-%'")).rowCount, 0);
    const empty = await post(key, { events: [] });
    assert.equal(empty.statusCode, 400);
    assert.equal((await post(key, { events: 'x' })).statusCode, 400);
  });

  test('an Idempotency-Key replays the answer (200, Idempotent-Replayed) and refuses another body', async () => {
    const key = await apiKey();
    const batch = { events: [event(undefined, 'IDEM1'), event(undefined, 'IDEM2')] };
    const first = await post(key, batch, { 'idempotency-key': 'order-77' });
    assert.equal(first.statusCode, 202);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const replay = await post(key, batch, { 'idempotency-key': 'order-77' });
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.json(), first.json(), 'the generated event ids come back unchanged');
    const other = await post(key, { events: [event(undefined, 'IDEM3')] }, { 'idempotency-key': 'order-77' });
    assert.equal(other.statusCode, 422);
    assert.equal(other.json<{ error: { code: string } }>().error.code, 'IDEMPOTENCY_KEY_REUSED');
    const otherKey = await post(await apiKey(), batch, { 'idempotency-key': 'order-77' });
    assert.equal(otherKey.statusCode, 202, 'keys are per API key');
    assert.equal((await post(key, batch, { 'idempotency-key': 'bad key with spaces' })).statusCode, 400);
  });

  test('who may submit: events:write keys and operators; other scopes and roles get 403', async () => {
    assert.equal((await t.platform.http.inject({ method: 'POST', url: '/api/events', payload: event('anon-1') })).statusCode, 401);
    assert.equal((await post(await apiKey(['metrics:read', 'ingest:write']), event('scope-1'))).statusCode, 403);
    assert.equal((await post(tokens.viewer, event('role-1'))).statusCode, 403);
    assert.equal((await post(tokens.compliance, event('role-2'))).statusCode, 403);
    assert.equal((await post(tokens.ops, event('role-3'))).statusCode, 202);
    assert.equal((await post(tokens.admin, event('role-4'))).statusCode, 202);
    assert.equal((await t.database.db.query("SELECT 1 FROM event_intake WHERE event_id IN ('scope-1', 'role-1', 'role-2')")).rowCount, 0);
  });

  test('rate limits count events per key: a flood from one key is refused and another key is untouched', async () => {
    const flooder = await apiKey();
    const quiet = await apiKey();
    const flood = await post(flooder, { events: Array.from({ length: 1000 }, (_, i) => event(`flood-${i}`, `F${i % 50}`)) });
    assert.equal(flood.statusCode, 202);
    assert.equal(flood.json<Outcome>().accepted, 1000);
    const limited = await post(flooder, { events: [event('flood-x1'), event('flood-x2')] });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json<{ error: { code: string } }>().error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal((await t.database.db.query("SELECT 1 FROM event_intake WHERE event_id LIKE 'flood-x%'")).rowCount, 0);
    assert.equal((await post(quiet, event('quiet-1'))).statusCode, 202, 'another key is not affected');
    assert.equal((await post(tokens.ops, event('quiet-2'))).statusCode, 202, 'nor a user');
    // Behind the flood's 1,000 accepted events, the other key's event is handled too.
    await t.platform.events.processor.drained();
    const handled = await t.database.db.query("SELECT event_id FROM event_outcomes WHERE event_id IN ('quiet-1', 'quiet-2', 'flood-999')");
    assert.equal(handled.rowCount, 3);
  });

  test('the OpenAPI document describes the intake, its statuses and the header', async () => {
    const doc = (await t.platform.http.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string }> }>> }>();
    const op = doc.paths['/api/events']!['post']!;
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '202', '400', '413', '422', '429']);
    assert.ok(op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'));
    assert.ok(doc.paths['/api/events/catalog']!['get']);
  });
});
