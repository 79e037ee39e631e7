#!/usr/bin/env node
// CLI entry: `pravah serve | users | keys | migrate`. Signal handlers are installed here, once.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from './config.ts';
import { isAppError } from './platform/errors.ts';
import { createLogger } from './platform/logger.ts';
import { installSignalHandlers } from './platform/lifecycle.ts';
import { openServices, startPlatform, version } from './app.ts';
import { staffRoles, type StaffRole } from './auth/roles.ts';
import { generatePassword } from './auth/passwords.ts';
import { rewrapDataKeys } from './crypto/envelope.ts';

function config(): Config {
  return loadConfig();
}

/** CLI commands log only warnings (to stderr) so their own output stays readable. */
async function withServices<T>(fn: (s: Awaited<ReturnType<typeof openServices>>) => Promise<T>): Promise<T> {
  const cfg = config();
  const log = createLogger({ level: process.env['LOG_LEVEL'] ? cfg.logLevel : 'warn', destination: process.stderr });
  const services = await openServices(cfg, { adopt: false, log });
  try {
    return await fn(services);
  } finally {
    await services.lifecycle.stop();
  }
}

/** A JSON file's value; a missing or malformed file throws one line naming it. */
async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

const program = new Command('pravah').version(version).description('Pravah: client data, events and notifications for Indian stock brokers');

program
  .command('serve')
  .description('run the platform (embedded mode unless DATABASE_URL is set)')
  .action(async () => {
    const cfg = config();
    const log = createLogger({ level: cfg.logLevel });
    const platform = await startPlatform(cfg, { log });
    installSignalHandlers(() => platform.stop(), log, cfg.shutdownTimeoutMs);
    const lines = [``, `  Pravah ${version} is running in ${cfg.mode} mode`, `  Open ${platform.url}`];
    if (platform.firstAdmin) {
      lines.push(`  Sign in as ${platform.firstAdmin.email} with password ${platform.firstAdmin.password}`, `  (shown once: keep it; reset with \`npx pravah users reset-password --email ${platform.firstAdmin.email}\`)`);
    } else if (cfg.mode === 'embedded') {
      lines.push(`  Sign in as ${cfg.adminEmail} (password printed at first start; \`npx pravah users reset-password --email ${cfg.adminEmail}\` sets a new one)`);
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  });

const users = program.command('users').description('manage staff users');
users
  .command('create')
  .description('create a staff user; the password is generated and printed once unless given')
  .requiredOption('--email <email>')
  .addOption(new Option('--role <role>').choices(staffRoles).makeOptionMandatory())
  .option('--name <name>', 'display name')
  .option('--password <password>', 'at least 12 characters (default: generated)')
  .action(async (opts: { email: string; role: StaffRole; name?: string; password?: string }) => {
    const password = opts.password ?? generatePassword();
    await withServices(async ({ users: store }) => {
      const user = await store.create({ email: opts.email, role: opts.role, name: opts.name, password }, 'cli');
      console.log(`created ${user.role} ${user.email} (id ${user.id})`);
      if (!opts.password) console.log(`password: ${password}   (shown once)`);
    });
  });
users
  .command('reset-password')
  .description('set a new generated password for a user and sign them out everywhere')
  .requiredOption('--email <email>')
  .action(async (opts: { email: string }) => {
    await withServices(async ({ users: store }) => {
      const user = await store.findByEmail(opts.email);
      if (!user) throw new Error(`no user with email ${opts.email}`);
      const password = generatePassword();
      await store.update(user.id, { password }, 'cli');
      console.log(`new password for ${user.email}: ${password}   (shown once)`);
    });
  });
users
  .command('list')
  .description('list staff users (emails masked)')
  .action(async () => {
    await withServices(async ({ users: store }) => {
      for (const u of await store.list()) console.log(`${u.id}  ${u.role.padEnd(10)} ${u.emailMasked}${u.disabled ? '  (disabled)' : ''}`);
    });
  });

const keys = program.command('keys').description('master keys and data keys');
keys
  .command('rotate')
  .description('introduce a new master key (key-file mode) and re-wrap every data key under the active one; safe while the platform runs')
  .action(async () => {
    await withServices(async ({ keys: keyStore, store, config: cfg }) => {
      if (!cfg.masterKeys.length) console.log(`new active master key ${await keyStore.addMasterKey()}`);
      const total = await rewrapDataKeys({
        db: store.db,
        keys: keyStore,
        onProgress: (p) => process.stderr.write(`\r  re-wrapped ${p.rewrapped} data keys, ${p.remaining} remaining`),
      });
      process.stderr.write('\n');
      console.log(`re-wrapped ${total} data keys under ${keyStore.activeMasterKeyId()}`);
    });
  });
keys
  .command('status')
  .description('data keys per master key')
  .action(async () => {
    await withServices(async ({ keys: keyStore, store }) => {
      const { rows } = await store.db.query<{ master_key_id: string; n: string }>('SELECT master_key_id, count(*) AS n FROM data_keys WHERE wrapped IS NOT NULL GROUP BY 1 ORDER BY 1');
      console.log(`active master key: ${keyStore.activeMasterKeyId()}`);
      for (const r of rows) console.log(`  ${r.master_key_id}: ${r.n} data keys`);
    });
  });

program
  .command('ingest')
  .description('ingest a KYC or back-office file (CSV, XLSX or JSONL); an interrupted run of the same file resumes where it stopped')
  .argument('<file>')
  .option('--json', 'print one JSON summary line at the end instead of the progress bar')
  .action(async (file: string, opts: { json?: boolean }) => {
    const { existsSync } = await import('node:fs');
    const path = await import('node:path');
    const { createIngestRunner } = await import('./kyc/ingest/ingest-job.ts');
    const { createClientWriter } = await import('./kyc/ingest/client-writer.ts');
    const { renderProgress } = await import('./platform/progress.ts');
    if (!existsSync(file)) throw new Error(`${file}: no such file`);
    await withServices(async ({ store, keys: keyStore, envelope, eventLog }) => {
      const runner = createIngestRunner({ db: store.db, writer: createClientWriter({ envelope, log: eventLog }), keys: keyStore, clock: { now: () => new Date() } });
      const absolute = path.resolve(file);
      const resumed = await runner.findResumable(absolute);
      const id = resumed ?? (await runner.create({ source: path.basename(file), filePath: absolute, createdBy: 'cli' }));
      if (resumed && !opts.json) process.stderr.write(`resuming job ${id}\n`);
      const tty = !opts.json && process.stderr.isTTY;
      const summary = await runner.run(id, { onProgress: (p) => tty && process.stderr.write(`\r${renderProgress(p)}`) });
      if (tty) process.stderr.write('\n');
      const line = { job: summary.id, status: summary.status, read: summary.read, accepted: summary.accepted, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected, duplicate: summary.duplicate, events: summary.events };
      if (opts.json) console.log(JSON.stringify(line));
      else if (summary.status === 'completed') {
        console.log(`${summary.source}: ${summary.read} rows: ${summary.accepted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.duplicate} duplicate, ${summary.rejected} rejected; ${summary.events} events (job ${summary.id})`);
        if (summary.rejected) console.log(`  rejects: GET /api/ingest/${summary.id}/rejects.csv`);
      }
      if (summary.status !== 'completed') {
        console.error(`pravah ingest: ${summary.error ?? `job ${summary.status}`}`);
        process.exitCode = 1;
      }
    });
  });

const events = program.command('events').description('triggered business events');
events
  .command('send')
  .description('send a JSONL file of triggered events (one event per line) through the intake, in batches of 1,000; exit 0 when the file was read, whatever it rejected')
  .argument('<file>')
  .option('--json', 'print one JSON summary line instead of progress and text')
  .action(async (file: string, opts: { json?: boolean }) => {
    const { assertReadableFile, sendEventsFile } = await import('./events/send-file.ts');
    const { createEventIntake } = await import('./events/intake.ts');
    const { createBlindIndex } = await import('./crypto/blind-index.ts');
    await assertReadableFile(file);
    await withServices(async ({ store, keys: keyStore, eventLog, config: cfg }) => {
      const intake = createEventIntake({ db: store.db, log: eventLog, blindIndex: createBlindIndex(keyStore), clock: { now: () => new Date() }, maxEventBytes: cfg.eventMaxBytes });
      const tty = !opts.json && process.stderr.isTTY;
      let shown = 0;
      const summary = await sendEventsFile(file, {
        intake,
        onProgress: (p) => tty && process.stderr.write(`\r  ${p.read} events read: ${p.accepted} accepted, ${p.duplicate} duplicate, ${p.rejected} rejected`),
        onRejected: (r) => {
          if (shown++ < 20) process.stderr.write(`${tty ? '\n' : ''}  line ${r.line}: ${r.errors.map((e) => `${e.field || '(event)'} ${e.rule}`).join('; ')}\n`);
        },
      });
      if (tty) process.stderr.write('\n');
      if (shown > 20) process.stderr.write(`  … ${shown - 20} more rejected lines\n`);
      if (opts.json) console.log(JSON.stringify(summary));
      else console.log(`${file}: ${summary.read} events read: ${summary.accepted} accepted, ${summary.duplicate} duplicate, ${summary.rejected} rejected`);
    });
  });

events
  .command('lag')
  .description('committed position, head and lag per consumer group, topic and partition')
  .option('--json', 'print JSON instead of a table')
  .action(async (opts: { json?: boolean }) => {
    await withServices(async ({ eventLog }) => {
      const rows = await eventLog.lag();
      if (opts.json) return console.log(JSON.stringify(rows));
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(`${r.group} ${r.topic}`, (totals.get(`${r.group} ${r.topic}`) ?? 0) + r.lag);
      if (!totals.size) return console.log('no consumer group has started yet');
      for (const [name, lag] of totals) console.log(`${name}: ${lag} behind`);
    });
  });
events
  .command('replay')
  .description("move a consumer group's positions on a topic back (or forward): the group re-handles from there (handlers are idempotent by event id)")
  .requiredOption('--group <group>', 'consumer group, e.g. processor')
  .requiredOption('--topic <topic>', 'topic, e.g. events.triggered')
  .option('--from <time>', 'ISO time: replay records appended at or after it')
  .option('--position <n>', 'replay from the record at this position (of --partition, else of every partition)')
  .option('--partition <p>', 'with --position: the one partition to move (the event detail shows an event\'s partition and position)')
  .option('--earliest', 'replay everything')
  .option('--latest', 'skip everything not yet handled')
  .action(async (opts: { group: string; topic: string; from?: string; position?: string; partition?: string; earliest?: boolean; latest?: boolean }) => {
    const chosen = [opts.from !== undefined, opts.position !== undefined, Boolean(opts.earliest), Boolean(opts.latest)].filter(Boolean).length;
    if (chosen !== 1) throw new Error('give exactly one of --from TIME, --position N, --earliest, --latest');
    if (opts.partition !== undefined && opts.position === undefined) throw new Error('--partition goes with --position');
    const time = opts.from === undefined ? undefined : new Date(opts.from);
    if (time && Number.isNaN(time.getTime())) throw new Error(`--from ${opts.from}: not an ISO time`);
    if (opts.position !== undefined && !/^[1-9]\d{0,18}$/.test(opts.position)) throw new Error(`--position ${opts.position}: not a position (a whole number from 1)`);
    if (opts.partition !== undefined && !/^\d{1,4}$/.test(opts.partition)) throw new Error(`--partition ${opts.partition}: not a partition number`);
    await withServices(async ({ eventLog }) => {
      const target = time ? { time }
        : opts.position !== undefined ? { position: opts.position, ...(opts.partition !== undefined ? { partition: Number(opts.partition) } : {}) }
          : opts.earliest ? 'earliest' as const : 'latest' as const;
      await eventLog.seek(opts.group, opts.topic, target);
      console.log(`${opts.group} on ${opts.topic}: positions moved; a running processor picks them up at its next fetch`);
    });
  });

const demo = program.command('demo').description('synthetic data for demos, tests and benchmarks');
demo
  .command('generate')
  .description('write synthetic KYC or back-office records, deterministic by seed, with realistic noise (~2% invalid rows, duplicates, stale versions, minors, NRIs, non-individual PANs)')
  .addOption(new Option('--kind <kind>').choices(['kyc', 'backoffice']).default('kyc'))
  .requiredOption('--records <n>', 'how many records')
  .option('--seed <s>', 'seed: the same seed writes the same file', '1')
  .addOption(new Option('--format <format>').choices(['csv', 'jsonl', 'xlsx']).default('csv'))
  .requiredOption('--out <file>', 'where to write')
  .option('--kra-headers', 'KYC only: use the KRA APP_* column names')
  .action(async (opts: { kind: 'kyc' | 'backoffice'; records: string; seed: string; format: 'csv' | 'jsonl' | 'xlsx'; out: string; kraHeaders?: boolean }) => {
    const { runDemoGenerate } = await import('./kyc/demo/generate.ts');
    const records = Number(opts.records);
    if (!Number.isSafeInteger(records) || records < 1) throw new Error('--records must be a whole number of 1 or more');
    const tty = process.stderr.isTTY;
    const result = await runDemoGenerate({
      kind: opts.kind, records, seed: /^\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed, format: opts.format, out: opts.out, kraHeaders: opts.kraHeaders,
      onProgress: (p) => tty && process.stderr.write(`\r  ${p.written} / ${p.total} records`),
    });
    if (tty) process.stderr.write('\n');
    console.log(`wrote ${result.records} ${result.kind} records to ${opts.out} (${result.format}) in ${result.seconds.toFixed(1)} s`);
  });

const instruments = program.command('instruments').description('instrument master: import and search');
instruments
  .command('import')
  .description('import instrument files (the desk workbook, NSE/BSE/Kite/Upstox/Dhan formats, or any layout with --mapping)')
  .argument('<files...>')
  .option('--mapping <file>', 'JSON column mapping for a layout not recognised by its header')
  .option('--json', 'print one JSON summary line per file instead of text')
  .action(async (files: string[], opts: { mapping?: string; json?: boolean }) => {
    const { createInstrumentStore } = await import('./instruments/instrument-store.ts');
    const { createImportRunner } = await import('./instruments/import-job.ts');
    const { parseColumnMapping } = await import('./instruments/import/formats/column-mapping.ts');
    // Checked before anything opens: a mapping that names no symbol column would otherwise import
    // every row as a reject and exit 0.
    const mapping = opts.mapping ? parseColumnMapping(await readJsonFile(opts.mapping)) : undefined;
    await withServices(async ({ store, eventLog }) => {
      // No index in this process: nothing is read back; running nodes hear of the changes through the log.
      const runner = createImportRunner({ db: store.db, store: createInstrumentStore({ db: store.db }), eventLog });
      for (const file of files) {
        const summary = await runner.run({ path: file }, {
          mapping,
          sourceName: file.split('/').at(-1) ?? file,
          createdBy: 'cli',
          onProgress: (p) => {
            if (!opts.json && process.stderr.isTTY) process.stderr.write(`\r  ${p.source}: ${p.read} rows read, ${p.inserted} new, ${p.updated} updated, ${p.rejected} rejected`);
          },
        });
        if (!opts.json && process.stderr.isTTY) process.stderr.write('\n');
        if (opts.json) {
          console.log(JSON.stringify(summary));
        } else {
          console.log(`${summary.source}: ${summary.status}${summary.error ? ` (${summary.error})` : ''}; formats ${summary.formats.join(', ') || 'none'}; ${summary.read} rows: ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.duplicate} duplicate, ${summary.rejected} rejected`);
          if (summary.rejected) {
            let shown = 0;
            for await (const line of runner.rejectsCsv(summary.id)) if (shown++ <= 10) process.stdout.write(`  ${line}`);
            if (summary.rejected > 10) console.log(`  … ${summary.rejected - 10} more: GET /api/instruments/imports/${summary.id}/rejects.csv`);
          }
        }
        if (summary.status === 'failed') process.exitCode = 1;
      }
    });
  });
instruments
  .command('search')
  .description('search instruments from the same index the API uses')
  .argument('<query...>')
  .option('--limit <n>', 'results to show', '10')
  .option('--json', 'print the search result as JSON')
  .action(async (words: string[], opts: { limit: string; json?: boolean }) => {
    const { createInstrumentStore } = await import('./instruments/instrument-store.ts');
    const { createMemoryInstrumentIndex } = await import('./instruments/index/memory-instrument-index.ts');
    await withServices(async ({ store }) => {
      const index = createMemoryInstrumentIndex();
      await index.build(createInstrumentStore({ db: store.db }).loadAll());
      const result = await index.search({ q: words.join(' '), limit: Math.min(100, Math.max(1, Number(opts.limit) || 10)) }, new Date());
      if (opts.json) {
        console.log(JSON.stringify({ total: result.total, tookMs: result.tookMicros / 1000, items: result.items.map((h) => h.instrument) }));
        return;
      }
      for (const { instrument: i } of result.items) {
        const derivative = i.expiry ? `  ${i.expiry}${i.strike !== null ? ` ${i.strike}` : ''}${i.optionType ? ` ${i.optionType}` : ''}` : '';
        console.log(`${i.id.padEnd(34)} ${i.instrumentType.padEnd(5)} ${i.name.slice(0, 40).padEnd(40)} ${i.isin ?? ''}${derivative}`);
      }
      console.log(`${result.total} matches in ${(result.tookMicros / 1000).toFixed(3)} ms (index of ${index.size})`);
    });
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    await withServices(async ({ store }) => console.log(`schema at version ${store.migrations.at(-1)?.version ?? 'none'}`));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // One line for the operator; personal data never reaches error messages.
  console.error(isAppError(error) ? error.message : `pravah: ${(error as Error).message}`);
  process.exitCode = 1;
}
