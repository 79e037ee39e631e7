-- The transactional outbox: a data change and its domain events commit together. The events issue
-- turns this table into the Postgres EventLog (partitions, consumer groups, leases); until then it
-- is append-only and read in id order. Payloads carry ids and codes, never personal data in clear.
CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  topic       text NOT NULL,
  key         text NOT NULL,
  type        text NOT NULL,
  payload     jsonb NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_topic_key_idx ON outbox (topic, key, id);
