// The hash-chained audit log: appends chain, concurrency keeps one chain, the table refuses edits,
// and an edit made around the trigger is found and named.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendAudit, verifyAuditChain, type AuditEntry } from '../../src/auth/audit.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase();
  db = database.db;
});
after(async () => {
  await database?.drop();
});

type AuditRow = { id: string; actor: string; action: string; target: string | null; details: unknown; prev_hash: Buffer; hash: Buffer };

async function auditRows(): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>('SELECT id, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY id');
  return rows;
}

const append = (entry: AuditEntry) => db.transaction((tx) => appendAudit(tx, entry));

/** Runs `sql` on audit_log with its append-only trigger off, as a superuser could. */
async function tamper(sql: string, values: unknown[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await tx.query(sql, values);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
  });
}

describe('audit log', () => {
  test('appends in transactions build a chain that verifies', async () => {
    assert.equal(await verifyAuditChain(db), undefined, 'an empty log is intact');
    await append({ actor: 'user:1', action: 'user.created', target: 'user:2', details: { role: 'ops' } });
    await append({ actor: 'system', action: 'keys.rotated' });
    await db.transaction(async (tx) => {
      await appendAudit(tx, { actor: 'user:1', action: 'user.updated', target: 'user:2', details: { disabled: true } });
      await appendAudit(tx, { actor: 'user:1', action: 'user.updated', target: 'user:2', details: { disabled: false } });
    });

    const rows = await auditRows();
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0]!.prev_hash, Buffer.alloc(32), 'the first row follows the genesis hash');
    for (let i = 1; i < rows.length; i++) assert.deepEqual(rows[i]!.prev_hash, rows[i - 1]!.hash, `row ${i} links to row ${i - 1}`);
    assert.deepEqual(rows.map((r) => [r.action, r.target, r.details]), [
      ['user.created', 'user:2', { role: 'ops' }],
      ['keys.rotated', null, {}],
      ['user.updated', 'user:2', { disabled: true }],
      ['user.updated', 'user:2', { disabled: false }],
    ]);
    assert.equal(await verifyAuditChain(db), undefined);
  });

  test('an append in a rolled-back transaction leaves no row and the chain intact', async () => {
    const count = (await auditRows()).length;
    await assert.rejects(
      db.transaction(async (tx) => {
        await appendAudit(tx, { actor: 'user:1', action: 'user.created' });
        throw new Error('the surrounding work failed');
      }),
      /the surrounding work failed/,
    );
    assert.equal((await auditRows()).length, count);
    await append({ actor: 'user:1', action: 'after.rollback' });
    assert.equal(await verifyAuditChain(db), undefined);
  });

  test('50 concurrent appends keep one unbroken chain', async () => {
    const count = (await auditRows()).length;
    await Promise.all(Array.from({ length: 50 }, (_, i) => append({ actor: `worker:${i}`, action: 'concurrent.append', details: { i } })));
    const rows = await auditRows();
    assert.equal(rows.length, count + 50);
    assert.equal(new Set(rows.map((r) => r.prev_hash.toString('hex'))).size, rows.length, 'no two rows follow the same row (no fork)');
    assert.equal(await verifyAuditChain(db), undefined);
  });

  test('details verify whatever the key order, at any depth', async () => {
    const details = { zeta: 1, a: { yy: [3, { c: 'é', bb: null, a: true }], x: '✓' }, mm: 'अ', b: -0.5, nested: { '10': 1, '9': 2, '': 3 } };
    await append({ actor: 'user:1', action: 'order.test', details });
    const { rows } = await db.query<{ text: string }>("SELECT details::text AS text FROM audit_log WHERE action = 'order.test'");
    assert.notDeepEqual(Object.keys(JSON.parse(rows[0]!.text) as object), Object.keys(details), 'jsonb reordered the keys (so the test means something)');
    assert.equal(await verifyAuditChain(db), undefined);
  });

  test('details with undefined members verify (as user updates write them)', async () => {
    await append({ actor: 'user:1', action: 'user.updated', details: { role: undefined, disabled: true, passwordChanged: false } });
    assert.equal(await verifyAuditChain(db), undefined);
  });

  test('details holding a Date verify', async () => {
    await append({ actor: 'user:1', action: 'date.test', details: { at: new Date('2026-01-01T00:00:00Z') } });
    try {
      assert.equal(await verifyAuditChain(db), undefined);
    } finally {
      // Keep the chain intact for the tests after this one, whatever happened above.
      await tamper("DELETE FROM audit_log WHERE action = 'date.test'", []);
    }
  });

  test('UPDATE and DELETE are refused by the trigger', async () => {
    const [first] = await auditRows();
    assert.ok(first);
    await assert.rejects(db.query("UPDATE audit_log SET details = '{}' WHERE id = $1", [first.id]), /audit_log is append-only/);
    await assert.rejects(db.query('DELETE FROM audit_log WHERE id = $1', [first.id]), /audit_log is append-only/);
    await assert.rejects(db.query('DELETE FROM audit_log'), /audit_log is append-only/);
    assert.deepEqual((await auditRows())[0], first);
  });

  test('a row edited around the trigger is detected and named; restoring it verifies again', async () => {
    const rows = await auditRows();
    const victim = rows[Math.floor(rows.length / 2)]!;
    await tamper(`UPDATE audit_log SET details = details || '{"role": "admin"}' WHERE id = $1`, [victim.id]);
    assert.equal(await verifyAuditChain(db), victim.id);

    await tamper('UPDATE audit_log SET details = $2 WHERE id = $1', [victim.id, JSON.stringify(victim.details)]);
    assert.equal(await verifyAuditChain(db), undefined);
  });

  test('an edit that also recomputes the row hash is caught at the next row', async () => {
    const { rows } = await db.query<AuditRow & { at: Date }>("SELECT * FROM audit_log WHERE action = 'keys.rotated'");
    const victim = rows[0]!;
    const next = (await auditRows()).find((r) => BigInt(r.id) > BigInt(victim.id))!;
    // The hash is unkeyed, so whoever can write the table can recompute a row's own hash; only the
    // link from the following row gives the edit away.
    const forged = createHash('sha256')
      .update(victim.prev_hash)
      .update(JSON.stringify([victim.at.toISOString(), 'someone-else', victim.action, victim.target, {}]))
      .digest();
    await tamper("UPDATE audit_log SET actor = 'someone-else', hash = $2 WHERE id = $1", [victim.id, forged]);
    assert.equal(await verifyAuditChain(db), next.id);

    await tamper('UPDATE audit_log SET actor = $2, hash = $3 WHERE id = $1', [victim.id, victim.actor, victim.hash]);
    assert.equal(await verifyAuditChain(db), undefined);
  });
});
