// The scheduler: turns schedules into triggered events at their IST moments, through event intake.
//
// Guarantees (state in Postgres, migration 0011):
// - Survives restarts: each schedule remembers how far its runs are planned; each run is a row.
// - Fires once across any number of scheduler processes: a tick plans the runs that became due
//   (under a row lock per schedule; a run's key is its identity) and claims each due run with
//   FOR UPDATE SKIP LOCKED, holding the lock while it submits the run's events. Event ids are
//   deterministic (`sched:<run key>:<client id>`), so a run repeated after a crash mid-run is
//   de-duplicated by intake.
// - Catches up: runs that fell due while no scheduler ran are planned at the next tick and run once
//   each, oldest first; a run whose stale_at has passed is skipped with a log line, never sent late.
//   Downtime longer than `maxCatchUpMs` is not planned at all (every run in it would be stale).
// - A schedule starts at the first tick that sees it: nothing due before then is sent.
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../store/db.ts';
import type { Logger } from '../../platform/logger.ts';
import { DAY, HOUR, MINUTE, SECOND, type Clock } from '../../platform/time.ts';
import type { EventIntake } from '../intake.ts';
import { addDays, istDateOf } from './market-calendar.ts';
import { runKey, type Run, type Schedule, type ScheduleSettings } from './schedule.ts';
import { createExpiryReminderSchedule } from './fno-expiry-reminder.ts';
import { createKycRevalidationSchedule } from './kyc-revalidation.ts';
import { createRunningAccountSchedule } from './running-account.ts';
import { createMarginStatementSchedule, createMtfInterestSchedule } from './daily-digests.ts';

/** Every schedule Pravah runs. */
export function createSchedules(settings: ScheduleSettings): Schedule[] {
  return [
    createExpiryReminderSchedule(settings.calendar),
    createKycRevalidationSchedule(settings),
    createRunningAccountSchedule(),
    createMarginStatementSchedule(settings.calendar, settings.digestTime),
    createMtfInterestSchedule(settings.digestTime),
  ];
}

export type SchedulerDeps = {
  db: Db;
  intake: Pick<EventIntake, 'submit'>;
  clock: Clock;
  log: Logger;
  schedules: readonly Schedule[];
  /** How often the lifecycle component ticks (SCHEDULER_TICK_MS). */
  tickMs?: number;
  /** Names this process in the runs it finishes. */
  instanceId?: string;
  maxCatchUpMs?: number;
  /** Events per intake submission. */
  batchSize?: number;
};

export type TickSummary = { planned: number; ran: number; skipped: number; failed: number; events: number };

type RunRow = { run_key: string; schedule: string; target_date: string; label: string | null; due_at: Date; stale_at: Date; attempts: number; last_error: string | null };

type RunOutcome = 'ran' | 'skipped' | 'failed';
type RunCounts = { recipients: number; accepted: number; duplicate: number; rejected: number; withoutClient: number };

export type Scheduler = ReturnType<typeof createScheduler>;

/** Retry a failed run after 1, 2, 4 … minutes, at most an hour (until it goes stale). */
function backoffMs(attempts: number): number {
  return Math.min(HOUR, MINUTE * 2 ** Math.max(0, attempts - 1));
}

export function createScheduler(deps: SchedulerDeps) {
  const { db, intake, clock, log, schedules } = deps;
  const byName = new Map(schedules.map((s) => [s.name, s]));
  const instanceId = deps.instanceId ?? randomUUID();
  const maxCatchUpMs = deps.maxCatchUpMs ?? 35 * DAY;
  const batchSize = deps.batchSize ?? 500;

  /** The runs of `schedule` due in (from, to], oldest first. */
  function runsBetween(schedule: Schedule, from: Date, to: Date): Run[] {
    const runs: Run[] = [];
    for (let date = istDateOf(from); date <= istDateOf(to); date = addDays(date, 1)) {
      for (const timing of schedule.runsOn(date)) {
        if (timing.dueAt > from && timing.dueAt <= to) runs.push({ ...timing, key: runKey(schedule.name, timing), schedule: schedule.name });
      }
    }
    return runs.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  /** The next moment a run of `schedule` is due after `now` (looking 40 days ahead), for people. */
  function nextDueAfter(schedule: Schedule, now: Date): Date | null {
    for (let date = istDateOf(now), i = 0; i < 40; date = addDays(date, 1), i++) {
      const due = schedule.runsOn(date).map((t) => t.dueAt).filter((d) => d > now).sort((a, b) => a.getTime() - b.getTime());
      if (due[0]) return due[0];
    }
    return null;
  }

  /** Inserts the runs of `schedule` that fell due since it was last planned; returns how many. */
  function plan(schedule: Schedule, now: Date): Promise<number> {
    return db.transaction(async (tx) => {
      await tx.query('INSERT INTO scheduler_schedules (name, planned_until) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [schedule.name, now]);
      const { rows } = await tx.query<{ planned_until: Date }>('SELECT planned_until FROM scheduler_schedules WHERE name = $1 FOR UPDATE', [schedule.name]);
      let from = rows[0]!.planned_until;
      if (from >= now) return 0;
      if (now.getTime() - from.getTime() > maxCatchUpMs) {
        const cut = new Date(now.getTime() - maxCatchUpMs);
        log.warn({ schedule: schedule.name, downSince: from.toISOString(), plannedFrom: cut.toISOString() }, 'scheduler: down longer than the catch-up window; older runs are not planned');
        from = cut;
      }
      const runs = runsBetween(schedule, from, now);
      if (runs.length) {
        await tx.query(
          `INSERT INTO scheduler_runs (run_key, schedule, target_date, label, due_at, stale_at, planned_at)
           SELECT u.run_key, $1, u.target_date, u.label, u.due_at, u.stale_at, $7
             FROM unnest($2::text[], $3::date[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS u(run_key, target_date, label, due_at, stale_at)
           ON CONFLICT (run_key) DO NOTHING`,
          [schedule.name, runs.map((r) => r.key), runs.map((r) => r.targetDate), runs.map((r) => r.label ?? null), runs.map((r) => r.dueAt), runs.map((r) => r.staleAt), now],
        );
      }
      await tx.query('UPDATE scheduler_schedules SET planned_until = $2, next_due_at = $3 WHERE name = $1', [schedule.name, now, nextDueAfter(schedule, now)]);
      return runs.length;
    });
  }

  async function finish(tx: Queryable, row: RunRow, now: Date, fields: { status: 'done' | 'skipped'; note?: string; counts?: RunCounts }) {
    const c: Partial<RunCounts> = fields.counts ?? {};
    await tx.query(
      `UPDATE scheduler_runs SET status = $2, note = $3, recipients = $4, accepted = $5, duplicate = $6, rejected = $7, without_client = $8,
              finished_by = $9, finished_at = $10 WHERE run_key = $1`,
      [row.run_key, fields.status, fields.note ?? null, c.recipients ?? null, c.accepted ?? null, c.duplicate ?? null, c.rejected ?? null,
        c.withoutClient ?? null, instanceId, now],
    );
    if (fields.status === 'done') {
      await tx.query('UPDATE scheduler_schedules SET last_run_key = $2, last_run_at = $3 WHERE name = $1', [row.schedule, row.run_key, now]);
    }
  }

  /** Sends a run's events through intake; returns the counts. */
  async function execute(tx: Queryable, schedule: Schedule, run: Run, now: Date): Promise<RunCounts> {
    const { recipients, withoutClient } = await schedule.recipients(tx, run, now);
    const counts: RunCounts = { recipients: recipients.length, accepted: 0, duplicate: 0, rejected: 0, withoutClient };
    for (let i = 0; i < recipients.length; i += batchSize) {
      const events = recipients.slice(i, i + batchSize).map((r) => ({
        id: `sched:${run.key}:${r.clientId}`, type: schedule.name, clientCode: r.clientCode, occurredAt: run.dueAt.toISOString(), variables: r.variables,
      }));
      const outcome = await intake.submit(events, { source: 'scheduler' });
      counts.accepted += outcome.accepted;
      counts.duplicate += outcome.duplicate;
      counts.rejected += outcome.rejected;
      const firstRejected = outcome.results.find((r) => r.status === 'rejected');
      if (firstRejected) log.warn({ run: run.key, rejected: outcome.rejected, errors: firstRejected.errors }, 'scheduler: intake rejected events of a run');
    }
    return counts;
  }

  /** Claims the oldest due run no other process holds, and runs or skips it; undefined when none is left. */
  function runNext(now: Date): Promise<{ outcome: RunOutcome; events: number } | undefined> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<RunRow>(
        `SELECT run_key, schedule, to_char(target_date, 'YYYY-MM-DD') AS target_date, label, due_at, stale_at, attempts, last_error
           FROM scheduler_runs WHERE status = 'pending' AND due_at <= $1 AND (not_before IS NULL OR not_before <= $1) AND schedule = ANY($2::text[])
          ORDER BY due_at, run_key LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now, [...byName.keys()]],
      );
      const row = rows[0];
      if (!row) return undefined;
      // Only runs of schedules this process knows are claimed: an older process in a rolling
      // upgrade leaves a new schedule's runs to the processes that know it.
      const schedule = byName.get(row.schedule as Schedule['name'])!;
      if (row.stale_at <= now) {
        await finish(tx, row, now, { status: 'skipped', note: row.last_error ? `stale; last error: ${row.last_error}` : 'stale' });
        log.info({ run: row.run_key, dueAt: row.due_at.toISOString(), staleAt: row.stale_at.toISOString() }, 'scheduler: run skipped, its moment has fully passed');
        return { outcome: 'skipped', events: 0 };
      }
      const run: Run = { key: row.run_key, schedule: schedule.name, targetDate: row.target_date, ...(row.label ? { label: row.label } : {}), dueAt: row.due_at, staleAt: row.stale_at };
      try {
        await tx.query('SAVEPOINT run');
        const counts = await execute(tx, schedule, run, now);
        await finish(tx, row, now, { status: 'done', counts });
        log.info({ run: run.key, lateMs: now.getTime() - run.dueAt.getTime(), ...counts }, 'scheduler: run done');
        return { outcome: 'ran', events: counts.accepted };
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT run');
        const attempts = row.attempts + 1;
        const message = (error as Error).message?.slice(0, 500) ?? String(error);
        await tx.query('UPDATE scheduler_runs SET attempts = $2, last_error = $3, not_before = $4 WHERE run_key = $1', [row.run_key, attempts, message, new Date(now.getTime() + backoffMs(attempts))]);
        log.warn({ err: error, run: run.key, attempts }, 'scheduler: run failed; retrying later');
        return { outcome: 'failed', events: 0 };
      }
    });
  }

  async function tickOnce(): Promise<TickSummary> {
    const now = clock.now();
    const summary: TickSummary = { planned: 0, ran: 0, skipped: 0, failed: 0, events: 0 };
    for (const schedule of schedules) summary.planned += await plan(schedule, now);
    for (let result = await runNext(now); result; result = await runNext(now)) {
      summary[result.outcome]++;
      summary.events += result.events;
    }
    return summary;
  }

  let ticking: Promise<TickSummary> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;

  /** Plans what fell due and runs every due run; a call during a tick joins it. */
  function tick(): Promise<TickSummary> {
    ticking ??= tickOnce().finally(() => {
      ticking = undefined;
    });
    return ticking;
  }

  function tickInBackground(): void {
    if (stopping) return;
    tick().catch((error: unknown) => log.warn({ err: error }, 'scheduler: tick failed; retrying at the next tick'));
  }

  return {
    name: 'scheduler',
    tick,
    /** Ticks at once (catching up on what was missed) and then every `tickMs`. */
    start() {
      timer = setInterval(tickInBackground, deps.tickMs ?? 30 * SECOND);
      timer.unref();
      tickInBackground();
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        clearInterval(timer);
        await ticking?.catch(() => undefined);
      })();
      return stopping;
    },
  };
}
