// Keeps this node's search index current with the instruments table: changes made by other
// processes (a CLI import beside the running app, another API node) are picked up by polling
// `updated_at`, the same way whatever wrote them. The event log replaces this when it lands.
import type { Db } from '../store/db.ts';
import type { Logger } from '../platform/logger.ts';
import type { InstrumentIndex } from './instrument-index.ts';
import { rowToInstrument } from './instrument-store.ts';
import { SECOND } from '../platform/time.ts';

const overlapMs = 10 * SECOND; // covers transactions that commit after a later one

export function createIndexSync(deps: { db: Db; index: InstrumentIndex; log: Logger; intervalMs?: number }) {
  const { db, index } = deps;
  let watermark = new Date(0);
  const recent = new Map<string, number>(); // id → updated_at already applied, within the overlap
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function poll(): Promise<number> {
    const since = new Date(watermark.getTime() - overlapMs);
    const { rows } = await db.query<Parameters<typeof rowToInstrument>[0] & { updated_at: Date }>(
      `SELECT id, exchange, symbol, name, segment, instrument_type, underlying, isin, series, to_char(expiry, 'YYYY-MM-DD') AS expiry, strike,
              option_type, lot_size, tick_size, sector, industry, token, aliases, updated_at
         FROM instruments WHERE updated_at > $1 ORDER BY updated_at LIMIT 50000`,
      [since],
    );
    const fresh = rows.filter((r) => recent.get(r.id) !== r.updated_at.getTime());
    if (fresh.length) await index.upsert(fresh.map(rowToInstrument));
    for (const r of rows) {
      recent.set(r.id, r.updated_at.getTime());
      if (r.updated_at > watermark) watermark = r.updated_at;
    }
    const cutoff = watermark.getTime() - overlapMs;
    for (const [id, at] of recent) if (at < cutoff) recent.delete(id);
    return fresh.length;
  }

  return {
    name: 'instrument-index-sync',
    /** Marks everything up to now as applied (call right after a full build). */
    async markBuilt(): Promise<void> {
      const { rows } = await db.query<{ max: Date | null }>('SELECT max(updated_at) AS max FROM instruments');
      watermark = rows[0]?.max ?? new Date(0);
    },
    /** One catch-up pass; returns how many instruments it applied. */
    poll(): Promise<number> {
      running ??= poll().finally(() => (running = undefined));
      return running;
    },
    start() {
      timer = setInterval(() => {
        this.poll().catch((error: unknown) => deps.log.warn({ err: error }, 'instrument index sync failed'));
      }, deps.intervalMs ?? 2 * SECOND);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
