-- The queue tables churn: each ledger message is updated ~4 times, each outbox record once. The
-- default autovacuum trigger (20% of the table dead) lets a ledger of a day's messages carry tens of
-- thousands of dead row versions, whose index entries the dispatcher's scans walk. Vacuum them at
-- 2% (and at least 1,000 rows). Where the server runs with autovacuum off, the platform vacuums these
-- tables itself (src/store/queue-vacuum.ts).
ALTER TABLE notification_messages SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05);
ALTER TABLE notification_receipts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05);
