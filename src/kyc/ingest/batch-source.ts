// Where an ingestion job's prepared batches come from: a worker thread (the default, so reading,
// validating, hashing and serialising run on another core while the job's thread encrypts and
// writes), or the job's own thread (`inThread`, the baseline the benchmark compares against).
// Either way the batches arrive in file order with the same content.
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { prepareBatches, type PrepareOptions, type PreparedBatch } from './prepare-batches.ts';
import type { JobMessage, WorkerInput, WorkerMessage } from './ingest-worker.ts';

/** Batches the worker may prepare beyond the one the job is writing. */
const AHEAD = 2;

/**
 * The worker's heap. It holds a few batches and, for XLSX, the workbook's shared strings; without
 * a bound V8 lets a busy worker's heap grow to hundreds of megabytes of garbage (measured: peak
 * RSS 832 MB unbounded, ~510 MB with limits, 100,000 records). The young generation is not
 * made smaller than 64 MB: batches in preparation outlive a small one's scavenges and are copied
 * again and again (16 MB cost ~80 us more CPU per record than 64 MB, alternating runs). A file that
 * needs more fails its job with a clear reason instead of taking the server's memory.
 */
const LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 64 };

export type BatchSource = AsyncIterable<PreparedBatch> & {
  /**
   * Gives a written batch's packed buffer back, to pack a later batch into: a job reuses a few
   * buffers rather than allocating one per batch (~5 MB each) and leaving each to be freed when
   * the job thread's heap is next collected, which let 50-90 MB of them pile up. The batch's byte
   * views are unusable afterwards: call it once the batch is committed, or not at all.
   */
  release(batch: PreparedBatch): void;
};

export function openBatchSource(options: PrepareOptions, mode: { inThread?: boolean; heapMb?: number } = {}): BatchSource {
  if (!mode.inThread) return fromWorker(options, { ...LIMITS, maxOldGenerationSizeMb: mode.heapMb ?? LIMITS.maxOldGenerationSizeMb });
  const spares: ArrayBuffer[] = [];
  return Object.assign(prepareBatches(options, () => spares.pop()), {
    release(batch: PreparedBatch) {
      if (batch.transfer && spares.length < AHEAD) spares.push(batch.transfer);
    },
  });
}

function fromWorker(options: PrepareOptions, limits: typeof LIMITS): BatchSource {
  const worker = new Worker(new URL('./ingest-worker.ts', import.meta.url), { workerData: { options, ahead: AHEAD } satisfies WorkerInput, resourceLimits: limits });
  let open = true; // until the worker exits or is terminated: nothing is sent after
  const send = (message: JobMessage, transfer: ArrayBuffer[] = []) => open && worker.postMessage(message, transfer);
  const inbox: WorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new AppError('VALIDATION_FAILED', `the file needs more memory than an ingestion job may use (${limits.maxOldGenerationSizeMb} MB): split it, or save a workbook as CSV`, { details: { reason: 'INGEST_FILE_TOO_LARGE' } })
      : error;
    wake?.();
  });
  worker.on('exit', () => {
    open = false;
    wake?.();
  });
  async function* batches(): AsyncGenerator<PreparedBatch> {
    try {
      for (;;) {
        const message = inbox.shift();
        if (!message) {
          if (failure) throw failure;
          if (!open) throw new Error('the ingestion worker stopped without finishing the file');
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.type === 'end') return;
        if (message.type === 'error') {
          const { code, message: text, details, stack } = message.error;
          const error = code ? new AppError(code as ErrorCode, text, { details }) : new Error(text);
          if (stack) error.stack = stack;
          throw error;
        }
        yield message.batch;
        send({ type: 'credit' });
      }
    } finally {
      open = false;
      await worker.terminate();
    }
  }
  return Object.assign(batches(), {
    release(batch: PreparedBatch) {
      if (batch.transfer?.byteLength) send({ type: 'recycle', buffer: batch.transfer }, [batch.transfer]);
    },
  });
}
