// funds.running_account_settled: the running account of a client is settled on the first Friday of
// the quarter (January, April, July, October) or of every month, as the client chose (SEBI). The
// run is at 20:00 IST on each month's first Friday, after the back office has posted the day's
// ledger; it takes the clients whose cycle is due that month (client_settlement_preferences; no row
// means quarterly) and who have a RUNNING_ACCOUNT_SETTLEMENT ledger entry dated that Friday:
// amountPaid is what those entries paid out (debits less credits), retained the credit balance
// left after the day's last settlement entry (by entry id). Without such an entry nothing was
// settled (or the ledger has not arrived), and no notice goes: the amounts come only from data.
import type { Queryable } from '../../store/db.ts';
import { addDays, firstFridayOf, istMoment, istStartOf } from './market-calendar.ts';
import { rupees, type RecipientList, type Run, type Schedule } from './schedule.ts';

export const settlementTime = '20:00';
/** A settlement notice is still worth sending late, for a week. */
const lateDays = 7;
const quarterMonths = new Set(['01', '04', '07', '10']);

export const settlementFrequencies = ['quarterly', 'monthly'] as const;
export type SettlementFrequency = (typeof settlementFrequencies)[number];

/** Records a client's choice of settlement cycle. */
export async function setSettlementFrequency(db: Queryable, clientId: string, frequency: SettlementFrequency): Promise<void> {
  await db.query(
    `INSERT INTO client_settlement_preferences (client_id, frequency) VALUES ($1, $2)
     ON CONFLICT (client_id) DO UPDATE SET frequency = excluded.frequency, updated_at = now()`,
    [clientId, frequency],
  );
}

async function settledClients(db: Queryable, run: Run): Promise<RecipientList> {
  const quarterly = quarterMonths.has(run.targetDate.slice(5, 7));
  const { rows } = await db.query<{ client_id: string; client_code: string | null; in_cycle: boolean; paid: string; retained: string }>(
    `WITH settlement AS (
       SELECT client_id, sum(debit - credit) AS paid,
              (array_agg(balance ORDER BY length(entry_id) DESC, entry_id DESC))[1] AS retained
         FROM backoffice_ledger_entries
        WHERE voucher_type = 'RUNNING_ACCOUNT_SETTLEMENT' AND entry_date = $1
        GROUP BY client_id)
     SELECT s.client_id, c.masked ->> 'clientCode' AS client_code, s.paid::text AS paid, s.retained::text AS retained,
            ($2::boolean OR coalesce(p.frequency, 'quarterly') = 'monthly') AS in_cycle
       FROM settlement s
       LEFT JOIN clients c ON c.id = s.client_id
       LEFT JOIN client_settlement_preferences p ON p.client_id = s.client_id
      ORDER BY s.client_id`,
    [run.targetDate, quarterly],
  );
  const list: RecipientList = { recipients: [], withoutClient: 0 };
  for (const row of rows) {
    if (!row.in_cycle) continue;
    if (!row.client_code) {
      list.withoutClient++;
      continue;
    }
    list.recipients.push({
      clientId: row.client_id, clientCode: row.client_code,
      variables: { settleDate: run.targetDate, amountPaid: rupees(row.paid), retained: rupees(row.retained) },
    });
  }
  return list;
}

export function createRunningAccountSchedule(): Schedule {
  return {
    name: 'funds.running_account_settled',
    runsOn(date) {
      if (date !== firstFridayOf(date)) return [];
      return [{ targetDate: date, dueAt: istMoment(date, settlementTime), staleAt: istStartOf(addDays(date, lateDays)) }];
    },
    recipients: settledClients,
  };
}
