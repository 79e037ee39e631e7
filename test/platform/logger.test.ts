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
});
