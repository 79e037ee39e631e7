// Migrations on empty databases: all applied once, safe to run concurrently, changed or failing
// migrations refused without leaving a trace, and the readiness check.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../src/store/db.ts';
import { isMigrated, listMigrations, migrate, type Migration } from '../../src/store/migrate.ts';
import { serverUrl } from '../helpers/db.ts';

const created: string[] = [];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database (no template clone: nothing migrated); dropped after the file. */
async function createEmptyDatabase(): Promise<{ url: string; db: Db }> {
  const name = `pravah_migrate_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 2 });
  dbs.push(db);
  return { url: url.toString(), db };
}
const dbs: Db[] = [];

after(async () => {
  await Promise.all(dbs.map((db) => db.close()));
  for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

function migration(version: string, name: string, sql: string): Migration {
  return { version, name, file: `test/${version}_${name}.sql`, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

async function recorded(db: Db): Promise<Array<{ version: string; name: string; checksum: string }>> {
  const { rows } = await db.query<{ version: string; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  return rows;
}

async function tableExists(db: Db, table: string): Promise<boolean> {
  const { rows } = await db.query<{ oid: string | null }>('SELECT to_regclass($1)::text AS oid', [table]);
  return rows[0]?.oid !== null;
}

describe('migrate', async () => {
  const all = await listMigrations();

  test('the repository has migrations, in version order, with unique versions', () => {
    assert.ok(all.length >= 2);
    const versions = all.map((m) => m.version);
    assert.deepEqual(versions, [...new Set(versions)].sort());
  });

  test('applies every migration to an empty database, then none on a second run', async () => {
    const { db } = await createEmptyDatabase();
    assert.deepEqual(await migrate(db, all), all.map((m) => m.version));
    assert.deepEqual(await recorded(db), all.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));
    for (const table of ['data_keys', 'users', 'audit_log']) assert.ok(await tableExists(db, table), table);
    assert.deepEqual(await migrate(db, all), []);
    assert.deepEqual(await migrate(db), [], 'the default list is the same set of files');
    assert.equal((await recorded(db)).length, all.length);
  });

  test('two concurrent runs on an empty database both succeed and record each migration once', async () => {
    const { url, db } = await createEmptyDatabase();
    const second = createDb(url, { max: 2 }); // another process, as far as the server can tell
    dbs.push(second);
    const [a, b] = await Promise.all([migrate(db, all), migrate(second, all)]);
    assert.deepEqual([...a, ...b].sort(), all.map((m) => m.version), 'each migration applied by exactly one run');
    assert.deepEqual((await recorded(db)).map((r) => r.version), all.map((m) => m.version));
    assert.equal(await isMigrated(db, all), true);
  });

  test('a migration changed after it was applied is refused, naming it', async () => {
    const { db } = await createEmptyDatabase();
    await migrate(db, all);
    const first = all[0]!;
    const changed = [migration(first.version, first.name, `${first.sql}\n-- edited\n`), ...all.slice(1)];
    await assert.rejects(migrate(db, changed), (error: Error) => {
      assert.match(error.message, new RegExp(`migration ${first.version}_${first.name} changed after it was applied`));
      return true;
    });
    assert.deepEqual((await recorded(db)).map((r) => r.checksum), all.map((m) => m.checksum), 'the record is unchanged');
  });

  test('a failing migration rolls back, is not recorded, and earlier ones in the run stay applied', async () => {
    const { db } = await createEmptyDatabase();
    const good = migration('9001', 'probe_good', 'CREATE TABLE probe_good (id int)');
    const bad = migration('9002', 'probe_bad', 'CREATE TABLE probe_bad (id int); INSERT INTO probe_bad VALUES (1); SELECT 1 / 0;');
    await assert.rejects(migrate(db, [...all, good, bad]), (error: Error) => {
      assert.match(error.message, /^migration 9002_probe_bad failed: division by zero/);
      return true;
    });
    assert.equal(await tableExists(db, 'probe_bad'), false, 'the failed migration left no table');
    assert.equal(await tableExists(db, 'probe_good'), true);
    const versions = (await recorded(db)).map((r) => r.version);
    assert.ok(versions.includes('9001'));
    assert.ok(!versions.includes('9002'));

    // The lock was released and the fixed migration applies on the next run.
    const fixed = migration('9002', 'probe_bad', 'CREATE TABLE probe_bad (id int)');
    assert.deepEqual(await migrate(db, [...all, good, fixed]), ['9002']);
    assert.equal(await tableExists(db, 'probe_bad'), true);
  });

  test('isMigrated is true only when every given migration is recorded', async () => {
    const { db } = await createEmptyDatabase();
    await migrate(db, all.slice(0, 1));
    assert.equal(await isMigrated(db, all), false);
    assert.equal(await isMigrated(db, all.slice(0, 1)), true);
    await migrate(db, all);
    assert.equal(await isMigrated(db, all), true);
    assert.equal(await isMigrated(db, [...all, migration('9999', 'later', 'SELECT 1')]), false, 'a new release with a pending migration');
  });

  test('isMigrated is false (not an error) on a database never migrated', async () => {
    const { db } = await createEmptyDatabase();
    assert.equal(await isMigrated(db, all), false);
  });
});
