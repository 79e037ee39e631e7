// Authentication and authorisation for every request. A route states its access in
// `config.access`; an /api route without one is admin-only (closed by default). Pages, static
// assets and the API docs are public.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { Cache } from '../cache/cache.ts';
import { adminsOnly, type Access, type ApiKeyScope, type Principal } from './roles.ts';
import type { TokenService } from './tokens.ts';
import { apiKeyPrefix, looksLikeApiKey, type ApiKeyStore } from './api-keys.ts';
import { createHash, timingSafeEqual } from 'node:crypto';
import { SECOND } from '../platform/time.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const sessionCacheMs = 5 * SECOND;

type CachedKey = { hash: string; id: string; name: string; scopes: ApiKeyScope[] };

export function apiKeyCacheKey(prefix: string): string {
  return `api-key:verified:${prefix}`;
}

export function sessionCacheKey(family: string): string {
  return `session:active:${family}`;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

export function createGuard(deps: { tokens: TokenService; apiKeys: ApiKeyStore; cache: Cache }) {
  const { tokens, apiKeys, cache } = deps;

  async function authenticate(credential: string): Promise<Principal> {
    if (looksLikeApiKey(credential)) {
      // A verified key is cached for a few seconds under its prefix with the hash of the whole key,
      // so a busy upstream system costs no database read per request; a different secret with the
      // same prefix never matches, and revoking drops the entry.
      const prefix = apiKeyPrefix(credential);
      const hash = createHash('sha256').update(credential).digest('base64');
      const cached = prefix ? await cache.get<CachedKey>(apiKeyCacheKey(prefix)) : undefined;
      if (cached && timingSafeEqual(Buffer.from(cached.hash), Buffer.from(hash))) return { kind: 'api-key', id: cached.id, name: cached.name, scopes: cached.scopes };
      const key = await apiKeys.verify(credential);
      if (!key) throw new AppError('AUTH_TOKEN_INVALID', 'The API key is invalid or revoked');
      await cache.set(apiKeyCacheKey(key.prefix), { hash, id: key.id, name: key.name, scopes: key.scopes } satisfies CachedKey, sessionCacheMs);
      return { kind: 'api-key', id: key.id, name: key.name, scopes: key.scopes };
    }
    const claims = await tokens.verifyAccess(credential);
    // Logout must take effect at once, not when the access token expires: check the session
    // family, cached for a few seconds so a busy page does not hit the database per request.
    const cacheKey = sessionCacheKey(claims.family);
    let active = await cache.get<boolean>(cacheKey);
    if (active === undefined) {
      active = await tokens.isFamilyActive(claims.family);
      await cache.set(cacheKey, active, sessionCacheMs);
    }
    if (!active) throw new AppError('AUTH_TOKEN_INVALID', 'The session was signed out');
    return { kind: 'user', id: claims.userId, role: claims.role, sessionFamily: claims.family };
  }

  function allowed(access: Access, p: Principal): boolean {
    if ('public' in access) return true;
    if (p.kind === 'user') return access.roles.includes(p.role);
    return (access.scopes ?? []).some((s) => p.scopes.includes(s));
  }

  return async function guard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no route: the not-found handler answers
    let access = request.routeOptions.config.access;
    if (!access) {
      const isApi = url.startsWith('/api/') || url === '/metrics';
      if (!isApi || url.startsWith('/api/docs')) return;
      access = { roles: adminsOnly };
    }
    if ('public' in access) return;
    const credential = bearer(request);
    if (!credential) throw new AppError('AUTH_REQUIRED', 'Sign in first: this route needs an access token or an API key');
    const principal = await authenticate(credential);
    request.principal = principal;
    if (!allowed(access, principal)) throw new AppError('FORBIDDEN', 'Your role or key scope does not allow this');
  };
}
