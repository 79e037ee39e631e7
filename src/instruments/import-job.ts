// An instrument import run: streams a file through the importers, merges batches into the
// instruments table, records rejects and live counts on an `instrument_imports` row, and announces
// exactly the instruments that changed: on the event log (every node's index follows it) and to the
// importing process's own index.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { EventLog } from '../log/event-log.ts';
import { isAppError } from '../platform/errors.ts';
import { csvCell } from '../platform/csv.ts';
import { importInstruments, type ImportOptions, type ImportSource } from './import/import-instruments.ts';
import { mergeInstruments, type Instrument } from './instrument.ts';
import type { InstrumentStore } from './instrument-store.ts';
import { instrumentChangeRecord } from './index-sync.ts';

export type ImportSummary = {
  id: string;
  source: string;
  status: 'running' | 'completed' | 'failed';
  formats: string[];
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicate: number;
  rejected: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

type Reject = { sheet: string | null; row: number; field: string; column: string | null; reason: string };

const batchSize = 2_000;

/**
 * Each batch's changed ids are appended to `instruments.changes` in the batch's transaction, so every
 * node's index hears of exactly what committed. `onChanged` receives the batch's inserted and updated
 * instruments, read back from the database, for this process's own index (its records name `origin`,
 * which that index then skips); without it nothing is read back, which a process without an index
 * (the CLI) should prefer: a million-row import is about a quarter faster.
 */
export function createImportRunner(deps: {
  db: Db;
  store: InstrumentStore;
  eventLog: Pick<EventLog, 'append'>;
  origin?: string;
  onChanged?: (instruments: Instrument[]) => Promise<void>;
}) {
  const { db, store } = deps;

  async function flush(id: string, batch: Map<string, Instrument>, rejects: Reject[], counts: ImportSummary, seq: { n: number; batches: number }): Promise<void> {
    const instruments = [...batch.values()];
    const result = await db.transaction(async (tx) => {
      const r = await store.upsert(instruments, tx);
      if (r.changedIds.length) await deps.eventLog.append([instrumentChangeRecord(r.changedIds, `${id}:${++seq.batches}`, deps.origin)], { tx });
      if (rejects.length) {
        await tx.query(
          `INSERT INTO instrument_import_rejects (import_id, seq, sheet, row_number, field, column_name, reason)
           SELECT $1, s, sh, r, f, c, re FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[]) AS t(s, sh, r, f, c, re)`,
          [id, rejects.map(() => ++seq.n), rejects.map((x) => x.sheet), rejects.map((x) => x.row), rejects.map((x) => x.field), rejects.map((x) => x.column), rejects.map((x) => x.reason)],
        );
      }
      counts.inserted += r.inserted;
      counts.updated += r.updated;
      counts.unchanged += r.unchanged;
      await tx.query(
        'UPDATE instrument_imports SET rows_read = $2, inserted = $3, updated = $4, unchanged = $5, duplicate = $6, rejected = $7, formats = $8 WHERE id = $1',
        [id, counts.read, counts.inserted, counts.updated, counts.unchanged, counts.duplicate, counts.rejected, counts.formats],
      );
      return r;
    });
    batch.clear();
    rejects.length = 0;
    if (deps.onChanged && result.changedIds.length) await deps.onChanged(await store.getMany(result.changedIds));
  }

  return {
    /** Records a new run as `running` and returns its id (so a caller can answer before it ends). */
    async begin(sourceName: string, createdBy: string): Promise<string> {
      const id = randomUUID();
      await db.query("INSERT INTO instrument_imports (id, source, status, created_by) VALUES ($1, $2, 'running', $3)", [id, sourceName, createdBy]);
      return id;
    },

    /** Runs left `running` by a process that died are marked failed (re-running merges safely). */
    async failInterrupted(): Promise<number> {
      const { rowCount } = await db.query(
        "UPDATE instrument_imports SET status = 'failed', error = 'interrupted by a restart; run the import again (it merges, nothing is duplicated)', finished_at = now() WHERE status = 'running'",
      );
      return rowCount ?? 0;
    },

    /**
     * Runs one import to the end. A file that cannot be read at all fails the run with one reason
     * (status `failed`); bad rows are rejects and never stop it. `onProgress` sees every batch.
     */
    async run(source: ImportSource, options: ImportOptions & { createdBy: string; sourceName: string; onProgress?: (s: ImportSummary) => void; id?: string }): Promise<ImportSummary> {
      const id = options.id ?? (await this.begin(options.sourceName, options.createdBy));
      const { rows } = await db.query<{ started_at: Date }>('SELECT started_at FROM instrument_imports WHERE id = $1', [id]);
      const counts: ImportSummary = {
        id, source: options.sourceName, status: 'running', formats: [], read: 0, inserted: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0,
        error: null, startedAt: rows[0]!.started_at.toISOString(), finishedAt: null,
      };
      const batch = new Map<string, Instrument>();
      const rejects: Reject[] = [];
      const seq = { n: 0, batches: 0 };
      const run = importInstruments(source, options);
      try {
        for await (const item of run) {
          if (item.kind === 'reject') {
            counts.rejected++;
            rejects.push({ sheet: item.sheet, row: item.row, field: item.field, column: item.column, reason: item.reason });
          } else {
            if (item.duplicate) counts.duplicate++;
            const prior = batch.get(item.instrument.id);
            batch.set(item.instrument.id, prior ? mergeInstruments(prior, item.instrument) : item.instrument);
          }
          counts.read = run.stats.rows;
          counts.formats = [...new Set(run.stats.sheets.map((s) => s.format))];
          if (batch.size >= batchSize || rejects.length >= batchSize) {
            await flush(id, batch, rejects, counts, seq);
            options.onProgress?.({ ...counts });
          }
        }
        counts.read = run.stats.rows;
        counts.formats = [...new Set(run.stats.sheets.map((s) => s.format))];
        await flush(id, batch, rejects, counts, seq);
        counts.status = 'completed';
      } catch (error) {
        counts.status = 'failed';
        counts.error = isAppError(error) ? error.message : `import failed: ${(error as Error).message}`;
      }
      const done = await db.query<{ finished_at: Date }>(
        'UPDATE instrument_imports SET status = $2, error = $3, rows_read = $4, finished_at = now() WHERE id = $1 RETURNING finished_at',
        [id, counts.status, counts.error, counts.read],
      );
      counts.finishedAt = done.rows[0]!.finished_at.toISOString();
      options.onProgress?.({ ...counts });
      return counts;
    },

    async get(id: string): Promise<ImportSummary | undefined> {
      const { rows } = await db.query<{ id: string; source: string; status: ImportSummary['status']; formats: string[]; rows_read: number; inserted: number; updated: number; unchanged: number; duplicate: number; rejected: number; error: string | null; started_at: Date; finished_at: Date | null }>(
        'SELECT * FROM instrument_imports WHERE id = $1',
        [id],
      );
      const r = rows[0];
      return r && {
        id: r.id, source: r.source, status: r.status, formats: r.formats, read: r.rows_read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged,
        duplicate: r.duplicate, rejected: r.rejected, error: r.error, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
      };
    },

    async list(limit = 20): Promise<ImportSummary[]> {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM instrument_imports ORDER BY started_at DESC LIMIT $1', [limit]);
      return (await Promise.all(rows.map((r) => this.get(r.id)))).filter((s): s is ImportSummary => s !== undefined);
    },

    /** Rejects as CSV lines (header first), streamed in pages. */
    async *rejectsCsv(id: string): AsyncGenerator<string> {
      yield 'sheet,row,field,column,reason\n';
      let after = 0;
      for (;;) {
        const { rows } = await db.query<{ seq: number; sheet: string | null; row_number: number; field: string; column_name: string | null; reason: string }>(
          'SELECT seq, sheet, row_number, field, column_name, reason FROM instrument_import_rejects WHERE import_id = $1 AND seq > $2 ORDER BY seq LIMIT 5000',
          [id, after],
        );
        for (const r of rows) yield `${[r.sheet ?? '', String(r.row_number), r.field, r.column_name ?? '', r.reason].map(csvCell).join(',')}\n`;
        if (rows.length < 5000) return;
        after = rows.at(-1)!.seq;
      }
    },
  };
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
