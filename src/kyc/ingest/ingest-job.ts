// Ingestion jobs. A job reads its file in order, validates each row, and commits batches: the
// client (or back-office) rows, their events, the rejects, the counters and the checkpoint (rows
// processed) in ONE transaction. A job killed at any point resumes from its checkpoint and ends with exactly the
// rows and events a clean run would have produced.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Db } from '../../store/db.ts';
import type { Clock } from '../../platform/time.ts';
import { isAppError } from '../../platform/errors.ts';
import type { KeyStore } from '../../crypto/keystore.ts';
import { csvCell } from '../../platform/csv.ts';
import { describeFormat, sniffIngestFile, type IngestContent } from './read-records.ts';
import type { ClientWriter } from './client-writer.ts';
import { createBackofficeWriter, type BackofficeWriter } from './backoffice-writer.ts';
import { createContentWriter } from './content-handlers.ts';
import type { PreparedBatch } from './prepare-batches.ts';
import { openBatchSource } from './batch-source.ts';

export type IngestSummary = {
  id: string;
  source: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'interrupted';
  format: string | null;
  /** What the file holds, told from its first record; null until a record was read. */
  content: IngestContent | null;
  read: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicate: number;
  events: number;
  bytes: number | null;
  bytesRead: number;
  ratePerSec: number | null;
  etaSeconds: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

type JobRow = {
  id: string; source: string; status: IngestSummary['status']; format: string | null; content: IngestContent | null; file_path: string | null; file_bytes: string | null; checkpoint_row: string;
  bytes_read: string; rows_read: string; accepted: string; updated: string; unchanged: string; rejected: string; duplicate: string; events: string;
  error: string | null; created_at: Date; started_at: Date | null; finished_at: Date | null;
};

const batchRows = 2_000;

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Today in India, for the age and not-in-the-future rules. */
function indianDate(now: Date): string {
  return new Date(now.getTime() + 330 * 60_000).toISOString().slice(0, 10);
}

function summarise(r: JobRow, now: Date): IngestSummary {
  const read = Number(r.rows_read);
  const bytes = r.file_bytes === null ? null : Number(r.file_bytes);
  const bytesRead = Number(r.bytes_read);
  const end = r.finished_at ?? now;
  const seconds = r.started_at ? Math.max(0.001, (end.getTime() - r.started_at.getTime()) / 1000) : null;
  const rate = seconds ? Math.round(read / seconds) : null;
  const eta = r.status === 'running' && bytes && bytesRead > 0 && seconds ? Math.max(0, Math.round((seconds * (bytes - bytesRead)) / bytesRead)) : null;
  return {
    id: r.id, source: r.source, status: r.status, format: r.format, content: r.content, read, accepted: Number(r.accepted), updated: Number(r.updated), unchanged: Number(r.unchanged),
    rejected: Number(r.rejected), duplicate: Number(r.duplicate), events: Number(r.events), bytes, bytesRead, ratePerSec: rate, etaSeconds: eta, error: r.error,
    createdAt: r.created_at.toISOString(), startedAt: r.started_at?.toISOString() ?? null, finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** A unique violation: another job inserted one of the batch's new clients first. */
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

export function createIngestRunner(deps: {
  db: Db;
  writer: ClientWriter;
  /** The blind index key is handed to the thread that prepares rows. */
  keys: Pick<KeyStore, 'blindIndexKey'>;
  clock: Clock;
  backofficeWriter?: BackofficeWriter;
  /** Prepare rows on the job's own thread instead of a worker thread (benchmark baseline). */
  inThread?: boolean;
  /** The preparing worker's old-generation heap in MB (default 128). */
  workerHeapMb?: number;
}) {
  const { db, clock } = deps;
  const write = createContentWriter({ clientWriter: deps.writer, backofficeWriter: deps.backofficeWriter ?? createBackofficeWriter() });

  async function load(id: string): Promise<JobRow | undefined> {
    const { rows } = await db.query<JobRow>('SELECT * FROM ingest_jobs WHERE id = $1', [id]);
    return rows[0];
  }

  async function commitOnce(id: string, batch: PreparedBatch): Promise<void> {
    const { ordinal, rejects, rejectedRows, duplicates, content } = batch;
    await db.transaction(async (tx) => {
      // The checkpoint guards against a second process running the same job at once.
      const { rows } = await tx.query<{ checkpoint_row: string }>('SELECT checkpoint_row FROM ingest_jobs WHERE id = $1 FOR UPDATE', [id]);
      if (Number(rows[0]?.checkpoint_row) >= ordinal) return;
      const result = batch.items ? await write(tx, batch.items, id) : { accepted: 0, updated: 0, unchanged: 0, events: 0 };
      if (rejects.length) {
        await tx.query(
          `INSERT INTO ingest_rejects (job_id, ordinal, sheet, row_number, field, rule, message)
           SELECT $1, o, s, r, f, ru, m FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) AS x(o, s, r, f, ru, m)
           ON CONFLICT DO NOTHING`,
          [id, rejects.map((r) => r.ordinal), rejects.map((r) => r.sheet), rejects.map((r) => r.row), rejects.map((r) => r.field), rejects.map((r) => r.rule), rejects.map((r) => r.message)],
        );
      }
      await tx.query(
        `UPDATE ingest_jobs SET checkpoint_row = $2, bytes_read = $3, rows_read = $2, accepted = accepted + $4, updated = updated + $5,
           unchanged = unchanged + $6, rejected = rejected + $7, duplicate = duplicate + $8, events = events + $9, content = coalesce($10, content) WHERE id = $1`,
        [id, ordinal, batch.bytesRead, result.accepted, result.updated, result.unchanged, rejectedRows, duplicates, result.events, content ?? null],
      );
    });
  }

  async function commit(id: string, batch: PreparedBatch): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await commitOnce(id, batch);
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  return {
    /** Registers a job for a file (queued). */
    async create(input: { source: string; filePath: string; createdBy: string }): Promise<string> {
      const id = randomUUID();
      const sha = await hashFile(input.filePath);
      await db.query("INSERT INTO ingest_jobs (id, source, file_path, file_sha256, status, created_by) VALUES ($1, $2, $3, $4, 'queued', $5)", [
        id, input.source, input.filePath, sha, input.createdBy,
      ]);
      return id;
    },

    /** An unfinished job of the same file content, to resume instead of starting over. */
    async findResumable(filePath: string): Promise<string | undefined> {
      const sha = await hashFile(filePath);
      const { rows } = await db.query<{ id: string }>(
        "SELECT id FROM ingest_jobs WHERE file_sha256 = $1 AND status IN ('queued', 'running', 'interrupted') ORDER BY created_at DESC LIMIT 1",
        [sha],
      );
      return rows[0]?.id;
    },

    /** Jobs left running by a process that died are marked interrupted (and can be resumed). */
    async markInterrupted(): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>("UPDATE ingest_jobs SET status = 'interrupted' WHERE status IN ('running', 'queued') RETURNING id");
      return rows.map((r) => r.id);
    },

    /**
     * Runs (or resumes) a job to its end. A file that cannot be read as a whole fails the job with
     * one reason; bad rows are rejects and never stop it. `onProgress` sees every committed batch.
     */
    async run(id: string, options: { onProgress?: (s: IngestSummary) => void; signal?: AbortSignal; batchRows?: number } = {}): Promise<IngestSummary> {
      const job = await load(id);
      if (!job?.file_path) throw new Error(`no ingest job ${id}`);
      await db.query("UPDATE ingest_jobs SET status = 'running', started_at = coalesce(started_at, now()), error = NULL WHERE id = $1", [id]);
      const checkpoint = Number(job.checkpoint_row);
      let inFlight: Promise<void> = Promise.resolve();
      const report = async () => options.onProgress?.(summarise((await load(id))!, new Date()));
      try {
        const sniffed = await sniffIngestFile(job.file_path);
        await db.query('UPDATE ingest_jobs SET format = $2, file_bytes = $3 WHERE id = $1', [id, describeFormat(sniffed), sniffed.bytes]);
        const source = openBatchSource(
          { filePath: job.file_path, sniffed, checkpoint, today: indianDate(clock.now()), batchRows: options.batchRows ?? batchRows, blindIndexKey: deps.keys.blindIndexKey() },
          { inThread: deps.inThread, heapMb: deps.workerHeapMb },
        );
        for await (const batch of source) {
          // One commit in flight at a time, in file order: the next batch is prepared while the
          // database writes this one.
          await inFlight;
          if (options.signal?.aborted) {
            await db.query("UPDATE ingest_jobs SET status = 'interrupted' WHERE id = $1", [id]);
            return summarise((await load(id))!, new Date());
          }
          inFlight = commit(id, batch).then(() => {
            source.release(batch); // its buffer goes back to pack a later batch into
            return report();
          });
          inFlight.catch(() => undefined); // surfaced by the next await, not as an unhandled rejection
        }
        await inFlight;
        await db.query("UPDATE ingest_jobs SET status = 'completed', bytes_read = coalesce(file_bytes, bytes_read), finished_at = now() WHERE id = $1", [id]);
      } catch (error) {
        if (!isAppError(error) || error.code !== 'VALIDATION_FAILED') throw error; // infrastructure: stays resumable
        await inFlight; // the rows before the unreadable part are kept (a failed commit: resumable)
        await db.query("UPDATE ingest_jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [id, error.message]);
      }
      const done = summarise((await load(id))!, new Date());
      options.onProgress?.(done);
      return done;
    },

    async get(id: string): Promise<(IngestSummary & { rejectsByRule: Record<string, number> }) | undefined> {
      const job = await load(id);
      if (!job) return undefined;
      const { rows } = await db.query<{ rule: string; n: string }>('SELECT rule, count(*) AS n FROM ingest_rejects WHERE job_id = $1 GROUP BY rule ORDER BY 2 DESC', [id]);
      return { ...summarise(job, new Date()), rejectsByRule: Object.fromEntries(rows.map((r) => [r.rule, Number(r.n)])) };
    },

    async list(limit = 20): Promise<IngestSummary[]> {
      const { rows } = await db.query<JobRow>('SELECT * FROM ingest_jobs ORDER BY created_at DESC LIMIT $1', [limit]);
      return rows.map((r) => summarise(r, new Date()));
    },

    /** Rejects as CSV (sheet, row, field, rule, message): never a value from the file. */
    async *rejectsCsv(id: string): AsyncGenerator<string> {
      yield 'sheet,row,field,rule,message\n';
      let after = -1;
      for (;;) {
        const { rows } = await db.query<{ ordinal: string; sheet: string | null; row_number: string; field: string; rule: string; message: string }>(
          'SELECT ordinal, sheet, row_number, field, rule, message FROM ingest_rejects WHERE job_id = $1 AND ordinal > $2 ORDER BY ordinal, field, rule LIMIT 5000',
          [id, after],
        );
        const last = rows.at(-1);
        // A page may end inside one row's rejects: stop before that row, the next page starts with it.
        const whole = rows.length === 5000 && last ? rows.filter((r) => r.ordinal !== last.ordinal) : rows;
        for (const r of whole) yield `${[r.sheet ?? '', r.row_number, r.field, r.rule, r.message].map(csvCell).join(',')}\n`;
        if (rows.length < 5000 || !last) return;
        after = Number(whole.at(-1)?.ordinal ?? last.ordinal);
      }
    },
  };
}

export type IngestRunner = ReturnType<typeof createIngestRunner>;
