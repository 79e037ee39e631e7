// Opens the store the configuration asks for: the PostgreSQL server at DATABASE_URL, or the
// embedded one under DATA_DIR. Migrations are applied on open.
import type { Config } from '../config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Component } from '../platform/lifecycle.ts';
import { createDb, type Db } from './db.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { listMigrations, migrate, type Migration } from './migrate.ts';

export type Store = Component & { db: Db; migrations: Migration[]; embedded: EmbeddedPostgres | undefined };

/**
 * `adopt`: take ownership of an embedded server found running (the serve role, which holds the
 * data-directory lock). CLI commands attach without adopting.
 */
export function createStore(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>, log: Logger, options: { adopt: boolean; applicationName?: string }): Store {
  let db: Db | undefined;
  let embedded: EmbeddedPostgres | undefined;
  let migrations: Migration[] = [];
  return {
    name: 'store',
    get db() {
      if (!db) throw new Error('store not started');
      return db;
    },
    get migrations() {
      return migrations;
    },
    get embedded() {
      return embedded;
    },
    async start() {
      let url = config.databaseUrl;
      if (!url) {
        embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log, adopt: options.adopt });
        url = embedded.url;
      }
      db = createDb(url, { max: config.dbPoolSize, applicationName: options.applicationName ?? 'pravah' });
      migrations = await listMigrations();
      const applied = await migrate(db, migrations);
      if (applied.length) log.info({ applied }, 'migrations applied');
    },
    async stop() {
      await db?.close();
      await embedded?.stop();
    },
  };
}
