// A CSV reader for the files brokers send (RFC 4180 plus what spreadsheets and back offices write):
// fields quoted with `"` and `""` inside, any one-character delimiter, LF or CRLF line ends,
// ragged rows, blank lines skipped, a leading BOM dropped, and a `"` inside an unquoted field kept
// as a character. It scans with indexOf from quote to quote and delimiter to delimiter instead of
// character by character, which makes it several times faster than a general parser.
//
// Bad records never stop the file: a quoted field still open at the end of the file or after
// `maxRecordChars`, or a closing quote followed by other characters, makes that record one error
// (at the line where it starts) and reading goes on at the next line. Error messages never quote
// the data.

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export type CsvRecord = { line: number; cells: string[] } | { line: number; error: string };

export const UNCLOSED_QUOTE = 'a quoted field is not closed';
export const JUNK_AFTER_QUOTE = 'a closing quote is followed by other characters than a delimiter or a line end';

type Parsed = { next: number; lines: number; record: CsvRecord | null } | 'more';

export class CsvParser {
  readonly #delimiter: string;
  readonly #maxRecordChars: number;
  #text = '';
  #line = 1;
  #started = false;

  constructor(delimiter = ',', maxRecordChars = 8 << 20) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') throw new Error('the delimiter must be one character other than a quote or a line end');
    this.#delimiter = delimiter;
    this.#maxRecordChars = maxRecordChars;
  }

  /** Adds text; returns the records it completes, in order. */
  push(text: string): CsvRecord[] {
    if (!this.#started && text.length) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#text = this.#text.length ? this.#text + text : text;
    return this.#drain(false);
  }

  /** The end of the input: returns the last records. */
  end(): CsvRecord[] {
    const records = this.#drain(true);
    this.#text = '';
    return records;
  }

  #drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const text = this.#text;
    let at = 0;
    while (at < text.length) {
      const parsed = this.#record(text, at, final);
      if (parsed === 'more') break;
      if (parsed.record) out.push(parsed.record);
      this.#line += parsed.lines;
      at = parsed.next;
    }
    this.#text = at === 0 ? text : text.slice(at);
    return out;
  }

  /** The record starting at `start`: its cells or its error, where the next one starts, lines used. */
  #record(text: string, start: number, final: boolean): Parsed {
    const line = this.#line;
    const delimiter = this.#delimiter;
    const firstLf = text.indexOf('\n', start);
    if (firstLf === -1 && !final) return 'more';
    // A blank line (LF or CRLF only) holds no record.
    if (firstLf === start) return { next: start + 1, lines: 1, record: null };
    if (firstLf === start + 1 && text.charCodeAt(start) === CR) return { next: start + 2, lines: 1, record: null };

    const cells: string[] = [];
    let lines = 0;
    let p = start;
    let lf = firstLf === -1 ? text.length : firstLf; // the line end ahead of p
    for (;;) {
      if (text.charCodeAt(p) === QUOTE) {
        // Quoted: up to the quote not doubled; it may hold delimiters and line ends.
        let value = '';
        let from = p + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1 || (q + 1 >= text.length && !final)) {
            if (!final && text.length - start < this.#maxRecordChars) return 'more';
            return this.#skipLine(text, start, line, UNCLOSED_QUOTE, final);
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          p = q + 1;
          break;
        }
        if (p > lf) {
          for (let n = value.indexOf('\n'); n !== -1; n = value.indexOf('\n', n + 1)) lines++;
          lf = text.indexOf('\n', p);
          if (lf === -1) lf = text.length;
        }
        cells.push(value);
        if (p >= text.length) return final ? { next: p, lines, record: { line, cells } } : 'more';
        const c = text.charCodeAt(p);
        if (text[p] === delimiter) {
          p++;
          continue;
        }
        if (c === LF) return { next: p + 1, lines: lines + 1, record: { line, cells } };
        if (c === CR && text.charCodeAt(p + 1) === LF) return { next: p + 2, lines: lines + 1, record: { line, cells } };
        if (c === CR && p + 1 >= text.length && !final) return 'more';
        return this.#skipLine(text, start, line, JUNK_AFTER_QUOTE, final);
      }
      // Unquoted: up to the next delimiter or line end.
      if (lf === text.length && !final) return 'more';
      const d = text.indexOf(delimiter, p);
      if (d !== -1 && d < lf) {
        cells.push(text.slice(p, d));
        p = d + 1;
        continue;
      }
      const end = lf > p && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
      cells.push(text.slice(p, end));
      return { next: Math.min(lf + 1, text.length), lines: lines + (lf < text.length ? 1 : 0), record: { line, cells } };
    }
  }

  /** A bad record: one error at its first line; reading goes on at the line after it. */
  #skipLine(text: string, start: number, line: number, error: string, final: boolean): Parsed {
    const lf = text.indexOf('\n', start);
    if (lf === -1) return final ? { next: text.length, lines: 0, record: { line, error } } : 'more';
    return { next: lf + 1, lines: 1, record: { line, error } };
  }
}
