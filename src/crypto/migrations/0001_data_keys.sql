-- One data key per subject (client or user), stored only wrapped by a master key.
-- wrapped IS NULL with destroyed_at set means the subject was erased (crypto-shredded).
CREATE TABLE data_keys (
  subject       text PRIMARY KEY,
  master_key_id text NOT NULL,
  wrapped       bytea,
  created_at    timestamptz NOT NULL DEFAULT now(),
  rewrapped_at  timestamptz,
  destroyed_at  timestamptz,
  CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL))
);
CREATE INDEX data_keys_master_key_idx ON data_keys (master_key_id) WHERE wrapped IS NOT NULL;
