// API keys for upstream systems: `pvh_<prefix>_<secret>`, shown once at creation, stored as a
// SHA-256 hash (the secret is 256 random bits, so a slow hash adds nothing) and found by prefix.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { appendAudit } from './audit.ts';
import type { ApiKeyScope } from './roles.ts';

export type ApiKeyInfo = { id: string; name: string; prefix: string; scopes: ApiKeyScope[]; createdAt: Date; lastUsedAt: Date | null; revoked: boolean };

const pattern = /^pvh_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** The prefix of a well-formed key (the lookup and cache key), or undefined. */
export function apiKeyPrefix(key: string): string | undefined {
  return pattern.exec(key)?.[1];
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('pvh_');
}

export function createApiKeyStore(deps: { db: Db }) {
  const { db } = deps;
  type Row = { id: string; name: string; prefix: string; key_hash: Buffer; scopes: ApiKeyScope[]; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };
  const info = (r: Row): ApiKeyInfo => ({ id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes, createdAt: r.created_at, lastUsedAt: r.last_used_at, revoked: r.revoked_at !== null });

  return {
    /** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
    async create(input: { name: string; scopes: ApiKeyScope[] }, actor: { id?: string; label: string }): Promise<{ key: string; info: ApiKeyInfo }> {
      const prefix = randomBytes(8).toString('hex').slice(0, 10);
      const key = `pvh_${prefix}_${randomBytes(32).toString('base64url')}`;
      const row = await db.transaction(async (tx) => {
        const { rows } = await tx.query<Row>('INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
          input.name, prefix, sha256(key), input.scopes, actor.id ?? null,
        ]);
        await appendAudit(tx, { actor: actor.label, action: 'api_key.created', target: `api-key:${rows[0]!.id}`, details: { name: input.name, scopes: input.scopes } });
        return rows[0]!;
      });
      return { key, info: info(row) };
    },

    /** The key's identity when it is valid and not revoked; undefined otherwise. */
    async verify(key: string): Promise<ApiKeyInfo | undefined> {
      const match = pattern.exec(key);
      if (!match) return undefined;
      const { rows } = await db.query<Row>('SELECT * FROM api_keys WHERE prefix = $1', [match[1]]);
      const row = rows[0];
      if (!row || row.revoked_at || !timingSafeEqual(row.key_hash, sha256(key))) return undefined;
      // Last use to the minute is enough and keeps a hot key from writing on every request.
      await db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [row.id]);
      return info(row);
    },

    async list(): Promise<ApiKeyInfo[]> {
      const { rows } = await db.query<Row>('SELECT * FROM api_keys ORDER BY created_at');
      return rows.map(info);
    },

    /** Revokes a key; returns its prefix (to drop cached verifications), or undefined when none. */
    async revoke(id: string, actor: string): Promise<string | undefined> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ prefix: string }>('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING prefix', [id]);
        if (rows[0]) await appendAudit(tx, { actor, action: 'api_key.revoked', target: `api-key:${id}` });
        return rows[0]?.prefix;
      });
    },
  };
}

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
