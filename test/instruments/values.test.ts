import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BadValue, readDate, readNumber, readText } from '../../src/instruments/import/values.ts';

describe('readDate', () => {
  test('reads the spellings Indian instrument files use', () => {
    assert.equal(readDate('25-04-2024'), '2024-04-25');
    assert.equal(readDate('25/04/2024'), '2024-04-25');
    assert.equal(readDate('2024-04-25'), '2024-04-25');
    assert.equal(readDate('2024-04-25 14:30:00'), '2024-04-25');
    assert.equal(readDate('06-OCT-2008'), '2008-10-06');
    assert.equal(readDate('6 Oct 08'), '2008-10-06');
    assert.equal(readDate('20240425'), '2024-04-25');
  });

  test('reads Excel date cells, serials and epoch milliseconds as Indian dates', () => {
    assert.equal(readDate(new Date('2024-04-25T00:00:00.000Z')), '2024-04-25');
    // exceljs can land a hair before midnight.
    assert.equal(readDate(new Date('2024-04-24T23:59:59.999Z')), '2024-04-25');
    assert.equal(readDate(45407), '2024-04-25');
    assert.equal(readDate(1714003200000), '2024-04-25');
  });

  test('empty cells and placeholders are no date; impossible dates are rejected with the value', () => {
    assert.equal(readDate(null), null);
    assert.equal(readDate('  '), null);
    assert.equal(readDate('NaT'), null);
    assert.throws(() => readDate('31-02-2024'), (error: unknown) => error instanceof BadValue && /not a date: "31-02-2024"/.test(error.message));
    assert.throws(() => readDate('soon'), BadValue);
    assert.throws(() => readDate(12), BadValue);
  });

  test('any text either reads as a date or fails with BadValue, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          const iso = readDate(text);
          assert.ok(iso === null || /^\d{4}-\d{2}-\d{2}$/.test(iso));
        } catch (error) {
          assert.ok(error instanceof BadValue);
        }
      }),
    );
  });
});

describe('readNumber and readText', () => {
  test('numbers accept grouping (western and Indian) and reject words', () => {
    assert.equal(readNumber('22000'), 22000);
    assert.equal(readNumber(' 1,00,000.50 '), 100000.5);
    assert.equal(readNumber('0.05'), 0.05);
    assert.equal(readNumber(''), null);
    assert.equal(readNumber('NA'), null);
    assert.throws(() => readNumber('12abc'), /not a number: "12abc"/);
    assert.throws(() => readNumber(Number.NaN), BadValue);
  });

  test('text is trimmed and single-spaced; dashes mean empty, but NA stays a possible symbol', () => {
    assert.equal(readText('  A  '), 'A');
    assert.equal(readText('Tata   Motors'), 'Tata Motors');
    assert.equal(readText('-'), null);
    assert.equal(readText('NA'), 'NA');
    assert.equal(readText(new Date('2024-04-25T00:00:00Z')), '2024-04-25');
  });
});
