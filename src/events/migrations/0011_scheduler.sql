-- The scheduler's state (src/events/scheduler/): which schedules exist, how far their runs have
-- been planned, and every run with its outcome. A run is planned (inserted, once: run_key is its
-- identity) when its due moment passes, then claimed with FOR UPDATE SKIP LOCKED by exactly one
-- scheduler process, which holds the row lock while it submits the run's events; a process that
-- dies mid-run releases the lock and another one re-runs it (deterministic event ids make the
-- second submission a duplicate at intake). Runs missed while every scheduler was down are planned
-- at the next tick: each runs once, or is skipped when its stale_at has passed.
CREATE TABLE scheduler_schedules (
  name           text PRIMARY KEY,
  -- Runs due at or before this moment are in scheduler_runs.
  planned_until  timestamptz NOT NULL,
  -- For people: the next moment a run is due, and the last run that finished.
  next_due_at    timestamptz,
  last_run_key   text,
  last_run_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scheduler_runs (
  run_key         text PRIMARY KEY,          -- e.g. fno.expiry_reminder:2026-11-26:T-1
  schedule        text NOT NULL,
  target_date     date NOT NULL,             -- the IST day the run is about (expiry, due date, statement day)
  label           text,                      -- T-30, T-7, T-1, T; null for one run per target
  due_at          timestamptz NOT NULL,
  stale_at        timestamptz NOT NULL,      -- after this the run is skipped, not sent late
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0,
  not_before      timestamptz,               -- retry backoff after a failed attempt
  last_error      text,
  recipients      integer,
  accepted        integer,
  duplicate       integer,
  rejected        integer,
  without_client  integer,                   -- data rows whose client has no KYC record (no client code to address)
  finished_by     text,
  finished_at     timestamptz,
  note            text,
  planned_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduler_runs_pending_idx ON scheduler_runs (due_at) WHERE status = 'pending';
CREATE INDEX scheduler_runs_schedule_idx ON scheduler_runs (schedule, due_at);

-- The running-account settlement cycle each client chose (SEBI: quarterly or monthly). Nothing in
-- the KYC or back-office feeds carries it, so it lives here; a client without a row is quarterly.
CREATE TABLE client_settlement_preferences (
  client_id   uuid PRIMARY KEY,
  frequency   text NOT NULL DEFAULT 'quarterly' CHECK (frequency IN ('quarterly', 'monthly')),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
