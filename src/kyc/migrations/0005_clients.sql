-- Clients: every personal field lives only inside personal_enc (AES-256-GCM under the client's data
-- key, subject 'client:<id>'); exact lookups go through HMAC blind indexes; masked holds the display
-- forms. The id is derived from the client code's keyed hash, so a re-run of the same file finds the
-- same id (and data key) whatever crashed in between.
CREATE TABLE clients (
  id              uuid PRIMARY KEY,
  code_bidx       bytea NOT NULL UNIQUE,
  pan_bidx        bytea NOT NULL,
  mobile_bidx     bytea NOT NULL,
  email_bidx      bytea,
  address_hash    bytea NOT NULL,
  bank_hash       bytea NOT NULL,
  nominee_hash    bytea NOT NULL,
  content_hash    bytea NOT NULL,
  personal_enc    bytea NOT NULL,
  masked          jsonb NOT NULL,
  profile         jsonb NOT NULL,
  kra_status      text NOT NULL,
  segments        jsonb NOT NULL,
  source_system   text NOT NULL,
  source_version  bigint NOT NULL,
  source_as_of    timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clients_pan_idx ON clients (pan_bidx);
CREATE INDEX clients_mobile_idx ON clients (mobile_bidx);
CREATE INDEX clients_email_idx ON clients (email_bidx) WHERE email_bidx IS NOT NULL;

CREATE TABLE client_status_history (
  id              bigserial PRIMARY KEY,
  client_id       uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  kra_status      text NOT NULL,
  kra_status_date date,
  source_version  bigint NOT NULL,
  job_id          uuid,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_status_history_client_idx ON client_status_history (client_id, id);

-- Ingestion jobs: counters and the checkpoint (last file row whose effects are committed) change in
-- the same transaction as the rows they count, so a restarted job resumes exactly where it stopped.
CREATE TABLE ingest_jobs (
  id              uuid PRIMARY KEY,
  source          text NOT NULL,
  file_path       text,
  file_sha256     text,
  file_bytes      bigint,
  format          text,
  status          text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'interrupted')),
  checkpoint_row  bigint NOT NULL DEFAULT 0,
  bytes_read      bigint NOT NULL DEFAULT 0,
  rows_read       bigint NOT NULL DEFAULT 0,
  accepted        bigint NOT NULL DEFAULT 0,
  updated         bigint NOT NULL DEFAULT 0,
  unchanged       bigint NOT NULL DEFAULT 0,
  rejected        bigint NOT NULL DEFAULT 0,
  duplicate       bigint NOT NULL DEFAULT 0,
  events          bigint NOT NULL DEFAULT 0,
  error           text,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
CREATE INDEX ingest_jobs_file_idx ON ingest_jobs (file_sha256, status);

-- One row per broken rule of a rejected row: where (sheet, row), which field, which rule. Never the
-- value. `ordinal` is the row's position in the job (stable across resumes), the key for idempotency.
CREATE TABLE ingest_rejects (
  job_id      uuid NOT NULL REFERENCES ingest_jobs (id) ON DELETE CASCADE,
  ordinal     bigint NOT NULL,
  sheet       text,
  row_number  bigint NOT NULL,
  field       text NOT NULL,
  rule        text NOT NULL,
  message     text NOT NULL,
  PRIMARY KEY (job_id, ordinal, field, rule)
);
CREATE INDEX ingest_rejects_rule_idx ON ingest_rejects (job_id, rule);
