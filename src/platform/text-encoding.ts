// Text files arrive in UTF-8 or, from Windows back offices and spreadsheets, in Windows-1252
// (Latin-1 with smart quotes). Which one is told from the bytes of the whole file, once, before
// reading; the reader then decodes with it, so a name like "Pondichéry" is never stored as
// "Pondich\uFFFDry".
import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';

export type TextEncodingName = 'utf8' | 'windows-1252';

/** Bytes at the end of `data` that start a UTF-8 sequence the next chunk completes. */
function incompleteTail(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const byte = data[data.length - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return needs > back ? back : 0;
    }
  }
  return 0;
}

/** True when `data` holds at least one well-formed multi-byte UTF-8 sequence. */
function hasUtf8Sequence(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte < 0xc2 || byte > 0xf4) continue;
    const needs = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1;
    let ok = i + needs < data.length;
    for (let k = 1; ok && k <= needs; k++) ok = (data[i + k]! & 0xc0) === 0x80;
    if (ok) return true;
  }
  return false;
}

export type DetectedEncoding = {
  encoding: TextEncodingName;
  /** UTF-8 text with stray bytes that are not UTF-8: they decode to U+FFFD (see `hasReplacement`). */
  strayBytes: boolean;
};

/**
 * The encoding of a text file: `utf8` when it is valid UTF-8 (or plain ASCII); `windows-1252`
 * when it is not and holds no UTF-8 sequence at all (a Latin-1 export). A file mixing valid UTF-8
 * with stray bytes stays `utf8` with `strayBytes`: decoding it as Windows-1252 would garble every
 * correct row, so only the rows holding the stray bytes should be refused. Reads the whole file in
 * 1 MiB chunks; a valid file costs one native check per chunk.
 */
export async function detectTextEncoding(path: string): Promise<DetectedEncoding> {
  let carry = Buffer.alloc(0);
  let invalid = false;
  let multibyte = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const end = data.length - incompleteTail(data);
    const body = data.subarray(0, end);
    carry = Buffer.from(data.subarray(end));
    if (isAscii(body)) continue;
    if (isUtf8(body)) multibyte = true;
    else {
      invalid = true;
      multibyte ||= hasUtf8Sequence(body);
    }
    if (invalid && multibyte) return { encoding: 'utf8', strayBytes: true };
  }
  if (carry.length) invalid = true; // a sequence cut off by the end of the file
  return invalid && !multibyte ? { encoding: 'windows-1252', strayBytes: false } : { encoding: 'utf8', strayBytes: invalid };
}

/** A byte stream filter from a single-byte encoding to UTF-8. */
export function decodeToUtf8(encoding: Exclude<TextEncodingName, 'utf8'>): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
}

/** True when decoded text holds U+FFFD, the mark of bytes that were not valid in its encoding. */
export function hasReplacement(text: string): boolean {
  return text.includes('\uFFFD');
}
