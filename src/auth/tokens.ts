// Access tokens: short-lived HS256 JWTs (jose) carrying the user id, role and session family.
// Refresh tokens: opaque `id.secret` strings stored as SHA-256 hashes; each use rotates the token,
// and presenting a used or revoked one revokes its whole family.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from '../platform/errors.ts';
import type { Db } from '../store/db.ts';
import type { KeyStore } from '../crypto/keystore.ts';
import { isStaffRole, type StaffRole } from './roles.ts';
import type { Clock } from '../platform/time.ts';

const issuer = 'pravah';
const audience = 'pravah-api';

export type AccessClaims = { userId: string; role: StaffRole; family: string };
export type IssuedRefresh = { token: string; family: string; expiresAt: Date };

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export function createTokenService(deps: { db: Db; keys: KeyStore; clock: Clock; accessTtlSeconds: number; refreshTtlSeconds: number }) {
  const { db, keys, clock } = deps;
  const key = () => new Uint8Array(keys.tokenSigningKey());

  async function issueRefresh(userId: string, family: string): Promise<IssuedRefresh> {
    const id = randomUUID();
    const token = `${id}.${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(clock.now().getTime() + deps.refreshTtlSeconds * 1000);
    await db.query('INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)', [id, family, userId, sha256(token), expiresAt]);
    return { token, family, expiresAt };
  }

  return {
    accessTtlSeconds: deps.accessTtlSeconds,

    async signAccess(claims: AccessClaims): Promise<string> {
      const now = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({ role: claims.role, fam: claims.family })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + deps.accessTtlSeconds)
        .sign(key());
    },

    async verifyAccess(token: string): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, key(), { issuer, audience, algorithms: ['HS256'], currentDate: clock.now() });
        const role = String(payload['role']);
        if (!payload.sub || !isStaffRole(role) || typeof payload['fam'] !== 'string') throw new Error('claims');
        return { userId: payload.sub, role, family: payload['fam'] };
      } catch (error) {
        throw new AppError('AUTH_TOKEN_INVALID', 'The access token is invalid or expired', { cause: error });
      }
    },

    /** Starts a new session family for a user who just proved their password. */
    startSession(userId: string): Promise<IssuedRefresh> {
      return issueRefresh(userId, randomUUID());
    },

    /** Rotates a refresh token; a reused one revokes its family and fails with AUTH_REFRESH_REUSED. */
    async rotate(token: string): Promise<{ userId: string; refresh: IssuedRefresh }> {
      const [id, secret] = token.split('.');
      if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw new AppError('AUTH_TOKEN_INVALID', 'The refresh token is malformed');
      const { rows } = await db.query<{ family_id: string; user_id: string; token_hash: Buffer; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>(
        'SELECT family_id, user_id, token_hash, expires_at, used_at, revoked_at FROM refresh_tokens WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row || !timingSafeEqual(row.token_hash, sha256(token))) throw new AppError('AUTH_TOKEN_INVALID', 'The refresh token is not recognised');
      if (row.revoked_at) throw new AppError('AUTH_TOKEN_INVALID', 'The session was signed out');
      if (row.expires_at <= clock.now()) throw new AppError('AUTH_TOKEN_INVALID', 'The refresh token has expired');
      const claimed = await db.query('UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL', [id, clock.now()]);
      if (claimed.rowCount !== 1) {
        await this.revokeFamily(row.family_id);
        throw new AppError('AUTH_REFRESH_REUSED', 'This refresh token was already used; the session is revoked, sign in again');
      }
      return { userId: row.user_id, refresh: await issueRefresh(row.user_id, row.family_id) };
    },

    async revokeFamily(family: string): Promise<void> {
      await db.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE family_id = $1', [family, clock.now()]);
    },

    /** Whether the family is still signed in (checked on each request, so logout is immediate). */
    async isFamilyActive(family: string): Promise<boolean> {
      const { rows } = await db.query('SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL LIMIT 1', [family]);
      return rows.length > 0;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
