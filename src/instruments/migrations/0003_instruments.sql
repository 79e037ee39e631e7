-- Instruments: the truth the in-process search index is built from. Identity is (exchange, symbol);
-- id = 'EXCHANGE:SYMBOL'. Re-imports merge: known fields win, unknown (NULL) fields keep the old value.
CREATE TABLE instruments (
  id               text PRIMARY KEY,
  exchange         text NOT NULL,
  symbol           text NOT NULL,
  name             text NOT NULL,
  segment          text NOT NULL,
  instrument_type  text NOT NULL,
  underlying       text,
  isin             text,
  series           text,
  expiry           date,
  strike           numeric,
  option_type      text,
  lot_size         integer,
  tick_size        numeric,
  sector           text,
  industry         text,
  token            text,
  aliases          text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (exchange, symbol)
);
CREATE INDEX instruments_isin_idx ON instruments (isin) WHERE isin IS NOT NULL;
CREATE INDEX instruments_updated_idx ON instruments (updated_at);

-- One row per import run (CLI or upload), with live counts and the outcome.
CREATE TABLE instrument_imports (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  formats      text[] NOT NULL DEFAULT '{}',
  rows_read    integer NOT NULL DEFAULT 0,
  inserted     integer NOT NULL DEFAULT 0,
  updated      integer NOT NULL DEFAULT 0,
  unchanged    integer NOT NULL DEFAULT 0,
  duplicate    integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  error        text,
  created_by   text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

CREATE TABLE instrument_import_rejects (
  import_id  uuid NOT NULL REFERENCES instrument_imports (id) ON DELETE CASCADE,
  seq        integer NOT NULL,
  sheet      text,
  row_number integer NOT NULL,
  field      text NOT NULL,
  column_name text,
  reason     text NOT NULL,
  PRIMARY KEY (import_id, seq)
);
