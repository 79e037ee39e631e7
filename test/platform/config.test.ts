import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/platform/errors.ts';

const key = Buffer.alloc(32, 7).toString('base64');

test('an empty environment is the embedded mode with sensible defaults', () => {
  const config = loadConfig({});
  assert.equal(config.mode, 'embedded');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.dataDir, path.resolve('./data'));
  assert.deepEqual(config.roles, ['api', 'ingest', 'events', 'notify', 'scheduler']);
  assert.deepEqual(config.corsOrigins, []);
  assert.equal(config.masterKeys.length, 0);
});

test('event processing: concurrency defaults to the cores; lease, attempts, partitions and event size have defaults and bounds', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.eventConcurrency, os.availableParallelism());
  assert.deepEqual([defaults.eventLeaseMs, defaults.eventMaxAttempts, defaults.eventPartitions, defaults.eventMaxBytes], [5000, 5, 16, 16_384]);
  const set = loadConfig({ EVENT_CONCURRENCY: '12', EVENT_LEASE_MS: '2000', EVENT_MAX_ATTEMPTS: '3' });
  assert.deepEqual([set.eventConcurrency, set.eventLeaseMs, set.eventMaxAttempts], [12, 2000, 3]);
  assert.throws(() => loadConfig({ EVENT_CONCURRENCY: '0', EVENT_MAX_ATTEMPTS: '0' }), (e) => isAppError(e) && /EVENT_CONCURRENCY/.test(e.message) && /EVENT_MAX_ATTEMPTS/.test(e.message));
});

test('DATABASE_URL switches to distributed mode', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pravah', ROLES: 'api, notify' });
  assert.equal(config.mode, 'distributed');
  assert.deepEqual(config.roles, ['api', 'notify']);
});

test('REDIS_URL moves the cache to Redis under a key prefix; unset, it stays in-process', () => {
  const embedded = loadConfig({});
  assert.equal(embedded.redisUrl, undefined);
  assert.equal(embedded.redisKeyPrefix, 'pravah:');
  const shared = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pravah', REDIS_URL: ' rediss://:pw@cache:6380/2 ', REDIS_KEY_PREFIX: 'pravah-uat:' });
  assert.equal(shared.redisUrl, 'rediss://:pw@cache:6380/2');
  assert.equal(shared.redisKeyPrefix, 'pravah-uat:');
  assert.throws(() => loadConfig({ REDIS_URL: 'http://cache:6379' }), /REDIS_URL must use redis:\/\/ or rediss:\/\//);
  assert.throws(() => loadConfig({ REDIS_KEY_PREFIX: 'two words' }), /REDIS_KEY_PREFIX/);
  assert.throws(
    () => loadConfig({ REDIS_URL: 'redis://:s3cret@cache:99999' }),
    (e) => isAppError(e) && /REDIS_URL must be a URL/.test(e.message) && !e.message.includes('s3cret'),
  );
});

test('every bad variable is reported at once, secrets never echoed', () => {
  const secret = 'not-base64-secret-material';
  let error: unknown;
  try {
    loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', ROLES: 'api,cooking', DATABASE_URL: 'mysql://x', MASTER_KEYS: `k1:${secret}` });
  } catch (e) {
    error = e;
  }
  assert.ok(isAppError(error));
  assert.equal(error.code, 'CONFIG_INVALID');
  for (const name of ['PORT', 'LOG_LEVEL', 'ROLES', 'DATABASE_URL', 'MASTER_KEYS']) assert.match(error.message, new RegExp(`\\b${name}\\b`));
  assert.match(error.message, /cooking/);
  assert.ok(!error.message.includes(secret), 'key material must not appear in the message');
  assert.equal((error.details as string[]).length, 5);
});

test('env key material needs its companions and a valid active id', () => {
  assert.throws(() => loadConfig({ MASTER_KEYS: `k1:${key}` }), /BLIND_INDEX_KEY and TOKEN_SIGNING_KEY are required/);
  assert.throws(() => loadConfig({ BLIND_INDEX_KEY: key }), /need MASTER_KEYS/);
  assert.throws(() => loadConfig({ MASTER_KEYS: `k1:${key}`, BLIND_INDEX_KEY: key, TOKEN_SIGNING_KEY: key, ACTIVE_MASTER_KEY_ID: 'k9' }), /ACTIVE_MASTER_KEY_ID/);
  const config = loadConfig({ MASTER_KEYS: `k1:${key},k2:${key}`, BLIND_INDEX_KEY: key, TOKEN_SIGNING_KEY: key });
  assert.equal(config.activeMasterKeyId, 'k2', 'the last key is active by default');
  assert.throws(() => loadConfig({ MASTER_KEYS: `k1:${Buffer.alloc(16).toString('base64')}`, BLIND_INDEX_KEY: key, TOKEN_SIGNING_KEY: key }), /32 bytes/);
});

test('numbers are range-checked', () => {
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be between 0 and 65535/);
  assert.throws(() => loadConfig({ BODY_LIMIT_BYTES: '10' }), /BODY_LIMIT_BYTES/);
  assert.equal(loadConfig({ PORT: '0' }).port, 0);
});
