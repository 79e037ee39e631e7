-- Event intake de-duplication (src/events/intake.ts). Both tables are kept at least 7 days (the
-- platform purges rows older than 8 days daily) and hold no personal data: ids, types, hashes.

-- One row per accepted triggered event: a second event with the same id is a duplicate. `log_id`
-- is the outbox record it was appended as, written in the same transaction.
CREATE TABLE event_intake (
  event_id     text PRIMARY KEY,
  type         text NOT NULL,
  client_id    uuid NOT NULL,
  source       text NOT NULL,
  received_at  timestamptz NOT NULL,
  log_id       bigint
);
CREATE INDEX event_intake_received_idx ON event_intake (received_at);

-- One row per Idempotency-Key and caller (an API key or a user): the same key with the same body
-- replays `response`; with another body it is refused. `body_hash` is SHA-256 of the canonical
-- JSON of the submitted events.
CREATE TABLE event_idempotency_keys (
  caller           text NOT NULL,
  idempotency_key  text NOT NULL,
  body_hash        bytea NOT NULL,
  response         jsonb,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX event_idempotency_keys_created_idx ON event_idempotency_keys (created_at);
