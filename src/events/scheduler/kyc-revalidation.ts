// kyc.revalidation_due: reminders 30, 7 and 1 days before a client's KYC periodic-update due date,
// at 10:00 IST. The due date is the KYC date (the KRA status date) plus an interval set by the
// client's risk category (by default H 2, M 8, L 10 years: unverified, per the PMLA periodic-update
// norms; configurable). Every calendar day is some client's due date, so each day plans the three
// reminders whose due dates are 30, 7 and 1 days ahead; the query finds who falls on them.
import type { Queryable } from '../../store/db.ts';
import { addDays, daysBetween, istDateOf, istMoment, istStartOf } from './market-calendar.ts';
import type { RecipientList, Run, Schedule, ScheduleSettings } from './schedule.ts';

export const revalidationTime = '10:00';
export const reminderDays = [30, 7, 1] as const;

async function clientsDueOn(db: Queryable, run: Run, now: Date, years: ScheduleSettings['kycRevalidationYears']): Promise<RecipientList> {
  // The interval is added (not subtracted from the due date) so a KYC date of 29 February has a
  // due date (28 February) rather than none.
  const { rows } = await db.query<{ id: string; client_code: string | null }>(
    `SELECT id, masked ->> 'clientCode' AS client_code FROM clients
      WHERE profile ->> 'kraStatusDate' IS NOT NULL
        AND ((profile ->> 'kraStatusDate')::date + make_interval(years => CASE profile ->> 'riskCategory'
              WHEN 'H' THEN $2::int WHEN 'M' THEN $3::int WHEN 'L' THEN $4::int END))::date = $1::date
      ORDER BY id`,
    [run.targetDate, years.H, years.M, years.L],
  );
  const daysLeft = Math.max(0, daysBetween(istDateOf(now), run.targetDate));
  const list: RecipientList = { recipients: [], withoutClient: 0 };
  for (const row of rows) {
    if (!row.client_code) list.withoutClient++;
    else list.recipients.push({ clientId: row.id, clientCode: row.client_code, variables: { dueDate: run.targetDate, daysLeft } });
  }
  return list;
}

export function createKycRevalidationSchedule(settings: Pick<ScheduleSettings, 'kycRevalidationYears'>): Schedule {
  return {
    name: 'kyc.revalidation_due',
    runsOn(date) {
      return reminderDays.map((days, i) => {
        const dueDate = addDays(date, days);
        const next = reminderDays[i + 1];
        // A late reminder still helps until the next one is due; the last until the due date begins.
        const staleAt = next === undefined ? istStartOf(dueDate) : istMoment(addDays(dueDate, -next), revalidationTime);
        return { targetDate: dueDate, label: `T-${days}`, dueAt: istMoment(date, revalidationTime), staleAt };
      });
    },
    recipients: (db, run, now) => clientsDueOn(db, run, now, settings.kycRevalidationYears),
  };
}
