// PostgreSQL's binary COPY format, written straight into one growing buffer: the fastest way to
// hand PostgreSQL many rows (no text escaping, no hex for bytea, no number parsing). Only the
// types the platform bulk-loads are here. Format: https://www.postgresql.org/docs/current/sql-copy.html
// (header, then per row a 16-bit field count and per field a 32-bit length, -1 for NULL, and the
// value in the type's binary send format; a 16-bit -1 ends the data).
import { from as copyFrom } from 'pg-copy-streams';
import { connectionOf, type Queryable } from './db.ts';

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const pgEpochMs = Date.UTC(2000, 0, 1);
const dayMs = 86_400_000;

/** Rows in binary COPY format. Call `row(n)`, then exactly n field writers, per row; `finish()` once. */
export class CopyBinaryWriter {
  #buf: Buffer;
  #at = 0;
  rows = 0;

  /** `initial`: a size to allocate, or a buffer to write into (reused scratch; replaced if outgrown). */
  constructor(initial: number | Buffer = 1 << 16) {
    this.#buf = typeof initial === 'number' || initial.length < 64 ? Buffer.allocUnsafe(Math.max(typeof initial === 'number' ? initial : 0, 64)) : initial;
    signature.copy(this.#buf, 0);
    this.#buf.writeInt32BE(0, 11); // flags
    this.#buf.writeInt32BE(0, 15); // header extension length
    this.#at = 19;
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + bytes));
    this.#buf.copy(next, 0, 0, this.#at);
    this.#buf = next;
  }

  row(fields: number): this {
    this.#room(2);
    this.#buf.writeInt16BE(fields, this.#at);
    this.#at += 2;
    this.rows++;
    return this;
  }

  null(): this {
    this.#room(4);
    this.#buf.writeInt32BE(-1, this.#at);
    this.#at += 4;
    return this;
  }

  text(value: string | null | undefined): this {
    if (value == null) return this.null();
    this.#room(4 + value.length * 3);
    const n = this.#buf.write(value, this.#at + 4, 'utf8');
    this.#buf.writeInt32BE(n, this.#at);
    this.#at += 4 + n;
    return this;
  }

  /** jsonb: a version byte (1), then the JSON text, already serialised (a string, or its UTF-8 bytes). */
  jsonb(json: string | Uint8Array | null | undefined): this {
    if (json == null) return this.null();
    if (typeof json !== 'string') {
      this.#room(5 + json.length);
      this.#buf.writeInt32BE(json.length + 1, this.#at);
      this.#buf[this.#at + 4] = 1;
      this.#buf.set(json, this.#at + 5);
      this.#at += 5 + json.length;
      return this;
    }
    this.#room(5 + json.length * 3);
    const n = this.#buf.write(json, this.#at + 5, 'utf8');
    this.#buf.writeInt32BE(n + 1, this.#at);
    this.#buf[this.#at + 4] = 1;
    this.#at += 5 + n;
    return this;
  }

  /** json: the JSON text, already serialised (a string, or its UTF-8 bytes); the server only checks its syntax. */
  json(json: string | Uint8Array | null | undefined): this {
    if (json == null) return this.null();
    if (typeof json === 'string') return this.text(json);
    return this.bytea(json);
  }

  bytea(value: Uint8Array | null | undefined): this {
    if (value == null) return this.null();
    this.#room(4 + value.length);
    this.#buf.writeInt32BE(value.length, this.#at);
    this.#buf.set(value, this.#at + 4);
    this.#at += 4 + value.length;
    return this;
  }

  /** A uuid in its canonical text form (8-4-4-4-12 hex digits, or 32 without dashes). */
  uuid(value: string | null | undefined): this {
    if (value == null) return this.null();
    this.#room(20);
    this.#buf.writeInt32BE(16, this.#at);
    // Hex pairs straight into the buffer: no intermediate strings per value.
    let out = this.#at + 4;
    for (let i = 0; i < value.length && out < this.#at + 20; i++) {
      if (value.charCodeAt(i) === 0x2d && value.length === 36) continue; // '-'
      const hi = hexValue(value.charCodeAt(i));
      const lo = hexValue(value.charCodeAt(++i));
      if (hi < 0 || lo < 0) throw new Error('not a uuid');
      this.#buf[out++] = (hi << 4) | lo;
    }
    if (out !== this.#at + 20 || (value.length !== 36 && value.length !== 32)) throw new Error('not a uuid');
    this.#at += 20;
    return this;
  }

  /** A whole number within ±2^53 (a bigint for the full 64-bit range). */
  int8(value: number | bigint | null | undefined): this {
    if (value == null) return this.null();
    this.#room(12);
    this.#buf.writeInt32BE(8, this.#at);
    if (typeof value === 'bigint') this.#buf.writeBigInt64BE(value, this.#at + 4);
    else writeSafeInt64(this.#buf, value, this.#at + 4);
    this.#at += 12;
    return this;
  }

  int4(value: number | null | undefined): this {
    if (value == null) return this.null();
    this.#room(8);
    this.#buf.writeInt32BE(4, this.#at);
    this.#buf.writeInt32BE(value, this.#at + 4);
    this.#at += 8;
    return this;
  }

  bool(value: boolean | null | undefined): this {
    if (value == null) return this.null();
    this.#room(5);
    this.#buf.writeInt32BE(1, this.#at);
    this.#buf[this.#at + 4] = value ? 1 : 0;
    this.#at += 5;
    return this;
  }

  /** A calendar date, `YYYY-MM-DD`. */
  date(value: string | null | undefined): this {
    if (value == null) return this.null();
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isFinite(ms)) throw new Error('not a date (YYYY-MM-DD)');
    this.#room(8);
    this.#buf.writeInt32BE(4, this.#at);
    this.#buf.writeInt32BE(Math.round((ms - pgEpochMs) / dayMs), this.#at + 4);
    this.#at += 8;
    return this;
  }

  /** A point in time (a Date, epoch milliseconds, or an ISO 8601 text with its offset). */
  timestamptz(value: Date | number | string | null | undefined): this {
    if (value == null) return this.null();
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
    if (!Number.isFinite(ms)) throw new Error('not a point in time');
    this.#room(12);
    this.#buf.writeInt32BE(8, this.#at);
    writeSafeInt64(this.#buf, Math.round(ms - pgEpochMs) * 1000, this.#at + 4);
    this.#at += 12;
    return this;
  }

  /** The buffer written into (the one given, or a larger one once outgrown): to reuse as scratch. */
  get buffer(): Buffer {
    return this.#buf;
  }

  /** The whole COPY data, trailer included. The writer must not be used afterwards. */
  finish(): Buffer {
    this.#room(2);
    this.#buf.writeInt16BE(-1, this.#at);
    this.#at += 2;
    return this.#buf.subarray(0, this.#at);
  }
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** A safe integer as a big-endian two's-complement int64, without a BigInt. */
function writeSafeInt64(buf: Buffer, value: number, at: number): void {
  if (!Number.isSafeInteger(value)) throw new Error('not a safe integer: pass a bigint');
  const high = Math.floor(value / 0x1_0000_0000);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * 0x1_0000_0000, at + 4);
}

/**
 * Runs `COPY <target> FROM STDIN (FORMAT binary)` with `data` on `tx`, which must be one
 * connection (a transaction's), not the pool. Resolves with the rows copied.
 */
export async function copyBinaryIn(tx: Queryable, target: string, data: Buffer): Promise<number> {
  const connection = connectionOf(tx);
  if (!connection) throw new Error('COPY needs one connection (a transaction), not the pool');
  const stream = connection.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(data);
  });
  return stream.rowCount ?? 0;
}
