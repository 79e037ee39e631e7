// The instruments table: batched merge-upserts (counting inserted / updated / unchanged) and the
// full load the search index is built from.
import type { Db, Queryable } from '../store/db.ts';
import type { Exchange, Instrument, InstrumentType, OptionType, Segment } from './instrument.ts';

export type UpsertCounts = { inserted: number; updated: number; unchanged: number };

type Row = {
  id: string; exchange: Exchange; symbol: string; name: string; segment: Segment; instrument_type: InstrumentType;
  underlying: string | null; isin: string | null; series: string | null; expiry: string | null; strike: string | null;
  option_type: OptionType | null; lot_size: number | null; tick_size: string | null; sector: string | null;
  industry: string | null; token: string | null; aliases: string[];
};

const columns = 'id, exchange, symbol, name, segment, instrument_type, underlying, isin, series, to_char(expiry, \'YYYY-MM-DD\') AS expiry, strike, option_type, lot_size, tick_size, sector, industry, token, aliases';

/** A row as an Instrument, its fields in INSTRUMENT_FIELDS order (so the index holds it as it is, not a copy). */
export function rowToInstrument(r: Row): Instrument {
  return {
    id: r.id, symbol: r.symbol, name: r.name, exchange: r.exchange, segment: r.segment, instrumentType: r.instrument_type,
    underlying: r.underlying, isin: r.isin, series: r.series, expiry: r.expiry, strike: r.strike === null ? null : Number(r.strike),
    optionType: r.option_type, lotSize: r.lot_size, tickSize: r.tick_size === null ? null : Number(r.tick_size),
    sector: r.sector, industry: r.industry, token: r.token, aliases: r.aliases,
  };
}

/**
 * Merge rule in SQL, mirroring mergeInstruments(): known fields win, NULLs keep the stored value; an EQ
 * with a mutual fund's ISIN (the incoming one or the stored one) is an ETF (typeForIsin).
 */
const mergedType = `CASE WHEN excluded.instrument_type = 'EQ' AND coalesce(excluded.isin, t.isin) LIKE 'INF%' THEN 'ETF' ELSE excluded.instrument_type END`;
const upsertSql = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    id text, exchange text, symbol text, name text, segment text, "instrumentType" text, underlying text, isin text,
    series text, expiry date, strike numeric, "optionType" text, "lotSize" integer, "tickSize" numeric, sector text,
    industry text, token text, aliases text[])
), merged AS (
  INSERT INTO instruments AS t (id, exchange, symbol, name, segment, instrument_type, underlying, isin, series, expiry, strike,
    option_type, lot_size, tick_size, sector, industry, token, aliases)
  SELECT id, exchange, symbol, name, segment, "instrumentType", underlying, isin, series, expiry, strike, "optionType",
    "lotSize", "tickSize", sector, industry, token, coalesce(aliases, '{}') FROM input
  ON CONFLICT (id) DO UPDATE SET
    name = coalesce(nullif(excluded.name, ''), t.name),
    segment = excluded.segment,
    instrument_type = ${mergedType},
    underlying = coalesce(excluded.underlying, t.underlying),
    isin = coalesce(excluded.isin, t.isin),
    series = coalesce(excluded.series, t.series),
    expiry = coalesce(excluded.expiry, t.expiry),
    strike = coalesce(excluded.strike, t.strike),
    option_type = coalesce(excluded.option_type, t.option_type),
    lot_size = coalesce(excluded.lot_size, t.lot_size),
    tick_size = coalesce(excluded.tick_size, t.tick_size),
    sector = coalesce(excluded.sector, t.sector),
    industry = coalesce(excluded.industry, t.industry),
    token = coalesce(excluded.token, t.token),
    aliases = ARRAY(SELECT DISTINCT unnest(t.aliases || excluded.aliases) ORDER BY 1),
    updated_at = now()
  WHERE (t.name, t.segment, t.instrument_type, t.underlying, t.isin, t.series, t.expiry, t.strike, t.option_type, t.lot_size,
         t.tick_size, t.sector, t.industry, t.token, t.aliases)
    IS DISTINCT FROM
        (coalesce(nullif(excluded.name, ''), t.name), excluded.segment, ${mergedType}, coalesce(excluded.underlying, t.underlying),
         coalesce(excluded.isin, t.isin), coalesce(excluded.series, t.series), coalesce(excluded.expiry, t.expiry),
         coalesce(excluded.strike, t.strike), coalesce(excluded.option_type, t.option_type), coalesce(excluded.lot_size, t.lot_size),
         coalesce(excluded.tick_size, t.tick_size), coalesce(excluded.sector, t.sector), coalesce(excluded.industry, t.industry),
         coalesce(excluded.token, t.token), ARRAY(SELECT DISTINCT unnest(t.aliases || excluded.aliases) ORDER BY 1))
  RETURNING (xmax = 0) AS inserted, id
)
SELECT inserted, id FROM merged`;

export function createInstrumentStore(deps: { db: Db }) {
  const { db } = deps;
  return {
    /**
     * Merges a batch (ids unique within the batch) in one statement; returns the counts and the
     * ids that changed, so the index and other nodes update only those.
     */
    async upsert(batch: readonly Instrument[], q: Queryable = db): Promise<UpsertCounts & { changedIds: string[] }> {
      if (!batch.length) return { inserted: 0, updated: 0, unchanged: 0, changedIds: [] };
      const normalised = batch.map((i) => ({ ...i, aliases: [...new Set(i.aliases)].sort() }));
      const { rows } = await q.query<{ inserted: boolean; id: string }>(upsertSql, [JSON.stringify(normalised)]);
      const inserted = rows.filter((r) => r.inserted).length;
      return { inserted, updated: rows.length - inserted, unchanged: batch.length - rows.length, changedIds: rows.map((r) => r.id) };
    },

    async get(id: string): Promise<Instrument | undefined> {
      const { rows } = await db.query<Row>(`SELECT ${columns} FROM instruments WHERE id = $1`, [id]);
      return rows[0] && rowToInstrument(rows[0]);
    },

    async getMany(ids: readonly string[]): Promise<Instrument[]> {
      const { rows } = await db.query<Row>(`SELECT ${columns} FROM instruments WHERE id = ANY($1::text[])`, [ids]);
      return rows.map(rowToInstrument);
    },

    /** Every instrument, in pages, for building the index without one huge result set. */
    async *loadAll(pageSize = 10_000): AsyncGenerator<Instrument> {
      let after = '';
      for (;;) {
        const { rows } = await db.query<Row>(`SELECT ${columns} FROM instruments WHERE id > $1 ORDER BY id LIMIT $2`, [after, pageSize]);
        for (const r of rows) yield rowToInstrument(r);
        if (rows.length < pageSize) return;
        after = rows.at(-1)!.id;
      }
    },

    async count(): Promise<number> {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM instruments');
      return Number(rows[0]?.n ?? 0);
    },
  };
}

export type InstrumentStore = ReturnType<typeof createInstrumentStore>;
