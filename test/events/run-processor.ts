// Child process for the crash test: runs the event processor against DATABASE_URL until killed.
import { loadConfig } from '../../src/config.ts';
import { openServices } from '../../src/app.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createEventProcessor } from '../../src/events/processor.ts';
import { createRecordingPlanner } from '../../src/events/notification-request.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';

const config = loadConfig();
const services = await openServices(config, { adopt: false, log: createLogger({ level: 'silent' }) });
const processor = createEventProcessor({
  db: services.store.db, log: services.eventLog, envelope: services.envelope, blindIndex: createBlindIndex(services.keys), planner: createRecordingPlanner(),
  concurrency: config.eventConcurrency, batchSize: 200,
});
await services.lifecycle.use(processor);
process.stdout.write('ready\n');
process.on('SIGTERM', () => void services.lifecycle.stop().then(() => process.exit(0)));
