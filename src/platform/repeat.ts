// Running work in the background. startRepeating: a job run again and again, one run at a time: the next run is timed when the last
// one has finished, after the delay that run asked for (a job that found a full batch can go again
// at once), or `afterErrorMs` when it threw (the error goes to `onError`). The timer does not keep
// the process alive; stop() cancels the next run and waits for one in progress.
export type Repeating = { stop(): Promise<void> };

export function startRepeating(run: () => Promise<number>, options: { firstDelayMs: number; afterErrorMs: number; onError: (error: unknown) => void }): Repeating {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run()
        .catch((error: unknown) => {
          options.onError(error);
          return options.afterErrorMs;
        })
        .then((next) => {
          running = undefined;
          schedule(next);
        });
    }, delayMs);
    timer.unref();
  }
  schedule(options.firstDelayMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Runs `fn` for every item, at most `limit` at once, in order of start; resolves when all are done. */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(limit, items.length)) }, worker));
}
