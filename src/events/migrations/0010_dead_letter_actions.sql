-- What an operator did with a dead letter (src/events/dead-letters.ts): one row per dead letter, so
-- it is retried or discarded once. The dead letter itself stays in the log (topic
-- `<group>.dead-letter`); `retry_log_id` is the record appended to `<group>.retry` for a retry.
-- No foreign key to the outbox: log retention may drop old records while their history stays.
CREATE TABLE dead_letter_actions (
  dead_letter_id  bigint PRIMARY KEY,
  group_name      text NOT NULL,
  action          text NOT NULL CHECK (action IN ('retried', 'discarded')),
  actor           text NOT NULL,
  retry_log_id    bigint,
  acted_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Dead letters by the business event they hold: the event list and detail show an event whose
-- handling failed as dead-lettered. Partial, so only dead-letter records are indexed; queries
-- repeat the predicate `topic LIKE '%.dead-letter'` to use it.
CREATE INDEX outbox_dead_letter_event_idx ON outbox ((headers ->> 'event-id')) WHERE topic LIKE '%.dead-letter';
