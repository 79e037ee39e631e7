import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { login } from '../helpers/session.ts';

describe('HTTP shell', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ env: { BODY_LIMIT_BYTES: '4096' } });
  });
  after(() => t.stop());

  test('health and readiness are public', async () => {
    const health = await t.platform.http.inject({ url: '/api/health' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(Object.keys(health.json()).sort(), ['mode', 'status', 'version']);
    assert.equal(health.json().mode, 'distributed');
    const ready = await t.platform.http.inject({ url: '/api/ready' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { store: 'ok', migrations: 'ok' } });
  });

  test('readiness reports pending migrations as 503', async () => {
    await t.database.db.query("UPDATE schema_migrations SET version = '9999' WHERE version = '0002'");
    try {
      const ready = await t.platform.http.inject({ url: '/api/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().checks.migrations, 'pending');
    } finally {
      await t.database.db.query("UPDATE schema_migrations SET version = '0002' WHERE version = '9999'");
    }
  });

  test('every response carries security headers and a request id; a sane incoming id is kept', async () => {
    const res = await t.platform.http.inject({ url: '/api/health', headers: { 'x-request-id': 'trace-12345678' } });
    assert.equal(res.headers['x-request-id'], 'trace-12345678');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['strict-transport-security']);
    const bogus = await t.platform.http.inject({ url: '/api/health', headers: { 'x-request-id': '<script>' } });
    assert.match(String(bogus.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('the security headers are helmet\'s for our policy, on refused requests too', async () => {
    const { default: helmet } = await import('helmet');
    const expected = new Map<string, string>();
    helmet({ contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'style-src': ["'self'", "'unsafe-inline'"], 'script-src': ["'self'"], 'connect-src': ["'self'"] } } })(
      {} as never,
      { setHeader: (name: string, value: string) => expected.set(name.toLowerCase(), value), removeHeader: () => {} } as never,
      () => {},
    );
    assert.ok(expected.size >= 10);
    for (const url of ['/api/health', '/api/clients']) {
      const res = await t.platform.http.inject({ url });
      for (const [name, value] of expected) assert.equal(res.headers[name], value, `${url}: ${name}`);
    }
    assert.equal((await t.platform.http.inject({ url: '/api/clients' })).statusCode, 401);
  });

  test('CORS is off by default', async () => {
    const res = await t.platform.http.inject({ method: 'OPTIONS', url: '/api/health', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('malformed JSON is a 400 MALFORMED_JSON, not a 500', async () => {
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email": "a@b.in", ' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'MALFORMED_JSON');
    assert.ok(res.json().error.requestId);
    assert.ok(!res.body.includes('at '), 'no stack trace');
  });

  test('an oversized body is a 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.in', password: 'x'.repeat(10_000) } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE');
  });

  test('a wrong content type is a 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<login/>' });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('unknown and missing fields are a 400 naming the field, never echoing values', async () => {
    const res = await t.platform.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'asha@example.in', pasword: 'secret-value-1' } });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, 'VALIDATION_FAILED');
    const fields = (error.details as Array<{ field: string; rule: string }>).map((d) => `${d.field}:${d.rule}`);
    assert.ok(fields.includes('body.pasword:additionalProperties'), fields.join());
    assert.ok(fields.includes('body.password:required'), fields.join());
    assert.ok(!res.body.includes('secret-value-1') && !res.body.includes('asha@example.in'));
  });

  test('an unknown API route is a JSON 404; a page route gets the web app', async () => {
    const api = await t.platform.http.inject({ url: '/api/nope' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'NOT_FOUND');
    const page = await t.platform.http.inject({ url: '/clients/ABC123', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<div id="root">/);
  });

  test('the OpenAPI document and the docs page are served', async () => {
    const doc = await t.platform.http.inject({ url: '/api/openapi.json' });
    assert.equal(doc.statusCode, 200);
    const spec = doc.json<{ openapi: string; paths: Record<string, Record<string, { security?: unknown; description?: string }>> }>();
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/api/auth/login']?.['post']);
    assert.match(spec.paths['/api/admin/users']?.['get']?.description ?? '', /Allowed: admin/);
    const ui = await t.platform.http.inject({ url: '/api/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
  });

  test('metrics need a role and count requests by route', async () => {
    assert.equal((await t.platform.http.inject({ url: '/metrics' })).statusCode, 401);
    const { accessToken } = await login(t.platform.http, t.admin.email, t.admin.password);
    const res = await t.platform.http.inject({ url: '/metrics', headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /pravah_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="200"\} \d+/);
    assert.match(res.body, /pravah_process_cpu_seconds_total/);
  });
});
