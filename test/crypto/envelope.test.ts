// Envelope encryption against the real database: binding to subject and field, tamper detection,
// crypto-shredding, master-key rotation (file and env key stores), and no plaintext at rest.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEnvelope, openAesGcm, rewrapDataKeys, sealAesGcm, type RewrapProgress } from '../../src/crypto/envelope.ts';
import { createEnvKeyStore, openFileKeyStore, type KeyStore } from '../../src/crypto/keystore.ts';
import { createBlindIndex } from '../../src/crypto/blind-index.ts';
import { createUserStore } from '../../src/auth/users.ts';
import { AppError } from '../../src/platform/errors.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const decryptionFailed = (error: unknown) => {
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
  assert.equal(error.code, 'DECRYPTION_FAILED');
  return true;
};

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pravah-envelope-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh database for one describe block (rotation rewraps every row, so blocks do not share). */
function useDatabase(): () => TestDatabase {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database?.drop();
  });
  return () => {
    assert.ok(database, 'database not created');
    return database;
  };
}

async function dataKeyRows(db: Db) {
  const { rows } = await db.query<{ subject: string; master_key_id: string; wrapped: Buffer | null; rewrapped_at: Date | null; destroyed_at: Date | null }>(
    'SELECT subject, master_key_id, wrapped, rewrapped_at, destroyed_at FROM data_keys ORDER BY subject',
  );
  return rows;
}

/** The raw data key of a subject, unwrapped the way the envelope does it (to look for it at rest). */
async function rawDataKey(db: Db, keys: KeyStore, subject: string): Promise<Buffer> {
  const row = (await dataKeyRows(db)).find((r) => r.subject === subject);
  assert.ok(row?.wrapped, `no live data key for ${subject}`);
  return openAesGcm(keys.masterKey(row.master_key_id), row.wrapped, `data-key|${subject}|${row.master_key_id}`);
}

describe('envelope', () => {
  const database = useDatabase();
  let keys: KeyStore;
  before(async () => {
    keys = await openFileKeyStore(path.join(dir, 'envelope', 'keys.json'));
  });

  test('round trip, with a fresh IV each time', async () => {
    const envelope = createEnvelope({ db: database().db, keys });
    for (const plaintext of ['ABCDE1234F', '', 'आशा वर्मा ✓', 'x'.repeat(10_000)]) {
      const sealed = await envelope.encrypt('client:1', 'name', plaintext);
      assert.equal(await envelope.decrypt('client:1', 'name', sealed), plaintext);
    }
    const a = await envelope.encrypt('client:1', 'pan', 'ABCDE1234F');
    const b = await envelope.encrypt('client:1', 'pan', 'ABCDE1234F');
    assert.notDeepEqual(a, b);
    assert.equal(a.length, 1 + 12 + 'ABCDE1234F'.length + 16);
    assert.equal(a[0], 1, 'version byte');
    const fresh = createEnvelope({ db: database().db, keys });
    assert.equal(await fresh.decrypt('client:1', 'pan', a), 'ABCDE1234F', 'a second instance reads the stored data key');
  });

  test('one data key per subject, created on first encrypt, also under concurrent first use', async () => {
    const envelopes = Array.from({ length: 5 }, () => createEnvelope({ db: database().db, keys }));
    const sealed = await Promise.all(envelopes.map((e, i) => e.encrypt('client:race', 'pan', `value ${i}`)));
    const rows = (await dataKeyRows(database().db)).filter((r) => r.subject === 'client:race');
    assert.equal(rows.length, 1);
    for (const [i, e] of envelopes.entries()) assert.equal(await e.decrypt('client:race', 'pan', sealed[(i + 1) % sealed.length]!), `value ${(i + 1) % sealed.length}`);
  });

  test('prepare() in batches from several processes at once: one key per subject, and every process holds that key', async () => {
    const envelopes = Array.from({ length: 4 }, () => createEnvelope({ db: database().db, keys }));
    const subjects = Array.from({ length: 300 }, (_, i) => `client:batch-${i}`);
    await envelopes[0]!.encrypt(subjects[7]!, 'pan', 'created before'); // an existing key is kept
    // Overlapping windows of the subjects, prepared concurrently: some keys are lost races.
    await Promise.all(envelopes.map((e, i) => e.prepare(subjects.slice(i * 50, i * 50 + 150))));
    const rows = (await dataKeyRows(database().db)).filter((r) => r.subject.startsWith('client:batch-'));
    assert.equal(rows.length, 300);
    for (const [i, e] of envelopes.entries()) {
      for (const subject of subjects.slice(i * 50, i * 50 + 150)) {
        const sealed = await e.encrypt(subject, 'pan', subject);
        const other = envelopes[(i + 1) % envelopes.length]!;
        assert.equal(await other.decrypt(subject, 'pan', sealed), subject, `${subject}: the processes agree on its key`);
      }
    }
  });

  test('the associated data binds subject and field', async () => {
    const envelope = createEnvelope({ db: database().db, keys });
    const sealed = await envelope.encrypt('client:2', 'pan', 'ABCDE1234F');
    await envelope.encrypt('client:3', 'pan', 'other'); // client:3 has a data key of its own
    await assert.rejects(envelope.decrypt('client:3', 'pan', sealed), decryptionFailed);
    await assert.rejects(envelope.decrypt('client:2', 'mobile', sealed), decryptionFailed);
    await assert.rejects(envelope.decrypt('client:never', 'pan', sealed), decryptionFailed);
    assert.equal(await envelope.decrypt('client:2', 'pan', sealed), 'ABCDE1234F');

    // Under one and the same key, only the associated data differs: it alone must make this fail.
    const key = randomBytes(32);
    const low = sealAesGcm(key, Buffer.from('ABCDE1234F'), 'client:2|pan');
    assert.throws(() => openAesGcm(key, low, 'client:3|pan'), decryptionFailed);
    assert.throws(() => openAesGcm(key, low, 'client:2|mobile'), decryptionFailed);
    assert.deepEqual(openAesGcm(key, low, 'client:2|pan'), Buffer.from('ABCDE1234F'));
  });

  test('any flipped bit or truncation fails authentication', async () => {
    const envelope = createEnvelope({ db: database().db, keys });
    const sealed = await envelope.encrypt('client:4', 'email', 'asha@example.in');
    for (let i = 0; i < sealed.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const tampered = Buffer.from(sealed);
        tampered[i]! ^= bit;
        await assert.rejects(envelope.decrypt('client:4', 'email', tampered), decryptionFailed, `byte ${i} bit ${bit}`);
      }
    }
    for (const length of [0, 1, 28, sealed.length - 1]) {
      await assert.rejects(envelope.decrypt('client:4', 'email', sealed.subarray(0, length)), decryptionFailed, `truncated to ${length}`);
    }
    assert.equal(await envelope.decrypt('client:4', 'email', sealed), 'asha@example.in');
  });

  test('destroy() makes the subject unreadable everywhere and refuses further encryption', async () => {
    const db = database().db;
    const envelope = createEnvelope({ db, keys });
    const other = createEnvelope({ db, keys });
    const sealed = await envelope.encrypt('client:5', 'name', 'Asha Verma');
    const kept = await envelope.encrypt('client:6', 'name', 'Ravi Kumar');
    await envelope.destroy('client:5');
    await assert.rejects(envelope.decrypt('client:5', 'name', sealed), decryptionFailed);
    await assert.rejects(other.decrypt('client:5', 'name', sealed), decryptionFailed);
    await assert.rejects(envelope.encrypt('client:5', 'name', 'new value'), decryptionFailed);
    assert.equal(await envelope.decrypt('client:6', 'name', kept), 'Ravi Kumar', 'other subjects are untouched');
    const row = (await dataKeyRows(db)).find((r) => r.subject === 'client:5');
    assert.equal(row?.wrapped, null);
    assert.ok(row?.destroyed_at instanceof Date);

    await envelope.destroy('client:5'); // idempotent
    await envelope.destroy('client:never-written'); // erasure before any data: later writes refuse
    await assert.rejects(envelope.encrypt('client:never-written', 'name', 'x'), decryptionFailed);
  });
});

describe('master-key rotation with the file key store', () => {
  const database = useDatabase();

  test('rewrapDataKeys moves every data key to the new master key; old ciphertext still reads', async () => {
    const db = database().db;
    const file = path.join(dir, 'rotation', 'keys.json');
    const keys = await openFileKeyStore(file);
    const oldId = keys.activeMasterKeyId();
    const envelope = createEnvelope({ db, keys });
    const values = new Map<string, Buffer>();
    for (let i = 0; i < 7; i++) values.set(`client:${i}`, await envelope.encrypt(`client:${i}`, 'pan', `PAN${i}`));
    await envelope.destroy('client:erased');

    const newId = await keys.addMasterKey();
    assert.notEqual(newId, oldId);
    const progress: RewrapProgress[] = [];
    assert.equal(await rewrapDataKeys({ db, keys, batchSize: 3, onProgress: (p) => progress.push(p) }), 7);
    assert.deepEqual(progress, [
      { rewrapped: 3, remaining: 4 },
      { rewrapped: 6, remaining: 1 },
      { rewrapped: 7, remaining: 0 },
    ]);

    const rows = await dataKeyRows(db);
    for (const row of rows.filter((r) => r.subject !== 'client:erased')) {
      assert.equal(row.master_key_id, newId, row.subject);
      assert.ok(row.rewrapped_at instanceof Date, row.subject);
    }
    const erased = rows.find((r) => r.subject === 'client:erased');
    assert.equal(erased?.wrapped, null, 'an erased subject stays erased');

    // A store that holds only the new master key proves nothing still needs the old one.
    const data = JSON.parse(await readFile(file, 'utf8')) as { masterKeys: Array<{ id: string; key: string }>; blindIndexKey: string; tokenSigningKey: string };
    const newKey = data.masterKeys.find((k) => k.id === newId);
    assert.ok(newKey);
    const onlyNew = createEnvKeyStore({ masterKeys: [{ id: newId, key: Buffer.from(newKey.key, 'base64') }], activeId: newId, blindIndexKey: randomBytes(32), tokenSigningKey: randomBytes(32) });
    for (const store of [await openFileKeyStore(file), onlyNew]) {
      const fresh = createEnvelope({ db, keys: store }); // empty cache: unwraps from the table
      for (const [subject, sealed] of values) assert.equal(await fresh.decrypt(subject, 'pan', sealed), `PAN${subject.slice('client:'.length)}`);
    }

    assert.equal(await rewrapDataKeys({ db, keys }), 0, 'a second run has nothing to do');
    const again = await dataKeyRows(db);
    assert.deepEqual(
      again.map((r) => [r.subject, r.wrapped?.toString('hex')]),
      rows.map((r) => [r.subject, r.wrapped?.toString('hex')]),
    );
  });
});

describe('master-key rotation with the env key store', () => {
  const database = useDatabase();

  test('adding a key to MASTER_KEYS and making it active, then rewrapping, retires the old key', async () => {
    const db = database().db;
    const k1 = { id: 'k1', key: randomBytes(32) };
    const k2 = { id: 'k2', key: randomBytes(32) };
    const common = { blindIndexKey: randomBytes(32), tokenSigningKey: randomBytes(32) };
    const original = createEnvKeyStore({ masterKeys: [k1], activeId: 'k1', ...common });
    const both = createEnvKeyStore({ masterKeys: [k1, k2], activeId: 'k2', ...common });
    const onlyK2 = createEnvKeyStore({ masterKeys: [k2], activeId: 'k2', ...common });

    const envelope = createEnvelope({ db, keys: original });
    const sealed = await Promise.all(['a', 'b', 'c'].map((s) => envelope.encrypt(`user:${s}`, 'email', `${s}@example.in`)));
    await assert.rejects(createEnvelope({ db, keys: onlyK2 }).decrypt('user:a', 'email', sealed[0]!), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'KEY_UNAVAILABLE');
      return true;
    });

    assert.equal(await rewrapDataKeys({ db, keys: both }), 3);
    assert.deepEqual(new Set((await dataKeyRows(db)).map((r) => r.master_key_id)), new Set(['k2']));
    const fresh = createEnvelope({ db, keys: onlyK2 });
    for (const [i, s] of ['a', 'b', 'c'].entries()) assert.equal(await fresh.decrypt(`user:${s}`, 'email', sealed[i]!), `${s}@example.in`);
    assert.equal(await rewrapDataKeys({ db, keys: both }), 0);
  });
});

describe('no plaintext at rest', () => {
  const database = useDatabase();

  test('data_keys and users hold neither the personal data nor the raw data key', async () => {
    const db = database().db;
    const keys = await openFileKeyStore(path.join(dir, 'at-rest', 'keys.json'));
    const envelope = createEnvelope({ db, keys });
    const users = createUserStore({ db, envelope, blindIndex: createBlindIndex(keys) });
    const email = 'asha.verma@example.in';
    const name = 'Asha Verma';
    const user = await users.create({ email, name, role: 'ops', password: 'correct horse battery staple' }, 'test');
    assert.equal(user.email, email);
    assert.equal(user.name, name);

    const subject = `user:${user.id}`;
    const secrets: Array<[string, Buffer]> = [
      ['email', Buffer.from(email)],
      ['email local part', Buffer.from('asha.verma')],
      ['name', Buffer.from(name)],
      ['data key', await rawDataKey(db, keys, subject)],
      ['master key', keys.masterKey(keys.activeMasterKeyId())],
    ];

    const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name IN ('data_keys', 'users') AND data_type IN ('bytea', 'text')
        ORDER BY table_name, ordinal_position`,
    );
    const scanned = columns.map((c) => `${c.table_name}.${c.column_name}`);
    for (const expected of ['data_keys.wrapped', 'users.email_enc', 'users.name_enc', 'users.email_bidx', 'users.email_masked']) assert.ok(scanned.includes(expected), expected);

    let cells = 0;
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await db.query<{ v: Buffer | string | null }>(`SELECT "${column}" AS v FROM "${table}"`);
      for (const { v } of rows) {
        if (v === null) continue;
        cells++;
        const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
        for (const [what, secret] of secrets) assert.ok(!bytes.includes(secret), `${table}.${column} holds the ${what}`);
      }
    }
    assert.ok(cells >= 8, `scanned ${cells} cells`);
  });
});
