import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { CopyBinaryWriter, copyBinaryIn } from '../../src/store/copy-binary.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

describe('binary COPY writer', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
    await t.db.query(`CREATE TABLE copy_types (
      n int, u uuid, b bytea, s text, j jsonb, i8 bigint, i4 integer, f boolean, d date, ts timestamptz)`);
  });
  after(() => t.drop());

  test('every type arrives in PostgreSQL as written, NULLs included', async () => {
    const row = {
      u: randomUUID(), b: Buffer.from([0, 1, 2, 255]), s: 'नमस्ते, "quoted"\ttab\nnewline \\ back', j: '{"a":[1,"ü"],"b":null}',
      i8: 9_007_199_254_740_991, i4: -2_147_483_648, f: true, d: '1999-12-31', ts: '2025-03-31T06:00:00.123+05:30',
    };
    const w = new CopyBinaryWriter(16); // grows as it goes
    w.row(10).int4(1).uuid(row.u).bytea(row.b).text(row.s).jsonb(row.j).int8(row.i8).int4(row.i4).bool(row.f).date(row.d).timestamptz(row.ts);
    w.row(10).int4(2).uuid(null).bytea(null).text(null).jsonb(null).int8(null).int4(null).bool(null).date(null).timestamptz(null);
    await t.db.transaction(async (tx) => assert.equal(await copyBinaryIn(tx, 'copy_types', w.finish()), 2));
    const { rows } = await t.db.query(
      `SELECT n, u::text, b, s, j::text, i8::text, i4, f, d::text, (extract(epoch FROM ts) * 1000)::bigint::text AS ms FROM copy_types ORDER BY n`,
    );
    assert.deepEqual(rows[0], {
      n: 1, u: row.u, b: row.b, s: row.s, j: '{"a": [1, "ü"], "b": null}', i8: String(row.i8), i4: row.i4, f: true, d: row.d, ms: String(Date.parse(row.ts)),
    });
    assert.deepEqual(rows[1], { n: 2, u: null, b: null, s: null, j: null, i8: null, i4: null, f: null, d: null, ms: null });
  });

  test('json arrives as the text written, from a string or its UTF-8 bytes, and bad JSON is refused by the server', async () => {
    await t.db.query('CREATE TABLE IF NOT EXISTS copy_json (n int, j json)');
    const text = '{"b":1,"a":["ü",null]}';
    const w = new CopyBinaryWriter(8);
    w.row(2).int4(1).json(text);
    w.row(2).int4(2).json(Buffer.from(text, 'utf8'));
    w.row(2).int4(3).json(null);
    await t.db.transaction(async (tx) => copyBinaryIn(tx, 'copy_json', w.finish()));
    const { rows } = await t.db.query<{ n: number; j: string | null }>('SELECT n, j::text FROM copy_json ORDER BY n');
    assert.deepEqual(rows, [{ n: 1, j: text }, { n: 2, j: text }, { n: 3, j: null }]);
    const bad = new CopyBinaryWriter().row(2).int4(4).json('{"a":');
    await assert.rejects(t.db.transaction(async (tx) => copyBinaryIn(tx, 'copy_json', bad.finish())), /invalid input syntax for type json/);
  });

  test('any text and bytes round-trip exactly, across buffer growth', async () => {
    await t.db.query('TRUNCATE copy_types');
    const samples = fc.sample(fc.record({ s: fc.string({ unit: 'grapheme', maxLength: 300 }).map((s) => s.replace(/\0/g, '')), b: fc.uint8Array({ maxLength: 500 }) }), { numRuns: 400, seed: 11 });
    const w = new CopyBinaryWriter(64);
    samples.forEach((x, n) => w.row(3).int4(n).text(x.s).bytea(x.b));
    await t.db.transaction(async (tx) => copyBinaryIn(tx, 'copy_types (n, s, b)', w.finish()));
    const { rows } = await t.db.query<{ n: number; s: string; b: Buffer }>('SELECT n, s, b FROM copy_types ORDER BY n');
    assert.equal(rows.length, samples.length);
    for (const r of rows) {
      assert.equal(r.s, samples[r.n]!.s);
      assert.ok(r.b.equals(Buffer.from(samples[r.n]!.b)));
    }
  });

  test('whole numbers across the 64-bit range, uuids in any case, and dates before 2000 arrive exactly', async () => {
    await t.db.query('TRUNCATE copy_types');
    const numbers = [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -123_456_789_012];
    const rows = new CopyBinaryWriter();
    numbers.forEach((n, i) => rows.row(3).int4(i).int8(n).timestamptz(Date.UTC(1969, 6, 20, 20, 17, 40) + i));
    rows.row(3).int4(100).int8(-(2n ** 63n)).timestamptz(null);
    const ids = new CopyBinaryWriter();
    ids.row(2).int4(101).uuid('A0EEBC999C0B4EF8BB6D6BB9BD380A11');
    await t.db.transaction(async (tx) => {
      await copyBinaryIn(tx, 'copy_types (n, i8, ts)', rows.finish());
      await copyBinaryIn(tx, 'copy_types (n, u)', ids.finish());
    });
    const { rows: got } = await t.db.query<{ n: number; i8: string | null; ms: string | null; u: string | null }>(
      'SELECT n, i8::text, (extract(epoch FROM ts) * 1000)::bigint::text AS ms, u::text FROM copy_types ORDER BY n',
    );
    numbers.forEach((n, i) => assert.deepEqual([got[i]!.i8, got[i]!.ms], [String(n), String(Date.UTC(1969, 6, 20, 20, 17, 40) + i)]));
    assert.equal(got.find((r) => r.n === 100)!.i8, String(-(2n ** 63n)));
    assert.equal(got.find((r) => r.n === 101)!.u, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    assert.throws(() => new CopyBinaryWriter().int8(2 ** 60), /safe integer/);
    assert.throws(() => new CopyBinaryWriter().uuid('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g'), /not a uuid/);
    assert.throws(() => new CopyBinaryWriter().uuid('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'), /not a uuid/);
  });

  test('COPY needs one connection: the pool is refused with a clear error', async () => {
    await assert.rejects(copyBinaryIn(t.db, 'copy_types', new CopyBinaryWriter().finish()), /one connection/);
  });

  test('bad values are refused before anything is sent', () => {
    const w = new CopyBinaryWriter();
    assert.throws(() => w.row(1).uuid('not-a-uuid'), /not a uuid/);
    assert.throws(() => w.date('31/03/2025'), /not a date/);
    assert.throws(() => w.timestamptz('yesterday'), /not a point in time/);
  });
});
