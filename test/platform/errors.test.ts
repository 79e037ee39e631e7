import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AppError, errorCatalogue, isAppError, isRetryable } from '../../src/platform/errors.ts';
import { renderCatalogue } from '../../scripts/errors-doc.ts';

test('docs/errors.md lists exactly the catalogue (regenerate with node scripts/errors-doc.ts)', async () => {
  const doc = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  assert.ok(doc.includes(renderCatalogue()), 'docs/errors.md is out of date with src/platform/errors.ts');
  const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(documented.sort(), Object.entries(errorCatalogue).map(([c, e]) => `${c}:${e.status}`).sort());
});

test('AppError carries code, status and retryability from the catalogue', () => {
  const limited = new AppError('RATE_LIMITED', 'slow down', { headers: { 'retry-after': '3' } });
  assert.equal(limited.status, 429);
  assert.equal(isRetryable(limited), true);
  assert.equal(limited.headers['retry-after'], '3');
  const invalid = new AppError('VALIDATION_FAILED', 'bad', { retryable: true });
  assert.equal(isRetryable(invalid), true, 'an instance may override the catalogue');
  assert.equal(isRetryable(new Error('plain')), false);
  assert.equal(isAppError(new Error('plain')), false);
  const cause = new Error('root');
  assert.equal(new AppError('INTERNAL', 'wrapped', { cause }).cause, cause);
});
