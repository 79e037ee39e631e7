-- Delivery failures reported for a message, by any of its channel's providers. A failed delivery
-- report moves the message to the channel's next provider round the list (the first again after
-- the last) until every provider has reported one: a message that reached the last provider by
-- failover (the first one busy, 503s) and failed to be delivered there goes back to the first,
-- which never failed to deliver it, instead of failing with a route untried.
ALTER TABLE notification_messages ADD COLUMN delivery_failures integer NOT NULL DEFAULT 0;
