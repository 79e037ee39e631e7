// Typo search over the sorted term list: one Damerau-Levenshtein (optimal string alignment) row per
// character of a term, shared by every term with the same prefix, and whole prefix ranges skipped as
// soon as no alignment can stay within the allowed distance. Cost grows with the distinct prefixes
// near the query, not with the dictionary.

/** Edits forgiven in a word: none below 5 letters, one from 5, two from 8 (callers skip words with digits). */
export function allowedTypos(length: number): number {
  if (length >= 8) return 2;
  if (length >= 5) return 1;
  return 0;
}

let rowPool: Int32Array[] = [];

function rowsFor(depth: number, width: number): Int32Array[] {
  if (rowPool.length <= depth || (rowPool[0]?.length ?? 0) < width) {
    rowPool = Array.from({ length: Math.max(depth + 1, 72) }, () => new Int32Array(Math.max(width, 72)));
  }
  return rowPool;
}

/**
 * Calls `visit(index, distance)` for every key in `keys[from, to)` (sorted) within `maxDistance` edits of
 * `query` (insert, delete, substitute, swap adjacent letters). Keys longer than 64 are not considered.
 */
export function visitFuzzyKeys(
  keys: readonly string[],
  from: number,
  to: number,
  query: string,
  maxDistance: number,
  visit: (index: number, distance: number) => void,
): void {
  const width = query.length + 1;
  const rows = rowsFor(66, width);
  const first = rows[0] as Int32Array;
  for (let j = 0; j < width; j++) first[j] = j;
  let previous = '';
  let validDepth = 0;
  let i = from;
  while (i < to) {
    const key = keys[i] as string;
    if (key.length > 64) {
      i++;
      continue;
    }
    let depth = 0;
    const limit = Math.min(validDepth, previous.length, key.length);
    while (depth < limit && previous.charCodeAt(depth) === key.charCodeAt(depth)) depth++;
    let prunedAt = 0;
    for (let d = depth + 1; d <= key.length; d++) {
      if (fillRow(rows, d, key, query) > maxDistance) {
        prunedAt = d;
        break;
      }
    }
    previous = key;
    if (prunedAt > 0) {
      validDepth = prunedAt;
      // Every key sharing the first `prunedAt` characters is at least as far away: skip them all.
      i = skipSharedPrefix(keys, key, prunedAt, i + 1, to);
      continue;
    }
    validDepth = key.length;
    const distance = (rows[key.length] as Int32Array)[query.length] as number;
    if (distance <= maxDistance) visit(i, distance);
    i++;
  }
}

// Row `d` of the alignment of key[0..d) against every prefix of query; returns the row minimum.
function fillRow(rows: Int32Array[], d: number, key: string, query: string): number {
  const row = rows[d] as Int32Array;
  const up = rows[d - 1] as Int32Array;
  const upUp = d >= 2 ? (rows[d - 2] as Int32Array) : up;
  const k = key.charCodeAt(d - 1);
  const kPrev = d >= 2 ? key.charCodeAt(d - 2) : -1;
  row[0] = d;
  let min = d;
  for (let j = 1; j <= query.length; j++) {
    const q = query.charCodeAt(j - 1);
    let best = (up[j - 1] as number) + (q === k ? 0 : 1);
    const del = (up[j] as number) + 1;
    const ins = (row[j - 1] as number) + 1;
    if (del < best) best = del;
    if (ins < best) best = ins;
    if (j >= 2 && d >= 2 && k === query.charCodeAt(j - 2) && kPrev === q) {
      const swap = (upUp[j - 2] as number) + 1;
      if (swap < best) best = swap;
    }
    row[j] = best;
    if (best < min) min = best;
  }
  return min;
}

function sharesPrefix(a: string, b: string, length: number): boolean {
  if (a.length < length) return false;
  for (let j = 0; j < length; j++) if (a.charCodeAt(j) !== b.charCodeAt(j)) return false;
  return true;
}

// First index in [from, to) whose key does not start with key[0, length) (the sharing keys are contiguous).
function skipSharedPrefix(keys: readonly string[], key: string, length: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sharesPrefix(keys[mid] as string, key, length)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Optimal-string-alignment distance between two short strings, or `max + 1` once it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let found = max + 1;
  visitFuzzyKeys([a], 0, 1, b, max, (_index, distance) => {
    found = distance;
  });
  return found;
}
