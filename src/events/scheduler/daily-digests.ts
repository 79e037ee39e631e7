// End-of-day digests, one event per client and day at the digest time (18:30 IST by default, after
// the back office's day file):
// - margin.daily_statement, each trading day, from the fund limits of that day: the peak margin
//   required and collected (what the exchanges' peak-margin reporting counts) and the shortfall;
// - mtf.interest_debited, each calendar day (interest accrues on holidays too), from the day's
//   MTF_INTEREST ledger debits, with the client's MTF rate as the funded-amount-weighted average of
//   their MTF positions.
// The back office keeps only a client's latest fund limit, so a statement for a day whose row has
// since been replaced by a later day cannot be produced: a digest goes stale a day after it was due.
import type { Queryable } from '../../store/db.ts';
import { DAY } from '../../platform/time.ts';
import { istMoment, type TradingCalendar } from './market-calendar.ts';
import { rupees, type RecipientList, type Run, type Schedule, type RunTiming } from './schedule.ts';

function digestOn(date: string, time: string): RunTiming[] {
  const dueAt = istMoment(date, time);
  return [{ targetDate: date, dueAt, staleAt: new Date(dueAt.getTime() + DAY) }];
}

async function marginStatements(db: Queryable, run: Run): Promise<RecipientList> {
  const { rows } = await db.query<{ client_id: string; client_code: string | null; required: string; collected: string; shortfall: string }>(
    `SELECT f.client_id, c.masked ->> 'clientCode' AS client_code, f.peak_margin_required::text AS required,
            f.peak_margin_collected::text AS collected, f.shortfall::text AS shortfall
       FROM backoffice_fund_limits f LEFT JOIN clients c ON c.id = f.client_id
      WHERE f.trade_date = $1
      ORDER BY f.client_id`,
    [run.targetDate],
  );
  const list: RecipientList = { recipients: [], withoutClient: 0 };
  for (const row of rows) {
    if (!row.client_code) {
      list.withoutClient++;
      continue;
    }
    list.recipients.push({
      clientId: row.client_id, clientCode: row.client_code,
      variables: { date: run.targetDate, required: rupees(row.required), collected: rupees(row.collected), shortfall: rupees(row.shortfall) },
    });
  }
  return list;
}

async function mtfInterest(db: Queryable, run: Run): Promise<RecipientList> {
  const { rows } = await db.query<{ client_id: string; client_code: string | null; interest: string; rate: string | null }>(
    `WITH interest AS (
       SELECT client_id, sum(debit - credit) AS interest FROM backoffice_ledger_entries
        WHERE voucher_type = 'MTF_INTEREST' AND entry_date = $1 GROUP BY client_id HAVING sum(debit - credit) > 0),
     rate AS (
       SELECT client_id, sum(interest_rate_pct * funded_amount) / nullif(sum(funded_amount), 0) AS rate
         FROM backoffice_mtf_positions WHERE client_id IN (SELECT client_id FROM interest) AND funded_amount > 0 GROUP BY client_id)
     SELECT i.client_id, c.masked ->> 'clientCode' AS client_code, i.interest::text AS interest, r.rate::text AS rate
       FROM interest i LEFT JOIN rate r ON r.client_id = i.client_id LEFT JOIN clients c ON c.id = i.client_id
      ORDER BY i.client_id`,
    [run.targetDate],
  );
  const list: RecipientList = { recipients: [], withoutClient: 0 };
  for (const row of rows) {
    if (!row.client_code) {
      list.withoutClient++;
      continue;
    }
    const rate = Math.min(100, Math.round(Number(row.rate ?? 0) * 100) / 100);
    list.recipients.push({ clientId: row.client_id, clientCode: row.client_code, variables: { period: run.targetDate, rate, interest: rupees(row.interest) } });
  }
  return list;
}

export function createMarginStatementSchedule(calendar: TradingCalendar, digestTime: string): Schedule {
  return {
    name: 'margin.daily_statement',
    runsOn: (date) => (calendar.isTradingDay(date) ? digestOn(date, digestTime) : []),
    recipients: marginStatements,
  };
}

export function createMtfInterestSchedule(digestTime: string): Schedule {
  return { name: 'mtf.interest_debited', runsOn: (date) => digestOn(date, digestTime), recipients: mtfInterest };
}
