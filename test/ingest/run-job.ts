// Child process for the crash tests: runs (or resumes) the ingestion of one file against
// DATABASE_URL with small batches, so a kill lands at many different points.
import { loadConfig } from '../../src/config.ts';
import { openServices } from '../../src/app.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createIngestRunner } from '../../src/kyc/ingest/ingest-job.ts';
import { createClientWriter } from '../../src/kyc/ingest/client-writer.ts';

const [file, batchRows] = process.argv.slice(2);
const config = loadConfig();
const services = await openServices(config, { adopt: false, log: createLogger({ level: 'silent' }) });
const runner = createIngestRunner({ db: services.store.db, writer: createClientWriter({ envelope: services.envelope, log: services.eventLog }), keys: services.keys, clock: { now: () => new Date('2026-11-25T06:00:00Z') } });
const id = (await runner.findResumable(file!)) ?? (await runner.create({ source: 'crash.jsonl', filePath: file!, createdBy: 'test' }));
const summary = await runner.run(id, { batchRows: Number(batchRows) });
await services.lifecycle.stop();
process.stdout.write(`${JSON.stringify(summary)}\n`);
