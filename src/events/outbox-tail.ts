// Follows the outbox forward by id, for the live feed. Ids are handed out when rows are inserted,
// not when they commit, so a row can become visible after a higher id was read (two intake
// requests at once, or a large ingestion batch). A plain "id > last" would skip it for good: the
// tail remembers the holes below its high-water mark and looks into them again until they fill
// or `holdMs` passes (a rolled-back insert leaves a hole that never fills).
import type { Queryable } from '../store/db.ts';

export type Hole = { lo: bigint; hi: bigint; since: number };
export type TailRow = { id: string; topic: string };

export type OutboxTail = {
  /** Starts after the newest row there is now. */
  reset(): Promise<void>;
  /** The rows that became visible since the last call, in id order (at most `batch` new ones). */
  next(): Promise<TailRow[]>;
  /** For tests: the holes being watched. */
  holes(): readonly Hole[];
};

/** Removes found ids (sorted) from the holes, splitting a hole around each. */
export function fillHoles(holes: readonly Hole[], found: readonly bigint[]): Hole[] {
  const out: Hole[] = [];
  for (const hole of holes) {
    let lo = hole.lo;
    for (const id of found) {
      if (id < lo || id > hole.hi) continue;
      if (id > lo) out.push({ lo, hi: id - 1n, since: hole.since });
      lo = id + 1n;
    }
    if (lo <= hole.hi) out.push({ lo, hi: hole.hi, since: hole.since });
  }
  return out;
}

/** The holes a read leaves between `after` and the ids it returned (sorted). */
export function holesBetween(after: bigint, ids: readonly bigint[], now: number): Hole[] {
  const out: Hole[] = [];
  let previous = after;
  for (const id of ids) {
    if (id > previous + 1n) out.push({ lo: previous + 1n, hi: id - 1n, since: now });
    previous = id;
  }
  return out;
}

export function createOutboxTail(deps: { db: Queryable; batch?: number; holdMs?: number; maxHoles?: number; now?: () => number }): OutboxTail {
  const { db } = deps;
  const batch = deps.batch ?? 1000;
  const holdMs = deps.holdMs ?? 60_000;
  const maxHoles = deps.maxHoles ?? 1000;
  const now = deps.now ?? Date.now;
  let last = 0n;
  let holes: Hole[] = [];

  async function lookIntoHoles(): Promise<TailRow[]> {
    const t = now();
    holes = holes.filter((h) => t - h.since < holdMs);
    if (!holes.length) return [];
    const { rows } = await db.query<TailRow>(
      `SELECT o.id, o.topic FROM unnest($1::bigint[], $2::bigint[]) AS h(lo, hi)
       JOIN outbox o ON o.id BETWEEN h.lo AND h.hi ORDER BY o.id`,
      [holes.map((h) => h.lo.toString()), holes.map((h) => h.hi.toString())],
    );
    if (rows.length) holes = fillHoles(holes, rows.map((r) => BigInt(r.id)));
    return rows;
  }

  return {
    async reset() {
      const { rows } = await db.query<{ id: string | null }>('SELECT max(id)::text AS id FROM outbox');
      last = BigInt(rows[0]?.id ?? '0');
      holes = [];
    },
    async next() {
      const late = await lookIntoHoles();
      const { rows } = await db.query<TailRow>('SELECT id, topic FROM outbox WHERE id > $1::bigint ORDER BY id LIMIT $2', [last.toString(), batch]);
      if (rows.length) {
        const ids = rows.map((r) => BigInt(r.id));
        holes.push(...holesBetween(last, ids, now()));
        if (holes.length > maxHoles) holes = holes.slice(-maxHoles);
        last = ids.at(-1)!;
      }
      return late.length ? [...late, ...rows] : rows;
    },
    holes: () => holes,
  };
}
