// Child process for the dispatcher crash test: the platform with role notify only (dispatcher and
// reconciliation) against DATABASE_URL, until killed.
import { loadConfig } from '../../src/config.ts';
import { startPlatform } from '../../src/app.ts';
import { createLogger } from '../../src/platform/logger.ts';

const platform = await startPlatform(loadConfig(), { listen: false, log: createLogger({ level: 'silent' }) });
process.stdout.write('ready\n');
process.on('SIGTERM', () => void platform.stop().then(() => process.exit(0)));
