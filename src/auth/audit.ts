// Append-only, hash-chained audit log. Each row's hash covers its fields and the previous row's
// hash; verifyAuditChain recomputes the chain and names the first row that does not match.
import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db.ts';
import { canonicalJson } from '../platform/canonical-json.ts';

export type AuditEntry = { actor: string; action: string; target?: string; details?: Record<string, unknown> };

const genesis = Buffer.alloc(32);
const lockKey = 727_274_002;

function chainHash(prev: Buffer, at: string, e: { actor: string; action: string; target: string | null; details: unknown }): Buffer {
  return createHash('sha256').update(prev).update(canonicalJson([at, e.actor, e.action, e.target, e.details])).digest();
}

/** Appends inside the caller's transaction (`tx` must be one), serialised by an advisory lock. */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
  const { rows } = await tx.query<{ hash: Buffer }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const prev = rows[0]?.hash ?? genesis;
  const at = new Date().toISOString();
  // Hash exactly what jsonb will hold: Dates become ISO strings, undefined members disappear.
  const details = JSON.parse(JSON.stringify(entry.details ?? {})) as unknown;
  const row = { actor: entry.actor, action: entry.action, target: entry.target ?? null, details };
  await tx.query('INSERT INTO audit_log (at, actor, action, target, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    at, row.actor, row.action, row.target, JSON.stringify(row.details), prev, chainHash(prev, at, row),
  ]);
}

/** Recomputes the chain; returns the id of the first broken row, or undefined when intact. */
export async function verifyAuditChain(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string; at: Date; actor: string; action: string; target: string | null; details: unknown; prev_hash: Buffer; hash: Buffer }>(
    'SELECT id, at, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY id',
  );
  let prev: Buffer = genesis;
  for (const r of rows) {
    const expected = chainHash(prev, r.at.toISOString(), r);
    if (!r.prev_hash.equals(prev) || !r.hash.equals(expected)) return r.id;
    prev = r.hash;
  }
  return undefined;
}
