// Per-query working memory, allocated once and reused: an epoch stamp marks which ords the current query
// has touched, so nothing is cleared between queries. Searches run one at a time (JavaScript is single
// threaded and search is synchronous), so one scratch per engine is safe.

/** `hits` value of candidates accepted whatever the words (exact and prefix symbol matches). */
export const ACCEPTED_ANYWAY = 255;

export class Scratch {
  epoch = 0;
  stamp = new Uint32Array(0);
  /** Query words matched so far, or ACCEPTED_ANYWAY. */
  hits = new Uint8Array(0);
  /** Best cost of the word being matched (reused as a word index by the partial-match fallback). */
  best = new Int32Array(0);
  /** Text cost accumulated over matched words. */
  total = new Int32Array(0);
  /** Match class (exact, prefix, text). */
  cls = new Uint8Array(0);
  /** Rank key of each candidate that passed the filters. */
  keys = new Float64Array(0);
  candidates = new Int32Array(0);
  count = 0;

  /** Starts a query over `size` ords. */
  begin(size: number): void {
    if (this.stamp.length < size) {
      const capacity = Math.max(size, this.stamp.length * 2, 1024);
      this.stamp = new Uint32Array(capacity);
      this.hits = new Uint8Array(capacity);
      this.best = new Int32Array(capacity);
      this.total = new Int32Array(capacity);
      this.cls = new Uint8Array(capacity);
      this.keys = new Float64Array(capacity);
      this.candidates = new Int32Array(capacity);
      this.epoch = 0;
    }
    this.epoch++;
    if (this.epoch >= 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.count = 0;
  }

  /** Adds an ord as a candidate of the current query (callers check the stamp first). */
  touch(ord: number, matchClass: number): void {
    this.stamp[ord] = this.epoch;
    this.cls[ord] = matchClass;
    this.hits[ord] = 0;
    this.best[ord] = 0;
    this.total[ord] = 0;
    this.candidates[this.count++] = ord;
  }

  /** Touches an ord as accepted regardless of the words; a better class wins if already touched. */
  accept(ord: number, matchClass: number): void {
    if (this.stamp[ord] !== this.epoch) this.touch(ord, matchClass);
    else if (matchClass < (this.cls[ord] as number)) this.cls[ord] = matchClass;
    this.hits[ord] = ACCEPTED_ANYWAY;
  }

  /** Keeps, from `from` on, the candidates with exactly `need` words matched (or accepted anyway). */
  dropIncomplete(from: number, need: number): void {
    let kept = from;
    for (let c = from; c < this.count; c++) {
      const ord = this.candidates[c] as number;
      const hits = this.hits[ord] as number;
      if (hits === need || hits === ACCEPTED_ANYWAY) this.candidates[kept++] = ord;
      else this.stamp[ord] = 0;
    }
    this.count = kept;
  }

  /** Forgets the candidates from `from` on, as if they had never been touched. */
  forgetFrom(from: number): void {
    for (let c = from; c < this.count; c++) this.stamp[this.candidates[c] as number] = 0;
    this.count = Math.min(this.count, from);
  }

  isTouched(ord: number): boolean {
    return this.stamp[ord] === this.epoch;
  }
}
