// Index names differ between the cash feed and the derivatives segment: the index is `NIFTY BANK`, its
// futures and options trade as `BANKNIFTY`. Aliases let one query find both.

import { compactKey } from './text.ts';

/** Index symbol (as the exchanges and Kite spell it) → the names traders and the F&O segment use. */
export const INDEX_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'NIFTY 50': ['NIFTY'],
  'NIFTY BANK': ['BANKNIFTY'],
  'NIFTY FIN SERVICE': ['FINNIFTY'],
  'NIFTY MID SELECT': ['MIDCPNIFTY'],
  'NIFTY MIDCAP SELECT': ['MIDCPNIFTY'],
  'NIFTY MIDCAP SELECT (MIDCPNIFTY)': ['MIDCPNIFTY'],
  'NIFTY NEXT 50': ['NIFTYNXT50'],
  'INDIA VIX': ['VIX'],
  'SENSEX 50': ['SENSEX50'],
  'BSE SENSEX': ['SENSEX'],
  'BSE BANKEX': ['BANKEX'],
};

const byCompactSymbol = new Map<string, readonly string[]>(
  Object.entries(INDEX_ALIASES).map(([symbol, aliases]) => [compactKey(symbol), aliases]),
);

/** The known aliases of an index symbol (matched ignoring case, spaces and punctuation); empty when none. */
export function findIndexAliases(symbol: string): readonly string[] {
  return byCompactSymbol.get(compactKey(symbol)) ?? [];
}

/** Alias or index name (compacted) → the derivative underlying it stands for: `NIFTY50` → `NIFTY`. */
export function listUnderlyingAliases(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [symbol, aliases] of Object.entries(INDEX_ALIASES)) {
    const derivativeName = aliases[0];
    if (derivativeName) pairs.push([compactKey(symbol), derivativeName]);
  }
  return pairs;
}
