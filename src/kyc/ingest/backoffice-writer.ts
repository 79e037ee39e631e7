// Stores validated back-office records in their kind's table (backoffice-tables.ts), in the
// caller's transaction. A record is applied only when it is newer than what is stored (by source
// version, or by trade date then version for latest-state tables) and its content differs: an older
// or identical record writes nothing and counts as unchanged. Records of one batch that land on the
// same row are applied in file order, so the counts do not depend on where batches end.
import type { Queryable } from '../../store/db.ts';
import type { BlindIndex } from '../../crypto/blind-index.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import { clientIdForCode } from '../client-id.ts';
import type { BackofficeKind, BackofficeRecord } from '../backoffice-record.ts';
import { backofficeTables, tableOf, type SqlType, type TableSpec } from './backoffice-tables.ts';

type Order = { date: string | null; version: number };

export type PreparedBackoffice = {
  kind: BackofficeKind;
  clientId: string;
  /** The stored row this record lands on (kind and key column values). */
  rowKey: string;
  keyValues: Record<string, unknown>;
  columns: Record<string, unknown>;
  order: Order;
  /** A Buffer where prepared; a Uint8Array after crossing from the worker thread. */
  contentHash: Uint8Array;
  record: BackofficeRecord;
};

/**
 * One applied change: what the events of back-office changes (fund shortfall, MTF
 * margin call, position expiring) will be derived from. `previous` is the version it replaced.
 */
export type BackofficeChange = {
  kind: BackofficeKind;
  clientId: string;
  status: 'accepted' | 'updated';
  record: BackofficeRecord;
  previous: Order | null;
};

export type BackofficeWriteResult = { accepted: number; updated: number; unchanged: number; events: number; changes: BackofficeChange[] };

const commonColumns: ReadonlyArray<readonly [string, SqlType]> = [
  ['content_hash', 'bytea'], ['source_system', 'text'], ['source_version', 'bigint'], ['source_as_of', 'timestamptz'], ['job_id', 'uuid'],
];

/** Derives the client id, the row's columns and a keyed content hash (CPU only, no I/O). */
export function prepareBackoffice(blind: BlindIndex, record: BackofficeRecord): PreparedBackoffice {
  const spec = tableOf(record);
  const context = { clientId: clientIdForCode(blind, record.clientCode), blind };
  const columns: Record<string, unknown> = {};
  for (const [name, , value] of spec.columns) columns[name] = value(record, context);
  const keyValues = Object.fromEntries(spec.key.map((name) => [name, columns[name]]));
  const { source: _source, ...content } = record;
  const contentHash = blind('backoffice.content', canonicalJson(content));
  Object.assign(columns, { content_hash: contentHash.toString('base64'), source_system: record.source.system, source_version: record.source.version, source_as_of: record.source.asOf });
  const date = spec.dated ? String(columns['trade_date']) : null;
  return {
    kind: record.kind, clientId: context.clientId, rowKey: `${record.kind}\u0000${spec.key.map((name) => String(columns[name])).join('\u0000')}`,
    keyValues, columns, order: { date, version: record.source.version }, contentHash, record,
  };
}

function typesOf(spec: TableSpec<BackofficeRecord>): Map<string, SqlType> {
  return new Map([...spec.columns.map(([name, type]) => [name, type] as const), ...commonColumns]);
}

const recordsetType = (type: SqlType) => (type === 'bytea' ? 'text' : type);

function buildSql(spec: TableSpec<BackofficeRecord>): { select: string; upsert: string } {
  const types = typesOf(spec);
  const names = [...types.keys()];
  const keyDefs = spec.key.map((name) => `${name} ${recordsetType(types.get(name)!)}`).join(', ');
  const select = `SELECT k.i, t.source_version, ${spec.dated ? 't.trade_date::text' : 'NULL::text'} AS trade_date, t.content_hash
    FROM jsonb_to_recordset($1::jsonb) AS k(i int, ${keyDefs})
    JOIN ${spec.table} t ON ${spec.key.map((name) => `t.${name} = k.${name}`).join(' AND ')}
    FOR UPDATE OF t`;
  const newer = spec.dated ? '(t.trade_date, t.source_version) < (excluded.trade_date, excluded.source_version)' : 't.source_version < excluded.source_version';
  const upsert = `INSERT INTO ${spec.table} AS t (${names.join(', ')})
    SELECT ${names.map((name) => (types.get(name) === 'bytea' ? `decode(${name}, 'base64')` : name)).join(', ')}
      FROM jsonb_to_recordset($1::jsonb) AS x(${names.map((name) => `${name} ${recordsetType(types.get(name)!)}`).join(', ')})
    ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${names.filter((name) => !spec.key.includes(name)).map((name) => `${name} = excluded.${name}`).join(', ')}, updated_at = now()
    WHERE ${newer}`;
  return { select, upsert };
}

const sqlByKind = new Map(Object.entries(backofficeTables).map(([kind, spec]) => [kind, buildSql(spec as TableSpec<BackofficeRecord>)]));

function isNewer(candidate: Order, stored: Order): boolean {
  if (candidate.date !== stored.date && candidate.date !== null && stored.date !== null) return candidate.date > stored.date;
  return candidate.version > stored.version;
}

type Stored = Order & { hash: Uint8Array };

export function createBackofficeWriter() {
  /** Applies one kind's records; rows are locked first, so concurrent jobs cannot interleave. */
  async function writeKind(tx: Queryable, kind: BackofficeKind, items: readonly PreparedBackoffice[], jobId: string, result: BackofficeWriteResult): Promise<void> {
    const sql = sqlByKind.get(kind)!;
    const keys = [...new Map(items.map((p) => [p.rowKey, p.keyValues])).entries()];
    const { rows } = await tx.query<{ i: number; source_version: string; trade_date: string | null; content_hash: Buffer }>(
      sql.select, [JSON.stringify(keys.map(([, values], i) => ({ i, ...values })))],
    );
    const stored = new Map<string, Stored>(rows.map((r) => [keys[r.i]![0], { date: r.trade_date, version: Number(r.source_version), hash: r.content_hash }]));
    const changed = new Map<string, PreparedBackoffice>();
    for (const p of items) {
      const before = stored.get(p.rowKey);
      if (before && (!isNewer(p.order, before) || Buffer.compare(before.hash, p.contentHash) === 0)) {
        result.unchanged++;
        continue;
      }
      result[before ? 'updated' : 'accepted']++;
      result.changes.push({ kind, clientId: p.clientId, status: before ? 'updated' : 'accepted', record: p.record, previous: before ? { date: before.date, version: before.version } : null });
      stored.set(p.rowKey, { ...p.order, hash: p.contentHash });
      changed.set(p.rowKey, p);
    }
    if (changed.size) await tx.query(sql.upsert, [JSON.stringify([...changed.values()].map((p) => ({ ...p.columns, job_id: jobId })))]);
  }

  return {
    /**
     * Writes a batch (any mix of kinds, one version per fact) in the caller's transaction. Returns
     * the counts and the applied changes (kind by kind, in file order within a kind); raises no
     * events yet (`events` is 0).
     */
    async write(tx: Queryable, batch: readonly PreparedBackoffice[], context: { jobId: string }): Promise<BackofficeWriteResult> {
      const result: BackofficeWriteResult = { accepted: 0, updated: 0, unchanged: 0, events: 0, changes: [] };
      const byKind = new Map<BackofficeKind, PreparedBackoffice[]>();
      for (const p of batch) {
        const items = byKind.get(p.kind);
        if (items) items.push(p);
        else byKind.set(p.kind, [p]);
      }
      for (const [kind, items] of byKind) await writeKind(tx, kind, items, context.jobId, result);
      return result;
    },
  };
}

export type BackofficeWriter = ReturnType<typeof createBackofficeWriter>;
