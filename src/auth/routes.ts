// /api/auth (login, refresh, logout, me) and /api/admin (users, API keys, audit check).
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, RouteModule } from '../platform/http.ts';
import { AppError } from '../platform/errors.ts';
import type { Cache } from '../cache/cache.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import type { Db } from '../store/db.ts';
import { adminsOnly, anyStaff, apiKeyScopes, auditors, describePrincipal, staffRoles, type Principal } from './roles.ts';
import type { TokenService } from './tokens.ts';
import { normaliseEmail, type UserStore } from './users.ts';
import type { ApiKeyStore } from './api-keys.ts';
import { verifyPassword } from './passwords.ts';
import { appendAudit, verifyAuditChain } from './audit.ts';
import { apiKeyCacheKey, sessionCacheKey } from './guard.ts';

const refreshCookie = 'pravah_rt';
const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), requestId: Type.String(), details: Type.Optional(Type.Unknown()) }) });
const UserView = Type.Object({ id: Type.String(), email: Type.String(), role: Type.String(), name: Type.String() });
const Session = Type.Object({ accessToken: Type.String(), tokenType: Type.Literal('Bearer'), expiresIn: Type.Integer(), refreshToken: Type.String(), user: UserView });
const Role = Type.Union(staffRoles.map((r) => Type.Literal(r)));
const Scope = Type.Union(apiKeyScopes.map((s) => Type.Literal(s)));

export type AuthRouteDeps = {
  db: Db;
  users: UserStore;
  tokens: TokenService;
  apiKeys: ApiKeyStore;
  cache: Cache;
  blindIndex: BlindIndex;
  login: { accountAttempts: number; addressAttempts: number; windowSeconds: number };
  secureCookies: boolean;
};

function userPrincipal(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = request.principal;
  if (p?.kind !== 'user') throw new AppError('FORBIDDEN', 'This route is for signed-in staff, not API keys');
  return p;
}

export function authRoutes(deps: AuthRouteDeps): RouteModule {
  const { users, tokens, cache } = deps;
  const window = deps.login.windowSeconds;

  async function limit(key: string, attempts: number): Promise<void> {
    const result = await cache.takeToken(key, { capacity: attempts, refillPerSecond: attempts / window });
    if (!result.allowed) {
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new AppError('RATE_LIMITED', `Too many sign-in attempts; try again in ${seconds} seconds`, { headers: { 'retry-after': String(seconds) } });
    }
  }

  async function sessionFor(reply: FastifyReply, userId: string, refresh: { token: string; expiresAt: Date; family: string }) {
    const user = await users.get(userId);
    if (!user || user.disabled) throw new AppError('AUTH_TOKEN_INVALID', 'The account is disabled');
    reply.setCookie(refreshCookie, refresh.token, { path: '/api/auth', httpOnly: true, sameSite: 'strict', secure: deps.secureCookies, expires: refresh.expiresAt });
    return {
      accessToken: await tokens.signAccess({ userId, role: user.role, family: refresh.family }),
      tokenType: 'Bearer' as const,
      expiresIn: tokens.accessTtlSeconds,
      refreshToken: refresh.token,
      user: { id: user.id, email: user.email, role: user.role, name: user.name },
    };
  }

  return (app: App) => {
    app.post('/api/auth/login', {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'], summary: 'Sign in with email and password',
        body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 200: Session, 401: ErrorBody, 429: ErrorBody },
      },
    }, async (request, reply) => {
      const email = normaliseEmail(request.body.email);
      // Per address first (cheap), then per account, before any password work: an attacker
      // cannot burn CPU, and an unknown account is limited exactly like a real one.
      const accountKey = `login:acct:${deps.blindIndex('login.account', email).toString('base64url')}`;
      await limit(`login:ip:${request.ip}`, deps.login.addressAttempts);
      await limit(accountKey, deps.login.accountAttempts);
      const creds = await users.findCredentials(email);
      const ok = await verifyPassword(creds?.passwordHash, request.body.password);
      if (!ok || !creds || creds.disabled) {
        await deps.db.transaction((tx) => appendAudit(tx, { actor: 'anonymous', action: 'auth.login_failed', target: creds ? `user:${creds.id}` : undefined, details: { ip: request.ip } }));
        throw new AppError('AUTH_INVALID_CREDENTIALS', 'Email or password is incorrect');
      }
      await cache.delete(accountKey); // a successful sign-in clears the account's failures
      await users.recordLogin(creds.id);
      await deps.db.transaction((tx) => appendAudit(tx, { actor: `user:${creds.id}`, action: 'auth.login', details: { ip: request.ip } }));
      return sessionFor(reply, creds.id, await tokens.startSession(creds.id));
    });

    app.post('/api/auth/refresh', {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'], summary: 'Exchange a refresh token (body or cookie) for a new session; the old token is spent',
        body: Type.Optional(Type.Object({ refreshToken: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
        response: { 200: Session, 401: ErrorBody },
      },
    }, async (request, reply) => {
      const token = request.body?.refreshToken ?? request.cookies[refreshCookie];
      if (!token) throw new AppError('AUTH_REQUIRED', 'No refresh token: sign in');
      try {
        const { userId, refresh } = await tokens.rotate(token);
        return await sessionFor(reply, userId, refresh);
      } catch (error) {
        reply.clearCookie(refreshCookie, { path: '/api/auth' });
        throw error;
      }
    });

    app.post('/api/auth/logout', {
      config: { access: { roles: anyStaff } },
      schema: { tags: ['auth'], summary: 'Sign out: revokes this session', body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      const p = userPrincipal(request);
      await tokens.revokeFamily(p.sessionFamily);
      await cache.delete(sessionCacheKey(p.sessionFamily));
      reply.clearCookie(refreshCookie, { path: '/api/auth' });
      return reply.status(204).send(null);
    });

    app.get('/api/auth/me', {
      config: { access: { roles: anyStaff } },
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: UserView } },
    }, async (request) => {
      const user = await users.get(userPrincipal(request).id);
      if (!user) throw new AppError('AUTH_TOKEN_INVALID', 'The user no longer exists');
      return { id: user.id, email: user.email, role: user.role, name: user.name };
    });

    const UserSummary = Type.Object({ id: Type.String(), emailMasked: Type.String(), role: Type.String(), disabled: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }), lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) });
    app.get('/api/admin/users', {
      config: { access: { roles: adminsOnly } },
      schema: { tags: ['admin'], summary: 'Staff users (emails masked)', response: { 200: Type.Object({ items: Type.Array(UserSummary) }) } },
    }, async () => ({ items: (await users.list()).map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), lastLoginAt: u.lastLoginAt?.toISOString() ?? null })) }));

    app.post('/api/admin/users', {
      config: { access: { roles: adminsOnly } },
      schema: {
        tags: ['admin'], summary: 'Create a staff user',
        body: Type.Object({ email: Type.String({ maxLength: 100 }), name: Type.Optional(Type.String({ maxLength: 100 })), role: Role, password: Type.String({ minLength: 12, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 201: UserView },
      },
    }, async (request, reply) => {
      const user = await users.create(request.body, describePrincipal(request.principal));
      return reply.status(201).send({ id: user.id, email: user.email, role: user.role, name: user.name });
    });

    app.patch('/api/admin/users/:id', {
      config: { access: { roles: adminsOnly } },
      schema: {
        tags: ['admin'], summary: 'Change a user\'s role, disable or enable them, or set a new password (signs them out)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ role: Type.Optional(Role), disabled: Type.Optional(Type.Boolean()), password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: UserView },
      },
    }, async (request) => {
      const user = await users.update(request.params.id, request.body, describePrincipal(request.principal));
      return { id: user.id, email: user.email, role: user.role, name: user.name };
    });

    const ApiKeyInfo = Type.Object({ id: Type.String(), name: Type.String(), prefix: Type.String(), scopes: Type.Array(Type.String()), createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revoked: Type.Boolean() });
    const view = (k: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revoked: boolean }) => ({ ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null });
    app.get('/api/admin/api-keys', {
      config: { access: { roles: adminsOnly } },
      schema: { tags: ['admin'], summary: 'API keys (never the secret)', response: { 200: Type.Object({ items: Type.Array(ApiKeyInfo) }) } },
    }, async () => ({ items: (await deps.apiKeys.list()).map(view) }));

    app.post('/api/admin/api-keys', {
      config: { access: { roles: adminsOnly } },
      schema: {
        tags: ['admin'], summary: 'Create an API key for an upstream system; the key is shown only in this response',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), scopes: Type.Array(Scope, { minItems: 1, uniqueItems: true }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ key: Type.String(), info: ApiKeyInfo }) },
      },
    }, async (request, reply) => {
      const p = userPrincipal(request);
      const { key, info } = await deps.apiKeys.create(request.body, { id: p.id, label: describePrincipal(p) });
      return reply.status(201).send({ key, info: view(info) });
    });

    app.delete('/api/admin/api-keys/:id', {
      config: { access: { roles: adminsOnly } },
      schema: { tags: ['admin'], summary: 'Revoke an API key', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null() } },
    }, async (request, reply) => {
      const prefix = await deps.apiKeys.revoke(request.params.id, describePrincipal(request.principal));
      if (!prefix) throw new AppError('NOT_FOUND', 'no active API key with this id');
      await cache.delete(apiKeyCacheKey(prefix)); // revocation takes effect at once
      return reply.status(204).send(null);
    });

    app.get('/api/admin/audit/verify', {
      config: { access: { roles: auditors } },
      schema: { tags: ['admin'], summary: 'Recompute the audit hash chain', response: { 200: Type.Object({ intact: Type.Boolean(), firstBrokenId: Type.Union([Type.String(), Type.Null()]) }) } },
    }, async () => {
      const broken = await verifyAuditChain(deps.db);
      return { intact: broken === undefined, firstBrokenId: broken ?? null };
    });
  };
}
