// Day arithmetic on epoch days (days since 1970-01-01, UTC): integers are cheap to draw and
// compare when generating millions of dates, and formatting them by hand avoids a Date per value.

/** `2025-03-31` → its epoch day. */
export function toEpochDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Epoch day → `YYYY-MM-DD` (Howard Hinnant's civil-from-days; proleptic Gregorian). */
export function fromEpochDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** The UTC ISO timestamp `seconds` (0-86399) into epoch day `day`, as `toISOString` writes it. */
export function timestampOn(day: number, seconds: number): string {
  const s = Math.floor(seconds);
  return `${fromEpochDay(day)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}.000Z`;
}

/** True for Saturday and Sunday. */
export function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return weekday === 0 || weekday === 6;
}

export const YEAR_DAYS = 365.25;
