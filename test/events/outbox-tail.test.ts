// The live feed's outbox tail: a row that commits after a higher id was read is still delivered
// (once), and holes left by rolled-back inserts are given up after the hold time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createOutboxTail, fillHoles, holesBetween } from '../../src/events/outbox-tail.ts';

const insert = `INSERT INTO outbox (topic, key, type, payload) VALUES ('events.triggered', 'k', 'funds.payin_received', '{}') RETURNING id`;

describe('outbox tail', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  test('holes: found ids split them; a read leaves the gaps it skipped', () => {
    assert.deepEqual(holesBetween(10n, [11n, 14n, 15n, 20n], 7), [{ lo: 12n, hi: 13n, since: 7 }, { lo: 16n, hi: 19n, since: 7 }]);
    assert.deepEqual(fillHoles([{ lo: 12n, hi: 13n, since: 7 }, { lo: 16n, hi: 19n, since: 7 }], [12n, 17n, 19n]), [{ lo: 13n, hi: 13n, since: 7 }, { lo: 16n, hi: 16n, since: 7 }, { lo: 18n, hi: 18n, since: 7 }]);
    assert.deepEqual(fillHoles([{ lo: 5n, hi: 5n, since: 0 }], [5n]), []);
  });

  test('a row committed late, below what was already read, is delivered once', async () => {
    let clock = 0;
    const tail = createOutboxTail({ db: database.db, holdMs: 1000, now: () => clock });
    await tail.reset();
    assert.deepEqual(await tail.next(), []);

    const client = await database.db.pool.connect();
    try {
      await client.query('BEGIN');
      const late = (await client.query<{ id: string }>(insert)).rows[0]!.id;
      const early = (await database.db.query<{ id: string }>(insert)).rows[0]!.id;
      assert.ok(BigInt(late) < BigInt(early));
      assert.deepEqual((await tail.next()).map((r) => r.id), [early]);
      assert.equal(tail.holes().length, 1);
      await client.query('COMMIT');
      assert.deepEqual((await tail.next()).map((r) => r.id), [late]);
      assert.deepEqual(tail.holes(), []);
      assert.deepEqual(await tail.next(), []);
    } finally {
      client.release();
    }

    // A rolled-back insert leaves a hole that never fills: it is dropped after holdMs.
    await database.db.transaction(async (tx) => {
      await tx.query(insert);
      throw new Error('roll back');
    }).catch(() => undefined);
    const after = (await database.db.query<{ id: string }>(insert)).rows[0]!.id;
    assert.deepEqual((await tail.next()).map((r) => r.id), [after]);
    assert.equal(tail.holes().length, 1);
    clock += 1001;
    assert.deepEqual(await tail.next(), []);
    assert.deepEqual(tail.holes(), []);
  });
});
