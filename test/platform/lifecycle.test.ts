import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLifecycle } from '../../src/platform/lifecycle.ts';
import { createLogger } from '../../src/platform/logger.ts';

const log = createLogger({ level: 'silent' });

test('components start in order and stop in reverse; stop is idempotent', async () => {
  const events: string[] = [];
  const lc = createLifecycle(log);
  for (const name of ['store', 'cache', 'http']) {
    lc.add({ name, start: () => void events.push(`start ${name}`), stop: async () => void events.push(`stop ${name}`) });
  }
  await lc.start();
  const a = lc.stop();
  const b = lc.stop();
  assert.equal(a, b, 'the same promise');
  await a;
  assert.deepEqual(events, ['start store', 'start cache', 'start http', 'stop http', 'stop cache', 'stop store']);
});

test('a failed start stops what already started and rethrows', async () => {
  const events: string[] = [];
  const lc = createLifecycle(log);
  lc.add({ name: 'store', start: () => void events.push('start store'), stop: () => void events.push('stop store') });
  lc.add({ name: 'http', start: () => Promise.reject(new Error('port in use')), stop: () => void events.push('stop http') });
  await assert.rejects(lc.start(), /port in use/);
  assert.deepEqual(events, ['start store', 'stop store']);
});

test('a component that fails to stop does not keep the others running', async () => {
  const events: string[] = [];
  const lc = createLifecycle(log);
  await lc.use({ name: 'store', start() {}, stop: () => void events.push('stop store') });
  await lc.use({ name: 'broken', start() {}, stop: () => Promise.reject(new Error('boom')) });
  await lc.stop();
  assert.deepEqual(events, ['stop store']);
});

test('the first SIGTERM starts a graceful stop; a second one forces the exit', async () => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const child = spawn(process.execPath, [fileURLToPath(new URL('./signal-child.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const waitFor = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => out.includes(text) && resolve();
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        check();
      });
      check();
    });
  await waitFor('ready');
  child.kill('SIGTERM');
  await waitFor('stopping gracefully');
  assert.equal(child.exitCode, null, 'still stopping');
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130);
  assert.match(out, /second signal: forcing exit/);
});
