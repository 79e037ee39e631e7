import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { IdFingerprints } from '../../src/instruments/import/id-fingerprints.ts';

test('property: add is true exactly for the first time an id is seen, as a Set would say', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('NSE:RELIANCE', 'BSE:RELIANCE', '', 'NFO:NIFTY24APR22000CE')), { maxLength: 300 }), (ids) => {
      const set = new Set<string>();
      const fingerprints = new IdFingerprints();
      for (const id of ids) {
        const isNew = !set.has(id);
        set.add(id);
        assert.equal(fingerprints.add(id), isNew, JSON.stringify(id));
      }
      assert.equal(fingerprints.size, set.size);
    }),
  );
});

test('grows past many ids with lookalike names and keeps every one distinct', () => {
  const fingerprints = new IdFingerprints();
  const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  let added = 0;
  for (let i = 0; i < 200_000; i++) {
    if (fingerprints.add(`NFO:STOCK${i % 200}25${months[(i >> 8) % 12]}${100 + i * 5}${i % 2 ? 'PE' : 'CE'}`)) added++;
  }
  assert.equal(added, 200_000);
  assert.equal(fingerprints.add('NFO:STOCK025JAN100CE'), false);
  assert.equal(fingerprints.size, 200_000);
});
