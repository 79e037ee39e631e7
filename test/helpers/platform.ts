// A whole platform on a fresh test database and a free port, with one admin user.
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.ts';
import { startPlatform, type Platform, type PlatformOptions } from '../../src/app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export function testEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    MASTER_KEYS: `test-1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    TOKEN_SIGNING_KEY: randomBytes(32).toString('base64'),
    DB_POOL_SIZE: '5',
    ...extra,
  };
}

export type TestPlatform = {
  url: string;
  platform: Platform;
  database: TestDatabase;
  config: Config;
  admin: { email: string; password: string };
  stop(): Promise<void>;
};

export async function startTestPlatform(options: { env?: Record<string, string>; platform?: PlatformOptions } = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const config = loadConfig(testEnv(database.url, options.env));
  const platform = await startPlatform(config, options.platform);
  const admin = { email: 'admin@test.pravah.in', password: 'correct horse battery staple' };
  await platform.users.create({ ...admin, name: 'Test Admin', role: 'admin' }, 'test');
  return {
    url: platform.url,
    platform,
    database,
    config,
    admin,
    async stop() {
      await platform.stop();
      await database.drop();
    },
  };
}
