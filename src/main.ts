#!/usr/bin/env node
// CLI entry: `pravah serve | users | keys | migrate`. Signal handlers are installed here, once.
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
