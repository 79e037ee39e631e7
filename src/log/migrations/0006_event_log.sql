-- The Postgres EventLog (src/log/postgres-event-log.ts): the outbox becomes a partitioned log.
-- Producers insert rows (in their own transaction); a sequencer, serialised by the event_log_head
-- row lock, then gives each committed row its partition and a per-partition position in commit
-- order. Consumers read positions, never ids, so a long transaction that commits late is still
-- delivered (it gets a later position) instead of being skipped.
ALTER TABLE outbox ADD COLUMN partition integer;
ALTER TABLE outbox ADD COLUMN position bigint;
CREATE UNIQUE INDEX outbox_partition_position_idx ON outbox (topic, partition, position) WHERE position IS NOT NULL;
CREATE INDEX outbox_unsequenced_idx ON outbox (id) WHERE position IS NULL;
CREATE INDEX outbox_topic_created_idx ON outbox (topic, created_at);
ALTER TABLE outbox ALTER COLUMN created_at SET DEFAULT clock_timestamp();

-- One row: the lock that serialises sequencers, and the partition count the log was created with
-- (changing it would move keys between partitions and break per-key order).
CREATE TABLE event_log_head (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  partitions  integer NOT NULL CHECK (partitions BETWEEN 1 AND 1024),
  sequenced   bigint NOT NULL DEFAULT 0
);

-- The last position given in each partition.
CREATE TABLE event_partition_heads (
  topic       text NOT NULL,
  partition   integer NOT NULL,
  position    bigint NOT NULL,
  PRIMARY KEY (topic, partition)
);

-- Committed positions per consumer group: everything at or below `position` is handled.
CREATE TABLE event_consumer_offsets (
  group_name  text NOT NULL,
  topic       text NOT NULL,
  partition   integer NOT NULL,
  position    bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_name, topic, partition)
);

-- Which member of a group processes a partition, until when. A member renews its leases; a dead
-- member's leases expire and the others claim them. Times are the database's clock.
CREATE TABLE event_partition_leases (
  group_name  text NOT NULL,
  topic       text NOT NULL,
  partition   integer NOT NULL,
  owner       text,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (group_name, topic, partition)
);

CREATE TABLE event_group_members (
  group_name  text NOT NULL,
  member      text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (group_name, member)
);
