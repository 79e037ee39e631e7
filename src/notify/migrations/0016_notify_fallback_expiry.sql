-- A message with a fallback (WhatsApp, with SMS behind it) gets its fallback clock when it is
-- planned, not only when a provider accepts it: a primary tried and still retrying when the clock
-- runs out (its provider down, say) sends its fallback instead of holding it back until its
-- deadline. The partial index follows: it now covers those retrying rows too (ledger.ts,
-- fallbackPendingSql, has the same condition).
DROP INDEX notification_messages_fallback_idx;
CREATE INDEX notification_messages_fallback_idx ON notification_messages (fallback_at)
  WHERE fallback_at IS NOT NULL AND (status IN ('accepted', 'sent') OR (status = 'retrying' AND attempts > 0));

-- When the event's information stops being true (a margin call's due time, an IPO's close): a
-- message not sent by then is cancelled, whatever holds or retries delayed it; the dispatcher also
-- bounds a deadline it moves (a DLT-window hold) by it. NULL: the event does not expire.
ALTER TABLE notification_messages ADD COLUMN expires_at timestamptz;
