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
