-- Fewer index entries per ledger write. Every state change of a message (claimed, accepted, sent,
-- delivered: ~4 per message) is a new row version in each of notification_messages' full indexes,
-- since the status it changes is in the partial indexes' conditions (no HOT update can apply), and
-- each timeline row is an entry in both of its indexes. Measured in the notify benchmark: ~52 index
-- entries written per message.
--
-- * event_id was indexed for nothing: no query finds messages by event (an event's page finds its
--   outcome and requests; the ledger filters by client, type, channel, status, time).
-- * (provider, provider_message_id) is only ever looked up with a provider message id (receipts,
--   reconciliation): rows not yet accepted by a provider (planned, queued, claimed, retrying) need
--   no entry.
-- * The timeline's surrogate key had an index of its own beside (message_id, id), which is how the
--   timeline is read: that one is the primary key now.
DROP INDEX notification_messages_event_idx;
DROP INDEX notification_messages_provider_idx;
CREATE INDEX notification_messages_provider_idx ON notification_messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL;
ALTER TABLE notification_timeline DROP CONSTRAINT notification_timeline_pkey;
DROP INDEX notification_timeline_message_idx;
ALTER TABLE notification_timeline ADD PRIMARY KEY (message_id, id);
