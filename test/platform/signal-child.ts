// Child for the signal test: a graceful stop that never finishes, so only a second signal ends it.
import { installSignalHandlers } from '../../src/platform/lifecycle.ts';
import { createLogger } from '../../src/platform/logger.ts';

installSignalHandlers(() => new Promise(() => undefined), createLogger({ level: 'info' }), 60_000);
process.stdout.write('ready\n');
setInterval(() => undefined, 1000);
