// Resolves an F&O phrase against the index: which underlying the words name (directly, through an index
// alias or company name, or with one typo), then its contracts matching strike, type and expiry.

import { compactKey } from '../text.ts';
import { allowedTypos, boundedDistance } from './fuzzy-terms.ts';
import type { IndexState } from './index-state.ts';
import { matchesExpiry } from './query-grammar.ts';
import type { DerivativePhrase, ExpiryPattern } from './query-grammar.ts';

export interface DerivativeMatch {
  /** Compact underlying key (`NIFTY`, `MM` for M&M). */
  readonly underlying: string;
  readonly strike: number | null;
  readonly types: ReadonlyArray<'FUT' | 'CE' | 'PE'>;
  readonly expiries: readonly ExpiryPattern[];
  readonly ords: readonly number[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `24 APR or APR 2024`: how the expiry words were read, for the response. */
export function describeExpiries(patterns: readonly ExpiryPattern[]): string | null {
  if (patterns.length === 0) return null;
  return patterns
    .map((p) => [p.day, p.month === undefined ? undefined : MONTHS[p.month - 1], p.year].filter((part) => part !== undefined).join(' '))
    .join(' or ');
}

function resolveUnderlying(state: IndexState, phrase: string): string | null {
  const key = compactKey(phrase);
  const { underlyings, underlyingNames, underlyingKeys } = state.derived;
  if (key === '') return null;
  if (underlyings.has(key)) return key;
  const named = underlyingNames.get(key);
  if (named) return named;
  // One typo at most, and none in names with digits (`IDEA 8` is IDEA with strike 8, not a misspelt IDEA).
  const allowed = /\d/.test(key) ? 0 : Math.min(1, allowedTypos(key.length));
  if (allowed === 0) return null;
  let best: string | null = null;
  for (const candidate of underlyingKeys) {
    if (Math.abs(candidate.length - key.length) > allowed) continue;
    if (boundedDistance(candidate, key, allowed) <= allowed) {
      if (best !== null) return null; // two underlyings one typo away: too ambiguous to guess
      best = candidate;
    }
  }
  return best;
}

/**
 * The contracts an F&O phrase names, trying its readings in the phrase's order (longest underlying first,
 * a number after a month as part of the date before as the strike). Null when no reading
 * names a known underlying, or when the only clue was a number that matched no strike (`nifty 50` is the
 * index, not a strike); an empty match when the phrase is explicit (`banknifty sep fut`) and no such
 * contract exists, so the answer is "none" rather than unrelated text matches.
 */
export function findDerivatives(state: IndexState, phrase: DerivativePhrase): DerivativeMatch | null {
  const { docs } = state;
  let emptyButExplicit: DerivativeMatch | null = null;
  for (const reading of phrase.readings) {
    const underlying = resolveUnderlying(state, reading.underlying);
    if (underlying === null) continue;
    const types = phrase.types.length > 0 ? phrase.types : reading.strike !== null ? (['CE', 'PE'] as const) : [];
    const ords: number[] = [];
    const contracts = state.derived.underlyings.get(underlying) ?? [];
    for (let i = 0; i < contracts.length; i++) {
      const ord = contracts[i] as number;
      const instrument = docs.instruments[ord];
      if (!instrument) continue;
      if (types.length > 0 && !types.includes(instrument.instrumentType as 'FUT' | 'CE' | 'PE')) continue;
      if (reading.strike !== null && (instrument.strike === null || Math.abs(instrument.strike - reading.strike) > 1e-6)) continue;
      if (!matchesExpiry(docs.expiryYmd[ord] as number, reading.expiries)) continue;
      ords.push(ord);
    }
    const match = { underlying, strike: reading.strike, types, expiries: reading.expiries, ords };
    if (ords.length > 0) return match;
    if (phrase.types.length > 0 || reading.expiries.length > 0) emptyButExplicit ??= match;
  }
  return emptyButExplicit;
}
