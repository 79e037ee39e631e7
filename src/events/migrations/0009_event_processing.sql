-- What the event processor did with each business event, once per event id: the row and the
-- notification requests it caused commit in one transaction, so a redelivered event (after a
-- crash) finds its outcome and causes nothing twice.
CREATE TABLE event_outcomes (
  event_id      text PRIMARY KEY,
  log_id        bigint NOT NULL,
  topic         text NOT NULL,
  type          text NOT NULL,
  client_id     uuid,
  status        text NOT NULL CHECK (status IN ('planned', 'skipped', 'invalid', 'client_unknown')),
  reason        text,
  requests      integer NOT NULL DEFAULT 0,
  occurred_at   timestamptz,
  handled_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX event_outcomes_log_idx ON event_outcomes (log_id);
CREATE INDEX event_outcomes_client_idx ON event_outcomes (client_id, handled_at);

-- The seam to the notifications planner (issue 5): until it lands, each request is recorded here.
-- Only non-personal facts: channels, masked destinations, variables without the client's name.
CREATE TABLE notification_requests (
  seq           bigserial PRIMARY KEY,
  event_id      text NOT NULL,
  client_id     uuid NOT NULL,
  type          text NOT NULL,
  regulatory    boolean NOT NULL,
  channels      text[] NOT NULL,
  skipped       jsonb NOT NULL DEFAULT '[]',
  destinations  jsonb NOT NULL DEFAULT '{}',
  variables     jsonb NOT NULL,
  occurred_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (event_id, client_id)
);
CREATE INDEX notification_requests_client_idx ON notification_requests (client_id, seq);
