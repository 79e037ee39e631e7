// The embedded key file: created private, stable across restarts, refused when readable by others,
// and shared live between a running app and the CLI that rotates it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEnvKeyStore, openFileKeyStore } from '../../src/crypto/keystore.ts';
import { AppError } from '../../src/platform/errors.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pravah-keystore-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fileIn = (name: string) => path.join(dir, name, 'keys.json');
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const isKeyUnavailable = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
  assert.equal(error.code, 'KEY_UNAVAILABLE');
  assert.match(error.message, pattern);
  return true;
};

describe('file key store', () => {
  test('creates the key file (and its folder) with mode 0600 and 32-byte, distinct keys', async () => {
    const file = fileIn('create');
    const keys = await openFileKeyStore(file, () => new Date('2026-03-04T05:06:07Z'));
    assert.equal(await modeOf(file), 0o600);
    const id = keys.activeMasterKeyId();
    assert.match(id, /^mk-20260304-[0-9a-f]{6}$/);
    assert.deepEqual(keys.masterKeyIds(), [id]);
    const material = [keys.masterKey(id), keys.blindIndexKey(), keys.tokenSigningKey()];
    for (const key of material) assert.equal(key.length, 32);
    assert.equal(new Set(material.map((k) => k.toString('hex'))).size, 3, 'master, blind-index and signing keys differ');
  });

  test('reopening the file gives the same keys', async () => {
    const file = fileIn('reopen');
    const first = await openFileKeyStore(file);
    const second = await openFileKeyStore(file);
    assert.equal(second.activeMasterKeyId(), first.activeMasterKeyId());
    assert.deepEqual(second.masterKeyIds(), first.masterKeyIds());
    assert.deepEqual(second.masterKey(second.activeMasterKeyId()), first.masterKey(first.activeMasterKeyId()));
    assert.deepEqual(second.blindIndexKey(), first.blindIndexKey());
    assert.deepEqual(second.tokenSigningKey(), first.tokenSigningKey());
  });

  test('a key file readable by group or others is refused with a message that says how to fix it', async () => {
    const file = fileIn('loose');
    await openFileKeyStore(file);
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(file, mode);
      await assert.rejects(openFileKeyStore(file), (error: unknown) => {
        isKeyUnavailable(/must not be readable by group or others \(chmod 600\)/)(error);
        assert.ok((error as Error).message.includes(file), 'the message names the file');
        return true;
      });
    }
    await chmod(file, 0o600);
    await openFileKeyStore(file);
  });

  test('a file that is not a key file is refused', async () => {
    const file = fileIn('garbage');
    await openFileKeyStore(file);
    const data = JSON.parse(await readFile(file, 'utf8')) as { active: string };
    data.active = 'mk-missing';
    await writeFile(file, JSON.stringify(data), { mode: 0o600 });
    await assert.rejects(openFileKeyStore(file), /is not a valid Pravah key file/);
  });

  test('addMasterKey makes a new key active, keeps the old ones and the file private', async () => {
    const file = fileIn('add');
    const keys = await openFileKeyStore(file);
    const oldId = keys.activeMasterKeyId();
    const oldKey = Buffer.from(keys.masterKey(oldId));
    const blind = Buffer.from(keys.blindIndexKey());
    const newId = await keys.addMasterKey();
    assert.notEqual(newId, oldId);
    assert.equal(keys.activeMasterKeyId(), newId);
    assert.deepEqual(new Set(keys.masterKeyIds()), new Set([oldId, newId]));
    assert.deepEqual(keys.masterKey(oldId), oldKey);
    assert.notDeepEqual(keys.masterKey(newId), oldKey);
    assert.deepEqual(keys.blindIndexKey(), blind, 'rotation leaves the blind-index key alone');
    assert.equal(await modeOf(file), 0o600);
  });

  test('a second store over the same file sees a key the first one added (CLI rotation beside a running app)', async () => {
    const file = fileIn('shared');
    const app = await openFileKeyStore(file);
    const cli = await openFileKeyStore(file);
    const oldId = app.activeMasterKeyId();
    app.masterKey(oldId); // the app has read its material before the rotation
    const newId = await cli.addMasterKey();
    assert.deepEqual(app.masterKey(newId), cli.masterKey(newId), 'an unknown id makes the store re-read its file');
    assert.equal(app.activeMasterKeyId(), newId);
    assert.deepEqual(app.masterKey(oldId), cli.masterKey(oldId));
  });

  test('an unknown master key id is KEY_UNAVAILABLE', async () => {
    const keys = await openFileKeyStore(fileIn('unknown'));
    assert.throws(() => keys.masterKey('mk-nope'), isKeyUnavailable(/mk-nope/));
  });
});

describe('env key store', () => {
  test('serves the configured keys and cannot add one (rotation goes through MASTER_KEYS)', async () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const keys = createEnvKeyStore({
      masterKeys: [{ id: 'k1', key: k1 }, { id: 'k2', key: k2 }],
      activeId: 'k2',
      blindIndexKey: Buffer.alloc(32, 3),
      tokenSigningKey: Buffer.alloc(32, 4),
    });
    assert.equal(keys.activeMasterKeyId(), 'k2');
    assert.deepEqual(keys.masterKeyIds(), ['k1', 'k2']);
    assert.deepEqual(keys.masterKey('k1'), k1);
    assert.throws(() => keys.masterKey('k3'), isKeyUnavailable(/k3/));
    await assert.rejects(keys.addMasterKey(), isKeyUnavailable(/MASTER_KEYS/));
  });
});
