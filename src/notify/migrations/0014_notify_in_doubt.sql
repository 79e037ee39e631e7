-- A send whose outcome we never learned (a timeout, a dropped connection, a dispatcher killed
-- mid-send) may have reached the provider. The doubt is kept on the row until it is settled (the
-- provider accepted a later attempt, a lookup or a receipt answered, or the grace period passed
-- with no receipt), so a later attempt that fails for another reason does not forget it and the
-- message is not sent again, or through another provider, while it may already be on the phone.
ALTER TABLE notification_messages
  ADD COLUMN in_doubt_at timestamptz,
  ADD COLUMN in_doubt_provider text;
