import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

test('personal data and secrets are redacted at any depth', () => {
  const { lines, log } = capture();
  log.info({ pan: 'ABCPE1234F', client: { mobile: '+919876543210', email: 'asha@example.in', nested: { dob: '1990-01-01' } }, req: { headers: { authorization: 'Bearer abc.def', 'x-api-key': 'pvh_x' } }, count: 3 }, 'ingested');
  const text = lines.join('\n');
  for (const secret of ['ABCPE1234F', '+919876543210', 'asha@example.in', '1990-01-01', 'Bearer abc.def', 'pvh_x']) assert.ok(!text.includes(secret), `${secret} leaked`);
  const line = JSON.parse(lines[0]!) as { count: number; pan: string; level: string; msg: string };
  assert.equal(line.count, 3, 'non-personal fields stay');
  assert.equal(line.pan, '[redacted]');
  assert.equal(line.level, 'info');
  assert.equal(line.msg, 'ingested');
});

test('request logs keep the path and drop the query string, which can carry personal data', async () => {
  const { lines, log } = capture();
  const { buildApp } = await import('../../src/platform/http.ts');
  const { createMetrics } = await import('../../src/platform/metrics.ts');
  const app = await buildApp({
    log, metrics: createMetrics({ defaults: false }), version: 'test', bodyLimitBytes: 1024, corsOrigins: [], trustProxy: false, webDir: '/nonexistent',
    guard: async () => {},
    routes: [(a) => void a.get('/api/clients', { config: { access: { public: true } } }, async () => ({ ok: true }))],
  });
  await app.inject({ url: '/api/clients?pan=ABCPE1234F&mobile=9876543210' });
  await app.close();
  const text = lines.join('\n');
  assert.ok(text.includes('/api/clients'), 'the path is logged');
  assert.ok(!text.includes('ABCPE1234F') && !text.includes('9876543210'), text);
  const parsed = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { method: string; url: string }; res?: { statusCode: number } });
  const req = parsed.find((l) => l.req)?.req;
  assert.deepEqual({ method: req?.method, url: req?.url }, { method: 'GET', url: '/api/clients' });
  assert.equal(parsed.find((l) => l.res)?.res?.statusCode, 200);
  assert.ok(parsed.every((l) => !l.req && !l.res || typeof l.reqId === 'string'), 'request lines carry the request id');
});

test('errors are written with their message and stack, and their own fields and causes are censored', () => {
  const { lines, log } = capture();
  const cause = Object.assign(new Error('lookup failed'), { email: 'asha@example.in' });
  const error = Object.assign(new Error('ingest failed', { cause }), { pan: 'ABCPE1234F', row: 7, context: { client: { mobile: '+919876543210' } } });
  log.error({ err: error }, 'boom');
  log.error(error);
  log.warn({ attempt: { error } }, 'nested');
  const text = lines.join('\n');
  for (const secret of ['ABCPE1234F', '+919876543210', 'asha@example.in']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  const [first, second, third] = lines.map((l) => JSON.parse(l) as { err?: Record<string, unknown>; attempt?: { error: Record<string, unknown> }; msg: string });
  assert.equal(first!.err!['type'], 'Error');
  assert.match(String(first!.err!['message']), /ingest failed/);
  assert.match(String(first!.err!['stack']), /logger\.test\.ts/);
  assert.equal(first!.err!['row'], 7);
  assert.equal(first!.err!['pan'], '[redacted]');
  assert.equal(second!.msg, 'ingest failed');
  assert.equal(second!.err!['pan'], '[redacted]');
  assert.match(String(third!.attempt!.error['message']), /ingest failed/, 'an error below the top level is written as one too');
});

test('censoring reaches arrays, child bindings and any depth, keeps dates, survives cycles, and leaves the caller\'s object alone', () => {
  const { lines, log } = capture();
  const deep = { a: { b: { c: { d: { e: { f: { pan: 'ABCPE1234F' } } } } } } };
  const cyclic: Record<string, unknown> = { id: 1, email: 'asha@example.in' };
  cyclic['self'] = cyclic;
  const logged = { clients: [{ id: 'c1', name: 'Asha Rao' }, { id: 'c2', nominees: [{ name: 'Ravi Rao' }] }], at: new Date('2026-11-25T10:00:00Z'), deep, cyclic };
  log.child({ client: { pan: 'ZZZPE9999Z' }, jobId: 'j1' }).info(logged, 'batch');
  log.child({ jobId: 'j2' }).child({ email: 'ravi@example.in' }, { level: 'info' }).info('grandchild');
  const text = lines.join('\n');
  for (const secret of ['ABCPE1234F', 'ZZZPE9999Z', 'Asha Rao', 'Ravi Rao', 'asha@example.in', 'ravi@example.in']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  const line = JSON.parse(lines[0]!) as { jobId: string; client: { pan: string }; clients: Array<{ id: string; name?: string }>; at: string; service: string };
  assert.equal(line.jobId, 'j1');
  assert.equal(line.client.pan, '[redacted]');
  assert.equal(line.clients[0]!.id, 'c1');
  assert.equal(line.clients[0]!.name, '[redacted]');
  assert.equal(line.at, '2026-11-25T10:00:00.000Z');
  assert.equal(line.service, 'pravah');
  assert.equal(logged.clients[0]!.name, 'Asha Rao', 'the logged object is not modified');
  assert.equal(deep.a.b.c.d.e.f.pan, 'ABCPE1234F');
});

test('objects without personal data are written as they are', () => {
  const { lines, log } = capture();
  log.info({ count: 3, items: [1, 2], nested: { ok: true, list: ['x'] } }, 'plain');
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual({ count: line['count'], items: line['items'], nested: line['nested'] }, { count: 3, items: [1, 2], nested: { ok: true, list: ['x'] } });
});
