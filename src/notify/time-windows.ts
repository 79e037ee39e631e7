// When a message may go: quiet hours in the client's time zone (non-regulatory messages are held
// until the window opens) and TRAI's window for promotional and service-explicit SMS (10:00-21:00
// IST). Pure functions of the instant, so tests are exact.

/** Minutes since local midnight of `at` in `timeZone`, and that local date as YYYY-MM-DD. */
function localParts(at: Date, timeZone: string): { date: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** The instant at local `date` + `minutes` in `timeZone` (offset found by two passes, DST-safe enough). */
function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`).getTime() + minutes * 60_000;
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const local = localParts(new Date(instant), timeZone);
    const localMs = new Date(`${local.date}T00:00:00Z`).getTime() + local.minutes * 60_000;
    instant += guess - localMs;
  }
  return new Date(instant);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function parseClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * If `at` falls inside the window [start, end) of local time (which may wrap midnight), the instant
 * the window ends; otherwise null.
 */
export function windowEnd(at: Date, window: { start: string; end: string }, timeZone: string): Date | null {
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (start === end) return null;
  const { date, minutes } = localParts(at, timeZone);
  const inside = start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  if (!inside) return null;
  const endDate = start < end || minutes < end ? date : addDays(date, 1);
  return zonedInstant(endDate, end, timeZone);
}

/** Quiet hours: the instant a held message may go, or null when it may go now. */
export function quietHoursRelease(at: Date, quiet: { start: string; end: string } | null, timeZone: string): Date | null {
  return quiet ? windowEnd(at, quiet, timeZone) : null;
}

/** Promotional and service-explicit SMS only 10:00-21:00 IST: the next opening, or null if open now. */
export function dltWindowRelease(at: Date): Date | null {
  return windowEnd(at, { start: '21:00', end: '10:00' }, 'Asia/Kolkata');
}
