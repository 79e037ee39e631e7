// Signing in through the real login route, for route tests.
import assert from 'node:assert/strict';
import type { App } from '../../src/platform/http.ts';
import type { StaffRole } from '../../src/auth/roles.ts';
import type { Platform } from '../../src/app.ts';

export async function login(http: App, email: string, password: string, ip = '10.0.0.1') {
  const res = await http.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ accessToken: string; refreshToken: string; expiresIn: number; user: { id: string; role: string } }>();
}

/** Creates a user of each role (once) and returns an access token per role. */
export async function tokensByRole(platform: Platform): Promise<Record<StaffRole, string>> {
  const out = {} as Record<StaffRole, string>;
  for (const role of ['admin', 'ops', 'compliance', 'viewer'] as const) {
    const email = `${role}.tokens@test.pravah.in`;
    const password = `${role}-password-123`;
    if (!(await platform.users.findCredentials(email))) await platform.users.create({ email, password, role }, 'test');
    out[role] = (await login(platform.http, email, password, `10.1.0.${role.length}`)).accessToken;
  }
  return out;
}
