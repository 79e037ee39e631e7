// Event intake on a real database with the Postgres event log: de-duplication by event id and by
// Idempotency-Key, the log append in the same transaction as the de-dup rows, and the purge.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createPostgresEventLog, type PostgresEventLog } from '../../src/log/postgres-event-log.ts';
import { createEventIntake, createIntakePurgeSchedule, triggeredEventsTopic, type EventIntake } from '../../src/events/intake.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import { createManualClock, DAY } from '../../src/platform/time.ts';
import { isAppError } from '../../src/platform/errors.ts';
import type { BlindIndex } from '../../src/crypto/blind-index.ts';
import type { EventLog } from '../../src/log/event-log.ts';

const key = randomBytes(32);
const blindIndex: BlindIndex = (purpose, value) => createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest();

const trade = (id: string | undefined, clientCode = 'AB1234', qty = 10) => ({
  ...(id === undefined ? {} : { id }), type: 'trade.executed', clientCode, occurredAt: '2026-02-10T10:15:00+05:30',
  variables: { symbol: 'INFY', side: 'BUY', qty, avgPrice: 1642.35, exchange: 'NSE' },
});

describe('event intake', () => {
  let database: TestDatabase;
  let log: PostgresEventLog;
  let intake: EventIntake;
  const clock = createManualClock('2026-02-10T05:00:00Z');

  async function logged(eventIds: string[]) {
    const { rows } = await database.db.query<{ log_id: string }>('SELECT log_id FROM event_intake WHERE event_id = ANY($1) ORDER BY log_id', [eventIds]);
    return log.get(rows.map((r) => r.log_id));
  }
  async function count(table: 'event_intake' | 'event_idempotency_keys' | 'outbox') {
    const { rows } = await database.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}${table === 'outbox' ? ` WHERE topic = '${triggeredEventsTopic}'` : ''}`);
    return Number(rows[0]!.n);
  }

  before(async () => {
    database = await createTestDatabase();
    log = await createPostgresEventLog({ db: database.db, partitions: 4 });
    intake = createEventIntake({ db: database.db, log, blindIndex, clock });
  });
  after(async () => {
    await log.close();
    await database.drop();
  });

  test('accepted events go to events.triggered keyed by the client id, with their de-dup rows', async () => {
    const { occurredAt: _dropped, ...untimed } = trade(undefined, ' cd99 ');
    const outcome = await intake.submit([trade('t-1'), untimed], { source: 'api', caller: 'api-key:k1' });
    assert.deepEqual([outcome.accepted, outcome.duplicate, outcome.rejected, outcome.replayed], [2, 0, 0, false]);
    assert.equal(outcome.results[0]!.eventId, 't-1');
    const generated = outcome.results[1]!.eventId!;
    assert.match(generated, /^[0-9a-f-]{36}$/);
    const records = await logged(['t-1', generated]);
    assert.equal(records.length, 2);
    const [first, second] = records as [typeof records[0], typeof records[0]];
    assert.equal(first.topic, triggeredEventsTopic);
    assert.equal(first.key, clientIdForCode(blindIndex, 'AB1234'));
    assert.equal(first.type, 'trade.executed');
    assert.equal(first.eventId, 't-1');
    assert.deepEqual(first.payload, { clientId: first.key, clientCode: 'AB1234', occurredAt: '2026-02-10T04:45:00.000Z', variables: trade('x').variables });
    assert.deepEqual(first.headers, { 'event-id': 't-1', source: 'api', 'received-at': '2026-02-10T05:00:00.000Z', caller: 'api-key:k1' });
    assert.equal(second.key, clientIdForCode(blindIndex, 'CD99'));
    assert.equal(second.payload['clientCode'], 'CD99');
    assert.equal(second.payload['occurredAt'], '2026-02-10T05:00:00.000Z', 'occurredAt defaults to the receipt time');
    const { rows } = await database.db.query('SELECT event_id, type, client_id, source, received_at FROM event_intake WHERE event_id = $1', ['t-1']);
    assert.deepEqual(rows[0], { event_id: 't-1', type: 'trade.executed', client_id: first.key, source: 'api', received_at: new Date('2026-02-10T05:00:00Z') });
  });

  test('the same event id is a duplicate, across requests and inside one batch; nothing is appended twice', async () => {
    const before = await count('outbox');
    const again = await intake.submit([trade('t-1'), trade('t-2'), trade('t-2', 'AB1234', 99)], { source: 'cli' });
    assert.deepEqual(again.results.map((r) => [r.status, r.eventId]), [['duplicate', 't-1'], ['accepted', 't-2'], ['duplicate', 't-2']]);
    assert.equal(await count('outbox'), before + 1);
  });

  test('a mixed batch accepts the good events and explains the bad ones by index', async () => {
    const outcome = await intake.submit([trade('m-1'), { ...trade('m-2'), type: 'trade.imploded' }, 'junk', trade('m-3', 'bad code!')], { source: 'api' });
    assert.deepEqual([outcome.accepted, outcome.duplicate, outcome.rejected], [1, 0, 3]);
    assert.deepEqual(outcome.results.map((r) => [r.index, r.status, r.eventId]), [[0, 'accepted', 'm-1'], [1, 'rejected', 'm-2'], [2, 'rejected', null], [3, 'rejected', 'm-3']]);
    assert.deepEqual(outcome.results[1]!.errors!.map((e) => `${e.field} ${e.rule}`), ['type event.type_unknown']);
    assert.deepEqual(outcome.results[3]!.errors!.map((e) => `${e.field} ${e.rule}`), ['clientCode client_code.format']);
    assert.equal(await count('outbox') > 0, true);
    const { rows } = await database.db.query('SELECT 1 FROM event_intake WHERE event_id IN ($1, $2)', ['m-2', 'm-3']);
    assert.equal(rows.length, 0, 'rejected events leave no de-dup row');
  });

  test('an Idempotency-Key replays the stored outcome for the same body and refuses another body', async () => {
    const body = [trade(undefined, 'IK1'), trade(undefined, 'IK2'), { type: 'nope' }];
    const first = await intake.submit(body, { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-1' });
    assert.equal(first.accepted, 2);
    const outboxAfterFirst = await count('outbox');
    const replay = await intake.submit(structuredClone(body), { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-1' });
    assert.equal(replay.replayed, true);
    assert.deepEqual({ ...replay, replayed: false }, first, 'the same answer, generated event ids included');
    assert.equal(await count('outbox'), outboxAfterFirst, 'a replay appends nothing');

    await assert.rejects(intake.submit([trade(undefined, 'IK3')], { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-1' }), (e) => isAppError(e) && e.code === 'IDEMPOTENCY_KEY_REUSED');
    // Keys belong to their caller: another key's 'req-1' is a new request.
    const other = await intake.submit([trade(undefined, 'IK3')], { source: 'api', caller: 'api-key:k2', idempotencyKey: 'req-1' });
    assert.deepEqual([other.accepted, other.replayed], [1, false]);
  });

  test('an outcome that only rejected is not stored: the caller fixes the body and reuses the key', async () => {
    const bad = await intake.submit([{ ...trade('fix-1'), variables: {} }], { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-fix' });
    assert.deepEqual([bad.accepted, bad.rejected], [0, 1]);
    const fixed = await intake.submit([trade('fix-1')], { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-fix' });
    assert.deepEqual([fixed.accepted, fixed.replayed], [1, false]);
  });

  test('concurrent submissions of one event id accept it exactly once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => intake.submit([trade('race-1'), trade('race-2')], { source: 'api' })));
    assert.equal(outcomes.reduce((n, o) => n + o.accepted, 0), 2);
    assert.equal(outcomes.reduce((n, o) => n + o.duplicate, 0), 10);
    assert.equal((await logged(['race-1', 'race-2'])).length, 2);
  });

  test('same transaction: when the append fails after writing, neither the de-dup row nor the log record remains', async () => {
    const failing: EventLog = {
      ...log,
      async append(records, options) {
        await log.append(records, options);
        throw new Error('simulated failure after the append');
      },
    };
    const broken = createEventIntake({ db: database.db, log: failing, blindIndex, clock });
    const before = await count('outbox');
    await assert.rejects(broken.submit([trade('tx-1')], { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-tx' }), /simulated failure/);
    assert.equal(await count('outbox'), before);
    assert.equal((await database.db.query('SELECT 1 FROM event_intake WHERE event_id = $1', ['tx-1'])).rowCount, 0);
    assert.equal((await database.db.query("SELECT 1 FROM event_idempotency_keys WHERE idempotency_key = 'req-tx'")).rowCount, 0);
    // Nothing half-done blocks a retry.
    const retried = await intake.submit([trade('tx-1')], { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-tx' });
    assert.equal(retried.accepted, 1);
  });

  test('de-dup rows and keys are kept 7 days and purged after 8', async () => {
    const total = await count('event_intake');
    const keys = await count('event_idempotency_keys');
    assert.ok(total > 0 && keys > 0);
    clock.advance(7 * DAY);
    assert.deepEqual(await intake.purgeOlderThan(), { events: 0, idempotencyKeys: 0 });
    assert.equal((await intake.submit([trade('t-1')], { source: 'api' })).duplicate, 1, 'a 7-day-old id is still a duplicate');
    const sameRequest = await intake.submit([trade(undefined, 'IK1'), trade(undefined, 'IK2'), { type: 'nope' }], { source: 'api', caller: 'api-key:k1', idempotencyKey: 'req-1' });
    assert.deepEqual([sameRequest.replayed, sameRequest.accepted], [true, 2], 'a 7-day-old Idempotency-Key still replays its answer');
    clock.advance(DAY + 1);
    const purge = createIntakePurgeSchedule({ intake, everyMs: DAY });
    purge.start(); // purges at once
    await purge.stop();
    await purge.stop();
    assert.equal(await count('event_intake'), 0);
    assert.equal(await count('event_idempotency_keys'), 0);
    assert.equal((await intake.submit([trade('t-1')], { source: 'api' })).accepted, 1, 'after the window the id is new again');
  });
});
