// `pravah events send FILE`: a JSONL file of triggered events, read line by line (never whole) and
// submitted through the intake in batches. A line that is not JSON is rejected with its number;
// the rest of the file still goes.
import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { EventIntake } from './intake.ts';
import type { EventIssue } from './validate-event.ts';

export type SendSummary = { file: string; read: number; accepted: number; duplicate: number; rejected: number };
export type LineRejection = { line: number; errors: Array<Pick<EventIssue, 'field' | 'rule'>> };

export type SendFileOptions = {
  intake: Pick<EventIntake, 'submit'>;
  batchSize?: number;
  onProgress?: (summary: SendSummary) => void;
  onRejected?: (rejection: LineRejection) => void;
};

/** Throws a one-line reason when `file` is missing, not a regular file, or not readable. */
export async function assertReadableFile(file: string): Promise<void> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new Error(`${file}: not a file`);
  await access(file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: cannot be read (${error.code ?? error.message})`);
  });
}

/** Fails with a one-line reason when the file cannot be read; otherwise sends every line. */
export async function sendEventsFile(file: string, options: SendFileOptions): Promise<SendSummary> {
  await assertReadableFile(file);
  const batchSize = options.batchSize ?? 1000;
  const summary: SendSummary = { file, read: 0, accepted: 0, duplicate: 0, rejected: 0 };
  let batch: Array<{ line: number; event: unknown }> = [];

  async function flush(): Promise<void> {
    if (!batch.length) return;
    const sent = batch;
    batch = [];
    const outcome = await options.intake.submit(sent.map((b) => b.event), { source: 'cli' });
    summary.accepted += outcome.accepted;
    summary.duplicate += outcome.duplicate;
    summary.rejected += outcome.rejected;
    for (const result of outcome.results) {
      if (result.status === 'rejected') options.onRejected?.({ line: sent[result.index]!.line, errors: result.errors ?? [] });
    }
    options.onProgress?.({ ...summary });
  }

  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  let submitting = false;
  try {
    for await (const text of lines) {
      number++;
      if (!text.trim()) continue;
      summary.read++;
      let event: unknown;
      try {
        event = JSON.parse(text);
      } catch {
        summary.rejected++;
        options.onRejected?.({ line: number, errors: [{ field: '', rule: 'event.not_json' }] });
        continue;
      }
      batch.push({ line: number, event });
      if (batch.length >= batchSize) {
        submitting = true;
        await flush();
        submitting = false;
      }
    }
  } catch (error) {
    if (submitting) throw error; // the store's failure, not the file's
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: reading stopped at line ${number + 1} (${code ?? (error as Error).message})`, { cause: error });
  } finally {
    lines.close();
    input.destroy();
  }
  await flush();
  return summary;
}
