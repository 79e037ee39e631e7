// Instrument search: `npm run bench -- search [--queries N] [--seed S] [--rounds R] [--rate N] [--seconds S] [--no-http] [--http-only] [--no-peers] [--log-level L]`.
//
// In-process: loads the desk workbook (20k rows) and, separately, every shared CSV merged (44k+
// instruments); builds a fixed mixed workload per corpus (exact symbols, 1-4 character prefixes, typos,
// company-name words, F&O phrases; at least 2,000 queries); and runs the same corpus and the same
// queries through Pravah's engine and through MiniSearch, FlexSearch and Orama configured as well as
// each allows (see makeMiniSearch / makeFlexSearch / makeOrama), plus a linear String.includes scan as
// the floor. Every engine answers synchronously and is timed per query over the same rounds.
//
// Over HTTP: starts a real platform on a scratch database on the local PostgreSQL (or DATABASE_URL),
// loads the all-CSV corpus into its index, creates an `instruments:read` API key and sends
// `GET /api/instruments/search?q=…` at a fixed 1,000 requests/s for 10 s, cycling through the
// workload, from a child process (bench/http-load.ts): the headline is a steady client (one request
// every millisecond, latency from when each was due); then Poisson arrivals of the same rate;
// autocannon at the same rate (which sends each second's requests in a burst: see http-load.ts); a
// signed-in user's access token instead of the API key; and one connection unpaced (service time).
// For each run, what the server's process spent per request: CPU, heap allocated, scavenges, GC pauses.
//
// `--http-only` skips the in-process comparison (the CSV corpus and its workload are still built), for
// working on the HTTP figures; `--no-peers` times our engine alone (and the scan), for comparing two
// versions of it in one sitting. `--log-level info` runs the HTTP server at that level (default
// `silent`) with its log lines written to /dev/null, to measure what logging costs a request as in
// production, where Fastify writes two lines per request.
//
// Last line (JSON): the all-CSV corpus at top level (`docs`, `queries`, `p50Ms`, `p99Ms`, `exactTop1`,
// `prefixTop1`, `typoTop10`, …, `peers.{minisearch,flexsearch,orama}`), the workbook under `workbook`
// with the same shape, the HTTP run under `http`, per-kind latencies under `details`.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import MiniSearch from 'minisearch';
import { Charset, Document, Encoder } from 'flexsearch';
import { create as createOrama, insertMultiple as oramaInsertMultiple, search as oramaSearch } from '@orama/orama';
import { loadConfig } from '../src/config.ts';
import { startPlatform } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { collectInstruments, importInstruments } from '../src/instruments/import/import-instruments.ts';
import { createMemoryInstrumentIndex } from '../src/instruments/index/memory-instrument-index.ts';
import { InstrumentSearchEngine } from '../src/instruments/index/search-engine.ts';
import { mergeInstruments } from '../src/instruments/instrument.ts';
import type { Instrument } from '../src/instruments/instrument.ts';
import { compactKey, splitWords } from '../src/instruments/text.ts';
import { createScratchDatabase, option, percentile } from './support.ts';
import { seededRandom } from '../test/fakes/fake-server.ts';
import { driveInChild, watchServer } from './http-load.ts';
import type { Client, LoadPlan } from './http-load.ts';

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(thisFile), '..');
const dataDir = path.resolve(repoRoot, '../shared/data/instruments');
const NOW = new Date('2024-04-01T09:15:00+05:30');
const CSV_FILES = ['kite_instruments_nse_2026-01.csv', 'kite_instruments_nfo_subset_2024-04.csv', 'bse_Equity_2024-01.csv', 'nse_EQUITY_L_2025-12.csv', 'nse_ind_nifty500list_2025-09.csv', 'upstox_nse_eq_2026-04.csv'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const LIMIT = 20; // every engine returns its first 20 hits (the API's default page)

type Kind = 'exact' | 'prefix' | 'typo' | 'name' | 'fno';
const KINDS: readonly Kind[] = ['exact', 'prefix', 'typo', 'name', 'fno'];
interface Query { kind: Kind; q: string; target: (top: readonly Instrument[]) => boolean }
type Search = (q: string) => readonly Instrument[];

function log(message: string): void {
  console.error(`[search] ${message}`);
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

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

/**
 * The fixed workload: 30% exact symbols, 25% prefixes, 15% typos, 15% company names, 15% F&O phrases.
 * Targets: exact = that symbol (or an instrument with it as alias) is hit 1; prefix = hit 1's symbol or
 * an alias starts with the prefix; typo = the intended symbol in the top 10; name = that instrument in
 * the top 10; F&O = hit 1 has the phrase's underlying, type and strike.
 */
function makeWorkload(corpus: Instrument[], count: number, seed: number): Query[] {
  const random = seededRandom(seed);
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

// ---------------------------------------------------------------------------------------------------
// The peers. Each gets the same records as flat documents over the fields our engine searches (symbol,
// name, underlying, aliases, ISIN) plus `contract`, the derivative's expiry month, year, strike and type
// as words (`apr 2024 22000 CE`): the peers have no F&O grammar, so this is what lets them answer
// `nifty apr 22000 ce` at all. Shared rules: prefix search on; fuzzy where the library has it, only for
// words of 5+ letters and never for words with digits, up to 2 Levenshtein edits from 6 letters (a
// letter swap costs 2 Levenshtein edits, so fewer would not forgive `relaince`); symbol and aliases
// boosted over underlying over name. Ranking is each library's own. Settings were chosen by trying
// the libraries' documented options on this workload and keeping the best-ranking combination:
// MiniSearch: boosts 10/3/1 over 4/2/1 (prefixTop1 0.87 → 0.93), 2 edits from 6 letters over 1 edit
// (typoTop10 0.86 → 1.0). FlexSearch: no `suggest` (nameTop10 0.87 → 0.99), an encoder without letter
// dedupe and number splitting on the identifier fields (exactTop1 0.93 → 0.97, prefixTop1 0.91 →
// 1.0), LatinBalance on the typo field (typoTop10 0.71 → 0.78). Orama: fuzzy only as a fallback.

type PeerDoc = { id: number; symbol: string; aliases: string; underlying: string; name: string; isin: string; contract: string };

function contractText(i: Instrument): string {
  if (i.expiry === null) return '';
  return [MONTHS[Number(i.expiry.slice(5, 7)) - 1], i.expiry.slice(0, 4), i.strike ?? '', i.instrumentType].join(' ');
}

function peerDocs(corpus: readonly Instrument[]): PeerDoc[] {
  return corpus.map((i, id) => ({ id, symbol: i.symbol, aliases: i.aliases.join(' '), underlying: i.underlying ?? '', name: i.name, isin: i.isin ?? '', contract: contractText(i) }));
}

/** Levenshtein edits allowed for one query word. */
function editsFor(term: string): number {
  if (/\d/.test(term)) return 0;
  return term.length >= 6 ? 2 : term.length >= 5 ? 1 : 0;
}

const BOOST = { symbol: 10, aliases: 10, underlying: 3, isin: 1, name: 1, contract: 1 } as const;
const PEER_FIELDS = ['symbol', 'aliases', 'underlying', 'name', 'isin', 'contract'] as const;

/** MiniSearch: BM25+ over a radix tree; prefix and fuzzy per word (its own weights), field boosts, AND across words. */
function makeMiniSearch(corpus: readonly Instrument[]): Search {
  const index = new MiniSearch<PeerDoc>({
    idField: 'id',
    fields: [...PEER_FIELDS],
    storeFields: [],
    searchOptions: { boost: { ...BOOST }, prefix: true, fuzzy: (term) => editsFor(term) || false, combineWith: 'AND' },
  });
  index.addAll(peerDocs(corpus));
  return (q) => index.search(q).slice(0, LIMIT).map((hit) => corpus[hit.id as number] as Instrument);
}

/**
 * FlexSearch: a Document index, every field tokenised `forward` (prefixes); the identifier fields with
 * an encoder that keeps doubled letters and digit runs (`776UK33` must not match `76UK33`), the name
 * with the default one; typos through a copy of the symbol indexed with the `tolerant` tokenizer
 * (swapped and missing letters) and the LatinBalance phonetic encoder, FlexSearch's notion of fuzzy.
 * `merge` lists hits field by field in the order given, which is how a Document search ranks one
 * field over another (field boosts apply only to Resolver chains).
 */
function makeFlexSearch(corpus: readonly Instrument[]): Search {
  type FlexDoc = PeerDoc & { symbolTypo: string };
  const identifiers = new Encoder({ dedupe: false, numeric: false });
  const index = new Document<FlexDoc>({
    document: {
      id: 'id',
      index: [
        ...PEER_FIELDS.map((field) => ({ field, tokenize: 'forward' as const, ...(field === 'name' ? {} : { encoder: identifiers }) })),
        { field: 'symbolTypo', tokenize: 'tolerant' as const, encoder: Charset.LatinBalance },
      ],
    },
  });
  for (const doc of peerDocs(corpus)) index.add({ ...doc, symbolTypo: doc.symbol });
  const order: Array<keyof FlexDoc> = ['symbol', 'aliases', 'underlying', 'contract', 'name', 'isin', 'symbolTypo'];
  return (q) => index.search(q, { index: order, limit: LIMIT, merge: true }).slice(0, LIMIT).map((hit) => corpus[hit.id as number] as Instrument);
}

/**
 * Orama: BM25 over radix trees; prefix matching by default, field boosts, all words required
 * (`threshold: 0`). Its `tolerance` is one number for the whole query, so applied to `nifty 22000 ce`
 * it would also match 22100 and PE; it is used as a fallback instead, when nothing matches as typed
 * (which is also our engine's rule).
 */
async function makeOrama(corpus: readonly Instrument[]): Promise<Search> {
  const db = createOrama({
    schema: { id: 'string', symbol: 'string', aliases: 'string', underlying: 'string', name: 'string', isin: 'string', contract: 'string' } as const,
  });
  await oramaInsertMultiple(db, peerDocs(corpus).map((d) => ({ ...d, id: String(d.id) })), 2000);
  const find = (q: string, tolerance: number) => {
    const result = oramaSearch(db, { term: q, properties: [...PEER_FIELDS], boost: { ...BOOST }, tolerance, threshold: 0, limit: LIMIT });
    if (result instanceof Promise) throw new Error('Orama answered asynchronously; the bench times synchronous searches');
    return result.hits.map((hit) => corpus[Number(hit.id)] as Instrument);
  };
  return (q) => {
    const hits = find(q, 0);
    const tolerance = Math.max(0, ...q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(editsFor));
    return hits.length > 0 || tolerance === 0 ? hits : find(q, tolerance);
  };
}

/** The floor: what a first version would do, a scan with String.includes and a simple order. */
function makeLinearScan(corpus: readonly Instrument[]): Search {
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
    return found.slice(0, LIMIT).map((f) => corpus[f.i] as Instrument);
  };
}

// ---------------------------------------------------------------------------------------------------

type Figures = ReturnType<typeof measure>;

/** Times every query (after a warm-up on the first 500, so the JIT has seen the code) over `rounds` passes; scores the first pass. */
function measure(queries: readonly Query[], run: Search, rounds: number) {
  for (const query of queries.slice(0, 500)) run(query.q);
  const took: number[] = [];
  const byKind: Record<Kind, number[]> = { exact: [], prefix: [], typo: [], name: [], fno: [] };
  const correct: Record<Kind, [number, number]> = { exact: [0, 0], prefix: [0, 0], typo: [0, 0], name: [0, 0], fno: [0, 0] };
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const query of queries) {
      const t0 = performance.now();
      const hits = run(query.q);
      const micros = (performance.now() - t0) * 1000;
      took.push(micros);
      byKind[query.kind].push(micros);
      if (r === 0) {
        const tally = correct[query.kind];
        tally[1]++;
        if (query.target(hits)) tally[0]++;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  took.sort((a, b) => a - b);
  const share = (kind: Kind) => (correct[kind][1] === 0 ? null : round(correct[kind][0] / correct[kind][1], 4));
  return {
    p50Ms: round(percentile(took, 50) / 1000, 4),
    p95Ms: round(percentile(took, 95) / 1000, 4),
    p99Ms: round(percentile(took, 99) / 1000, 4),
    maxMs: round((took.at(-1) ?? 0) / 1000, 3),
    queriesPerSecond: Math.round(took.length / seconds),
    exactTop1: share('exact'),
    prefixTop1: share('prefix'),
    typoTop10: share('typo'),
    nameTop10: share('name'),
    fnoTop1: share('fno'),
    byKind: Object.fromEntries(
      KINDS.map((kind) => {
        const list = byKind[kind].sort((a, b) => a - b);
        return [kind, { p50Ms: round(percentile(list, 50) / 1000, 4), p99Ms: round(percentile(list, 99) / 1000, 4) }];
      }),
    ) as Record<Kind, { p50Ms: number; p99Ms: number }>,
  };
}

/** Builds one engine, reporting build time and the heap it holds beyond the corpus (after a full GC). */
async function built<T>(gc: () => void, build: () => T | Promise<T>): Promise<{ engine: T; buildMs: number; indexMB: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const engine = await build();
  const buildMs = performance.now() - t0;
  gc();
  return { engine, buildMs: round(buildMs), indexMB: round((process.memoryUsage().heapUsed - before) / 1e6) };
}

const summary = (f: Figures & { buildMs: number; indexMB: number }) => ({
  p50Ms: f.p50Ms, p99Ms: f.p99Ms, exactTop1: f.exactTop1, prefixTop1: f.prefixTop1, typoTop10: f.typoTop10, nameTop10: f.nameTop10, fnoTop1: f.fnoTop1,
  queriesPerSecond: f.queriesPerSecond, buildMs: f.buildMs, indexMB: f.indexMB,
});

async function benchCorpus(label: string, corpus: Instrument[], queries: Query[], rounds: number, gc: () => void, withPeers: boolean) {
  log(`${label}: ${corpus.length} instruments, ${queries.length} queries, ${rounds} timed rounds each`);
  const mix = Object.fromEntries(KINDS.map((k) => [k, queries.filter((q) => q.kind === k).length]));

  const ours = await built(gc, () => {
    const engine = new InstrumentSearchEngine();
    engine.build(corpus);
    return engine;
  });
  const engineFigures = { ...measure(queries, (q) => ours.engine.search({ q, limit: LIMIT }, NOW).items.map((h) => h.instrument), rounds), buildMs: ours.buildMs, indexMB: ours.indexMB };
  log(`${label}: pravah      p50 ${engineFigures.p50Ms} ms, p99 ${engineFigures.p99Ms} ms, build ${ours.buildMs} ms, ${ours.indexMB} MB`);

  // The same engine behind the asynchronous port the API uses (one await per search).
  const port = createMemoryInstrumentIndex();
  await port.build(corpus);
  const portTook: number[] = [];
  for (const query of queries) {
    const t = performance.now();
    await port.search({ q: query.q, limit: LIMIT }, NOW);
    portTook.push(performance.now() - t);
  }
  portTook.sort((a, b) => a - b);

  const peers: Record<string, ReturnType<typeof summary>> = {};
  const peersByKind: Record<string, Figures['byKind']> = {};
  const makers: Array<[string, (c: Instrument[]) => Search | Promise<Search>]> = withPeers ? [['minisearch', makeMiniSearch], ['flexsearch', makeFlexSearch], ['orama', makeOrama]] : [];
  for (const [name, make] of makers) {
    const peer = await built(gc, () => make(corpus));
    const figures = { ...measure(queries, peer.engine, rounds), buildMs: peer.buildMs, indexMB: peer.indexMB };
    peers[name] = summary(figures);
    peersByKind[name] = figures.byKind;
    log(`${label}: ${name.padEnd(11)} p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, build ${peer.buildMs} ms, ${peer.indexMB} MB; exact ${figures.exactTop1}, prefix ${figures.prefixTop1}, typo ${figures.typoTop10}, name ${figures.nameTop10}, fno ${figures.fnoTop1}`);
  }
  const scan = measure(queries, makeLinearScan(corpus), 1);
  log(`${label}: linear scan p50 ${scan.p50Ms} ms, p99 ${scan.p99Ms} ms`);

  const bestPeerP99 = withPeers ? Math.min(...Object.values(peers).map((p) => p.p99Ms)) : Number.NaN;
  return {
    docs: corpus.length,
    queries: queries.length,
    mix,
    ...summary(engineFigures),
    p95Ms: engineFigures.p95Ms,
    maxMs: engineFigures.maxMs,
    throughPort: { p50Ms: round(percentile(portTook, 50), 4), p99Ms: round(percentile(portTook, 99), 4) },
    p99VsBestPeer: withPeers ? round(bestPeerP99 / engineFigures.p99Ms) : null,
    peers,
    linearScan: summary({ ...scan, buildMs: 0, indexMB: 0 }),
    byKind: { pravah: engineFigures.byKind, ...peersByKind, linearScan: scan.byKind },
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP (the clients and the server's costs: bench/http-load.ts)

async function benchHttp(corpus: Instrument[], queries: Query[], options: { rate: number; seconds: number; connections: number }, logLevel: string) {
  const scratch = await createScratchDatabase();
  try {
    const config = loadConfig({
      DATABASE_URL: scratch.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: logLevel,
      MASTER_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      TOKEN_SIGNING_KEY: randomBytes(32).toString('base64'),
      DB_POOL_SIZE: '5',
    });
    // The platform's clock starts at the in-process runs' NOW and moves in real time, so expiry
    // ranking (nearest unexpired first) is the same as in-process.
    const startedAt = Date.now();
    // Not silent: the platform's own logger (with its censoring), writing synchronously as to stdout.
    const serverLog = logLevel === 'silent' ? {} : { log: createLogger({ level: logLevel, destination: pino.destination({ dest: '/dev/null', sync: true }) }) };
    const platform = await startPlatform(config, { clock: { now: () => new Date(NOW.getTime() + (Date.now() - startedAt)) }, ...serverLog });
    try {
      const t0 = performance.now();
      await platform.instruments.index.build(corpus);
      log(`http: platform at ${platform.url}, ${platform.instruments.index.size} instruments indexed in ${(performance.now() - t0).toFixed(0)} ms`);
      const { key } = await platform.apiKeys.create({ name: 'search bench', scopes: ['instruments:read'] }, { label: 'bench' });

      // Sanity and warm-up: the API's first hit must be the engine's, query for query.
      const engine = new InstrumentSearchEngine();
      engine.build(corpus);
      let agree = 0;
      const checked = queries.slice(0, 500);
      for (const query of checked) {
        const response = await fetch(`${platform.url}/api/instruments/search?q=${encodeURIComponent(query.q)}`, { headers: { 'x-api-key': key } });
        if (response.status !== 200) throw new Error(`search answered ${response.status}: ${await response.text()}`);
        const body = (await response.json()) as { items: Array<{ instrument: { id: string } }> };
        if (body.items[0]?.instrument.id === engine.search({ q: query.q }, NOW).items[0]?.instrument.id) agree++;
      }
      log(`http: first hit agrees with the in-process engine for ${agree}/${checked.length} queries`);

      const paths = queries.map((q) => `/api/instruments/search?q=${encodeURIComponent(q.q)}`);
      const plan: LoadPlan = { url: platform.url, headers: { 'x-api-key': key }, paths, ...options, offset: 0 };
      // Each run in a child process, with what the server spent meanwhile.
      const measured = async (client: Client, runPlan: LoadPlan) => {
        const watch = watchServer();
        const figures = await driveInChild(client, runPlan);
        return { ...figures, server: watch.stop(figures.requests) };
      };
      await driveInChild('uniform', { ...plan, seconds: 3 }); // warm-up, not reported
      const say = (label: string, f: Awaited<ReturnType<typeof measured>>) =>
        log(`http, ${label}: p50 ${f.p50Ms} ms, p90 ${f.p90Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms, ${f.achievedRate} req/s${f.paced ? ` (from sending: p50 ${f.paced.fromSendP50Ms} ms, p99 ${f.paced.fromSendP99Ms} ms; send lag p99 ${f.paced.sendLagP99Ms} ms)` : ''}; server ${f.server.cpuMicrosPerRequest} µs CPU and ${f.server.allocatedKBPerRequest} KB per request, ${f.server.scavengesPer1000Requests} scavenges per 1,000, GC pauses ${f.server.gcPauses} (${f.server.gcPauseTotalMs} ms, max ${f.server.gcPauseMaxMs}), event loop delay p99 ${f.server.eventLoopDelayP99Ms} ms, ${f.server.stalls.over20Ms} stalls over 20 ms, the longest ${f.server.stalls.longestMs} ms of which the server's thread ran ${f.server.stalls.threadCpuInLongestMs} ms`);
      const steady = await measured('uniform', plan);
      say('API key, steady 1 request per 1/rate s (headline)', steady);
      const poisson = await measured('poisson', plan);
      say('API key, Poisson arrivals', poisson);
      const bursts = await measured('autocannon', plan);
      say('API key, autocannon (per-second bursts)', bursts);

      // For comparison: a signed-in user's access token (a JWT verified per request, the session
      // check cached a few seconds), where an API key's verification is cached under its prefix.
      const user = { email: 'bench@pravah.local', password: randomBytes(12).toString('base64url') };
      await platform.users.create({ ...user, name: 'Bench', role: 'ops' }, 'bench');
      const login = await fetch(`${platform.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const withToken = await measured('uniform', { ...plan, headers: { authorization: `Bearer ${accessToken}` } });
      say('access token, steady', withToken);
      // The cost of one request with nothing queued: one connection, no pacing.
      const serial = await measured('autocannon', { ...plan, rate: 0, connections: 1, seconds: 5 });
      say('API key, one connection unpaced (autocannon)', serial);
      return {
        targetRate: options.rate,
        seconds: options.seconds,
        logLevel,
        connections: options.connections,
        docs: platform.instruments.index.size,
        auth: 'x-api-key (scope instruments:read); clients in a child process',
        firstHitAgreement: round(agree / checked.length, 4),
        ...steady,
        poisson,
        autocannon: bursts,
        accessToken: withToken,
        oneConnectionUnpaced: serial,
      };
    } finally {
      await platform.stop();
    }
  } finally {
    await scratch.drop();
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  if (!existsSync(dataDir)) throw new Error(`instrument data not found at ${dataDir}`);
  const count = Math.max(2000, option(args, '--queries', 2000));
  const seed = option(args, '--seed', 20240401);
  const rounds = Math.max(1, option(args, '--rounds', 2));
  const rate = option(args, '--rate', 1000);
  const seconds = option(args, '--seconds', 10);
  const connections = option(args, '--connections', 10);
  const gc = exposeGc();
  // The machines are shared: the load average says whether another job ran beside this one.
  const loadAverage = { atStart: round(os.loadavg()[0] ?? 0, 2), beforeHttp: 0, atEnd: 0 };

  const httpOnly = args.includes('--http-only');
  const withPeers = !args.includes('--no-peers');
  const logAt = args.indexOf('--log-level');
  const logLevel = logAt >= 0 ? (args[logAt + 1] ?? 'silent') : 'silent';
  if (httpOnly && args.includes('--no-http')) throw new Error('--http-only and --no-http leave nothing to measure');
  let workbook: Awaited<ReturnType<typeof benchCorpus>> | null = null;
  if (!httpOnly) {
    log(`workbook: importing stock-master.xlsx`);
    const workbookCorpus = await loadCorpus(['stock-master.xlsx']);
    workbook = await benchCorpus('workbook', workbookCorpus, makeWorkload(workbookCorpus, count, seed), rounds, gc, withPeers);
  }
  log(`csv: importing ${CSV_FILES.join(', ')}`);
  const csvCorpus = await loadCorpus(CSV_FILES);
  const csvQueries = makeWorkload(csvCorpus, count, seed);
  const csv = httpOnly ? null : await benchCorpus('csv', csvCorpus, csvQueries, rounds, gc, withPeers);
  gc();
  loadAverage.beforeHttp = round(os.loadavg()[0] ?? 0, 2);
  log(`heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, load average ${loadAverage.beforeHttp} before the HTTP run`);
  const http = args.includes('--no-http') ? null : await benchHttp(csvCorpus, csvQueries, { rate, seconds, connections }, logLevel);

  loadAverage.atEnd = round(os.loadavg()[0] ?? 0, 2);
  if (!csv || !workbook) return { clock: NOW.toISOString(), corpus: 'all shared CSVs merged (HTTP only)', docs: csvCorpus.length, queries: csvQueries.length, loadAverage, http };
  const { byKind: csvByKind, ...csvTop } = csv;
  const { byKind: workbookByKind, ...workbookTop } = workbook;
  return {
    clock: NOW.toISOString(),
    corpus: 'top level: all shared CSVs merged; workbook: stock-master.xlsx',
    rounds,
    loadAverage,
    ...csvTop,
    workbook: workbookTop,
    http,
    details: { csv: csvByKind, workbook: workbookByKind },
  };
}
