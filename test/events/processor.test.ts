// The event processor on a real platform: ingestion's domain events and triggered events become
// one recorded notification request per event and client, channels follow consent, personal data
// stays out of what is stored, bad events get an outcome instead of blocking, and nothing twice.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { clientCode, clientInput, writeJsonl } from '../helpers/clients.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { triggeredEventsTopic } from '../../src/events/intake.ts';
import { tokensByRole } from '../helpers/session.ts';

type RequestRow = { seq: string; event_id: string; client_id: string; type: string; regulatory: boolean; channels: string[]; skipped: Array<{ channel: string; reason: string }>; destinations: Record<string, string>; variables: Record<string, unknown> };

describe('event processor', () => {
  let t: TestPlatform;
  let dir: string;
  let idOf: (code: string) => string;

  const consentsWhatsapp = [{ purpose: 'TRADE_ALERTS', channel: 'WHATSAPP', givenAt: '2026-01-02T10:00:00Z' }];
  const consentsNoSms = [
    { purpose: 'TRADE_ALERTS', channel: 'SMS', givenAt: '2026-01-02T10:00:00Z' },
    { purpose: 'TRADE_ALERTS', channel: 'SMS', givenAt: '2026-01-02T10:00:00Z', withdrawnAt: '2026-03-01T10:00:00Z' },
  ];

  async function requests(where = 'true', values: unknown[] = []): Promise<RequestRow[]> {
    const { rows } = await t.database.db.query<RequestRow>(`SELECT * FROM notification_requests WHERE ${where} ORDER BY seq`, values);
    return rows;
  }
  async function outcome(eventId: string) {
    const { rows } = await t.database.db.query<{ status: string; reason: string | null; requests: number }>('SELECT status, reason, requests FROM event_outcomes WHERE event_id = $1', [eventId]);
    return rows[0];
  }
  async function trigger(events: unknown[]) {
    const result = await t.platform.eventIntake.submit(events, { source: 'cli' });
    await t.platform.events.processor.drained();
    return result;
  }

  before(async () => {
    t = await startTestPlatform({ env: { EVENT_LEASE_MS: '1000', EVENT_MAX_ATTEMPTS: '2' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-processor-'));
    const file = path.join(dir, 'clients.jsonl');
    await writeJsonl(file, [
      clientInput(0, { consents: consentsWhatsapp }),
      clientInput(1, { consents: consentsNoSms }),
      clientInput(2, { kraStatus: '003' }),
      ...Array.from({ length: 20 }, (_, i) => clientInput(10 + i)),
    ]);
    const id = await t.platform.ingest.create({ source: 'clients.jsonl', filePath: file, createdBy: 'test' });
    await t.platform.ingest.run(id);
    const blindIndex = createBlindIndex(t.platform.keys);
    idOf = (code) => clientIdForCode(blindIndex, code);
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('ingestion events become requests: approved clients get kyc.approved, the held one kyc.on_hold', async () => {
    await t.platform.events.processor.drained();
    const approved = await requests(`type = 'kyc.approved'`);
    assert.equal(approved.length, 22);
    const held = await requests(`type = 'kyc.on_hold'`);
    assert.equal(held.length, 1);
    assert.equal(held[0]!.client_id, idOf(clientCode(2)));
    assert.equal(held[0]!.variables['reasonCode'], '003');
    assert.equal(held[0]!.regulatory, true);
  });

  test('channels follow consent: WhatsApp only with an opt-in, a withdrawn SMS consent stops non-regulatory SMS', async () => {
    const [withWhatsapp] = await requests(`type = 'kyc.approved' AND client_id = $1`, [idOf(clientCode(0))]);
    assert.deepEqual(withWhatsapp!.channels, ['sms', 'whatsapp', 'push']);
    const [noSms] = await requests(`type = 'kyc.approved' AND client_id = $1`, [idOf(clientCode(1))]);
    assert.deepEqual(noSms!.channels, ['push']);
    assert.deepEqual(noSms!.skipped.map((s) => `${s.channel}:${s.reason}`).sort(), ['sms:opted_out', 'whatsapp:no_opt_in']);
    // A regulatory event still reaches that client by SMS.
    await trigger([{ id: 'reg-1', type: 'mtf.margin_call', clientCode: clientCode(1), variables: { shortfall: 25000, dueBy: '2026-11-26T15:30:00+05:30', positions: 2 } }]);
    const [margin] = await requests(`event_id = 'reg-1'`);
    assert.ok(margin, JSON.stringify(await outcome('reg-1')));
    assert.ok(margin.channels.includes('sms'));
  });

  test('stored requests carry masked destinations and no name; the name is filled in memory only', async () => {
    const rows = await requests(`type = 'kyc.approved'`);
    for (const r of rows) {
      assert.equal(r.variables['name'], undefined);
      assert.match(r.destinations['mobile'] ?? '', /X{4,}/);
    }
    const { rows: dump } = await t.database.db.query<{ text: string }>(`SELECT string_agg(r::text, ' ') AS text FROM notification_requests r`);
    assert.ok(!dump[0]!.text.includes('Verma'));
    assert.ok(!dump[0]!.text.includes('9800000001'));
  });

  test('triggered events keep per-client order and are handled once, duplicates by event id included', async () => {
    const events = [];
    for (let n = 1; n <= 30; n++) {
      for (const c of [10, 11, 12]) events.push({ id: `pay-${c}-${n}`, type: 'funds.payin_received', clientCode: clientCode(c), variables: { amount: n, mode: 'UPI', balance: 1000 + n } });
    }
    await trigger(events);
    // The same events again straight onto the stream topic (a producer retrying): no new effect.
    await t.platform.eventLog.append(events.slice(0, 10).map((e) => ({
      topic: triggeredEventsTopic, key: idOf(e.clientCode), type: e.type,
      payload: { clientId: idOf(e.clientCode), clientCode: e.clientCode, occurredAt: new Date().toISOString(), variables: e.variables },
      headers: { 'event-id': e.id },
    })));
    await t.platform.events.processor.drained();
    for (const c of [10, 11, 12]) {
      const rows = await requests(`type = 'funds.payin_received' AND client_id = $1`, [idOf(clientCode(c))]);
      assert.deepEqual(rows.map((r) => r.variables['amount']), Array.from({ length: 30 }, (_, i) => i + 1));
    }
  });

  test('a producer\'s events on the stream topic (keyed by client code) are checked as intake checks them', async () => {
    const code = clientCode(14);
    const envelope = (eventId: string, payload: Record<string, unknown>, type = 'funds.payin_received') => ({
      topic: triggeredEventsTopic, key: code, type, payload, headers: { 'event-id': eventId },
    });
    const payin = (amount: number) => ({ clientCode: code, occurredAt: '2026-03-02T10:00:00+05:30', variables: { amount, mode: 'UPI', balance: 100 + amount } });
    await trigger([{ id: 'api-then-stream', type: 'funds.payin_received', clientCode: code, variables: { amount: 99, mode: 'NEFT', balance: 1 } }]);
    await t.platform.eventLog.append([
      envelope('stream-1', payin(1)),
      envelope('stream-bad-type', payin(2), 'funds.teleported'),
      envelope('stream-missing', { clientCode: code, variables: { amount: 2 } }),
      envelope('stream-wrong-type', { clientCode: code, variables: { amount: 'lots', mode: 'UPI', balance: 1 } }),
      envelope('stream-too-big', { clientCode: code, variables: { amount: 2, mode: 'U'.repeat(20_000), balance: 1 } }),
      envelope('stream-id-in-payload', { id: 'other', ...payin(2) }),
      envelope('stream-bad-code', { ...payin(2), clientCode: 'not a code!' }),
      envelope('stream-2', payin(2)),
      envelope('stream-2', payin(2)), // a producer's retry
      envelope('api-then-stream', payin(3)), // an id intake already took
      envelope('stream-3', { clientCode: code.toLowerCase(), variables: { amount: 3, mode: 'UPI', balance: 103 } }),
    ]);
    await t.platform.events.processor.drained();
    const reasons = Object.fromEntries(await Promise.all(
      ['stream-bad-type', 'stream-missing', 'stream-wrong-type', 'stream-too-big', 'stream-id-in-payload', 'stream-bad-code'].map(async (id) => {
        const o = await outcome(id);
        assert.equal(o?.status, 'invalid', id);
        return [id, o!.reason] as const;
      }),
    ));
    assert.deepEqual(reasons, {
      'stream-bad-type': 'type: event.type_unknown',
      'stream-missing': 'variables.mode: field.required; variables.balance: field.required',
      'stream-wrong-type': 'variables.amount: field.type',
      'stream-too-big': 'event: event.too_large',
      'stream-id-in-payload': 'id: field.unknown',
      'stream-bad-code': 'clientCode: client_code.format',
    });
    const rows = await requests(`client_id = $1 AND type = 'funds.payin_received'`, [idOf(code)]);
    assert.deepEqual(rows.map((r) => [r.event_id, r.variables['amount']]), [['api-then-stream', 99], ['stream-1', 1], ['stream-2', 2], ['stream-3', 3]]);
    assert.equal((await outcome('stream-3'))?.status, 'planned');
    const { rows: [stored] } = await t.database.db.query<{ client_id: string; occurred_at: Date }>(`SELECT client_id, occurred_at FROM event_outcomes WHERE event_id = 'stream-1'`);
    assert.deepEqual(stored, { client_id: idOf(code), occurred_at: new Date('2026-03-02T04:30:00Z') });
  });

  test('an event whose handling keeps failing is dead-lettered after EVENT_MAX_ATTEMPTS; the client\'s later events go on; a retry handles it', async () => {
    // A fault in the store for one event id: its transaction fails every time, the others commit.
    const db = t.database.db;
    await db.query('CREATE SEQUENCE poison_tries');
    await db.query(`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.event_id = 'poison-1' THEN PERFORM nextval('poison_tries'); RAISE EXCEPTION 'simulated store fault'; END IF; RETURN NEW; END $$`);
    await db.query('CREATE TRIGGER poison BEFORE INSERT ON event_outcomes FOR EACH ROW EXECUTE FUNCTION poison()');
    const code = clientCode(15);
    const payin = (id: string, amount: number) => ({ id, type: 'funds.payin_received', clientCode: code, variables: { amount, mode: 'UPI', balance: amount } });
    await trigger([payin('before-poison', 1), payin('poison-1', 2), payin('after-poison', 3)]);
    assert.equal((await outcome('before-poison'))?.status, 'planned');
    assert.equal((await outcome('after-poison'))?.status, 'planned', 'the partition went on past the dead letter');
    assert.equal(await outcome('poison-1'), undefined);
    const tries = Number((await db.query<{ last_value: string }>('SELECT last_value FROM poison_tries')).rows[0]!.last_value);
    // Two tries on its own (EVENT_MAX_ATTEMPTS=2), after at most one inside its batch.
    assert.ok(tries === 2 || tries === 3, `tried ${tries} times`);

    const tokens = await tokensByRole(t.platform);
    const headers = { authorization: `Bearer ${tokens.ops}` };
    const listed = (await t.platform.http.inject({ url: '/api/events?status=dead_letter', headers })).json<{ items: Array<{ eventId: string }> }>();
    assert.deepEqual(listed.items.map((e) => e.eventId), ['poison-1']);
    const letters = (await t.platform.http.inject({ url: '/api/events/dead-letters', headers })).json<{ items: Array<{ id: string; eventId: string; attempts: number; error: string }> }>();
    const letter = letters.items.find((l) => l.eventId === 'poison-1')!;
    assert.equal(letter.attempts, 2);
    assert.match(letter.error, /simulated store fault/);

    await db.query('DROP TRIGGER poison ON event_outcomes');
    assert.equal((await t.platform.http.inject({ method: 'POST', url: `/api/events/dead-letters/${letter.id}/retry`, headers })).statusCode, 200);
    await t.platform.events.processor.drained();
    assert.equal((await outcome('poison-1'))?.status, 'planned');
    const rows = await requests(`client_id = $1`, [idOf(code)]);
    assert.deepEqual(rows.filter((r) => r.type === 'funds.payin_received').map((r) => r.event_id), ['before-poison', 'after-poison', 'poison-1']);
  });

  test('bad events get an outcome and never block the others', async () => {
    const key = idOf(clientCode(13));
    await t.platform.eventLog.append([
      { topic: triggeredEventsTopic, key, type: 'no.such_type', payload: { clientId: key, clientCode: clientCode(13), variables: {} }, headers: { 'event-id': 'bad-type' } },
      { topic: triggeredEventsTopic, key, type: 'funds.payin_received', payload: { clientId: key, clientCode: clientCode(13), variables: { amount: 'lots' } }, headers: { 'event-id': 'bad-vars' } },
      { topic: triggeredEventsTopic, key, type: 'funds.payin_received', payload: { clientId: 'not-a-uuid', variables: {} }, headers: { 'event-id': 'bad-client' } },
      { topic: triggeredEventsTopic, key, type: 'funds.payin_received', payload: { clientId: key, clientCode: clientCode(13), variables: { amount: 5, mode: 'UPI', balance: 5 } }, headers: { 'event-id': 'good-after-bad' } },
    ]);
    await trigger([{ id: 'unknown-client', type: 'funds.payin_received', clientCode: 'ZZ99999', variables: { amount: 1, mode: 'UPI', balance: 1 } }]);
    assert.equal((await outcome('bad-type'))?.status, 'invalid');
    assert.match((await outcome('bad-type'))!.reason!, /unknown_type/);
    assert.equal((await outcome('bad-vars'))?.status, 'invalid');
    assert.match((await outcome('bad-vars'))!.reason!, /variables\.amount/);
    assert.ok(!(await outcome('bad-vars'))!.reason!.includes('lots'));
    assert.equal((await outcome('bad-client'))?.status, 'invalid');
    assert.equal((await outcome('good-after-bad'))?.status, 'planned');
    assert.equal((await outcome('unknown-client'))?.status, 'client_unknown');
  });
});
