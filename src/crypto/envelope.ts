// Envelope encryption: each subject (a client, a user) has its own AES-256-GCM data key, stored
// only wrapped by a master key with an id. Rotating master keys re-wraps data keys; destroying a
// subject's data key makes all its ciphertext unreadable (crypto-shredding).
//
// Ciphertext layout: 0x01 | iv(12) | ciphertext | tag(16); the associated data binds it to the
// subject and the field, so a value copied to another client or column fails to decrypt.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, randomFillSync, type KeyObject } from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import { prepared, type Db } from '../store/db.ts';
import type { KeyStore } from './keystore.ts';

const VERSION = 1;
const IV = 12;
const TAG = 16;

// IVs come from a pool refilled from the CSPRNG: one system call per 4,096 IVs instead of one each.
// Every IV is used once (GCM's requirement); the pool is never reused after a refill.
const ivPool = Buffer.alloc(IV * 4096);
let ivOffset = ivPool.length;
function nextIv(): Buffer {
  if (ivOffset >= ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  ivOffset += IV;
  return ivPool.subarray(ivOffset - IV, ivOffset);
}

/** Keys may be KeyObjects: building one per call is the main cost of small AES-GCM operations. */
export type AesKey = Buffer | KeyObject;

export function sealAesGcm(key: AesKey, plaintext: Uint8Array, aad: string): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]);
}

export function openAesGcm(key: AesKey, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 1 + IV + TAG || sealed[0] !== VERSION) throw new AppError('DECRYPTION_FAILED', 'ciphertext has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV, sealed.length - TAG)), decipher.final()]);
  } catch (error) {
    throw new AppError('DECRYPTION_FAILED', 'ciphertext failed authentication', { cause: error });
  }
}

export type Envelope = {
  /** Encrypts `plaintext` (text, or its UTF-8 bytes) for `subject`; `field` names the column (bound as associated data). */
  encrypt(subject: string, field: string, plaintext: string | Uint8Array): Promise<Buffer>;
  decrypt(subject: string, field: string, ciphertext: Buffer): Promise<string>;
  /**
   * Loads (creating where missing) the data keys of many subjects in two queries (a third reads
   * the keys another process created first), so a batch of new clients costs one round trip set,
   * not three per client. Keys it creates are committed at once, before the caller's own
   * transaction: a key without data is harmless, data without its key would be lost. Destroyed
   * subjects are skipped.
   */
  prepare(subjects: readonly string[]): Promise<void>;
  /** Erasure: destroys the subject's data key; its ciphertext can never be read again. */
  destroy(subject: string): Promise<void>;
};

type Row = { master_key_id: string; wrapped: Buffer | null };

const wrapAad = (subject: string, masterKeyId: string) => `data-key|${subject}|${masterKeyId}`;

export function createEnvelope(deps: { db: Db; keys: KeyStore; cacheSize?: number }): Envelope {
  const { db, keys } = deps;
  const cacheSize = deps.cacheSize ?? 10_000;
  const cache = new Map<string, KeyObject>(); // insertion-ordered: a cheap LRU

  function remember(subject: string, key: KeyObject): KeyObject {
    cache.delete(subject);
    cache.set(subject, key);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return key;
  }

  async function dataKey(subject: string, create: boolean): Promise<KeyObject> {
    const cached = cache.get(subject);
    if (cached) return remember(subject, cached);
    let { rows } = await db.query<Row>(prepared('SELECT master_key_id, wrapped FROM data_keys WHERE subject = $1'), [subject]);
    if (!rows[0] && create) {
      const masterKeyId = keys.activeMasterKeyId();
      const wrapped = sealAesGcm(keys.masterKey(masterKeyId), randomBytes(32), wrapAad(subject, masterKeyId));
      await db.query('INSERT INTO data_keys (subject, master_key_id, wrapped) VALUES ($1, $2, $3) ON CONFLICT (subject) DO NOTHING', [subject, masterKeyId, wrapped]);
      ({ rows } = await db.query<Row>(prepared('SELECT master_key_id, wrapped FROM data_keys WHERE subject = $1'), [subject]));
    }
    const row = rows[0];
    if (!row) throw new AppError('DECRYPTION_FAILED', 'no data key exists for this subject');
    if (!row.wrapped) throw new AppError('DECRYPTION_FAILED', 'the data key of this subject was destroyed (erased)');
    return remember(subject, createSecretKey(openAesGcm(keys.masterKey(row.master_key_id), row.wrapped, wrapAad(subject, row.master_key_id))));
  }

  async function loadMany(subjects: string[]): Promise<Array<{ subject: string } & Row>> {
    const { rows } = await db.query<{ subject: string } & Row>(prepared('SELECT subject, master_key_id, wrapped FROM data_keys WHERE subject = ANY($1::text[])'), [subjects]);
    return rows;
  }

  return {
    async prepare(subjects) {
      const wanted = [...new Set(subjects)].filter((s) => !cache.has(s));
      if (!wanted.length) return;
      const rows = await loadMany(wanted);
      const found = new Set(rows.map((r) => r.subject));
      const missing = wanted.filter((s) => !found.has(s));
      if (missing.length) {
        const masterKeyId = keys.activeMasterKeyId();
        const master = createSecretKey(keys.masterKey(masterKeyId));
        const fresh = randomBytes(32 * missing.length); // one CSPRNG call for the whole batch
        const raw = missing.map((_s, i) => fresh.subarray(32 * i, 32 * i + 32));
        const wrapped = missing.map((s, i) => sealAesGcm(master, raw[i]!, wrapAad(s, masterKeyId)));
        const inserted = await db.query<{ subject: string }>(
          'INSERT INTO data_keys (subject, master_key_id, wrapped) SELECT s, $2, w FROM unnest($1::text[], $3::bytea[]) AS t(s, w) ON CONFLICT (subject) DO NOTHING RETURNING subject',
          [missing, masterKeyId, wrapped],
        );
        // Ours are committed: keep them as they are. A concurrent creator's key won elsewhere: read it.
        const ours = new Set(inserted.rows.map((r) => r.subject));
        missing.forEach((s, i) => ours.has(s) && remember(s, createSecretKey(raw[i]!)));
        const lost = missing.filter((s) => !ours.has(s));
        if (lost.length) rows.push(...(await loadMany(lost)));
      }
      const masters = new Map<string, KeyObject>();
      for (const row of rows) {
        if (!row.wrapped) continue;
        let master = masters.get(row.master_key_id);
        if (!master) masters.set(row.master_key_id, (master = createSecretKey(keys.masterKey(row.master_key_id))));
        remember(row.subject, createSecretKey(openAesGcm(master, row.wrapped, wrapAad(row.subject, row.master_key_id))));
      }
    },
    async encrypt(subject, field, plaintext) {
      return sealAesGcm(await dataKey(subject, true), typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext, `${subject}|${field}`);
    },
    async decrypt(subject, field, ciphertext) {
      return openAesGcm(await dataKey(subject, false), ciphertext, `${subject}|${field}`).toString('utf8');
    },
    async destroy(subject) {
      cache.delete(subject);
      await db.query(
        `INSERT INTO data_keys (subject, master_key_id, wrapped, destroyed_at) VALUES ($1, '-', NULL, now())
         ON CONFLICT (subject) DO UPDATE SET wrapped = NULL, destroyed_at = now()`,
        [subject],
      );
    },
  };
}

export type RewrapProgress = { rewrapped: number; remaining: number };

/**
 * Re-wraps every data key not under the active master key, in batches, while the platform runs
 * (rows are claimed with SKIP LOCKED, so several runs can share the work). Returns the count.
 */
export async function rewrapDataKeys(deps: { db: Db; keys: KeyStore; batchSize?: number; onProgress?: (p: RewrapProgress) => void }): Promise<number> {
  const { db, keys } = deps;
  const active = keys.activeMasterKeyId();
  const activeKey = keys.masterKey(active);
  let total = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ subject: string; master_key_id: string; wrapped: Buffer }>(
        `SELECT subject, master_key_id, wrapped FROM data_keys
          WHERE master_key_id <> $1 AND wrapped IS NOT NULL
          ORDER BY subject LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [active, deps.batchSize ?? 500],
      );
      for (const row of rows) {
        const key = openAesGcm(keys.masterKey(row.master_key_id), row.wrapped, wrapAad(row.subject, row.master_key_id));
        await tx.query('UPDATE data_keys SET master_key_id = $2, wrapped = $3, rewrapped_at = now() WHERE subject = $1', [
          row.subject,
          active,
          sealAesGcm(activeKey, key, wrapAad(row.subject, active)),
        ]);
      }
      return rows.length;
    });
    total += done;
    if (done === 0) break;
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM data_keys WHERE master_key_id <> $1 AND wrapped IS NOT NULL', [active]);
    deps.onProgress?.({ rewrapped: total, remaining: Number(rows[0]?.n ?? 0) });
  }
  return total;
}
