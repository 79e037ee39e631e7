// Live quotes through the Cache port: the latest quote per instrument is cached with a TTL (so
// every API node and the detail route read the same value), and a ticker publishes changes for the
// instruments someone is watching on the `quotes` broadcast channel, which SSE clients follow.
import type { Cache } from '../cache/cache.ts';
import type { Clock } from '../platform/time.ts';
import { SECOND } from '../platform/time.ts';
import type { Logger } from '../platform/logger.ts';
import type { Instrument } from './instrument.ts';
import type { Quote, QuoteSource } from './quotes.ts';

export const quoteChannel = 'quotes';
const quoteTtlMs = 60 * SECOND;

export function createQuoteService(deps: { cache: Cache; source: QuoteSource; clock: Clock; log: Logger; lookup: (id: string) => Promise<Instrument | undefined>; tickMs?: number }) {
  const { cache, source, clock } = deps;
  const watched = new Map<string, number>(); // id → number of watchers on this node
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;

  /** Computes and caches the quote; publishes it only when it changed (`publish`, the ticker). */
  async function refresh(instrument: Instrument, publish: boolean): Promise<Quote> {
    const quote = source.quote(instrument, clock.now());
    const previous = publish ? await cache.get<Quote>(`quote:${instrument.id}`) : undefined;
    await cache.set(`quote:${instrument.id}`, quote, quoteTtlMs);
    if (publish && (!previous || previous.last !== quote.last || previous.at !== quote.at)) await cache.publish(quoteChannel, quote);
    return quote;
  }

  async function tickOnce(): Promise<void> {
    if (ticking) return; // a slow tick is skipped, never stacked
    ticking = true;
    try {
      for (const id of watched.keys()) {
        const instrument = await deps.lookup(id);
        if (instrument) await refresh(instrument, true);
      }
    } catch (error) {
      deps.log.warn({ err: error }, 'quote tick failed');
    } finally {
      ticking = false;
    }
  }

  return {
    name: 'quotes',
    /** The cached quote, computed and cached when missing. */
    async get(instrument: Instrument): Promise<Quote> {
      return (await cache.get<Quote>(`quote:${instrument.id}`)) ?? refresh(instrument, false);
    },
    series: (instrument: Instrument) => source.series(instrument, clock.now()),
    /** Follows quotes of `ids`; returns a stop function. The current quotes are sent first. */
    async watch(ids: readonly string[], onQuote: (q: Quote) => void): Promise<() => Promise<void>> {
      const wanted = new Set(ids);
      const unsubscribe = await cache.subscribe(quoteChannel, (message) => {
        const q = message as Quote;
        if (wanted.has(q.instrumentId)) onQuote(q);
      });
      for (const id of wanted) watched.set(id, (watched.get(id) ?? 0) + 1);
      for (const id of wanted) {
        const instrument = await deps.lookup(id);
        if (instrument) onQuote(await this.get(instrument));
      }
      return async () => {
        await unsubscribe();
        for (const id of wanted) {
          const n = (watched.get(id) ?? 1) - 1;
          if (n <= 0) watched.delete(id);
          else watched.set(id, n);
        }
      };
    },
    tick: tickOnce,
    start() {
      timer = setInterval(() => void tickOnce(), deps.tickMs ?? SECOND);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export type QuoteService = ReturnType<typeof createQuoteService>;
