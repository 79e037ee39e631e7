// Walks the OpenAPI document: every route except health, readiness, login/refresh and the docs
// answers 401 without a token and 403 to a role it does not allow.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { tokensByRole } from '../helpers/session.ts';
import { staffRoles, type StaffRole } from '../../src/auth/roles.ts';

// Provider webhooks are public by necessity (providers hold no token): each request is verified by
// its signature instead, which test/notify/delivery-faults.test.ts checks (forged: 403).
const publicRoutes = new Set(['GET /api/health', 'GET /api/ready', 'POST /api/auth/login', 'POST /api/auth/refresh', 'POST /api/webhooks/:provider', 'GET /api/webhooks/:provider']);

describe('every route checks authentication and role', () => {
  let t: TestPlatform;
  let tokens: Record<StaffRole, string>;
  before(async () => {
    t = await startTestPlatform();
    tokens = await tokensByRole(t.platform);
  });
  after(() => t.stop());

  test('walks the OpenAPI document', async () => {
    const spec = (await t.platform.http.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const operations = Object.entries(spec.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path: p })));
    assert.ok(operations.length >= 12, `only ${operations.length} operations documented`);
    let checked403 = 0;
    for (const { method, path } of operations) {
      const routeKey = `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      if (publicRoutes.has(routeKey)) continue;
      const url = path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
      const inject = (headers: Record<string, string>) => t.platform.http.inject({ method: method as 'GET', url, headers, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      const anonymous = await inject({});
      assert.equal(anonymous.statusCode, 401, `${routeKey} without a token answered ${anonymous.statusCode}`);
      const access = t.platform.http.routeAccess.get(routeKey);
      assert.ok(access && !('public' in access), `${routeKey} has no access rule`);
      const weak = staffRoles.find((r) => !access.roles.includes(r));
      if (!weak) continue; // every staff role may call it
      const forbidden = await inject({ authorization: `Bearer ${tokens[weak]}` });
      assert.equal(forbidden.statusCode, 403, `${routeKey} as ${weak} answered ${forbidden.statusCode}`);
      assert.equal(forbidden.json().error.code, 'FORBIDDEN');
      checked403++;
    }
    assert.ok(checked403 >= 6, `only ${checked403} routes had a too-weak role to try`);
  });

  test('an allowed role passes the guard', async () => {
    const res = await t.platform.http.inject({ url: '/api/admin/users', headers: { authorization: `Bearer ${tokens.admin}` } });
    assert.equal(res.statusCode, 200);
  });
});
