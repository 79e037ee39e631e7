// Direct SQL fixtures for the scheduler tests: KYC clients (only the columns the scheduler reads
// carry meaning; the personal ones are placeholder bytes) and back-office rows, plus an intake spy
// that records every event a scheduler submits (intake itself de-duplicates, so counting what
// reached the log could not tell a double fire from a single one).
import type { Queryable } from '../../src/store/db.ts';
import type { BlindIndex } from '../../src/crypto/blind-index.ts';
import type { EventIntake, SubmitOptions } from '../../src/events/intake.ts';
import { clientIdForCode } from '../../src/kyc/client-id.ts';
import type { Clock } from '../../src/platform/time.ts';

const source = ['RUPEESEED', 1, '2026-11-20T10:00:00Z'] as const;

export type Position = { symbol: string; instrumentType: string; expiry: string; strike?: number; optionType?: 'CE' | 'PE'; netQty: number; product?: string };

export function createFixtures(db: Queryable, blindIndex: BlindIndex) {
  const idOf = (code: string) => clientIdForCode(blindIndex, code);
  return {
    idOf,
    async client(code: string, profile: { kraStatusDate?: string | null; riskCategory?: 'L' | 'M' | 'H' } = {}): Promise<string> {
      const id = idOf(code);
      const fullProfile = { kra: 'CVL', kraStatus: '007', kraStatusDate: profile.kraStatusDate ?? null, riskCategory: profile.riskCategory ?? 'L', consents: [] };
      await db.query(
        `INSERT INTO clients (id, code_bidx, pan_bidx, mobile_bidx, address_hash, bank_hash, nominee_hash, content_hash, personal_enc, masked, profile,
                              kra_status, segments, source_system, source_version, source_as_of)
         VALUES ($1, $2, '\\x00', '\\x00', '\\x00', '\\x00', '\\x00', '\\x00', '\\x00', $3, $4, '007', '[]', 'KRA', 1, '2026-11-20T10:00:00Z')`,
        [id, blindIndex('client.code', code), JSON.stringify({ clientCode: code, name: 'A*** V****', mobile: '+91XXXXXX0001' }), JSON.stringify(fullProfile)],
      );
      return id;
    },
    async position(code: string, p: Position): Promise<void> {
      const contract = `${p.symbol}:${p.instrumentType}:${p.expiry}:${p.strike ?? ''}:${p.optionType ?? ''}`;
      await db.query(
        `INSERT INTO backoffice_net_positions (client_id, exchange, segment, product, contract, symbol, instrument_type, expiry, strike, option_type, trade_date,
           buy_qty, sell_qty, net_qty, buy_avg, sell_avg, last_price, realised_pnl, unrealised_pnl, content_hash, source_system, source_version, source_as_of)
         VALUES ($1, 'NSE', 'FO', $2, $3, $4, $5, $6, $7, $8, '2026-11-24', greatest($9::bigint, 0), greatest(-$9::bigint, 0), $9::bigint, 100, 100, 100, 0, 0, '\\x00', $10, $11, $12)`,
        [idOf(code), p.product ?? 'NRML', contract, p.symbol, p.instrumentType, p.expiry, p.strike ?? null, p.optionType ?? null, p.netQty, ...source],
      );
    },
    async fundLimit(code: string, f: { tradeDate: string; required: number; collected: number; shortfall: number }): Promise<void> {
      await db.query(
        `INSERT INTO backoffice_fund_limits (client_id, trade_date, opening_balance, payin, payout, collateral, margin_used, available_margin, margins,
           peak_margin_required, peak_margin_collected, shortfall, content_hash, source_system, source_version, source_as_of)
         VALUES ($1, $2, 0, 0, 0, 0, $3, 0, '{}', $3, $4, $5, '\\x00', $6, $7, $8)`,
        [idOf(code), f.tradeDate, f.required, f.collected, f.shortfall, ...source],
      );
    },
    async ledger(code: string, e: { entryId: string; entryDate: string; voucherType: string; debit?: number; credit?: number; balance: number }): Promise<void> {
      await db.query(
        `INSERT INTO backoffice_ledger_entries (client_id, entry_id, entry_date, voucher_type, debit, credit, balance, content_hash, source_system, source_version, source_as_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '\\x00', $8, $9, $10)`,
        [idOf(code), e.entryId, e.entryDate, e.voucherType, e.debit ?? 0, e.credit ?? 0, e.balance, ...source],
      );
    },
    async mtfPosition(code: string, m: { isin: string; fundedAmount: number; ratePct: number }): Promise<void> {
      await db.query(
        `INSERT INTO backoffice_mtf_positions (client_id, isin, opened_on, symbol, trade_date, quantity, buy_price, funded_amount, own_margin, last_price,
           margin_required, margin_available, interest_rate_pct, interest_accrued, pledge_status, content_hash, source_system, source_version, source_as_of)
         VALUES ($1, $2, '2026-11-02', 'HDFCBANK', '2026-11-24', 100, 1000, $3, 0, 1000, 0, 0, $4, 0, 'PLEDGED', '\\x00', $5, $6, $7)`,
        [idOf(code), m.isin, m.fundedAmount, m.ratePct, ...source],
      );
    },
    /** Empties what the scheduler reads and writes, so each test starts from nothing. */
    async reset(): Promise<void> {
      await db.query(`TRUNCATE scheduler_runs, scheduler_schedules, client_settlement_preferences, event_intake, clients CASCADE`);
      await db.query(`TRUNCATE backoffice_net_positions, backoffice_fund_limits, backoffice_ledger_entries, backoffice_mtf_positions`);
    },
  };
}

export type SubmittedEvent = { id: string; type: string; clientCode: string; occurredAt: string; variables: Record<string, unknown> };

/** Records what is submitted; `failNext(n)` makes the next n submissions throw (intake down). */
export function spyIntake(intake: Pick<EventIntake, 'submit'>) {
  const submitted: SubmittedEvent[] = [];
  let failures = 0;
  return {
    submitted,
    failNext(n: number) {
      failures = n;
    },
    async submit(events: readonly unknown[], options: SubmitOptions) {
      if (failures > 0) {
        failures--;
        throw new Error('intake unavailable');
      }
      submitted.push(...(events as SubmittedEvent[]));
      return intake.submit(events, options);
    },
  };
}

/** Moves a manual clock to an absolute instant (forward only). */
export function moveTo(clock: Clock & { advance(ms: number): void }, iso: string): void {
  const ms = Date.parse(iso) - clock.now().getTime();
  if (ms < 0) throw new Error(`the clock only moves forward: ${iso}`);
  clock.advance(ms);
}
