// The stream of synthetic back-office records: a client master (with exchange UCC mapping) per
// client, then trading days of trades, positions, ledger lines, fund limits and MTF positions.
import type { BackofficeRecord, ClientMaster } from '../backoffice-record.ts';
import { isWeekend, timestampOn, toEpochDay } from './calendar.ts';
import { createClientDay, nextTradingDay, type ClientBook, type ClientRef, type DayContext } from './backoffice-day.ts';
import { DEFAULT_DEMO_TODAY, generateClientRows } from './generate-clients.ts';
import { createRandom, type Random } from './prng.ts';

export type { ClientRef } from './backoffice-day.ts';

export type GenerateBackofficeOptions = {
  seed: number | string;
  count: number;
  /** The clients to trade for, or how many to take from the KYC generator with the same seed. */
  clients: number | readonly ClientRef[];
  today?: string;
};

const RECORDS_PER_DAY_BUNDLE = 8; // a client's day averages about eight records

/**
 * Client references from the KYC generator with the same seed (new, valid clients only), so KYC
 * and back-office demo files of one seed describe the same people.
 */
export function collectClientRefs(seed: number | string, clients: number, today?: string): ClientRef[] {
  const refs: ClientRef[] = [];
  for (const row of generateClientRows({ seed, count: Number.MAX_SAFE_INTEGER, today })) {
    if (refs.length >= clients) break;
    if (row.kind !== 'new') continue;
    const r = row.record;
    const active = (segment: string) => r.segments.some((s) => s.segment === segment && s.status === 'ACTIVE');
    const name = [r.name.first, r.name.middle, r.name.last].filter(Boolean).join(' ').trim();
    refs.push({ clientCode: r.clientCode, pan: r.pan.toUpperCase(), name, fo: active('FO'), mtf: active('MTF') && r.mtfAgreementDate !== undefined });
  }
  return refs;
}

function createClientMaster(random: Random, ref: ClientRef, asOf: string): ClientMaster {
  const ucc: ClientMaster['ucc'] = [
    { exchange: 'NSE', segment: 'CM', exchangeClientCode: ref.clientCode, status: 'ACTIVE' },
    { exchange: 'BSE', segment: 'CM', exchangeClientCode: ref.clientCode, status: random.chance(0.95) ? 'ACTIVE' : 'PENDING' },
  ];
  if (ref.fo) ucc.push({ exchange: 'NSE', segment: 'FO', exchangeClientCode: ref.clientCode, status: 'ACTIVE' });
  const master: ClientMaster = {
    kind: 'clientMaster', clientCode: ref.clientCode, pan: ref.pan, name: ref.name, branchCode: `BR${random.int(1, 60).toString().padStart(3, '0')}`,
    status: random.chance(0.97) ? 'ACTIVE' : 'DORMANT', tradingEnabled: true, ucc, source: { system: 'RUPEESEED', version: 1, asOf },
  };
  if (random.chance(0.4)) master.dealerCode = `D${random.int(100, 999)}`;
  return master;
}

/**
 * Back-office records, deterministic by seed: first one client master per client (up to `count`),
 * then trading days ending on `today` (weekends skipped), each day a share of the clients trading.
 * Every record is keyed by a client code of `clients`; dates never pass `today`.
 */
export function* generateBackofficeRecords(options: GenerateBackofficeOptions): Generator<BackofficeRecord> {
  const random = createRandom(`${options.seed}:backoffice`);
  const refs = typeof options.clients === 'number' ? collectClientRefs(options.seed, options.clients, options.today) : options.clients;
  if (refs.length === 0 || options.count <= 0) return;
  let todayDay = toEpochDay(options.today ?? DEFAULT_DEMO_TODAY);
  while (isWeekend(todayDay)) todayDay--; // the last trading day on or before today
  let emitted = 0;
  for (const ref of refs) {
    if (emitted++ >= options.count) return;
    yield createClientMaster(random, ref, timestampOn(todayDay - 30, 12 * 3600));
  }
  const perDay = Math.max(1, Math.ceil(refs.length * 0.3));
  const days = Math.max(1, Math.ceil((options.count - emitted) / RECORDS_PER_DAY_BUNDLE / perDay));
  let day = todayDay;
  for (let i = 0; i < Math.ceil(days * 7 / 5); i++) day--;
  const books = new Map<string, ClientBook>();
  const ctx: DayContext = { random, day: nextTradingDay(day), ids: { trade: 100_000_000, order: 1_000_000_000 } };
  for (;;) {
    for (let i = 0; i < perDay; i++) {
      const ref = refs[random.int(0, refs.length - 1)]!;
      let book = books.get(ref.clientCode);
      if (book === undefined) books.set(ref.clientCode, (book = { balance: 0, entries: 0 }));
      for (const record of createClientDay(ctx, ref, book)) {
        if (emitted++ >= options.count) return;
        yield record;
      }
    }
    ctx.day = Math.min(todayDay, nextTradingDay(ctx.day));
  }
}
