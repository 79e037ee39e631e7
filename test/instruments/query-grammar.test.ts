import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matchesExpiry, parseDerivativePhrase } from '../../src/instruments/index/query-grammar.ts';

test('reads underlying, strike and option type', () => {
  const phrase = parseDerivativePhrase('nifty 25000 ce');
  assert.deepEqual(phrase?.types, ['CE']);
  assert.deepEqual(phrase?.readings.at(-1), { underlying: 'NIFTY', strike: 25000, expiries: [] });
});

test('reads a month with futures', () => {
  assert.deepEqual(parseDerivativePhrase('banknifty sep fut'), { readings: [{ underlying: 'BANKNIFTY', strike: null, expiries: [{ month: 9 }] }], types: ['FUT'] });
});

const expiriesOf = (text: string) => parseDerivativePhrase(text)?.readings.map((reading) => reading.expiries);

test('a two-digit number before a month is a day or a year', () => {
  const phrase = parseDerivativePhrase('reliance 2900 pe 26 dec');
  assert.deepEqual(phrase?.readings.at(-1), { underlying: 'RELIANCE', strike: 2900, expiries: [{ month: 12, day: 26 }, { month: 12, year: 2026 }] });
  assert.deepEqual(phrase?.types, ['PE']);
  // With a strike already given, 26 can only be part of the date: no reading makes it a strike.
  assert.ok(phrase?.readings.every((reading) => reading.strike !== 26));
  assert.deepEqual(parseDerivativePhrase('nifty 24 apr 22000 pe')?.readings.at(-1)?.expiries, [{ month: 4, day: 24 }, { month: 4, year: 2024 }]);
});

test('a number right after a month is a day or year first, else the strike (the index picks the reading with contracts)', () => {
  assert.deepEqual(parseDerivativePhrase('idea jun 12 ce'), {
    readings: [
      { underlying: 'IDEA', strike: null, expiries: [{ month: 6, day: 12 }, { month: 6, year: 2012 }] },
      { underlying: 'IDEA', strike: 12, expiries: [{ month: 6 }] },
    ],
    types: ['CE'],
  });
  // A four-digit number after a month: April 2020, or strike 2020 in April.
  assert.deepEqual(parseDerivativePhrase('astral apr 2020 pe')?.readings, [
    { underlying: 'ASTRAL', strike: null, expiries: [{ month: 4, year: 2020 }] },
    { underlying: 'ASTRAL', strike: 2020, expiries: [{ month: 4 }] },
  ]);
  // A day that the month does not have is only a year (or the strike).
  assert.deepEqual(expiriesOf('idea feb 30 ce'), [[{ month: 2, year: 2030 }], [{ month: 2 }]]);
  assert.deepEqual(expiriesOf('gmrinfra may 90 pe'), [[{ month: 5, year: 2090 }], [{ month: 5 }]]);
  // Kite's layout, underlying + yy + MON + strike + type: 24 June 2012 first, else June 2024 (or 24 June) at strike 12.
  assert.deepEqual(parseDerivativePhrase('IDEA24JUN12CE')?.readings, [
    { underlying: 'IDEA', strike: null, expiries: [{ day: 24, month: 6, year: 2012 }] },
    { underlying: 'IDEA', strike: 12, expiries: [{ month: 6, day: 24 }, { month: 6, year: 2024 }] },
  ]);
  // Two other numbers already: the one after the month stays part of the date.
  assert.deepEqual(parseDerivativePhrase('nifty apr 25 22000 ce')?.readings, [
    { underlying: 'NIFTY', strike: 22000, expiries: [{ month: 4, day: 25 }, { month: 4, year: 2025 }] },
  ]);
});

test('full dates, Kite symbols, digit grouping and call/put words', () => {
  assert.deepEqual(expiriesOf('tcs 25 apr 2024 fut')?.[0], [{ day: 25, month: 4, year: 2024 }]);
  assert.deepEqual(expiriesOf('nifty 25-04-2024 22000 call'), [[{ year: 2024, month: 4, day: 25 }]]);
  const kite = parseDerivativePhrase('NIFTY24APR22000CE');
  assert.deepEqual(kite?.readings, [{ underlying: 'NIFTY', strike: 22000, expiries: [{ month: 4, day: 24 }, { month: 4, year: 2024 }] }]);
  assert.deepEqual(parseDerivativePhrase('nifty 22,000 put')?.readings.at(-1), { underlying: 'NIFTY', strike: 22000, expiries: [] });
});

test('a number after the words may belong to the name (NIFTY 50)', () => {
  assert.deepEqual(parseDerivativePhrase('nifty 50 ce')?.readings, [
    { underlying: 'NIFTY 50', strike: null, expiries: [] },
    { underlying: 'NIFTY', strike: 50, expiries: [] },
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
