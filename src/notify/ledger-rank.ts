// Message statuses only move forward: pending states, then accepted < sent < delivered < read.

/** SQL rank of a status column or value. */
export const rankSql = (column: string): string =>
  `(CASE ${column} WHEN 'accepted' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END)`;

/** Statuses a message never leaves. */
export const terminalSql = `('delivered', 'read', 'failed', 'undeliverable', 'fell_back', 'cancelled', 'throttled')`;
