// A process-local queue that runs background jobs one at a time. stop() asks the running job to
// pause at its next safe point (its AbortSignal) and waits for it; queued jobs stay queued in the
// database and are picked up by the next start.
import type { Logger } from './logger.ts';

export function createJobQueue(run: (id: string, signal: AbortSignal) => Promise<void>, log: Logger) {
  const pending: string[] = [];
  const controller = new AbortController();
  let current: Promise<void> | undefined;
  let idleWaiters: Array<() => void> = [];

  function next(): void {
    if (current || controller.signal.aborted) return;
    const id = pending.shift();
    if (id === undefined) {
      for (const wake of idleWaiters) wake();
      idleWaiters = [];
      return;
    }
    current = run(id, controller.signal)
      .catch((error: unknown) => log.error({ err: error, job: id }, 'background job failed; it stays resumable'))
      .finally(() => {
        current = undefined;
        next();
      });
  }

  return {
    enqueue(id: string): void {
      if (!pending.includes(id)) pending.push(id);
      next();
    },
    /** Resolves when nothing is running or queued. */
    idle(): Promise<void> {
      if (!current && !pending.length) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop(): Promise<void> {
      controller.abort();
      await current;
    },
  };
}
