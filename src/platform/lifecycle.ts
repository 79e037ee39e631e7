// Components start in order and stop in reverse. stop() is idempotent: every call returns the
// same promise, so a signal handler and a test can both call it safely.
import type { Logger } from './logger.ts';

export type Component = {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
};

export type Lifecycle = {
  add(component: Component): void;
  /** Starts a component now and stops it with the rest (for components later ones depend on). */
  use<T extends Component>(component: T): Promise<T>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** Starts components in the order added; on a failed start, stops the ones already started. */
export function createLifecycle(log: Logger): Lifecycle {
  const components: Component[] = [];
  const started: Component[] = [];
  let stopping: Promise<void> | undefined;

  async function stopStarted(): Promise<void> {
    for (const component of started.toReversed()) {
      try {
        await component.stop();
        log.debug({ component: component.name }, 'stopped');
      } catch (error) {
        log.error({ err: error, component: component.name }, 'component failed to stop');
      }
    }
    started.length = 0;
  }

  return {
    add(component) {
      components.push(component);
    },
    async use(component) {
      await component.start();
      started.push(component);
      return component;
    },
    async start() {
      for (const component of components) {
        if (stopping) return;
        try {
          await component.start();
        } catch (error) {
          log.error({ err: error, component: component.name }, 'component failed to start');
          await stopStarted();
          throw error;
        }
        started.push(component);
        log.debug({ component: component.name }, 'started');
      }
    },
    stop() {
      stopping ??= stopStarted();
      return stopping;
    },
  };
}

/**
 * Installed once, by main: the first SIGTERM/SIGINT starts a graceful stop bounded by
 * `timeoutMs`; a second signal, or the timeout, forces the process down.
 */
export function installSignalHandlers(stop: () => Promise<void>, log: Logger, timeoutMs: number): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, 'second signal: forcing exit');
      process.exit(130);
    }
    signalled = true;
    log.info({ signal, timeoutMs }, 'stopping gracefully (send the signal again to force)');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'graceful stop timed out: forcing exit');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'graceful stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
