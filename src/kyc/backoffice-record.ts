// Canonical back-office records from a Rupeeseed-style OMS/RMS feed. The vendor publishes no bulk
// format, so this is our own: one record per line, keyed by client code, told apart by `kind`.
// Amounts are rupees (at most two decimals); prices may carry four (currency tick sizes).
import { Type, type Static } from 'typebox';
import { segmentCodes } from './codes.ts';
import { IsoDate, IsoTimestamp, Pan, PersonName, SourceSchema } from './client-record-parts.ts';
import { patterns } from './patterns.ts';

export const exchanges = ['NSE', 'BSE', 'MCX', 'NCDEX'] as const;
export const products = ['CNC', 'MIS', 'NRML', 'MTF'] as const;
export const instrumentTypes = ['EQ', 'FUTSTK', 'FUTIDX', 'OPTSTK', 'OPTIDX', 'FUTCUR', 'OPTCUR', 'FUTCOM', 'OPTFUT'] as const;
export const clientAccountStatuses = ['ACTIVE', 'DORMANT', 'SUSPENDED', 'CLOSED'] as const;
export const uccStatuses = ['ACTIVE', 'INACTIVE', 'PENDING'] as const;
export const pledgeStatuses = ['PENDING', 'PLEDGED', 'RELEASED'] as const;
export const voucherTypes = ['PAYIN', 'PAYOUT', 'TRADE', 'CHARGES', 'MTF_INTEREST', 'JOURNAL', 'RUNNING_ACCOUNT_SETTLEMENT'] as const;
export const backofficeKinds = ['clientMaster', 'trade', 'netPosition', 'fundLimit', 'mtfPosition', 'ledgerEntry'] as const;

const ClientCode = Type.String({ pattern: patterns.clientCode.source });
const Isin = Type.String({ pattern: '^IN[A-Z0-9]{9}[0-9]$' });
const Money = Type.Number({ description: 'Rupees, rounded to paise' });
const Quantity = Type.Integer({ minimum: 0 });
const Symbol = Type.String({ minLength: 1, maxLength: 40 });

export const UccMappingSchema = Type.Object({
  exchange: Type.Enum(exchanges),
  segment: Type.Enum(segmentCodes),
  exchangeClientCode: ClientCode,
  status: Type.Enum(uccStatuses),
}, { additionalProperties: false });

export const ClientMasterSchema = Type.Object({
  kind: Type.Literal('clientMaster'),
  clientCode: ClientCode,
  pan: Pan,
  name: PersonName,
  branchCode: Type.String({ minLength: 1, maxLength: 10 }),
  dealerCode: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
  status: Type.Enum(clientAccountStatuses),
  tradingEnabled: Type.Boolean(),
  ucc: Type.Array(UccMappingSchema),
  source: SourceSchema,
}, { additionalProperties: false });

export const TradeSchema = Type.Object({
  kind: Type.Literal('trade'),
  clientCode: ClientCode,
  tradeId: Type.String({ minLength: 1, maxLength: 30 }),
  orderId: Type.String({ minLength: 1, maxLength: 30 }),
  exchange: Type.Enum(exchanges),
  segment: Type.Enum(segmentCodes),
  symbol: Symbol,
  isin: Type.Optional(Isin),
  instrumentType: Type.Enum(instrumentTypes),
  expiry: Type.Optional(IsoDate),
  strike: Type.Optional(Type.Number({ minimum: 0 })),
  optionType: Type.Optional(Type.Enum(['CE', 'PE'] as const)),
  side: Type.Enum(['BUY', 'SELL'] as const),
  quantity: Type.Integer({ minimum: 1 }),
  price: Type.Number({ minimum: 0 }),
  product: Type.Enum(products),
  tradeTime: IsoTimestamp,
  source: SourceSchema,
}, { additionalProperties: false });

export const NetPositionSchema = Type.Object({
  kind: Type.Literal('netPosition'),
  clientCode: ClientCode,
  tradeDate: IsoDate,
  exchange: Type.Enum(exchanges),
  segment: Type.Enum(segmentCodes),
  symbol: Symbol,
  instrumentType: Type.Enum(instrumentTypes),
  expiry: Type.Optional(IsoDate),
  strike: Type.Optional(Type.Number({ minimum: 0 })),
  optionType: Type.Optional(Type.Enum(['CE', 'PE'] as const)),
  product: Type.Enum(products),
  buyQty: Quantity,
  sellQty: Quantity,
  netQty: Type.Integer(),
  buyAvg: Type.Number({ minimum: 0 }),
  sellAvg: Type.Number({ minimum: 0 }),
  lastPrice: Type.Number({ minimum: 0 }),
  realisedPnl: Money,
  unrealisedPnl: Money,
  source: SourceSchema,
}, { additionalProperties: false });

export const MarginsSchema = Type.Object({
  span: Money,
  exposure: Money,
  varElm: Money,
  premium: Money,
  delivery: Money,
  mtfOwn: Money,
  mtfFunded: Money,
}, { additionalProperties: false });

export const FundLimitSchema = Type.Object({
  kind: Type.Literal('fundLimit'),
  clientCode: ClientCode,
  tradeDate: IsoDate,
  openingBalance: Money,
  payin: Money,
  payout: Money,
  collateral: Money,
  marginUsed: Money,
  availableMargin: Money,
  margins: MarginsSchema,
  peakMarginRequired: Money,
  peakMarginCollected: Money,
  shortfall: Money,
  source: SourceSchema,
}, { additionalProperties: false });

export const MtfPositionSchema = Type.Object({
  kind: Type.Literal('mtfPosition'),
  clientCode: ClientCode,
  tradeDate: IsoDate,
  symbol: Symbol,
  isin: Isin,
  quantity: Type.Integer({ minimum: 1 }),
  buyPrice: Type.Number({ minimum: 0 }),
  fundedAmount: Money,
  ownMargin: Money,
  lastPrice: Type.Number({ minimum: 0 }),
  marginRequired: Money,
  marginAvailable: Money,
  interestRatePct: Type.Number({ minimum: 0, maximum: 36 }),
  interestAccrued: Money,
  openedOn: IsoDate,
  pledgeStatus: Type.Enum(pledgeStatuses),
  source: SourceSchema,
}, { additionalProperties: false });

export const LedgerEntrySchema = Type.Object({
  kind: Type.Literal('ledgerEntry'),
  clientCode: ClientCode,
  entryId: Type.String({ minLength: 1, maxLength: 30 }),
  entryDate: IsoDate,
  voucherType: Type.Enum(voucherTypes),
  narration: Type.String({ maxLength: 200 }),
  debit: Money,
  credit: Money,
  balance: Money,
  source: SourceSchema,
}, { additionalProperties: false });

export const BackofficeRecordSchema = Type.Union([
  ClientMasterSchema, TradeSchema, NetPositionSchema, FundLimitSchema, MtfPositionSchema, LedgerEntrySchema,
], { $id: 'BackofficeRecord' });

export type ClientMaster = Static<typeof ClientMasterSchema>;
export type Trade = Static<typeof TradeSchema>;
export type NetPosition = Static<typeof NetPositionSchema>;
export type FundLimit = Static<typeof FundLimitSchema>;
export type MtfPosition = Static<typeof MtfPositionSchema>;
export type LedgerEntry = Static<typeof LedgerEntrySchema>;
export type BackofficeRecord = Static<typeof BackofficeRecordSchema>;
export type BackofficeKind = BackofficeRecord['kind'];

/** Personal fields of back-office records (see personal-fields.ts for the client record). */
export const backofficePersonalFields = ['clientMaster.pan', 'clientMaster.name'] as const;

type ContractFields = Pick<Trade, 'symbol' | 'instrumentType' | 'expiry' | 'strike' | 'optionType'>;

/** One contract: `NIFTY:OPTIDX:2026-11-26:24500:CE`, `RELIANCE:EQ:::` (empty parts where absent). */
export function contractOf(r: ContractFields): string {
  return `${r.symbol}:${r.instrumentType}:${r.expiry ?? ''}:${r.strike ?? ''}:${r.optionType ?? ''}`;
}

/**
 * The identity of one fact: one client master per client, one trade per exchange trade id, one
 * position per client, day and contract, one fund limit per client and day, one ledger line per
 * entry id. Two records with the same key are versions of one fact; `source.version` decides which
 * wins. (Storage keeps only the latest day of a position or fund limit: see backoffice-tables.ts.)
 */
export function keyOfBackofficeRecord(record: BackofficeRecord): string {
  switch (record.kind) {
    case 'clientMaster': return `clientMaster:${record.clientCode}`;
    case 'trade': return `trade:${record.exchange}:${record.segment}:${record.tradeId}`;
    case 'netPosition':
      return `netPosition:${record.clientCode}:${record.tradeDate}:${record.exchange}:${record.segment}:${record.product}:${contractOf(record)}`;
    case 'fundLimit': return `fundLimit:${record.clientCode}:${record.tradeDate}`;
    case 'mtfPosition': return `mtfPosition:${record.clientCode}:${record.isin}:${record.openedOn}`;
    case 'ledgerEntry': return `ledgerEntry:${record.clientCode}:${record.entryId}`;
  }
}
