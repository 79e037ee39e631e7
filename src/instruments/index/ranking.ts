// The ranking rules as one number per candidate, so ordering is a numeric comparison; ties fall back to
// popularity, strike and symbol, which keeps the order total and the results stable between calls.
//
// Key layout, most significant first (lower ranks first):
//   match class (exact symbol or alias 0, symbol prefix 1, other 2, other with a word typed in full found
//   only as the start of a longer word 3, other needing a typo 4)
//   type class (2 bits: cash and index 0, cash debt 1, futures 2, options 3)
//   exchange rank (2 bits: NSE family 0, BSE family 1, MCX 2, other 3)
//   expiry rank (20 bits: none 0, unexpired 1 + days to expiry, expired 2^19 + days since)
//   text cost (14 bits: see text-candidates' costs; for text matches, times 16 plus the name's word
//   count, so the query covering more of a name breaks ties)

import type { DocTable } from './doc-table.ts';
import { NO_EXPIRY } from './doc-table.ts';

export const MATCH_EXACT = 0;
export const MATCH_PREFIX = 1;
export const MATCH_TEXT = 2;
/** A text match where a word followed by another (so typed in full) matched only a longer word's start. */
export const MATCH_PARTIAL = 3;
/** A text match that needed a typo in some word: after every match as typed. */
export const MATCH_TYPO = 4;

const EXPIRED = 1 << 19;
const MAX_COST = (1 << 14) - 1;

/** Expiry component: contracts expiring today or later first, nearest first; expired ones after all. */
export function expiryRank(day: number, today: number): number {
  if (day === NO_EXPIRY) return 0;
  if (day >= today) return 1 + Math.min(day - today, EXPIRED - 2);
  return EXPIRED + Math.min(today - day, EXPIRED - 1);
}

/**
 * The combined key of one candidate (see the layout above); `head` packs match class, type class and
 * exchange rank as `class * 16 + typeClass * 4 + exchangeRank`.
 */
export function rankKey(head: number, expiryDay: number, cost: number, today: number): number {
  return (head * (1 << 20) + expiryRank(expiryDay, today)) * (1 << 14) + (cost < MAX_COST ? cost : MAX_COST);
}

/** Negative when (keyA, a) ranks before (keyB, b). */
export function compareRanked(docs: DocTable, keyA: number, a: number, keyB: number, b: number): number {
  if (keyA !== keyB) return keyA - keyB;
  const popularity = (docs.popularity[a] as number) - (docs.popularity[b] as number);
  if (popularity !== 0) return popularity;
  const strikeA = docs.strike[a] as number;
  const strikeB = docs.strike[b] as number;
  if (strikeA !== strikeB && !Number.isNaN(strikeA) && !Number.isNaN(strikeB)) return strikeA - strikeB;
  const symbolA = docs.compactSymbol[a] as string;
  const symbolB = docs.compactSymbol[b] as string;
  if (symbolA !== symbolB) return symbolA < symbolB ? -1 : 1;
  return a - b;
}

/**
 * Keeps the best `k` candidates seen, in O(log k) per better candidate (a max-heap on rank). Keys are
 * read from a Float64Array indexed by ord, so no per-candidate number is boxed.
 */
export class TopK {
  private readonly ords: number[] = [];
  private readonly docs: DocTable;
  private readonly keys: Float64Array;
  private readonly k: number;

  constructor(docs: DocTable, keys: Float64Array, k: number) {
    this.docs = docs;
    this.keys = keys;
    this.k = k;
  }

  /** False when the heap is full and `key` ranks strictly after its worst entry (a cheap reject). */
  mayTake(key: number): boolean {
    return this.ords.length < this.k || key <= (this.keys[this.ords[0] as number] as number);
  }

  offer(ord: number): void {
    const { ords } = this;
    if (ords.length < this.k) {
      ords.push(ord);
      this.siftUp(ords.length - 1);
    } else if (this.k > 0 && this.after(ords[0] as number, ord)) {
      ords[0] = ord;
      this.siftDown(0);
    }
  }

  /** The kept ords, best first. */
  drain(): number[] {
    return this.ords.sort((a, b) => compareRanked(this.docs, this.keys[a] as number, a, this.keys[b] as number, b));
  }

  // True when ord `a` ranks after ord `b`.
  private after(a: number, b: number): boolean {
    return compareRanked(this.docs, this.keys[a] as number, a, this.keys[b] as number, b) > 0;
  }

  private siftUp(at: number): void {
    const { ords } = this;
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.after(ords[i] as number, ords[parent] as number)) break;
      [ords[i], ords[parent]] = [ords[parent] as number, ords[i] as number];
      i = parent;
    }
  }

  private siftDown(at: number): void {
    const { ords } = this;
    const n = ords.length;
    let i = at;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < n && this.after(ords[left] as number, ords[largest] as number)) largest = left;
      if (right < n && this.after(ords[right] as number, ords[largest] as number)) largest = right;
      if (largest === i) return;
      [ords[i], ords[largest]] = [ords[largest] as number, ords[i] as number];
      i = largest;
    }
  }
}
