// fno.expiry_reminder: at 09:00 IST on the trading day before an expiry (T-1) and on the expiry day
// (T), one event per client holding an open position (net quantity not zero) in contracts that
// expire that day, listing them. Every trading day is a possible expiry (weekly, monthly, stock,
// currency and commodity contracts), so the runs come from the calendar and the contracts from
// the back office's net positions at run time: a day without expiring positions sends nothing.
import type { Queryable } from '../../store/db.ts';
import { istMoment, istStartOf, type TradingCalendar } from './market-calendar.ts';
import type { RecipientList, Run, Schedule } from './schedule.ts';

export const reminderTime = '09:00';
/** Exchanges close at 15:30 IST: after that the contracts have expired and the reminder is moot. */
export const marketCloseTime = '15:30';
const maxContracts = 100; // the catalog's limit for one event

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

type PositionRow = { symbol: string; instrument_type: string; expiry: string; strike: string | null; option_type: string | null };

/** `NIFTY 26NOV2026 24500 CE`, `BANKNIFTY 26NOV2026 FUT`: how a client reads a contract. */
export function describeContract(p: PositionRow): string {
  const [year, month, day] = p.expiry.split('-') as [string, string, string];
  const expiry = `${day}${months[Number(month) - 1]}${year}`;
  if (p.option_type) return `${p.symbol} ${expiry} ${Number(p.strike)} ${p.option_type}`;
  return `${p.symbol} ${expiry} FUT`;
}

async function holdersOfExpiring(db: Queryable, run: Run): Promise<RecipientList> {
  const { rows } = await db.query<PositionRow & { client_id: string; client_code: string | null }>(
    `SELECT p.client_id, c.masked ->> 'clientCode' AS client_code, p.symbol, p.instrument_type, to_char(p.expiry, 'YYYY-MM-DD') AS expiry,
            p.strike::text AS strike, p.option_type
       FROM backoffice_net_positions p LEFT JOIN clients c ON c.id = p.client_id
      WHERE p.expiry = $1 AND p.net_qty <> 0
      ORDER BY p.client_id, p.symbol, p.strike NULLS FIRST, p.option_type NULLS FIRST`,
    [run.targetDate],
  );
  const byClient = new Map<string, { clientCode: string | null; contracts: Set<string> }>();
  for (const row of rows) {
    const entry = byClient.get(row.client_id) ?? { clientCode: row.client_code, contracts: new Set<string>() };
    entry.contracts.add(describeContract(row));
    byClient.set(row.client_id, entry);
  }
  const list: RecipientList = { recipients: [], withoutClient: 0 };
  for (const [clientId, { clientCode, contracts }] of byClient) {
    if (!clientCode) {
      list.withoutClient++;
      continue;
    }
    list.recipients.push({ clientId, clientCode, variables: { contracts: [...contracts].slice(0, maxContracts), expiryDate: run.targetDate } });
  }
  return list;
}

export function createExpiryReminderSchedule(calendar: TradingCalendar): Schedule {
  return {
    name: 'fno.expiry_reminder',
    runsOn(date) {
      if (!calendar.isTradingDay(date)) return [];
      const nextDay = calendar.nextTradingDay(date);
      return [
        // The T-1 reminder says "tomorrow": once the expiry day has begun it has fully passed.
        { targetDate: nextDay, label: 'T-1', dueAt: istMoment(date, reminderTime), staleAt: istStartOf(nextDay) },
        { targetDate: date, label: 'T', dueAt: istMoment(date, reminderTime), staleAt: istMoment(date, marketCloseTime) },
      ];
    },
    recipients: holdersOfExpiring,
  };
}
