// Encryption core: field encryption through the envelope (warm and cold data keys) against raw
// AES-256-GCM with a fixed key, blind indexes, and the argon2id cost of one sign-in.
// `npm run bench -- crypto [--records N]`; needs the local PostgreSQL (or DATABASE_URL).
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openFileKeyStore } from '../src/crypto/keystore.ts';
import { createEnvelope } from '../src/crypto/envelope.ts';
import { createBlindIndex } from '../src/crypto/blind-index.ts';
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts';
import { createScratchDatabase, option } from './support.ts';

const fields = ['pan', 'name', 'mobile', 'email', 'dob', 'address', 'bankAccount', 'ifsc', 'nominee', 'fatherName'];

function rate(count: number, ms: number) {
  return Math.round((count / ms) * 1000);
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const records = option(args, '--records', 2000);
  const scratch = await createScratchDatabase();
  const db = createDb(scratch.url, { max: 4 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-bench-'));
  try {
    await migrate(db);
    const keys = await openFileKeyStore(path.join(dir, 'keys.json'));
    const value = 'A sample personal value of 40 characters.';
    const subjects = Array.from({ length: records }, (_, i) => `client:BENCH${i}`);

    // Baseline: raw AES-256-GCM under one fixed key, same plaintext, same number of fields.
    const fixed = randomBytes(32);
    let t = performance.now();
    for (let i = 0; i < records; i++) {
      for (const _f of fields) {
        const c = createCipheriv('aes-256-gcm', fixed, randomBytes(12));
        Buffer.concat([c.update(value), c.final(), c.getAuthTag()]);
      }
    }
    const rawMs = performance.now() - t;
    console.error(`raw AES-GCM: ${rate(records * fields.length, rawMs)} fields/s`);

    // Cold: every record a new client, so a data key is created, wrapped and stored.
    const envelope = createEnvelope({ db, keys, cacheSize: records * 2 });
    t = performance.now();
    for (const s of subjects) for (const f of fields) await envelope.encrypt(s, f, value);
    const coldMs = performance.now() - t;
    console.error(`envelope, new clients: ${rate(records, coldMs)} records/s`);

    // Batched: new clients' keys created with prepare() (what ingestion does per batch).
    const batched = createEnvelope({ db, keys, cacheSize: records * 2 });
    const batchSubjects = subjects.map((s) => `${s}:b`);
    t = performance.now();
    for (let i = 0; i < batchSubjects.length; i += 500) {
      const batch = batchSubjects.slice(i, i + 500);
      await batched.prepare(batch);
      for (const s of batch) for (const f of fields) await batched.encrypt(s, f, value);
    }
    const batchedMs = performance.now() - t;
    console.error(`envelope, new clients, prepare() per 500: ${rate(records, batchedMs)} records/s`);

    // Warm: data keys cached (the steady state of an ingest run over known clients).
    t = performance.now();
    const sealed: Buffer[] = [];
    for (const s of subjects) for (const f of fields) sealed.push(await envelope.encrypt(s, f, value));
    const warmMs = performance.now() - t;
    console.error(`envelope, cached keys: ${rate(records * fields.length, warmMs)} fields/s`);

    // Decrypt with an empty cache: each client's key is read and unwrapped once.
    const fresh = createEnvelope({ db, keys, cacheSize: records * 2 });
    t = performance.now();
    let k = 0;
    for (const s of subjects) for (const f of fields) await fresh.decrypt(s, f, sealed[k++]!);
    const decryptColdMs = performance.now() - t;
    console.error(`decrypt, keys unwrapped from the table: ${rate(records, decryptColdMs)} records/s`);

    const blind = createBlindIndex(keys);
    t = performance.now();
    for (let i = 0; i < records * 4; i++) blind('client.pan', `ABCPE${String(i).padStart(4, '0')}F`);
    const blindMs = performance.now() - t;

    const hash = await hashPassword('a-bench-password-123');
    t = performance.now();
    for (let i = 0; i < 5; i++) await verifyPassword(hash, 'a-bench-password-123');
    const argonMs = (performance.now() - t) / 5;
    console.error(`argon2id verify: ${argonMs.toFixed(1)} ms`);

    return {
      records,
      fieldsPerRecord: fields.length,
      rawAesGcmFieldsPerSec: rate(records * fields.length, rawMs),
      envelopeWarmFieldsPerSec: rate(records * fields.length, warmMs),
      envelopeWarmVsRaw: Number((rawMs / warmMs).toFixed(2)),
      envelopeNewClientRecordsPerSec: rate(records, coldMs),
      envelopeNewClientBatchedRecordsPerSec: rate(records, batchedMs),
      batchedVsPerClient: Number((coldMs / batchedMs).toFixed(1)),
      decryptColdRecordsPerSec: rate(records, decryptColdMs),
      blindIndexPerSec: rate(records * 4, blindMs),
      argon2idVerifyMs: Number(argonMs.toFixed(1)),
    };
  } finally {
    await db.close();
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
