// Instrument search: `npm run bench -- instruments-search [--queries N] [--seed S]`.
// Loads the desk workbook (20k rows) and, separately, every shared CSV merged (44k+ instruments), runs a
// fixed mixed workload (exact symbols, 1-4 character prefixes, typos, company names, F&O phrases), and in
// the same run the same corpus and queries through a naive linear scan (String.includes over symbol,
// name and ISIN) as the baseline. Reports latency, throughput, build time, memory and relevance.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { collectInstruments, importInstruments } from '../src/instruments/import/import-instruments.ts';
import { createMemoryInstrumentIndex } from '../src/instruments/index/memory-instrument-index.ts';
import { InstrumentSearchEngine } from '../src/instruments/index/search-engine.ts';
import { mergeInstruments } from '../src/instruments/instrument.ts';
import type { Instrument } from '../src/instruments/instrument.ts';
import { compactKey, splitWords } from '../src/instruments/text.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, '../shared/data/instruments');
const NOW = new Date('2024-04-01T09:15:00+05:30');
const CSV_FILES = ['kite_instruments_nse_2026-01.csv', 'kite_instruments_nfo_subset_2024-04.csv', 'bse_Equity_2024-01.csv', 'nse_EQUITY_L_2025-12.csv', 'nse_ind_nifty500list_2025-09.csv', 'upstox_nse_eq_2026-04.csv'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

type Kind = 'exact' | 'prefix' | 'typo' | 'name' | 'fno';
interface Query { kind: Kind; q: string; target: (top: readonly Instrument[]) => boolean }
interface Hits { items: readonly Instrument[] }

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

function log(message: string): void {
  console.error(`[instruments-search] ${message}`);
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// Deterministic PRNG (mulberry32), so every run asks the same queries.
function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function loadCorpus(files: string[]): Promise<Instrument[]> {
  const byId = new Map<string, Instrument>();
  for (const file of files) {
    const { instruments } = await collectInstruments(importInstruments({ path: path.join(dataDir, file) }));
    for (const instrument of instruments) {
      const earlier = byId.get(instrument.id);
      byId.set(instrument.id, earlier ? mergeInstruments(earlier, instrument) : instrument);
    }
  }
  return [...byId.values()];
}

function typo(word: string, random: () => number): string {
  const chars = [...word.toLowerCase()];
  const at = 1 + Math.floor(random() * (chars.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) [chars[at], chars[at + 1]] = [chars[at + 1] as string, chars[at] as string];
  else if (kind === 1) chars.splice(at, 1);
  else chars[at] = chars[at] === 'e' ? 'a' : 'e';
  return chars.join('');
}

const hasName = (top: readonly Instrument[], name: string, n: number) => top.slice(0, n).some((i) => [i.symbol, ...i.aliases].some((s) => compactKey(s) === compactKey(name)));

/** The fixed workload: 30% exact symbols, 25% prefixes, 15% typos, 15% company names, 15% F&O phrases. */
function makeWorkload(corpus: Instrument[], count: number, seed: number): Query[] {
  const random = makeRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const cash = corpus.filter((i) => i.underlying === null);
  const derivatives = corpus.filter((i) => i.underlying !== null && i.expiry !== null);
  const longSymbols = cash.filter((i) => /^[A-Z]{6,}$/.test(i.symbol));
  const named = cash.filter((i) => i.instrumentType === 'EQ' && splitWords(i.name).filter((w) => w.length >= 4).length >= 2);
  const queries: Query[] = [];
  for (let n = 0; n < count; n++) {
    const roll = random();
    if (roll < 0.3) {
      const symbol = (random() < 0.85 || derivatives.length === 0 ? pick(cash) : pick(derivatives)).symbol;
      queries.push({ kind: 'exact', q: random() < 0.5 ? symbol.toLowerCase() : symbol, target: (top) => hasName(top, symbol, 1) });
    } else if (roll < 0.55) {
      const symbol = compactKey(pick(cash).symbol);
      const prefix = symbol.slice(0, 1 + Math.floor(random() * 4)).toLowerCase();
      // Aliases count as symbols (`ban` may rightly put NIFTY BANK, alias BANKNIFTY, first).
      const startsWith = (i: Instrument | undefined) => i !== undefined && [i.symbol, ...i.aliases].some((s) => compactKey(s).startsWith(compactKey(prefix)));
      queries.push({ kind: 'prefix', q: prefix, target: (top) => startsWith(top[0]) });
    } else if (roll < 0.7 && longSymbols.length > 0) {
      const symbol = pick(longSymbols).symbol;
      queries.push({ kind: 'typo', q: typo(symbol, random), target: (top) => hasName(top, symbol, 10) });
    } else if (roll < 0.85 && named.length > 0) {
      const instrument = pick(named);
      const words = splitWords(instrument.name).filter((w) => w.length >= 4).slice(0, 2);
      const q = words.join(' ').toLowerCase();
      queries.push({ kind: 'name', q, target: (top) => top.slice(0, 10).some((i) => i.id === instrument.id) });
    } else if (derivatives.length > 0) {
      const contract = pick(derivatives);
      const underlying = (contract.underlying ?? '').toLowerCase();
      const month = MONTHS[Number(contract.expiry?.slice(5, 7)) - 1] ?? '';
      const q = contract.instrumentType === 'FUT'
        ? (random() < 0.5 ? `${underlying} fut` : `${underlying} ${month} fut`)
        : random() < 0.5 ? `${underlying} ${contract.strike} ${contract.instrumentType.toLowerCase()}` : `${underlying} ${month} ${contract.strike} ${contract.instrumentType.toLowerCase()}`;
      queries.push({
        kind: 'fno', q,
        target: (top) => top[0] !== undefined && top[0].underlying === contract.underlying && top[0].instrumentType === contract.instrumentType && (contract.strike === null || top[0].strike === contract.strike),
      });
    }
  }
  return queries;
}

/** The baseline: what a first version would do, a scan with String.includes and a simple order. */
function makeLinearScan(corpus: Instrument[]): (q: string) => Hits {
  const haystacks = corpus.map((i) => `${i.symbol}|${i.name}|${i.isin ?? ''}|${i.aliases.join('|')}`.toLowerCase());
  const symbols = corpus.map((i) => i.symbol.toLowerCase());
  return (q) => {
    const needle = q.trim().toLowerCase();
    const found: Array<{ i: number; score: number }> = [];
    for (let i = 0; i < haystacks.length; i++) {
      if (!(haystacks[i] as string).includes(needle)) continue;
      const symbol = symbols[i] as string;
      found.push({ i, score: symbol === needle ? 0 : symbol.startsWith(needle) ? 1 : 2 });
    }
    found.sort((a, b) => a.score - b.score || (symbols[a.i] as string).length - (symbols[b.i] as string).length);
    return { items: found.slice(0, 20).map((f) => corpus[f.i] as Instrument) };
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function measure(queries: Query[], run: (q: string) => Hits, rounds: number) {
  for (const query of queries) run(query.q);
  const took: number[] = [];
  const byKind: Record<Kind, number[]> = { exact: [], prefix: [], typo: [], name: [], fno: [] };
  const correct: Record<Kind, [number, number]> = { exact: [0, 0], prefix: [0, 0], typo: [0, 0], name: [0, 0], fno: [0, 0] };
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const t0 = performance.now();
      const hits = run(query.q);
      const micros = (performance.now() - t0) * 1000;
      took.push(micros);
      byKind[query.kind].push(micros);
      if (round === 0) {
        const tally = correct[query.kind];
        tally[1]++;
        if (query.target(hits.items)) tally[0]++;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  took.sort((a, b) => a - b);
  const share = (kind: Kind) => (correct[kind][1] === 0 ? null : Number((correct[kind][0] / correct[kind][1]).toFixed(4)));
  return {
    p50Us: Number(percentile(took, 50).toFixed(1)),
    p95Us: Number(percentile(took, 95).toFixed(1)),
    p99Us: Number(percentile(took, 99).toFixed(1)),
    maxUs: Number((took.at(-1) ?? 0).toFixed(1)),
    queriesPerSecond: Math.round(took.length / seconds),
    exactTop1: share('exact'),
    prefixTop1: share('prefix'),
    typoTop10: share('typo'),
    nameTop10: share('name'),
    fnoTop1: share('fno'),
    byKind: Object.fromEntries(
      Object.entries(byKind).map(([kind, list]) => {
        list.sort((a, b) => a - b);
        return [kind, { p50Us: Number(percentile(list, 50).toFixed(1)), p99Us: Number(percentile(list, 99).toFixed(1)) }];
      }),
    ),
  };
}

async function benchCorpus(label: string, files: string[], count: number, seed: number, gc: () => void) {
  log(`${label}: importing ${files.join(', ')}`);
  const corpus = await loadCorpus(files);
  const queries = makeWorkload(corpus, count, seed);
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const engine = new InstrumentSearchEngine();
  engine.build(corpus);
  const buildMs = performance.now() - t0;
  gc();
  const indexBytes = process.memoryUsage().heapUsed - before;
  log(`${label}: ${engine.size} instruments indexed in ${buildMs.toFixed(0)} ms, index ≈ ${(indexBytes / 1e6).toFixed(1)} MB; ${queries.length} queries`);

  const ours = measure(queries, (q) => ({ items: engine.search({ q }, NOW).items.map((h) => h.instrument) }), 3);
  log(`${label}: engine p50 ${ours.p50Us} µs, p99 ${ours.p99Us} µs, ${ours.queriesPerSecond} q/s`);
  const port = createMemoryInstrumentIndex();
  await port.build(corpus);
  const portTook: number[] = [];
  for (const query of queries) {
    const t = performance.now();
    await port.search({ q: query.q }, NOW);
    portTook.push((performance.now() - t) * 1000);
  }
  portTook.sort((a, b) => a - b);
  const scan = makeLinearScan(corpus);
  const baseline = measure(queries, scan, 1);
  log(`${label}: linear scan p50 ${baseline.p50Us} µs, p99 ${baseline.p99Us} µs`);
  return {
    instruments: engine.size,
    queries: queries.length,
    mix: Object.fromEntries((['exact', 'prefix', 'typo', 'name', 'fno'] as const).map((k) => [k, queries.filter((q) => q.kind === k).length])),
    buildMs: Number(buildMs.toFixed(1)),
    indexMB: Number((indexBytes / 1e6).toFixed(1)),
    engine: ours,
    throughPort: { p50Us: Number(percentile(portTook, 50).toFixed(1)), p99Us: Number(percentile(portTook, 99).toFixed(1)) },
    linearScan: baseline,
    speedup: { p50: Number((baseline.p50Us / ours.p50Us).toFixed(1)), p99: Number((baseline.p99Us / ours.p99Us).toFixed(1)), throughput: Number((ours.queriesPerSecond / baseline.queriesPerSecond).toFixed(1)) },
  };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  if (!existsSync(dataDir)) throw new Error(`instrument data not found at ${dataDir}`);
  const count = Math.max(2000, option(args, 'queries', 4000));
  const seed = option(args, 'seed', 20240401);
  const gc = exposeGc();
  const workbook = await benchCorpus('workbook', ['stock-master.xlsx'], count, seed, gc);
  const csv = await benchCorpus('csv', CSV_FILES, count, seed, gc);
  return {
    clock: NOW.toISOString(),
    docs: csv.instruments,
    queries: csv.queries,
    p50Ms: csv.engine.p50Us / 1000,
    p99Ms: csv.engine.p99Us / 1000,
    exactTop1: csv.engine.exactTop1,
    prefixTop1: csv.engine.prefixTop1,
    typoTop10: csv.engine.typoTop10,
    workbook,
    csv,
    peers: { note: 'MiniSearch, FlexSearch and Orama are not installed; the baseline is a linear String.includes scan' },
  };
}
