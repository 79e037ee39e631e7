// The ids an import has seen, kept as 64-bit fingerprints in one open-addressing table of 32-bit
// integers: 16 to 32 bytes per distinct id instead of the ~130 a Set of strings holds, so a file of a
// million rows counts its repeated rows in ~32 MB at most.

const EMPTY = 0;
const INITIAL_SLOTS = 1 << 12;

/**
 * A set of strings that remembers 64-bit fingerprints, not the strings. `add` answers exactly for an id
 * seen before; a new id is taken for a seen one only when two ids share a fingerprint, with probability
 * about n² / 2^65 over n distinct ids (3 in 100 million for a million ids). Good for counting
 * duplicates, not for deciding what to keep.
 */
export class IdFingerprints {
  private table = new Int32Array(INITIAL_SLOTS * 2);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds an id; returns false when it (or an id with its fingerprint) was already there. */
  add(id: string): boolean {
    // cyrb53's two lanes, kept at 32 bits each.
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    // A fingerprint is never (EMPTY, EMPTY): that pair marks a free slot.
    if (h1 === EMPTY && h2 === EMPTY) h2 = 1;
    if (!this.insert(h1, h2)) return false;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  // Linear probing from the slot h2 names; false when the fingerprint is present.
  private insert(h1: number, h2: number): boolean {
    const table = this.table;
    for (let slot = h2 & this.mask; ; slot = (slot + 1) & this.mask) {
      const a = table[slot * 2] as number;
      const b = table[slot * 2 + 1] as number;
      if (a === EMPTY && b === EMPTY) {
        table[slot * 2] = h1;
        table[slot * 2 + 1] = h2;
        return true;
      }
      if (a === h1 && b === h2) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = this.table.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i] as number;
      const b = old[i + 1] as number;
      if (a !== EMPTY || b !== EMPTY) this.insert(a, b);
    }
  }
}
