-- The KYC status history's foreign key to clients checked each inserted history row against
-- clients with a per-row trigger: 34 us of PostgreSQL time per ingested record (pg_stat_statements,
-- 100,000 records), the second largest cost of ingestion after the clients rows themselves.
-- It guarded nothing: a client row is never deleted (erasure destroys the client's data key and
-- keeps the row), and history rows are written only by the ingestion writer, in the transaction
-- that writes or locks their client row.
ALTER TABLE client_status_history DROP CONSTRAINT IF EXISTS client_status_history_client_id_fkey;
