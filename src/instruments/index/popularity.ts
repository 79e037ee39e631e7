// What to show before the user has typed enough to search, and how to break ties after the ranking
// rules: indices with derivatives, then the bellwether large caps, then the other stocks with
// derivatives (a liquidity proxy that needs no market data), then other indices, NSE shares, BSE group
// A shares, group B, other NSE series and BSE groups, debt. Within a tier, more derivative contracts
// first. Ids passed as `pinned` come before everything, in the order given: the desk's own list belongs
// there. BSE's groups are its own liquidity classes: A the most traded large caps, B the other regular
// scrips, the rest trade-for-trade (T, XT, MT), SME (M), or under surveillance (Z), as NSE's series
// other than EQ are.

import type { DocTable } from './doc-table.ts';

export const POPULAR_OVERALL = 200;
export const POPULAR_PER_CHARACTER = 60;

export interface PopularLists {
  readonly overall: readonly number[];
  readonly byFirstCharacter: ReadonlyMap<string, readonly number[]>;
}

const TIER_SPAN = 1 << 24;
const ALPHABET_SPAN = 1 << 20;

/**
 * The largest Indian companies by market value (the heaviest NIFTY 50 weights, 2024-25). Only a
 * tie-breaker and a default for the empty query, so slow drift is harmless; pass `pinned` to override.
 */
export const BELLWETHER_SYMBOLS: readonly string[] = [
  'RELIANCE', 'HDFCBANK', 'TCS', 'BHARTIARTL', 'ICICIBANK', 'INFY', 'SBIN', 'HINDUNILVR', 'ITC', 'LT',
  'BAJFINANCE', 'KOTAKBANK', 'HCLTECH', 'MARUTI', 'SUNPHARMA', 'AXISBANK', 'M&M', 'NTPC', 'ULTRACEMCO', 'TATAMOTORS',
];
const BELLWETHER_AT = new Map(BELLWETHER_SYMBOLS.map((symbol, i) => [symbol, i]));

/** Tiers at or past this are never in the popular lists (other exchanges, derivatives). */
const UNLISTED_TIER = 9;

function tierOf(docs: DocTable, ord: number, hasDerivatives: boolean): number {
  const instrument = docs.instruments[ord];
  if (!instrument) return 99;
  const nse = instrument.exchange === 'NSE';
  switch (instrument.instrumentType) {
    case 'INDEX':
      return hasDerivatives ? 0 : 2;
    case 'EQ':
    case 'ETF':
      if (hasDerivatives) return nse ? 1 : 3;
      if (nse) return instrument.series === null || instrument.series === 'EQ' ? 4 : 7;
      if (instrument.exchange !== 'BSE') return UNLISTED_TIER;
      return instrument.series === 'A' ? 5 : instrument.series === 'B' ? 6 : 7;
    case 'DEBT':
      return 8;
    default:
      return 99;
  }
}

/** Keys under which an instrument is known: its compact symbol and compact aliases. */
export function namesOf(docs: DocTable, ord: number): readonly string[] {
  return docs.instruments[ord] ? (docs.compactNames[ord] ?? []) : [];
}

/**
 * Writes every live ord's popularity rank into the doc table and returns the popular lists.
 * `derivativeCount(key)` is the number of live contracts on a compact underlying; `underlyingOrd(key)`
 * the cash or index ord standing for it (derivatives inherit its rank); `alphabetical[ord]` the ord's
 * position in symbol order (ties after the tiers). Linear apart from one numeric sort of the cash ords.
 */
export function computePopularity(
  docs: DocTable,
  derivativeCount: (key: string) => number,
  underlyingOrd: (key: string) => number | undefined,
  alphabetical: Int32Array,
  pinned: readonly string[],
): PopularLists {
  const pinnedAt = new Map(pinned.map((id, i) => [id, i]));
  const ords: number[] = [];
  const score = new Float64Array(docs.length);
  for (let ord = 0; ord < docs.length; ord++) {
    const instrument = docs.instruments[ord];
    if (!instrument || instrument.underlying !== null) continue;
    let count = 0;
    for (const name of namesOf(docs, ord)) count = Math.max(count, derivativeCount(name));
    const pin = pinnedAt.get(instrument.id);
    const bellwether = instrument.instrumentType === 'EQ' ? BELLWETHER_AT.get(instrument.symbol) : undefined;
    // Tiers are doubled so bellwethers slot between F&O indices (tier 0) and F&O stocks (tier 1).
    let tier = 2 + 2 * tierOf(docs, ord, count > 0);
    let within = TIER_SPAN - 1 - Math.min(count, TIER_SPAN - 1);
    if (pin !== undefined) [tier, within] = [0, pin];
    else if (bellwether !== undefined) [tier, within] = [3 + 2 * (instrument.exchange === 'NSE' ? 0 : 2), bellwether];
    score[ord] = (tier * TIER_SPAN + within) * ALPHABET_SPAN + Math.min(alphabetical[ord] ?? 0, ALPHABET_SPAN - 1);
    ords.push(ord);
  }
  ords.sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
  ords.forEach((ord, rank) => {
    docs.popularity[ord] = rank;
  });
  for (let ord = 0; ord < docs.length; ord++) {
    if (docs.instruments[ord] == null || docs.compactUnderlying[ord] == null) continue;
    const stand = underlyingOrd(docs.compactUnderlying[ord] ?? '');
    docs.popularity[ord] = stand === undefined ? ords.length : (docs.popularity[stand] as number);
  }
  const listableBelow = (2 + 2 * UNLISTED_TIER) * TIER_SPAN * ALPHABET_SPAN;
  const overall: number[] = [];
  const byFirstCharacter = new Map<string, number[]>();
  for (const ord of ords) {
    if ((score[ord] as number) >= listableBelow) break;
    if (overall.length < POPULAR_OVERALL) overall.push(ord);
    for (const first of new Set(namesOf(docs, ord).map((name) => name.slice(0, 1)))) {
      if (first === '') continue;
      const list = byFirstCharacter.get(first) ?? [];
      if (list.length < POPULAR_PER_CHARACTER) list.push(ord);
      byFirstCharacter.set(first, list);
    }
  }
  return { overall, byFirstCharacter };
}
