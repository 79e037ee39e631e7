// One client's trading day in a Rupeeseed-style back office: trades, the net positions they leave,
// the ledger lines they post, the day's fund limit and margins, and MTF positions with interest.
import { contractOf, type BackofficeRecord, type LedgerEntry, type MtfPosition, type NetPosition, type Trade } from '../backoffice-record.ts';
import { fromEpochDay, isWeekend, timestampOn } from './calendar.ts';
import { equities, indexDerivatives } from './market-data.ts';
import type { Random } from './prng.ts';

export type ClientRef = { clientCode: string; pan: string; name: string; fo: boolean; mtf: boolean };
export type ClientBook = { balance: number; entries: number };
export type DayContext = { random: Random; day: number; ids: { trade: number; order: number } };

const IST_OPEN = 3 * 3600 + 45 * 60; // 09:15 IST in UTC seconds
const IST_CLOSE = 10 * 3600; // 15:30 IST
const round2 = (x: number) => Math.round(x * 100) / 100 || 0; // never -0: it would not survive a CSV round trip
const round4 = (x: number) => Math.round(x * 10_000) / 10_000 || 0;

function source(ctx: DayContext, hour = 12) {
  return { system: 'RUPEESEED', version: 1, asOf: timestampOn(ctx.day, hour * 3600) };
}

/** The next Thursday on or after `day` (weekly index expiry). */
export function nextExpiry(day: number): number {
  const weekday = (day + 4) % 7;
  return day + ((4 - weekday + 7) % 7);
}

function createTrade(ctx: DayContext, ref: ClientRef, useMtf: boolean): Trade {
  const { random } = ctx;
  const base = {
    kind: 'trade' as const, clientCode: ref.clientCode, tradeId: String(++ctx.ids.trade), orderId: String(++ctx.ids.order),
    exchange: 'NSE' as const, tradeTime: timestampOn(ctx.day, random.int(IST_OPEN, IST_CLOSE)), source: source(ctx, 11),
  };
  if (ref.fo && !useMtf && random.chance(0.35)) {
    const index = random.pick(indexDerivatives);
    const strike = Math.round(index.spot * (0.95 + random.float() * 0.1) / index.strikeStep) * index.strikeStep;
    return {
      ...base, segment: 'FO', symbol: index.symbol, instrumentType: 'OPTIDX', expiry: fromEpochDay(nextExpiry(ctx.day)), strike,
      optionType: random.chance(0.5) ? 'CE' : 'PE', side: random.chance(0.55) ? 'BUY' : 'SELL', quantity: index.lotSize * random.int(1, 4),
      price: round2(20 + random.float() * 300), product: 'NRML',
    };
  }
  const equity = random.pick(equities);
  return {
    ...base, segment: 'CM', symbol: equity.symbol, isin: equity.isin, instrumentType: 'EQ', side: useMtf || random.chance(0.6) ? 'BUY' : 'SELL',
    quantity: random.int(1, 200), price: round2(equity.price * (0.97 + random.float() * 0.06)), product: useMtf ? 'MTF' : random.chance(0.5) ? 'CNC' : 'MIS',
  };
}

function createNetPositions(ctx: DayContext, trades: readonly Trade[]): NetPosition[] {
  const byContract = new Map<string, Trade[]>();
  for (const t of trades) {
    const key = `${contractOf(t)}|${t.product}|${t.segment}`;
    byContract.set(key, [...(byContract.get(key) ?? []), t]);
  }
  return [...byContract.values()].map((group): NetPosition => {
    const buys = group.filter((t) => t.side === 'BUY');
    const sells = group.filter((t) => t.side === 'SELL');
    const qty = (list: Trade[]) => list.reduce((sum, t) => sum + t.quantity, 0);
    const avg = (list: Trade[]) => (qty(list) === 0 ? 0 : round4(list.reduce((sum, t) => sum + t.price * t.quantity, 0) / qty(list)));
    const first = group[0]!;
    const lastPrice = round2(first.price * (0.99 + ctx.random.float() * 0.02));
    const net = qty(buys) - qty(sells);
    const contract = { instrumentType: first.instrumentType, expiry: first.expiry, strike: first.strike, optionType: first.optionType };
    return {
      kind: 'netPosition', clientCode: first.clientCode, tradeDate: fromEpochDay(ctx.day), exchange: first.exchange, segment: first.segment,
      symbol: first.symbol, ...definedOnly(contract), product: first.product, buyQty: qty(buys), sellQty: qty(sells), netQty: net, buyAvg: avg(buys), sellAvg: avg(sells),
      lastPrice, realisedPnl: round2(Math.min(qty(buys), qty(sells)) * (avg(sells) - avg(buys))),
      unrealisedPnl: round2(net * (lastPrice - (net > 0 ? avg(buys) : avg(sells)))), source: source(ctx, 16),
    };
  });
}

// Absent contract fields stay absent (not `undefined` members), as a parsed file would give them.
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function createLedger(ctx: DayContext, ref: ClientRef, book: ClientBook, type: LedgerEntry['voucherType'], amount: number, narration: string): LedgerEntry {
  const debit = amount > 0 ? round2(amount) : 0;
  const credit = amount < 0 ? round2(-amount) : 0;
  book.balance = round2(book.balance - debit + credit);
  return {
    kind: 'ledgerEntry', clientCode: ref.clientCode, entryId: `${ref.clientCode}-${++book.entries}`, entryDate: fromEpochDay(ctx.day),
    voucherType: type, narration, debit, credit, balance: book.balance, source: source(ctx, 18),
  };
}

function createMtfPosition(ctx: DayContext, trade: Trade): MtfPosition {
  const value = trade.price * trade.quantity;
  const funded = round2(value * 0.75);
  const lastPrice = round2(trade.price * (0.98 + ctx.random.float() * 0.04));
  return {
    kind: 'mtfPosition', clientCode: trade.clientCode, tradeDate: fromEpochDay(ctx.day), symbol: trade.symbol, isin: trade.isin!,
    quantity: trade.quantity, buyPrice: trade.price, fundedAmount: funded, ownMargin: round2(value - funded), lastPrice,
    marginRequired: round2(lastPrice * trade.quantity * 0.25), marginAvailable: round2(value - funded + (lastPrice - trade.price) * trade.quantity),
    interestRatePct: ctx.random.pick([12, 14.5, 15, 18]), interestAccrued: 0, openedOn: fromEpochDay(ctx.day),
    pledgeStatus: ctx.random.chance(0.8) ? 'PLEDGED' : 'PENDING', source: source(ctx, 17),
  };
}

/** The records of one client's day, in the order an OMS/RMS would publish them. */
export function createClientDay(ctx: DayContext, ref: ClientRef, book: ClientBook): BackofficeRecord[] {
  const { random } = ctx;
  const out: BackofficeRecord[] = [];
  const opening = book.balance;
  let payin = 0;
  if (book.balance < 10_000 || random.chance(0.15)) {
    payin = random.pick([5_000, 10_000, 25_000, 50_000, 100_000]);
    out.push(createLedger(ctx, ref, book, 'PAYIN', -payin, 'Funds received via UPI'));
  }
  const trades = Array.from({ length: random.int(1, 4) }, () => createTrade(ctx, ref, ref.mtf && random.chance(0.3)));
  out.push(...trades, ...createNetPositions(ctx, trades));
  const turnover = trades.reduce((sum, t) => sum + (t.side === 'BUY' ? 1 : -1) * t.price * t.quantity, 0);
  out.push(createLedger(ctx, ref, book, 'TRADE', turnover, `Bill for ${fromEpochDay(ctx.day)}`));
  out.push(createLedger(ctx, ref, book, 'CHARGES', Math.abs(turnover) * 0.0012 + 15.93, 'Brokerage, STT, exchange and GST'));
  const mtfTrades = trades.filter((t) => t.product === 'MTF');
  out.push(...mtfTrades.map((t) => createMtfPosition(ctx, t)));
  if (mtfTrades.length > 0) out.push(createLedger(ctx, ref, book, 'MTF_INTEREST', mtfTrades.reduce((s, t) => s + t.price * t.quantity * 0.75, 0) * 0.15 / 365, 'MTF interest for the day'));
  out.push(createFundLimit(ctx, ref, opening, payin, book.balance, trades));
  return out;
}

function createFundLimit(ctx: DayContext, ref: ClientRef, opening: number, payin: number, closing: number, trades: readonly Trade[]): BackofficeRecord {
  const { random } = ctx;
  const fo = trades.filter((t) => t.segment === 'FO').reduce((s, t) => s + t.price * t.quantity, 0);
  const mtf = trades.filter((t) => t.product === 'MTF').reduce((s, t) => s + t.price * t.quantity, 0);
  const margins = {
    span: round2(fo * 0.9), exposure: round2(fo * 0.2), varElm: round2(trades.filter((t) => t.product === 'MIS').reduce((s, t) => s + t.price * t.quantity * 0.2, 0)),
    premium: round2(trades.filter((t) => t.segment === 'FO' && t.side === 'BUY').reduce((s, t) => s + t.price * t.quantity, 0)),
    delivery: round2(trades.filter((t) => t.product === 'CNC').reduce((s, t) => s + t.price * t.quantity * 0.2, 0)), mtfOwn: round2(mtf * 0.25), mtfFunded: round2(mtf * 0.75),
  };
  const used = round2(margins.span + margins.exposure + margins.varElm + margins.premium + margins.delivery + margins.mtfOwn);
  const collateral = ref.fo ? round2(random.int(0, 200) * 1000) : 0;
  const collected = round2(Math.max(0, closing) + collateral);
  return {
    kind: 'fundLimit', clientCode: ref.clientCode, tradeDate: fromEpochDay(ctx.day), openingBalance: opening, payin, payout: 0, collateral,
    marginUsed: used, availableMargin: round2(collected - used), margins, peakMarginRequired: round2(used * (1 + random.float() * 0.3)),
    peakMarginCollected: collected, shortfall: round2(Math.max(0, used - collected)), source: { ...source(ctx, 19), version: random.chance(0.05) ? 2 : 1 },
  };
}

/** The trading day after `day` (weekends skipped; exchange holidays are not modelled). */
export function nextTradingDay(day: number): number {
  let next = day + 1;
  while (isWeekend(next)) next++;
  return next;
}
