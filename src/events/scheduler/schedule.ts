// What a schedule is: when its runs are due (pure calendar arithmetic, so the engine can plan the
// runs of any past window after downtime), and who gets an event in a run (a query over the data
// at run time, so data that arrives between planning and running still counts).
import type { Queryable } from '../../store/db.ts';
import type { EventType } from '../catalog.ts';
import type { IsoDate, TradingCalendar } from './market-calendar.ts';

/** One run of a schedule: the moment it is due, the IST day it is about, and when it goes stale. */
export type RunTiming = {
  targetDate: IsoDate;
  /** Which of several reminders for one target (`T-7`); absent when there is one run per target. */
  label?: string;
  dueAt: Date;
  /** From this moment the run is skipped (with a log line) instead of being sent late. */
  staleAt: Date;
};

export type Run = RunTiming & { key: string; schedule: EventType };

/** Someone a run sends an event to, with the event's catalog variables. */
export type Recipient = { clientId: string; clientCode: string; variables: Record<string, unknown> };

export type RecipientList = {
  recipients: Recipient[];
  /** Data rows that matched but whose client has no KYC record: there is no client code to address. */
  withoutClient: number;
};

export type Schedule = {
  /** The event type it emits; also the schedule's name. */
  name: EventType;
  /** The runs due on IST day `date` (each one's dueAt falls on that day). */
  runsOn(date: IsoDate): RunTiming[];
  /** Who gets an event in `run`, read when it runs; `now` is the run's actual moment. */
  recipients(db: Queryable, run: Run, now: Date): Promise<RecipientList>;
};

/** What the schedules read from configuration. */
export type ScheduleSettings = {
  calendar: TradingCalendar;
  /** Years from the KYC date to the periodic update, by risk category. */
  kycRevalidationYears: { H: number; M: number; L: number };
  /** `HH:MM` IST of the end-of-day digests. */
  digestTime: string;
};

/** `fno.expiry_reminder:2026-11-26:T-1`: the run's identity, and the stem of its event ids. */
export function runKey(schedule: string, timing: Pick<RunTiming, 'targetDate' | 'label'>): string {
  return timing.label ? `${schedule}:${timing.targetDate}:${timing.label}` : `${schedule}:${timing.targetDate}`;
}

/** Rupees from a numeric column (a string from pg), rounded to paise and never negative. */
export function rupees(value: string | number | null | undefined): number {
  const n = Math.round(Number(value ?? 0) * 100) / 100;
  return Number.isFinite(n) && n > 0 ? n : 0;
}
