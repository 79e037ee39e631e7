// Worker thread entry of an ingestion job: runs prepareBatches and posts each batch to the job's
// thread, at most `ahead` batches beyond what the job has taken (it sends a credit per batch), so
// memory stays bounded however fast the file reads. A batch's packed buffer comes back once the
// job has written it, to pack a later batch into. Errors go back as data and are rebuilt there.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../platform/errors.ts';
import { prepareBatches, type PrepareOptions, type PreparedBatch } from './prepare-batches.ts';

export type WorkerInput = { options: PrepareOptions; ahead: number };
/** From the job's thread: a credit for one more batch, or a written batch's buffer to reuse. */
export type JobMessage = { type: 'credit' } | { type: 'recycle'; buffer: ArrayBuffer };
export type SerialisedError = { message: string; code?: string; details?: unknown; stack?: string };
export type WorkerMessage =
  | { type: 'batch'; batch: PreparedBatch }
  | { type: 'end' }
  | { type: 'error'; error: SerialisedError };

const port = parentPort;
if (!port) throw new Error('ingest-worker.ts runs as a worker thread');
const input = workerData as WorkerInput;
let credits = input.ahead;
let wake: (() => void) | undefined;
// Buffers of written batches, given back to pack later ones into (a few: as many as can be out).
const spares: ArrayBuffer[] = [];
port.on('message', (message: JobMessage) => {
  if (message.type === 'credit') {
    credits++;
    wake?.();
  } else if (message.type === 'recycle' && spares.length <= input.ahead) {
    spares.push(message.buffer);
  }
});

try {
  for await (const batch of prepareBatches(input.options, () => spares.pop())) {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    port.postMessage({ type: 'batch', batch } satisfies WorkerMessage, batch.transfer ? [batch.transfer] : []);
  }
  port.postMessage({ type: 'end' } satisfies WorkerMessage);
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  const serialised: SerialisedError = isAppError(e) ? { message: e.message, code: e.code, details: e.details, stack: e.stack } : { message: e.message, stack: e.stack };
  port.postMessage({ type: 'error', error: serialised } satisfies WorkerMessage);
}
port.close();
