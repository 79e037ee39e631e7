import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvParser, JUNK_AFTER_QUOTE, UNCLOSED_QUOTE, type CsvRecord } from '../../src/platform/csv-parser.ts';

/** Feeds `text` in pieces cut at `cuts` (any positions), then ends. */
function parseInPieces(text: string, cuts: number[] = [], delimiter = ','): CsvRecord[] {
  const parser = new CsvParser(delimiter);
  const out: CsvRecord[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= text.length) continue;
    out.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  out.push(...parser.push(text.slice(from)), ...parser.end());
  return out;
}

const cell = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', '"', '""', 'a,b', 'a;b', 'a\tb', 'a|b', 'line\nbreak', 'cr\r\nlf', ' spaced ', 'ü₹', '5" screen'),
);
const table = fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 15 }));

/** How a spreadsheet writes a cell: quoted when it must be (an empty one too), doubled quotes inside. */
function writeCell(value: string, delimiter: string, alwaysQuote: boolean): string {
  return alwaysQuote || value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

test('well-formed CSV reads back to the cells written, in any chunking, for any delimiter and line end', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(',', ';', '\t', '|'),
      fc.constantFrom('\n', '\r\n'),
      table,
      fc.array(fc.nat(2000), { maxLength: 8 }),
      fc.boolean(),
      fc.boolean(),
      (delimiter, eol, rows, cuts, alwaysQuote, trailingEol) => {
        const text = rows.map((r) => r.map((v) => writeCell(v, delimiter, alwaysQuote)).join(delimiter)).join(eol) + (trailingEol ? eol : '');
        assert.deepEqual(parseInPieces(text, cuts, delimiter).map((r) => ('cells' in r ? r.cells : r.error)), rows);
      },
    ),
    { numRuns: 1000, seed: 3 },
  );
});

test('agrees with csv-parse on well-formed files', () => {
  fc.assert(
    fc.property(table, fc.array(fc.nat(500), { maxLength: 5 }), (rows, cuts) => {
      const text = `${rows.map((r) => r.map((v) => writeCell(v, ',', false)).join(',')).join('\r\n')}\r\n`;
      const expected = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
      assert.deepEqual(parseInPieces(text, cuts).map((r) => ('cells' in r ? r.cells : r.error)), expected);
    }),
    { numRuns: 500, seed: 9 },
  );
});

test('line numbers are where each record starts, counting blank lines and line breaks inside quotes', () => {
  const text = '\uFEFFh1,h2\r\n\r\na,b\n"multi\nline",c\n\n\nlast,"x"';
  assert.deepEqual(parseInPieces(text, [3, 9, 17]), [
    { line: 1, cells: ['h1', 'h2'] },
    { line: 3, cells: ['a', 'b'] },
    { line: 4, cells: ['multi\nline', 'c'] },
    { line: 8, cells: ['last', 'x'] },
  ]);
});

test('ragged rows, quotes inside unquoted fields and trailing delimiters are kept as written', () => {
  assert.deepEqual(parseInPieces('a,b,c\n1\n2,3,4,5\n5" screen,x"y",\n'), [
    { line: 1, cells: ['a', 'b', 'c'] },
    { line: 2, cells: ['1'] },
    { line: 3, cells: ['2', '3', '4', '5'] },
    { line: 4, cells: ['5" screen', 'x"y"', ''] },
  ]);
});

test('an unclosed quote or junk after a closing quote is one error at its line; the next lines are read', () => {
  assert.deepEqual(parseInPieces('a,b\n"open,x\nc,d\n'), [
    { line: 1, cells: ['a', 'b'] },
    { line: 2, error: UNCLOSED_QUOTE },
    { line: 3, cells: ['c', 'd'] },
  ]);
  assert.deepEqual(parseInPieces('a,"b"junk,c\nd,e\n'), [
    { line: 1, error: JUNK_AFTER_QUOTE },
    { line: 2, cells: ['d', 'e'] },
  ]);
  // An open quote that meets a later quoted field: the record fails at the junk, reading resumes
  // on the line after its start.
  assert.deepEqual(parseInPieces('x,"open\ny,z\n"q",w\nlast,1\n'), [
    { line: 1, error: JUNK_AFTER_QUOTE },
    { line: 2, cells: ['y', 'z'] },
    { line: 3, cells: ['q', 'w'] },
    { line: 4, cells: ['last', '1'] },
  ]);
});

test('a quoted record longer than the limit is an error without waiting for the end of the file', () => {
  const parser = new CsvParser(',', 1000);
  const out = [...parser.push('ok,1\n"runaway,'), ...parser.push('x\n'.repeat(600))];
  assert.deepEqual(out.slice(0, 2), [
    { line: 1, cells: ['ok', '1'] },
    { line: 2, error: UNCLOSED_QUOTE },
  ]);
  assert.equal(out.length, 2 + 599, 'the lines after it are read as rows (the first x is on the runaway line)');
});

test('error messages never carry the data', () => {
  for (const r of parseInPieces('"PAN ABCDE1234F"x\n"9876543210')) if ('error' in r) assert.ok(!/ABCDE|9876/.test(r.error));
});
