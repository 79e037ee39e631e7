import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login } from '../helpers/session.ts';

describe('authentication', () => {
  let t: TestPlatform;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  before(async () => {
    t = await startTestPlatform({ env: { LOGIN_ACCOUNT_ATTEMPTS: '3', LOGIN_ADDRESS_ATTEMPTS: '6', LOGIN_WINDOW_SECONDS: '60' } });
  });
  after(() => t.stop());

  test('login issues an access token, a refresh token and an httpOnly cookie', async () => {
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: ` ${t.admin.email.toUpperCase()} `, password: t.admin.password }, remoteAddress: '10.9.0.1' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.tokenType, 'Bearer');
    assert.equal(body.expiresIn, 900);
    assert.equal(body.user.email, t.admin.email);
    assert.equal(body.user.role, 'admin');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /pravah_rt=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /Path=\/api\/auth/);
    assert.match(cookie, /SameSite=Strict/);
    const me = await t.platform.http.inject({ url: '/api/auth/me', headers: bearer(body.accessToken) });
    assert.equal(me.json().email, t.admin.email);
  });

  test('a wrong password and an unknown user look the same from outside', async () => {
    const wrong = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.admin.email, password: 'not the password' }, remoteAddress: '10.9.0.2' });
    const unknown = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@test.pravah.in', password: 'not the password' }, remoteAddress: '10.9.0.3' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    const strip = (b: { error: { requestId?: string } }) => ({ ...b.error, requestId: undefined });
    assert.deepEqual(strip(wrong.json()), strip(unknown.json()));
    assert.equal(wrong.json().error.code, 'AUTH_INVALID_CREDENTIALS');
    assert.deepEqual(Object.keys(wrong.headers).sort(), Object.keys(unknown.headers).sort());
  });

  test('a refresh token rotates; reusing a spent one revokes the whole family', async () => {
    const first = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.1.1');
    const r1 = await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: first.refreshToken } });
    assert.equal(r1.statusCode, 200);
    const second = r1.json<{ refreshToken: string; accessToken: string }>();
    assert.notEqual(second.refreshToken, first.refreshToken);
    // The first token is replayed (stolen): the family dies, including the new token.
    const replay = await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: first.refreshToken } });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().error.code, 'AUTH_REFRESH_REUSED');
    const afterTheft = await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: second.refreshToken } });
    assert.equal(afterTheft.statusCode, 401);
    await new Promise((r) => setTimeout(r, 5100)); // the session-active cache lives 5 s
    const me = await t.platform.http.inject({ url: '/api/auth/me', headers: bearer(second.accessToken) });
    assert.equal(me.statusCode, 401, 'access tokens of a revoked family stop working');
  });

  test('refresh works from the cookie alone', async () => {
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.admin.email, password: t.admin.password }, remoteAddress: '10.9.2.1' });
    const cookie = /pravah_rt=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
    const refreshed = await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: {}, cookies: { pravah_rt: cookie } });
    assert.equal(refreshed.statusCode, 200);
    const none = await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: {} });
    assert.equal(none.statusCode, 401);
    const garbage = await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: 'garbage' } });
    assert.equal(garbage.json().error.code, 'AUTH_TOKEN_INVALID');
  });

  test('logout ends the session at once and spends the refresh token', async () => {
    const s = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.3.1');
    assert.equal((await t.platform.http.inject({ url: '/api/auth/me', headers: bearer(s.accessToken) })).statusCode, 200);
    const out = await t.platform.http.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(s.accessToken), payload: {} });
    assert.equal(out.statusCode, 204);
    assert.equal((await t.platform.http.inject({ url: '/api/auth/me', headers: bearer(s.accessToken) })).statusCode, 401);
    assert.equal((await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: s.refreshToken } })).statusCode, 401);
  });

  test('a tampered or foreign access token is refused', async () => {
    const s = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.4.1');
    const [h, p, sig] = s.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin', sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${sig}`;
    const res = await t.platform.http.inject({ url: '/api/auth/me', headers: bearer(forged) });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'AUTH_TOKEN_INVALID');
  });

  test('login is rate limited per account, whatever the address, with Retry-After', async () => {
    const email = 'limited@test.pravah.in';
    await t.platform.users.create({ email, password: 'limited-password-1', role: 'viewer' }, 'test');
    for (let i = 0; i < 3; i++) {
      const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong' }, remoteAddress: `10.8.0.${i}` });
      assert.equal(res.statusCode, 401);
    }
    const blocked = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'limited-password-1' }, remoteAddress: '10.8.0.99' });
    assert.equal(blocked.statusCode, 429, 'even the right password waits');
    assert.equal(blocked.json().error.code, 'RATE_LIMITED');
    const retryAfter = Number(blocked.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 20, `retry-after ${retryAfter}`);
    // An unknown account is limited exactly like a known one.
    for (let i = 0; i < 3; i++) await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ghost@test.pravah.in', password: 'x' }, remoteAddress: `10.8.1.${i}` });
    const ghost = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ghost@test.pravah.in', password: 'x' }, remoteAddress: '10.8.1.99' });
    assert.equal(ghost.statusCode, 429);
  });

  test('login is rate limited per address across accounts', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `spray${i}@test.pravah.in`, password: 'x' }, remoteAddress: '10.7.7.7' });
      codes.push(res.statusCode);
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 401, 429]);
  });

  test('a disabled user cannot sign in and loses their sessions', async () => {
    const admin = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.5.1');
    const created = await t.platform.http.inject({ method: 'POST', url: '/api/admin/users', headers: bearer(admin.accessToken), payload: { email: 'leaver@test.pravah.in', role: 'ops', password: 'leaver-password-1' } });
    assert.equal(created.statusCode, 201);
    const s = await login(t.platform.http, 'leaver@test.pravah.in', 'leaver-password-1', '10.9.5.2');
    const disabled = await t.platform.http.inject({ method: 'PATCH', url: `/api/admin/users/${created.json().id}`, headers: bearer(admin.accessToken), payload: { disabled: true } });
    assert.equal(disabled.statusCode, 200);
    assert.equal((await t.platform.http.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: s.refreshToken } })).statusCode, 401);
    const again = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'leaver@test.pravah.in', password: 'leaver-password-1' }, remoteAddress: '10.9.5.3' });
    assert.equal(again.statusCode, 401);
    const list = await t.platform.http.inject({ url: '/api/admin/users', headers: bearer(admin.accessToken) });
    const leaver = list.json<{ items: Array<{ id: string; emailMasked: string; disabled: boolean }> }>().items.find((u) => u.id === created.json().id);
    assert.equal(leaver?.emailMasked, 'l****@test.pravah.in');
    assert.equal(leaver?.disabled, true);
    assert.ok(!list.body.includes('leaver@test.pravah.in'), 'the list shows masked emails');
  });

  test('API keys are shown once, stored hashed, scoped and revocable', async () => {
    const admin = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.6.1');
    const created = await t.platform.http.inject({ method: 'POST', url: '/api/admin/api-keys', headers: bearer(admin.accessToken), payload: { name: 'prometheus', scopes: ['metrics:read'] } });
    assert.equal(created.statusCode, 201);
    const { key, info } = created.json<{ key: string; info: { id: string; prefix: string } }>();
    assert.match(key, /^pvh_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    const { rows } = await t.database.db.query('SELECT * FROM api_keys WHERE id = $1', [info.id]);
    // The secret is everything after `pvh_<prefix>_` (base64url: it may itself hold '_').
    const secret = /^pvh_[a-z0-9]{10}_(.+)$/.exec(key)![1]!;
    assert.equal(secret.length, 43);
    assert.ok(!JSON.stringify(rows).includes(secret), 'the secret is not stored');
    const listed = await t.platform.http.inject({ url: '/api/admin/api-keys', headers: bearer(admin.accessToken) });
    assert.ok(!listed.body.includes(key));
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: bearer(key) })).statusCode, 200, 'in scope');
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: { 'x-api-key': key } })).statusCode, 200, 'X-API-Key works too');
    assert.equal((await t.platform.http.inject({ url: '/api/admin/users', headers: bearer(key) })).statusCode, 403, 'out of scope');
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: bearer(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`) })).statusCode, 401, 'a wrong secret');
    assert.equal((await t.platform.http.inject({ method: 'DELETE', url: `/api/admin/api-keys/${info.id}`, headers: bearer(admin.accessToken) })).statusCode, 204);
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: bearer(key) })).statusCode, 401, 'revoked');
  });

  test('a verified API key is cached for 5 s: a revocation outside the API takes effect when it expires', async () => {
    const admin = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.8.1');
    const created = await t.platform.http.inject({ method: 'POST', url: '/api/admin/api-keys', headers: bearer(admin.accessToken), payload: { name: 'scraper', scopes: ['metrics:read'] } });
    const { key, info } = created.json<{ key: string; info: { id: string } }>();
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: bearer(key) })).statusCode, 200);
    await t.database.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [info.id]);
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: bearer(key) })).statusCode, 200, 'served from the cache, no database read');
    await new Promise((r) => setTimeout(r, 5100));
    assert.equal((await t.platform.http.inject({ url: '/metrics', headers: bearer(key) })).statusCode, 401, 'the cache expired');
  });

  test('the audit chain records sign-ins and stays intact', async () => {
    const admin = await login(t.platform.http, t.admin.email, t.admin.password, '10.9.7.1');
    const res = await t.platform.http.inject({ url: '/api/admin/audit/verify', headers: bearer(admin.accessToken) });
    assert.deepEqual(res.json(), { intact: true, firstBrokenId: null });
    const { rows } = await t.database.db.query<{ action: string }>("SELECT DISTINCT action FROM audit_log");
    const actions = rows.map((r) => r.action);
    for (const a of ['auth.login', 'auth.login_failed', 'user.created', 'api_key.created', 'api_key.revoked']) assert.ok(actions.includes(a), a);
  });
});
