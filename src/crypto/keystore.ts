// Master keys by id, a blind-index key and a token-signing key. Two sources: base64 material from
// the environment (distributed mode) or a local key file created 0600 on first start (embedded).
// The file store re-reads its file when it changes, so `pravah keys rotate` run beside a live app
// is picked up without a restart.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../platform/errors.ts';

export type KeyStore = {
  /** Id of the master key that wraps new data keys. */
  activeMasterKeyId(): string;
  /** The master key with this id; KEY_UNAVAILABLE when unknown. */
  masterKey(id: string): Buffer;
  masterKeyIds(): string[];
  blindIndexKey(): Buffer;
  tokenSigningKey(): Buffer;
  /** Adds a fresh master key and makes it active (file store only); returns its id. */
  addMasterKey(): Promise<string>;
};

type KeyFile = {
  version: 1;
  active: string;
  masterKeys: Array<{ id: string; key: string; createdAt: string }>;
  blindIndexKey: string;
  tokenSigningKey: string;
};

type Material = { active: string; masterKeys: Map<string, Buffer>; blindIndexKey: Buffer; tokenSigningKey: Buffer };

function newKeyId(now: Date): string {
  return `mk-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

/** Key material from configuration (MASTER_KEYS, BLIND_INDEX_KEY, TOKEN_SIGNING_KEY). */
export function createEnvKeyStore(input: { masterKeys: Array<{ id: string; key: Buffer }>; activeId: string; blindIndexKey: Buffer; tokenSigningKey: Buffer }): KeyStore {
  const keys = new Map(input.masterKeys.map((k) => [k.id, k.key]));
  return {
    activeMasterKeyId: () => input.activeId,
    masterKey(id) {
      const key = keys.get(id);
      if (!key) throw new AppError('KEY_UNAVAILABLE', `master key ${id} is not configured in MASTER_KEYS`);
      return key;
    },
    masterKeyIds: () => [...keys.keys()],
    blindIndexKey: () => input.blindIndexKey,
    tokenSigningKey: () => input.tokenSigningKey,
    addMasterKey: () =>
      Promise.reject(new AppError('KEY_UNAVAILABLE', 'keys come from MASTER_KEYS: add the new key there, make it ACTIVE_MASTER_KEY_ID, restart, then run `pravah keys rotate`')),
  };
}

function parseKeyFile(text: string, file: string): Material {
  const data = JSON.parse(text) as KeyFile;
  if (data.version !== 1 || !data.masterKeys.some((k) => k.id === data.active)) throw new Error(`key file ${file} is not a valid Pravah key file`);
  return {
    active: data.active,
    masterKeys: new Map(data.masterKeys.map((k) => [k.id, Buffer.from(k.key, 'base64')])),
    blindIndexKey: Buffer.from(data.blindIndexKey, 'base64'),
    tokenSigningKey: Buffer.from(data.tokenSigningKey, 'base64'),
  };
}

async function withFileLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await (await open(lockFile, 'wx', 0o600)).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new AppError('KEY_UNAVAILABLE', `key file is locked by another rotation (${lockFile}); remove it if no rotation is running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function writeKeyFile(file: string, data: KeyFile): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file); // atomic: a reader sees the old or the new file, never half
}

/** The embedded key store: `file` is created with mode 0600 when missing. */
export async function openFileKeyStore(file: string, now: () => Date = () => new Date()): Promise<KeyStore> {
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o711 });
    const id = newKeyId(now());
    await writeKeyFile(file, {
      version: 1,
      active: id,
      masterKeys: [{ id, key: randomBytes(32).toString('base64'), createdAt: now().toISOString() }],
      blindIndexKey: randomBytes(32).toString('base64'),
      tokenSigningKey: randomBytes(32).toString('base64'),
    });
  }
  let mtime = 0;
  let material: Material;
  const reload = (force = false) => {
    const stat = statSync(file);
    if (!force && stat.mtimeMs === mtime) return;
    if ((stat.mode & 0o077) !== 0) throw new AppError('KEY_UNAVAILABLE', `key file ${file} must not be readable by group or others (chmod 600)`);
    material = parseKeyFile(readFileSync(file, 'utf8'), file);
    mtime = stat.mtimeMs;
  };
  reload(true);
  let lastCheck = 0;
  const fresh = () => {
    if (Date.now() - lastCheck > 1000) {
      lastCheck = Date.now();
      reload();
    }
    return material;
  };

  return {
    activeMasterKeyId: () => fresh().active,
    masterKey(id) {
      let key = fresh().masterKeys.get(id);
      if (!key) {
        reload(true); // a key added a moment ago by another process
        key = material.masterKeys.get(id);
      }
      if (!key) throw new AppError('KEY_UNAVAILABLE', `master key ${id} is not in ${file}`);
      return key;
    },
    masterKeyIds: () => [...fresh().masterKeys.keys()],
    blindIndexKey: () => fresh().blindIndexKey,
    tokenSigningKey: () => fresh().tokenSigningKey,
    async addMasterKey() {
      // Two rotations at once must not lose a key: read-modify-write under an exclusive lock file.
      return withFileLock(`${file}.lock`, async () => {
        const data = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
        const id = newKeyId(now());
        data.masterKeys.push({ id, key: randomBytes(32).toString('base64'), createdAt: now().toISOString() });
        data.active = id;
        await writeKeyFile(file, data);
        reload(true);
        return id;
      });
    },
  };
}
