// Quotes: the QuoteSource port (where prices come from) and a simulated market feed for embedded
// mode. The simulation is deterministic per instrument and trading day, so every node, every
// restart and every test computes the same intraday path: a random walk from the previous close,
// moving only during NSE market hours (09:15-15:30 IST, Monday to Friday; holidays not modelled).
import { createHash } from 'node:crypto';
import type { Instrument } from './instrument.ts';

export type Quote = {
  instrumentId: string;
  last: number;
  change: number;
  changePct: number;
  open: number;
  high: number;
  low: number;
  prevClose: number;
  volume: number;
  at: string;
  marketOpen: boolean;
};

export type IntradaySeries = { instrumentId: string; prevClose: number; points: Array<{ t: string; price: number }> };

/** Where quotes come from: the simulated feed now, a broker market-data adapter later. */
export type QuoteSource = {
  quote(instrument: Instrument, at: Date): Quote;
  series(instrument: Instrument, at: Date): IntradaySeries;
};

const IST_OFFSET_MS = 330 * 60_000;
const OPEN_MIN = 9 * 60 + 15;
const CLOSE_MIN = 15 * 60 + 30;
const SESSION_MINUTES = CLOSE_MIN - OPEN_MIN;
const DAY_MS = 86_400_000;

/** The IST trading day and minute of the session `at` falls in (the last session when closed). */
export function sessionAt(at: Date): { day: number; minute: number; open: boolean } {
  const ist = at.getTime() + IST_OFFSET_MS;
  let day = Math.floor(ist / DAY_MS);
  const minuteOfDay = (ist - day * DAY_MS) / 60_000;
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const weekend = weekday === 0 || weekday === 6;
  if (!weekend && minuteOfDay >= OPEN_MIN && minuteOfDay < CLOSE_MIN) return { day, minute: minuteOfDay - OPEN_MIN, open: true };
  if (weekend || minuteOfDay < OPEN_MIN) {
    do day--; while ((day + 4) % 7 === 0 || (day + 4) % 7 === 6);
  }
  return { day, minute: SESSION_MINUTES, open: false };
}

function seeded(...parts: Array<string | number>): () => number {
  const digest = createHash('sha256').update(parts.join('|')).digest();
  let state = digest.readUInt32LE(0) ^ digest.readUInt32LE(4);
  return () => {
    // mulberry32: fast, good enough for a price simulation
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

function basePrice(i: Instrument): number {
  const r = seeded('base', i.underlying ?? i.symbol)();
  const isIndex = i.instrumentType === 'INDEX' || /NIFTY|SENSEX/.test(i.underlying ?? i.symbol);
  const underlyingPrice = isIndex ? Math.round(15_000 + r * 45_000) : Math.exp(Math.log(20) + r * (Math.log(5000) - Math.log(20)));
  if (i.instrumentType === 'CE' || i.instrumentType === 'PE') {
    // An option trades at its intrinsic value plus some time value, never at the underlying's level.
    const strike = i.strike ?? underlyingPrice;
    const intrinsic = Math.max(0, i.instrumentType === 'CE' ? underlyingPrice - strike : strike - underlyingPrice);
    return Math.max(0.05, intrinsic + underlyingPrice * 0.02 * (0.5 + seeded('tv', i.id)()));
  }
  return underlyingPrice;
}

function tick(price: number, tickSize: number | null): number {
  const step = tickSize && tickSize > 0 ? tickSize : 0.05;
  // toFixed drops the binary noise of the multiplication (163.45000000000002 → 163.45).
  return Number(Math.max(step, Math.round(price / step) * step).toFixed(4));
}

/** Minute closes of one session, index 0 = 09:15 open. */
function sessionPath(i: Instrument, day: number): { prevClose: number; closes: number[]; volumes: number[] } {
  const prevClose = basePrice(i) * Math.exp(0.08 * normal(seeded('prev', i.id, day)));
  const rand = seeded('path', i.id, day);
  const vol = (i.instrumentType === 'CE' || i.instrumentType === 'PE' ? 0.006 : 0.0009) * (0.6 + rand());
  const closes: number[] = [];
  const volumes: number[] = [];
  let price = prevClose * Math.exp(0.004 * normal(rand)); // the opening gap
  let volume = 0;
  for (let m = 0; m <= SESSION_MINUTES; m++) {
    price *= Math.exp(vol * normal(rand));
    volume += Math.round(rand() * 2000 * (m < 30 || m > SESSION_MINUTES - 30 ? 3 : 1));
    closes.push(price);
    volumes.push(volume);
  }
  return { prevClose, closes, volumes };
}

export function createSimulatedQuoteSource(): QuoteSource {
  const cache = new Map<string, ReturnType<typeof sessionPath>>(); // per instrument and day
  function path(i: Instrument, day: number) {
    const key = `${i.id}|${day}`;
    let p = cache.get(key);
    if (!p) {
      p = sessionPath(i, day);
      if (cache.size > 20_000) cache.clear();
      cache.set(key, p);
    }
    return p;
  }
  const sessionStart = (day: number) => day * DAY_MS - IST_OFFSET_MS + OPEN_MIN * 60_000;

  return {
    quote(i, at) {
      const s = sessionAt(at);
      const p = path(i, s.day);
      const whole = Math.min(SESSION_MINUTES, Math.floor(s.minute));
      const prior = p.closes[Math.max(0, whole - 1)]!;
      const next = p.closes[whole]!;
      const frac = s.minute - whole;
      // Within the minute, move from the previous close towards this one with a little noise.
      const wobble = s.open ? 1 + 0.0004 * normal(seeded('sec', i.id, s.day, Math.floor(s.minute * 60))) : 1;
      const last = tick(s.open ? (prior + (next - prior) * frac) * wobble : next, i.tickSize);
      const seen = p.closes.slice(0, whole + 1);
      const prevClose = tick(p.prevClose, i.tickSize);
      const change = last - prevClose;
      return {
        instrumentId: i.id,
        last,
        change: Number(change.toFixed(2)),
        changePct: Number(((change / prevClose) * 100).toFixed(2)),
        open: tick(p.closes[0]!, i.tickSize),
        high: tick(Math.max(...seen, last), i.tickSize),
        low: tick(Math.min(...seen, last), i.tickSize),
        prevClose,
        volume: p.volumes[whole]!,
        at: at.toISOString(),
        marketOpen: s.open,
      };
    },
    series(i, at) {
      const s = sessionAt(at);
      const p = path(i, s.day);
      const upto = Math.min(SESSION_MINUTES, Math.floor(s.minute));
      const start = sessionStart(s.day);
      return {
        instrumentId: i.id,
        prevClose: tick(p.prevClose, i.tickSize),
        points: p.closes.slice(0, upto + 1).map((price, m) => ({ t: new Date(start + m * 60_000).toISOString(), price: tick(price, i.tickSize) })),
      };
    },
  };
}
