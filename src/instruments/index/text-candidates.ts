// Text matching: every query word must match some word of an instrument exactly, as a prefix, or within
// the typo allowance. The most selective word is expanded through the dictionary's postings; later words
// are checked against each surviving candidate's own few terms when that is cheaper than their postings.
// If no instrument matches every word, those matching the most words are kept, with a penalty.
// Typos: a word that matches nothing as typed is looked for within its allowance; a lone word that finds
// few instruments as typed is also tried one edit away (`medio` prefixes MEDIORG but was meant for
// MEDICO). A match that needed a typo ranks after every match as typed.
// A word followed by another was typed in full: an instrument that has it only as the start of a longer
// word (`network limited` against NETWORKS) ranks after those that have the word itself, but before
// typos; the last word may still be being typed, so its prefix matches cost only their small prefix cost.

import { allowedTypos, visitFuzzyKeys } from './fuzzy-terms.ts';
import { ISIN_TERM } from './index-state.ts';
import type { ForwardEntry, IndexState } from './index-state.ts';
import { MATCH_PARTIAL, MATCH_TEXT, MATCH_TYPO } from './ranking.ts';
import { FIELD, postingFields, postingOrd } from './sorted-postings.ts';
import type { SortedPostings } from './sorted-postings.ts';
import type { Scratch } from './scratch.ts';
import { ACCEPTED_ANYWAY } from './scratch.ts';

const EXACT = 0;
const PREFIX = 1;
const TYPO = 2;
/** Cost added per query word an instrument does not match, in the fallback. */
const MISSING_WORD_COST = 64;
/** Cost of one edit; every match as typed costs less (see matchCost). */
const TYPO_COST = 8;
/**
 * A word's match cost carries its tier above these bits (0 as typed, 1 a completed word matched only as
 * a prefix, 2 a typo), so the lowest cost of a word for an instrument is also its best tier; addCost
 * takes the tier into the match class and the rest into the text cost.
 */
const TIER_SHIFT = 10;
const COST_MASK = (1 << TIER_SHIFT) - 1;
const TIER_PARTIAL = 1 << TIER_SHIFT;
const TIER_TYPO = 2 << TIER_SHIFT;
/** Below this many candidates as typed (about a page), a lone word that matched is also tried one edit away. */
const SCARCE_MATCHES = 32;
const HAS_DIGIT = /\d/;
const ISIN_PREFIX = /^[A-Z]{2}(?=[A-Z0-9]*\d)[A-Z0-9]{3,10}$/;

interface WordPlan {
  readonly word: string;
  readonly prefix: boolean;
  /** Followed by another word, so typed in full: a prefix match is only partial. */
  readonly completed: boolean;
  readonly isinWord: string | null;
  /** Dictionary index ranges whose keys start with the word (or, for ISIN prefixes, with ISIN_TERM+word). */
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  readonly typos: ReadonlyArray<readonly [number, number]>;
  readonly typoWords: ReadonlyMap<string, number>;
  readonly estimate: number;
  /** Matched as typed, so not fuzzed yet, but could be. */
  readonly fuzzable: boolean;
}

/**
 * Cost of a match: symbol, alias and ISIN 0; underlying 1; name 4; plus 0 exact, 2 prefix, 8 per typo;
 * plus its tier (a prefix of a completed word is partial).
 */
function matchCost(fields: number, kind: number, distance: number, completed: boolean): number {
  const base = (fields & (FIELD.symbol | FIELD.alias | FIELD.isin)) !== 0 ? 0 : (fields & FIELD.underlying) !== 0 ? 1 : 4;
  if (kind === EXACT) return base;
  if (kind === PREFIX) return base + 2 + (completed ? TIER_PARTIAL : 0);
  return base + TYPO_COST * distance + TIER_TYPO;
}

function planWord(terms: SortedPostings, word: string, allowPrefix: boolean, fuzzKnown: boolean, completed: boolean): WordPlan {
  const exact = terms.find(word);
  const ranges: Array<readonly [number, number]> = [allowPrefix ? terms.prefixRange(word) : exact >= 0 ? [exact, exact + 1] : [0, 0]];
  const isinWord = word.length >= 5 && ISIN_PREFIX.test(word) ? ISIN_TERM + word : null;
  if (isinWord) ranges.push(terms.prefixRange(isinWord));
  let estimate = 0;
  for (const [from, to] of ranges) for (let i = from; i < to; i++) estimate += (terms.lists[i] as number[]).length;
  const typos: Array<readonly [number, number]> = [];
  const typoWords = new Map<string, number>();
  // Words with digits are codes (ISINs, bond symbols, strikes): never fuzzed.
  const allowed = HAS_DIGIT.test(word) ? 0 : allowedTypos(word.length);
  const literal = estimate;
  // A word that matches as typed is tried one edit away at most: it is nearly right already.
  const edits = literal === 0 ? allowed : fuzzKnown ? Math.min(1, allowed) : 0;
  if (edits > 0) {
    const [lo, hi] = ranges[0] as readonly [number, number];
    const visit = (index: number, distance: number) => {
      const key = terms.keys[index] as string;
      if (distance > 0 && (index < lo || index >= hi) && !typoWords.has(key)) {
        typos.push([index, distance]);
        typoWords.set(key, distance);
        estimate += (terms.lists[index] as number[]).length;
      }
    };
    // One edit first, among keys starting with the word's first or second letter (a swap of the first
    // two letters included; for a word that matched as typed, the first letter only); two edits only
    // if that found nothing, and only keeping the first letter.
    for (const first of new Set(literal === 0 ? [word[0] as string, word[1] as string] : [word[0] as string])) {
      const [from, to] = terms.prefixRange(first);
      visitFuzzyKeys(terms.keys, from, to, word, 1, visit);
    }
    if (edits > 1 && typos.length === 0) {
      const [from, to] = terms.prefixRange(word[0] as string);
      visitFuzzyKeys(terms.keys, from, to, word, 2, visit);
    }
  }
  return { word, prefix: allowPrefix, completed, isinWord, ranges, typos, typoWords, estimate, fuzzable: literal > 0 && allowed > 0 && !fuzzKnown };
}

/** Calls `visit(ord, cost)` for every live posting of a word plan. */
function forEachPosting(state: IndexState, plan: WordPlan, visit: (ord: number, cost: number) => void): void {
  const { terms, docs } = state;
  plan.ranges.forEach(([from, to], r) => {
    const exactKey = r === 0 ? plan.word : plan.isinWord;
    for (let i = from; i < to; i++) {
      const kind = terms.keys[i] === exactKey ? EXACT : PREFIX;
      // An ISIN typed in part is a code being looked up, never a partial word.
      const completed = plan.completed && r === 0;
      for (const posting of terms.lists[i] as number[]) {
        const ord = postingOrd(posting);
        if (docs.instruments[ord] != null) visit(ord, matchCost(postingFields(posting), kind, 0, completed));
      }
    }
  });
  for (const [index, distance] of plan.typos) {
    for (const posting of terms.lists[index] as number[]) {
      const ord = postingOrd(posting);
      if (docs.instruments[ord] != null) visit(ord, matchCost(postingFields(posting), TYPO, distance, false));
    }
  }
}

/** Best cost of a word against one instrument's own terms, or -1. */
function checkTerms(entry: ForwardEntry, plan: WordPlan): number {
  let best = -1;
  for (let i = 0; i < entry.keys.length; i++) {
    const key = entry.keys[i] as string;
    const fields = entry.fields[i] as number;
    let cost = -1;
    if (key === plan.word) cost = matchCost(fields, EXACT, 0, false);
    else if (plan.prefix && key.startsWith(plan.word)) cost = matchCost(fields, PREFIX, 0, plan.completed);
    else if (plan.isinWord && key.startsWith(plan.isinWord)) cost = matchCost(fields, key === plan.isinWord ? EXACT : PREFIX, 0, false);
    else {
      const distance = plan.typoWords.get(key);
      if (distance !== undefined) cost = matchCost(fields, TYPO, distance, false);
    }
    if (cost >= 0 && (best < 0 || cost < best)) best = cost;
  }
  return best;
}

// Adds one word's cost to a candidate's text cost; a word matched only in part, or only through a typo,
// demotes the match to that class.
function addCost(scratch: Scratch, ord: number, cost: number): void {
  scratch.total[ord] = (scratch.total[ord] as number) + (cost & COST_MASK);
  const matchClass = cost >= TIER_TYPO ? MATCH_TYPO : cost >= TIER_PARTIAL ? MATCH_PARTIAL : MATCH_TEXT;
  if (matchClass > (scratch.cls[ord] as number)) scratch.cls[ord] = matchClass;
}

/**
 * Adds the instruments matching all `words` (or, failing that, the most of them) to the scratch
 * candidates with MATCH_TEXT (MATCH_PARTIAL when a completed word matched only as a prefix, MATCH_TYPO
 * when a typo was needed) and their text cost. Returns the
 * dictionary words typos resolved to.
 */
export function collectTextCandidates(state: IndexState, scratch: Scratch, words: readonly string[]): Set<string> {
  const firstNew = scratch.count;
  // A one-letter word is a prefix only while being typed (last); `m&m` must not expand M to every M-word.
  let plans = words.map((word, i) => planWord(state.terms, word, word.length > 1 || i === words.length - 1, false, i < words.length - 1));
  matchWords(state, scratch, plans, firstNew);
  // A lone word that finds few instruments as typed may be a typo that happens to match something rare.
  // Look-alikes rank after every match as typed, so only here could they reach the first page. (In a
  // query of several words, the other words already confirm each match.)
  const lone = plans.length === 1 ? (plans[0] as WordPlan) : null;
  if (lone?.fuzzable && scratch.count < SCARCE_MATCHES) {
    scratch.forgetFrom(firstNew);
    plans = [planWord(state.terms, lone.word, lone.prefix, true, false)];
    matchWords(state, scratch, plans, firstNew);
  }
  return new Set<string>(plans.flatMap((plan) => [...plan.typoWords.keys()]));
}

// The instruments matching every word, the most selective word first.
function matchWords(state: IndexState, scratch: Scratch, unsorted: readonly WordPlan[], firstNew: number): void {
  const plans = [...unsorted].sort((a, b) => a.estimate - b.estimate);
  if (plans.length === 0) return;
  const { stamp, hits, best } = scratch;
  const epoch = scratch.epoch;
  forEachPosting(state, plans[0] as WordPlan, (ord, cost) => {
    if (stamp[ord] !== epoch) {
      scratch.touch(ord, MATCH_TEXT);
      hits[ord] = 1;
      best[ord] = cost;
    } else if (hits[ord] === 1 && cost < (best[ord] as number)) best[ord] = cost;
  });
  for (let w = 1; w < plans.length; w++) {
    const plan = plans[w] as WordPlan;
    const advance = (ord: number, cost: number) => {
      if (hits[ord] === w) {
        addCost(scratch, ord, best[ord] as number);
        best[ord] = cost;
        hits[ord] = w + 1;
      } else if (hits[ord] === w + 1 && cost < (best[ord] as number)) best[ord] = cost;
    };
    if ((scratch.count - firstNew) * 8 < plan.estimate) {
      for (let c = firstNew; c < scratch.count; c++) {
        const ord = scratch.candidates[c] as number;
        const entry = state.forward[ord];
        const cost = entry && hits[ord] === w ? checkTerms(entry, plan) : -1;
        if (cost >= 0) advance(ord, cost);
      }
    } else {
      forEachPosting(state, plan, (ord, cost) => {
        if (stamp[ord] === epoch && hits[ord] !== ACCEPTED_ANYWAY) advance(ord, cost);
      });
    }
  }
  let complete = 0;
  for (let c = firstNew; c < scratch.count; c++) {
    const ord = scratch.candidates[c] as number;
    if (hits[ord] === plans.length) {
      addCost(scratch, ord, best[ord] as number);
      complete++;
    }
  }
  // Partial matches are a last resort: not when every word matched somewhere, nor when the text was a symbol.
  if (complete === 0 && plans.length > 1 && firstNew === 0) keepBestPartialMatches(state, scratch, plans, firstNew);
  else scratch.dropIncomplete(firstNew, plans.length);
}

// No instrument has every word: count, per instrument, the words it has, keep those with the most.
function keepBestPartialMatches(state: IndexState, scratch: Scratch, plans: readonly WordPlan[], firstNew: number): void {
  const { stamp, hits, best, total } = scratch;
  for (let c = firstNew; c < scratch.count; c++) {
    const ord = scratch.candidates[c] as number;
    hits[ord] = 0;
    total[ord] = 0;
    scratch.cls[ord] = MATCH_TEXT;
  }
  plans.forEach((plan, w) => {
    forEachPosting(state, plan, (ord, cost) => {
      if (stamp[ord] !== scratch.epoch) {
        scratch.touch(ord, MATCH_TEXT);
        hits[ord] = 0;
        total[ord] = 0;
      }
      if (hits[ord] === ACCEPTED_ANYWAY) return;
      // `best` holds the word index last counted for this ord, so each word counts once.
      if (hits[ord] === 0 || best[ord] !== w) {
        hits[ord] = (hits[ord] as number) + 1;
        best[ord] = w;
        addCost(scratch, ord, cost);
      }
    });
  });
  let most = 0;
  for (let c = firstNew; c < scratch.count; c++) {
    const n = hits[scratch.candidates[c] as number] as number;
    if (n !== ACCEPTED_ANYWAY && n > most) most = n;
  }
  for (let c = firstNew; c < scratch.count; c++) {
    const ord = scratch.candidates[c] as number;
    if (hits[ord] !== ACCEPTED_ANYWAY) total[ord] = (total[ord] as number) + MISSING_WORD_COST * (plans.length - (hits[ord] as number));
  }
  scratch.dropIncomplete(firstNew, most);
}
