-- Back-office records (a Rupeeseed-style OMS/RMS feed), one table per kind.
--
-- Rows are keyed by client_id, derived from the client code exactly as clients.id is
-- (src/kyc/client-id.ts), so they join to the KYC client whichever file arrived first; the client
-- code itself is not stored. No personal value is stored, in clear or encrypted: the client master
-- keeps the PAN only as its blind index (the same purpose as clients.pan_bidx, so a back office
-- PAN that differs from the KYC one can be found), and neither the name nor ledger narrations
-- (free text that can carry names, UPI ids and account numbers) are kept. The KYC record remains
-- the one encrypted copy of the client's personal data.
--
-- Every row carries its source (system, version, as-of) and a keyed hash of its content: an older
-- or identical record writes nothing. Tables that hold the latest state of something that changes
-- day by day (positions, fund limits, MTF positions) order versions by (trade_date, source_version).

CREATE TABLE backoffice_client_masters (
  client_id        uuid PRIMARY KEY,
  pan_bidx         bytea NOT NULL,
  branch_code      text NOT NULL,
  dealer_code      text,
  status           text NOT NULL,
  trading_enabled  boolean NOT NULL,
  -- [{exchange, segment, status, codeBidx}]: the exchange client code as a 'client.code' blind index
  ucc              jsonb NOT NULL,
  content_hash     bytea NOT NULL,
  source_system    text NOT NULL,
  source_version   bigint NOT NULL,
  source_as_of     timestamptz NOT NULL,
  job_id           uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backoffice_client_masters_pan_idx ON backoffice_client_masters (pan_bidx);

-- Exchange trade numbers are unique within an exchange segment.
CREATE TABLE backoffice_trades (
  exchange         text NOT NULL,
  segment          text NOT NULL,
  trade_id         text NOT NULL,
  client_id        uuid NOT NULL,
  order_id         text NOT NULL,
  symbol           text NOT NULL,
  isin             text,
  instrument_type  text NOT NULL,
  expiry           date,
  strike           numeric,
  option_type      text,
  side             text NOT NULL,
  quantity         bigint NOT NULL,
  price            numeric NOT NULL,
  product          text NOT NULL,
  trade_time       timestamptz NOT NULL,
  content_hash     bytea NOT NULL,
  source_system    text NOT NULL,
  source_version   bigint NOT NULL,
  source_as_of     timestamptz NOT NULL,
  job_id           uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (exchange, segment, trade_id)
);
CREATE INDEX backoffice_trades_client_idx ON backoffice_trades (client_id, trade_time);

-- The current position of a client in one contract (per exchange, segment and product): the
-- record of the latest trade date wins. `contract` is symbol:instrument type:expiry:strike:option
-- type (src/kyc/backoffice-record.ts contractOf); the parts are also columns for queries. A closed
-- position stays with net_qty 0. Expiry reminders ask:
--   SELECT DISTINCT client_id FROM backoffice_net_positions WHERE expiry = $1 AND net_qty <> 0
CREATE TABLE backoffice_net_positions (
  client_id        uuid NOT NULL,
  exchange         text NOT NULL,
  segment          text NOT NULL,
  product          text NOT NULL,
  contract         text NOT NULL,
  symbol           text NOT NULL,
  instrument_type  text NOT NULL,
  expiry           date,
  strike           numeric,
  option_type      text,
  trade_date       date NOT NULL,
  buy_qty          bigint NOT NULL,
  sell_qty         bigint NOT NULL,
  net_qty          bigint NOT NULL,
  buy_avg          numeric NOT NULL,
  sell_avg         numeric NOT NULL,
  last_price       numeric NOT NULL,
  realised_pnl     numeric NOT NULL,
  unrealised_pnl   numeric NOT NULL,
  content_hash     bytea NOT NULL,
  source_system    text NOT NULL,
  source_version   bigint NOT NULL,
  source_as_of     timestamptz NOT NULL,
  job_id           uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, exchange, segment, product, contract)
);
CREATE INDEX backoffice_net_positions_open_expiry_idx ON backoffice_net_positions (expiry, client_id) WHERE net_qty <> 0;

-- The latest fund limit and margins of each client.
CREATE TABLE backoffice_fund_limits (
  client_id              uuid PRIMARY KEY,
  trade_date             date NOT NULL,
  opening_balance        numeric NOT NULL,
  payin                  numeric NOT NULL,
  payout                 numeric NOT NULL,
  collateral             numeric NOT NULL,
  margin_used            numeric NOT NULL,
  available_margin       numeric NOT NULL,
  margins                jsonb NOT NULL,
  peak_margin_required   numeric NOT NULL,
  peak_margin_collected  numeric NOT NULL,
  shortfall              numeric NOT NULL,
  content_hash           bytea NOT NULL,
  source_system          text NOT NULL,
  source_version         bigint NOT NULL,
  source_as_of           timestamptz NOT NULL,
  job_id                 uuid,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backoffice_fund_limits_shortfall_idx ON backoffice_fund_limits (trade_date) WHERE shortfall > 0;

-- The current state of each MTF position (a client's buy of one ISIN on one day), latest trade date wins.
CREATE TABLE backoffice_mtf_positions (
  client_id          uuid NOT NULL,
  isin               text NOT NULL,
  opened_on          date NOT NULL,
  symbol             text NOT NULL,
  trade_date         date NOT NULL,
  quantity           bigint NOT NULL,
  buy_price          numeric NOT NULL,
  funded_amount      numeric NOT NULL,
  own_margin         numeric NOT NULL,
  last_price         numeric NOT NULL,
  margin_required    numeric NOT NULL,
  margin_available   numeric NOT NULL,
  interest_rate_pct  numeric NOT NULL,
  interest_accrued   numeric NOT NULL,
  pledge_status      text NOT NULL,
  content_hash       bytea NOT NULL,
  source_system      text NOT NULL,
  source_version     bigint NOT NULL,
  source_as_of       timestamptz NOT NULL,
  job_id             uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, isin, opened_on)
);

-- Ledger lines, one per voucher entry id of a client (the narration is not stored: see above).
CREATE TABLE backoffice_ledger_entries (
  client_id       uuid NOT NULL,
  entry_id        text NOT NULL,
  entry_date      date NOT NULL,
  voucher_type    text NOT NULL,
  debit           numeric NOT NULL,
  credit          numeric NOT NULL,
  balance         numeric NOT NULL,
  content_hash    bytea NOT NULL,
  source_system   text NOT NULL,
  source_version  bigint NOT NULL,
  source_as_of    timestamptz NOT NULL,
  job_id          uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, entry_id)
);
CREATE INDEX backoffice_ledger_entries_date_idx ON backoffice_ledger_entries (client_id, entry_date);

-- What a job's file held: 'kyc' or 'backoffice', told from its first record.
ALTER TABLE ingest_jobs ADD COLUMN content text;
