// A sorted dictionary of keys, each with a list of postings. Sorted keys give exact lookup, prefix ranges
// and the shared-prefix walk of the typo search with binary search only; no per-query allocation.

/** Where a key was found: symbol, alias, underlying, name or ISIN (bit flags, combined per posting). */
export const FIELD = { symbol: 1, alias: 2, underlying: 4, name: 8, isin: 16 } as const;
const FIELD_BITS = 5;

/** A posting packs an ord and the fields it was found in: `ord << 5 | fields` (ords below 2^27). */
export function packPosting(ord: number, fields: number): number {
  return ord * 32 + fields;
}
export function postingOrd(posting: number): number {
  return posting >>> FIELD_BITS;
}
export function postingFields(posting: number): number {
  return posting & 31;
}

export class SortedPostings {
  keys: string[] = [];
  lists: number[][] = [];

  /** Builds from a map in one sort (the bulk path; `add` is for small incremental changes). */
  static fromMap(map: Map<string, number[]>): SortedPostings {
    const sorted = new SortedPostings();
    sorted.keys = [...map.keys()].sort(compareKeys);
    sorted.lists = sorted.keys.map((key) => map.get(key) ?? []);
    return sorted;
  }

  get size(): number {
    return this.keys.length;
  }

  /** First index whose key is ≥ `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of `key`, or -1. */
  find(key: string): number {
    const at = this.lowerBound(key);
    return this.keys[at] === key ? at : -1;
  }

  /** [from, to) of the keys starting with `prefix`. */
  prefixRange(prefix: string): [number, number] {
    return [this.lowerBound(prefix), this.lowerBound(`${prefix}\uffff`)];
  }

  add(key: string, posting: number): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) {
      (this.lists[at] as number[]).push(posting);
      return;
    }
    this.keys.splice(at, 0, key);
    this.lists.splice(at, 0, [posting]);
  }
}

// Plain code-unit order, the order `<` uses in lowerBound.
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
