// Dates and moments in India Standard Time, and the trading calendar the schedules step through.
// Asia/Kolkata is UTC+05:30 all year (no daylight saving since 1945), so a fixed offset is exact and
// needs no time-zone database. Dates are ISO strings (`2026-11-26`), always meant as IST days.
import { DAY, MINUTE } from '../../platform/time.ts';

export const istOffsetMs = 330 * MINUTE;

export type IsoDate = string;

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** The IST calendar day an instant falls on. */
export function istDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + istOffsetMs).toISOString().slice(0, 10);
}

/** The instant of `time` (HH:MM) IST on `date`. */
export function istMoment(date: IsoDate, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(Date.parse(`${date}T00:00:00Z`) + hours * 60 * MINUTE + minutes * MINUTE - istOffsetMs);
}

/** The instant an IST day begins (00:00 IST). */
export function istStartOf(date: IsoDate): Date {
  return istMoment(date, '00:00');
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** 0 Sunday … 6 Saturday. */
export function weekdayOf(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The first Friday of the month `date` falls in. */
export function firstFridayOf(date: IsoDate): IsoDate {
  const first = `${date.slice(0, 7)}-01`;
  return addDays(first, (5 - weekdayOf(first) + 7) % 7);
}

/** True for a valid `HH:MM` (00:00-23:59). */
export function isTimeOfDay(text: string): boolean {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  return Boolean(match && Number(match[1]) < 24 && Number(match[2]) < 60);
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  return isoDatePattern.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

export type TradingCalendar = {
  isTradingDay(date: IsoDate): boolean;
  /** The last trading day before `date`. */
  previousTradingDay(date: IsoDate): IsoDate;
  /** The first trading day after `date`. */
  nextTradingDay(date: IsoDate): IsoDate;
};

/**
 * Weekends are never trading days; `holidays` adds the exchange's trading holidays (a configured
 * list: NSE publishes it yearly). Stepping is bounded, so an absurd holiday list cannot hang a tick.
 */
export function createTradingCalendar(holidays: readonly IsoDate[] = []): TradingCalendar {
  const closed = new Set(holidays);
  const isTradingDay = (date: IsoDate) => {
    const weekday = weekdayOf(date);
    return weekday !== 0 && weekday !== 6 && !closed.has(date);
  };
  const step = (date: IsoDate, direction: 1 | -1) => {
    let day = addDays(date, direction);
    for (let i = 0; i < 366 && !isTradingDay(day); i++) day = addDays(day, direction);
    return day;
  };
  return { isTradingDay, previousTradingDay: (date) => step(date, -1), nextTradingDay: (date) => step(date, 1) };
}
