// Where each back-office kind is stored (migrations/0008_backoffice.sql): its table, the columns
// that identify a row, whether a row is the latest state of something that changes day by day,
// and how a record becomes the row's columns. The writer turns these into SQL.
import type { BlindIndex } from '../../crypto/blind-index.ts';
import { contractOf, type BackofficeKind, type BackofficeRecord } from '../backoffice-record.ts';

export type SqlType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'numeric' | 'bigint' | 'boolean' | 'jsonb' | 'bytea';

/** What a column's value is computed from: the record, its client id and the blind index. */
export type ColumnContext = { clientId: string; blind: BlindIndex };

type RecordOf<K extends BackofficeKind> = Extract<BackofficeRecord, { kind: K }>;

export type ColumnSpec<R> = readonly [name: string, type: SqlType, value: (record: R, context: ColumnContext) => unknown];

export type TableSpec<R> = {
  readonly table: string;
  /** The conflict target: the columns that identify one row. */
  readonly key: readonly string[];
  /**
   * True when a row holds the latest state (a position, a limit): versions are ordered by
   * (trade_date, source_version), so a later day replaces an earlier one and never the reverse.
   * False: by source_version alone.
   */
  readonly dated: boolean;
  /** Every column but the common ones (content hash, source, job), which the writer adds. */
  readonly columns: ReadonlyArray<ColumnSpec<R>>;
};

const clientId = <R>(): ColumnSpec<R> => ['client_id', 'uuid', (_r, c) => c.clientId];
const optional = (value: unknown) => value ?? null;
const bidx = (buffer: Buffer) => buffer.toString('base64');

export const backofficeTables: { readonly [K in BackofficeKind]: TableSpec<RecordOf<K>> } = {
  clientMaster: {
    table: 'backoffice_client_masters',
    key: ['client_id'],
    dated: false,
    columns: [
      clientId(),
      // PAN as its blind index only (same purpose as clients.pan_bidx); the name is not stored.
      ['pan_bidx', 'bytea', (r, c) => bidx(c.blind('client.pan', r.pan))],
      ['branch_code', 'text', (r) => r.branchCode],
      ['dealer_code', 'text', (r) => optional(r.dealerCode)],
      ['status', 'text', (r) => r.status],
      ['trading_enabled', 'boolean', (r) => r.tradingEnabled],
      ['ucc', 'jsonb', (r, c) => r.ucc.map((u) => ({ exchange: u.exchange, segment: u.segment, status: u.status, codeBidx: bidx(c.blind('client.code', u.exchangeClientCode)) }))],
    ],
  },
  trade: {
    table: 'backoffice_trades',
    key: ['exchange', 'segment', 'trade_id'],
    dated: false,
    columns: [
      ['exchange', 'text', (r) => r.exchange],
      ['segment', 'text', (r) => r.segment],
      ['trade_id', 'text', (r) => r.tradeId],
      clientId(),
      ['order_id', 'text', (r) => r.orderId],
      ['symbol', 'text', (r) => r.symbol],
      ['isin', 'text', (r) => optional(r.isin)],
      ['instrument_type', 'text', (r) => r.instrumentType],
      ['expiry', 'date', (r) => optional(r.expiry)],
      ['strike', 'numeric', (r) => optional(r.strike)],
      ['option_type', 'text', (r) => optional(r.optionType)],
      ['side', 'text', (r) => r.side],
      ['quantity', 'bigint', (r) => r.quantity],
      ['price', 'numeric', (r) => r.price],
      ['product', 'text', (r) => r.product],
      ['trade_time', 'timestamptz', (r) => r.tradeTime],
    ],
  },
  netPosition: {
    table: 'backoffice_net_positions',
    key: ['client_id', 'exchange', 'segment', 'product', 'contract'],
    dated: true,
    columns: [
      clientId(),
      ['exchange', 'text', (r) => r.exchange],
      ['segment', 'text', (r) => r.segment],
      ['product', 'text', (r) => r.product],
      ['contract', 'text', (r) => contractOf(r)],
      ['symbol', 'text', (r) => r.symbol],
      ['instrument_type', 'text', (r) => r.instrumentType],
      ['expiry', 'date', (r) => optional(r.expiry)],
      ['strike', 'numeric', (r) => optional(r.strike)],
      ['option_type', 'text', (r) => optional(r.optionType)],
      ['trade_date', 'date', (r) => r.tradeDate],
      ['buy_qty', 'bigint', (r) => r.buyQty],
      ['sell_qty', 'bigint', (r) => r.sellQty],
      ['net_qty', 'bigint', (r) => r.netQty],
      ['buy_avg', 'numeric', (r) => r.buyAvg],
      ['sell_avg', 'numeric', (r) => r.sellAvg],
      ['last_price', 'numeric', (r) => r.lastPrice],
      ['realised_pnl', 'numeric', (r) => r.realisedPnl],
      ['unrealised_pnl', 'numeric', (r) => r.unrealisedPnl],
    ],
  },
  fundLimit: {
    table: 'backoffice_fund_limits',
    key: ['client_id'],
    dated: true,
    columns: [
      clientId(),
      ['trade_date', 'date', (r) => r.tradeDate],
      ['opening_balance', 'numeric', (r) => r.openingBalance],
      ['payin', 'numeric', (r) => r.payin],
      ['payout', 'numeric', (r) => r.payout],
      ['collateral', 'numeric', (r) => r.collateral],
      ['margin_used', 'numeric', (r) => r.marginUsed],
      ['available_margin', 'numeric', (r) => r.availableMargin],
      ['margins', 'jsonb', (r) => r.margins],
      ['peak_margin_required', 'numeric', (r) => r.peakMarginRequired],
      ['peak_margin_collected', 'numeric', (r) => r.peakMarginCollected],
      ['shortfall', 'numeric', (r) => r.shortfall],
    ],
  },
  mtfPosition: {
    table: 'backoffice_mtf_positions',
    key: ['client_id', 'isin', 'opened_on'],
    dated: true,
    columns: [
      clientId(),
      ['isin', 'text', (r) => r.isin],
      ['opened_on', 'date', (r) => r.openedOn],
      ['symbol', 'text', (r) => r.symbol],
      ['trade_date', 'date', (r) => r.tradeDate],
      ['quantity', 'bigint', (r) => r.quantity],
      ['buy_price', 'numeric', (r) => r.buyPrice],
      ['funded_amount', 'numeric', (r) => r.fundedAmount],
      ['own_margin', 'numeric', (r) => r.ownMargin],
      ['last_price', 'numeric', (r) => r.lastPrice],
      ['margin_required', 'numeric', (r) => r.marginRequired],
      ['margin_available', 'numeric', (r) => r.marginAvailable],
      ['interest_rate_pct', 'numeric', (r) => r.interestRatePct],
      ['interest_accrued', 'numeric', (r) => r.interestAccrued],
      ['pledge_status', 'text', (r) => r.pledgeStatus],
    ],
  },
  ledgerEntry: {
    table: 'backoffice_ledger_entries',
    key: ['client_id', 'entry_id'],
    dated: false,
    columns: [
      clientId(),
      ['entry_id', 'text', (r) => r.entryId],
      ['entry_date', 'date', (r) => r.entryDate],
      ['voucher_type', 'text', (r) => r.voucherType],
      // The narration is free text that can carry names and account numbers: not stored.
      ['debit', 'numeric', (r) => r.debit],
      ['credit', 'numeric', (r) => r.credit],
      ['balance', 'numeric', (r) => r.balance],
    ],
  },
};

/** The table of a record's kind, typed for any record. */
export function tableOf(record: BackofficeRecord): TableSpec<BackofficeRecord> {
  return backofficeTables[record.kind] as TableSpec<BackofficeRecord>;
}
