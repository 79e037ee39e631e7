import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matchesExpiry, parseDerivativePhrase } from '../../src/instruments/index/query-grammar.ts';

test('reads underlying, strike and option type', () => {
  const phrase = parseDerivativePhrase('nifty 25000 ce');
  assert.deepEqual(phrase?.types, ['CE']);
  assert.deepEqual(phrase?.readings.at(-1), { underlying: 'NIFTY', strike: 25000 });
  assert.deepEqual(phrase?.expiries, []);
});

test('reads a month with futures', () => {
  assert.deepEqual(parseDerivativePhrase('banknifty sep fut'), { readings: [{ underlying: 'BANKNIFTY', strike: null }], types: ['FUT'], expiries: [{ month: 9 }] });
});

test('a two-digit number next to a month is a day or a year', () => {
  const phrase = parseDerivativePhrase('reliance 2900 pe 26 dec');
  assert.deepEqual(phrase?.readings.at(-1), { underlying: 'RELIANCE', strike: 2900 });
  assert.deepEqual(phrase?.types, ['PE']);
  assert.deepEqual(phrase?.expiries, [{ month: 12, day: 26 }, { month: 12, year: 2026 }]);
  assert.deepEqual(parseDerivativePhrase('nifty 24 apr 22000 pe')?.expiries, [{ month: 4, day: 24 }, { month: 4, year: 2024 }]);
});

test('full dates, Kite symbols, digit grouping and call/put words', () => {
  assert.deepEqual(parseDerivativePhrase('tcs 25 apr 2024 fut')?.expiries, [{ day: 25, month: 4, year: 2024 }]);
  assert.deepEqual(parseDerivativePhrase('nifty 25-04-2024 22000 call')?.expiries, [{ year: 2024, month: 4, day: 25 }]);
  const kite = parseDerivativePhrase('NIFTY24APR22000CE');
  assert.deepEqual(kite?.readings, [{ underlying: 'NIFTY', strike: 22000 }]);
  assert.deepEqual(parseDerivativePhrase('nifty 22,000 put')?.readings.at(-1), { underlying: 'NIFTY', strike: 22000 });
});

test('a number after the words may belong to the name (NIFTY 50)', () => {
  assert.deepEqual(parseDerivativePhrase('nifty 50 ce')?.readings, [
    { underlying: 'NIFTY 50', strike: null },
    { underlying: 'NIFTY', strike: 50 },
  ]);
});

test('plain words, bare qualifiers and number soup are not F&O phrases', () => {
  assert.equal(parseDerivativePhrase('reliance'), null);
  assert.equal(parseDerivativePhrase('22000 ce'), null);
  assert.equal(parseDerivativePhrase('apr fut'), null);
  assert.equal(parseDerivativePhrase('nifty 1 2 3'), null);
  assert.equal(parseDerivativePhrase('nifty apr may fut'), null);
});

test('expiry patterns match every part given', () => {
  assert.ok(matchesExpiry(20240425, [{ month: 4 }]));
  assert.ok(matchesExpiry(20240425, [{ month: 4, day: 24 }, { month: 4, year: 2024 }]));
  assert.ok(!matchesExpiry(20240425, [{ month: 4, day: 24 }]));
  assert.ok(matchesExpiry(20240425, []));
});

test('never throws on any text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => void parseDerivativePhrase(text)));
  fc.assert(fc.property(fc.array(fc.constantFrom('nifty', '24', 'apr', '2024', 'ce', 'pe', 'fut', '22000', '25-04-2024', '&', 'x')), (words) => void parseDerivativePhrase(words.join(' '))));
});
