// A seeded pseudo-random generator for synthetic data: sfc32 seeded through cyrb128, so any
// number or string seed gives a reproducible stream on every platform. Not for secrets.

export type Random = {
  /** Uniform 32-bit unsigned integer. */
  next: () => number;
  /** Uniform in [0, 1). */
  float: () => number;
  /** Uniform integer in [min, max], both inclusive. */
  int: (min: number, max: number) => number;
  /** True with probability p. */
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** `count` decimal digits (the first may be 0). */
  digits: (count: number) => string;
  /** `count` uppercase letters. */
  letters: (count: number) => string;
};

// cyrb128: a fast, well-mixed 128-bit hash of the seed text, used only to fill sfc32's state.
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

const powersOfTen = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const zeros = '000000000';

/** A generator whose whole stream is fixed by `seed`. */
export function createRandom(seed: number | string): Random {
  let [a, b, c, d] = hashSeed(`pravah:${String(seed)}`);
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 15; i++) next(); // sfc32 wants a few rounds before its output is well mixed
  const float = () => next() / 4294967296;
  const int = (min: number, max: number) => min + Math.floor(float() * (max - min + 1));
  return {
    next,
    float,
    int,
    chance: (p) => float() < p,
    pick: (items) => items[Math.floor(float() * items.length)]!,
    // Up to nine digits per draw: one string per draw instead of one per digit.
    digits: (count) => {
      let out = '';
      for (let left = count; left > 0; left -= 9) {
        const take = left < 9 ? left : 9;
        const drawn = String(next() % powersOfTen[take]!);
        out += drawn.length === take ? drawn : zeros.slice(0, take - drawn.length) + drawn;
      }
      return out;
    },
    letters: (count) => {
      let out = '';
      for (let i = 0; i < count; i++) out += String.fromCharCode(65 + (next() % 26));
      return out;
    },
  };
}

/** Picks from `[value, weight]` pairs; build once with `createWeighted`, draw per record. */
export function createWeighted<T>(pairs: ReadonlyArray<readonly [T, number]>): (random: Random) => T {
  const total = pairs.reduce((sum, [, weight]) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const [, weight] of pairs) cumulative.push((running += weight) / total);
  return (random) => {
    const x = random.float();
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]!) return pairs[i]![0];
    return pairs[pairs.length - 1]![0];
  };
}
