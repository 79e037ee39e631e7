-- A client's masked forms, profile and segments as json, not jsonb: parsing them into jsonb was a
-- third of PostgreSQL's time per ingested record (binary COPY of 93,160 new clients: 52.9 us a
-- row with jsonb, 36.5 us with json; pg_stat_statements, 2026-12-08). They are written whole by
-- the ingestion writer, read whole (the event processor, the Clients page) or by one key with ->>
-- (client codes in ledger and scheduler queries), and never indexed or searched by containment,
-- so jsonb's binary form bought nothing for its cost. The texts are JSON.stringify's: no duplicate
-- keys, and the key order they are written in is kept.
ALTER TABLE clients
  ALTER COLUMN masked TYPE json USING masked::json,
  ALTER COLUMN profile TYPE json USING profile::json,
  ALTER COLUMN segments TYPE json USING segments::json;
