-- Notifications: preferences, devices, and the ledger that is also the dispatcher's queue.
-- Destinations and variables (which may hold the client's name) are stored only encrypted under
-- the client's data key; everything else here is non-personal.

CREATE TABLE notification_preferences (
  client_id     uuid PRIMARY KEY,
  language      text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'hi')),
  -- Catalog categories (kyc, funds, trading, ...) the client opted out of; regulatory events ignore it.
  opted_out     text[] NOT NULL DEFAULT '{}',
  -- Channels the client turned off entirely; regulatory events ignore it.
  muted         text[] NOT NULL DEFAULT '{}',
  quiet_start   time,
  quiet_end     time,
  time_zone     text NOT NULL DEFAULT 'Asia/Kolkata',
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- App push tokens (FCM registration tokens), encrypted; token_hash finds one for removal.
CREATE TABLE client_devices (
  id            uuid PRIMARY KEY,
  client_id     uuid NOT NULL,
  token_enc     bytea NOT NULL,
  token_hash    bytea NOT NULL UNIQUE,
  platform      text NOT NULL DEFAULT 'android',
  created_at    timestamptz NOT NULL DEFAULT now(),
  removed_at    timestamptz,
  removed_reason text
);
CREATE INDEX client_devices_client_idx ON client_devices (client_id) WHERE removed_at IS NULL;

-- One row per message: (event, client, channel) is its idempotency key. A chain groups a primary
-- message and the fallbacks planned from it (WhatsApp, then SMS). Due rows are claimed with
-- FOR UPDATE SKIP LOCKED; a row left 'sending' by a killed dispatcher is in doubt after
-- claimed_until and is reconciled before any resend.
CREATE TABLE notification_messages (
  id                  uuid PRIMARY KEY,
  idempotency_key     text NOT NULL UNIQUE,
  chain_id            uuid NOT NULL,
  event_id            text NOT NULL,
  client_id           uuid NOT NULL,
  type                text NOT NULL,
  category            text NOT NULL,
  regulatory          boolean NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'push')),
  language            text NOT NULL,
  status              text NOT NULL CHECK (status IN ('planned', 'held', 'queued', 'sending', 'retrying', 'accepted', 'sent', 'delivered', 'read',
                                                      'failed', 'undeliverable', 'fell_back', 'cancelled', 'throttled', 'waiting')),
  providers           text[] NOT NULL,
  provider_index      integer NOT NULL DEFAULT 0,
  provider            text,
  provider_message_id text,
  attempts            integer NOT NULL DEFAULT 0,
  provider_failures   integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL,
  deadline            timestamptz NOT NULL,
  claimed_by          text,
  claimed_until       timestamptz,
  fallback_channel    text,
  fallback_at         timestamptz,
  template_id         text,
  template_version    integer,
  to_enc              bytea,
  variables_enc       bytea NOT NULL,
  masked_to           text,
  throttle_key        text,
  last_code           text,
  last_detail         text,
  occurred_at         timestamptz NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  accepted_at         timestamptz,
  delivered_at        timestamptz,
  polled_at           timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX notification_messages_due_idx ON notification_messages (next_attempt_at) WHERE status IN ('queued', 'retrying', 'held');
CREATE INDEX notification_messages_sending_idx ON notification_messages (claimed_until) WHERE status = 'sending';
CREATE INDEX notification_messages_fallback_idx ON notification_messages (fallback_at) WHERE fallback_at IS NOT NULL AND status IN ('accepted', 'sent');
CREATE INDEX notification_messages_unconfirmed_idx ON notification_messages (accepted_at) WHERE status IN ('accepted', 'sent');
CREATE INDEX notification_messages_provider_idx ON notification_messages (provider, provider_message_id);
CREATE INDEX notification_messages_chain_idx ON notification_messages (chain_id);
CREATE INDEX notification_messages_event_idx ON notification_messages (event_id);
CREATE INDEX notification_messages_client_idx ON notification_messages (client_id, created_at);
CREATE INDEX notification_messages_throttle_idx ON notification_messages (throttle_key, created_at) WHERE throttle_key IS NOT NULL;
CREATE INDEX notification_messages_created_idx ON notification_messages (created_at);

-- Every state change of a message, in order: planned, held, sending, accepted, sent, delivered,
-- read, failed (with the provider code), retry scheduled, failover, fell back, cancelled.
CREATE TABLE notification_timeline (
  id          bigserial PRIMARY KEY,
  message_id  uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  state       text NOT NULL,
  provider    text,
  code        text,
  detail      text,
  attempt     integer
);
CREATE INDEX notification_timeline_message_idx ON notification_timeline (message_id, id);

-- Receipts seen, for de-duplication (a provider may post one twice).
-- One that arrives before the send's answer is recorded keeps message_id NULL until it is.
CREATE TABLE notification_receipts (
  provider             text NOT NULL,
  receipt_id           text NOT NULL,
  provider_message_id  text NOT NULL,
  message_id           uuid,
  status               text NOT NULL,
  code                 text,
  recipient_invalid    boolean NOT NULL DEFAULT false,
  received_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, receipt_id)
);
CREATE INDEX notification_receipts_pending_idx ON notification_receipts (provider, provider_message_id) WHERE message_id IS NULL;

-- The embedded sandbox provider's "phones": what a client would have received. The rendered
-- content may carry the client's name, so it is encrypted under the client's data key too.
CREATE TABLE sandbox_messages (
  id               uuid PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  message_id       uuid NOT NULL,
  client_id        uuid NOT NULL,
  channel          text NOT NULL,
  content_enc      bytea NOT NULL,
  masked_to        text,
  received_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_messages_received_idx ON sandbox_messages (received_at);
