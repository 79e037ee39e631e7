// Event intake: every way a triggered event enters (HTTP, CLI, stream, scheduler) goes through
// `submit`. Valid events are de-duplicated by event id and appended to `events.triggered` in the
// same transaction as their de-dup rows, so an event is recorded once and only if it is in the log.
// An Idempotency-Key (per caller) makes a whole request replayable: same body, same answer.
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../store/db.ts';
import type { EventLog, AppendRecord } from '../log/event-log.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { DAY, type Clock } from '../platform/time.ts';
import { AppError } from '../platform/errors.ts';
import { canonicalJson } from '../platform/canonical-json.ts';
import { clientIdForCode } from '../kyc/client-id.ts';
import { eventIdPattern, validateEvent, type EventIssue, type ValidEvent } from './validate-event.ts';

/** The topic accepted triggered events are appended to (key: the client id). */
export const triggeredEventsTopic = 'events.triggered';

export const intakeSources = ['api', 'cli', 'stream', 'scheduler'] as const;
export type IntakeSource = (typeof intakeSources)[number];

export type SubmitOptions = {
  source: IntakeSource;
  /** Who sent it, as `describePrincipal` writes it (`api-key:<id>`, `user:<id>`): the Idempotency-Key scope. */
  caller?: string;
  idempotencyKey?: string;
};

export type EventResult = {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  /** The producer's id, or the one generated for it; null when a rejected event had no usable id. */
  eventId: string | null;
  errors?: EventIssue[];
};

export type IntakeOutcome = {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: EventResult[];
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
};

/** What a triggered event's log record carries (no personal data: codes, ids, catalog variables). */
export type TriggeredEventPayload = { clientId: string; clientCode: string; occurredAt: string; variables: Record<string, unknown> };

export type EventIntakeDeps = {
  db: Db;
  log: EventLog;
  blindIndex: BlindIndex;
  clock: Clock;
  /** Largest serialized event (EVENT_MAX_BYTES). */
  maxEventBytes?: number;
};

export type EventIntake = ReturnType<typeof createEventIntake>;

type Fresh = { index: number; id: string; event: ValidEvent; clientId: string };

const sha256 = (text: string) => createHash('sha256').update(text).digest();

function summarise(results: EventResult[], replayed: boolean): IntakeOutcome {
  const count = (status: EventResult['status']) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), results, replayed };
}

/** The producer's id when it is usable, so a rejection can still be matched to what was sent. */
function idOf(input: unknown): string | null {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' && eventIdPattern.test(id) ? id : null;
}

export function createEventIntake(deps: EventIntakeDeps) {
  const { db, log, blindIndex, clock } = deps;

  /** Validates each event and splits off the ones repeated inside this submission. */
  function classify(events: readonly unknown[]): { results: EventResult[]; fresh: Fresh[] } {
    const results: EventResult[] = [];
    const fresh: Fresh[] = [];
    const ids = new Set<string>();
    events.forEach((input, index) => {
      const checked = validateEvent(input, { maxBytes: deps.maxEventBytes });
      if (!checked.ok) {
        results.push({ index, status: 'rejected', eventId: idOf(input), errors: checked.errors });
        return;
      }
      const id = checked.event.id ?? randomUUID();
      results.push({ index, status: ids.has(id) ? 'duplicate' : 'accepted', eventId: id });
      if (ids.has(id)) return;
      ids.add(id);
      fresh.push({ index, id, event: checked.event, clientId: clientIdForCode(blindIndex, checked.event.clientCode) });
    });
    return { results, fresh };
  }

  /** Inserts the de-dup rows (in id order, so concurrent batches cannot deadlock); returns the new ids. */
  async function claimIds(tx: Queryable, fresh: Fresh[], source: IntakeSource, receivedAt: Date): Promise<Set<string>> {
    const sorted = fresh.toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const { rows } = await tx.query<{ event_id: string }>(
      `INSERT INTO event_intake (event_id, type, client_id, source, received_at)
       SELECT u.event_id, u.type, u.client_id, $4, $5 FROM unnest($1::text[], $2::text[], $3::uuid[]) AS u(event_id, type, client_id)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [sorted.map((f) => f.id), sorted.map((f) => f.event.type), sorted.map((f) => f.clientId), source, receivedAt],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  function toRecord(f: Fresh, options: SubmitOptions, receivedAt: Date): AppendRecord {
    const payload: TriggeredEventPayload = { clientId: f.clientId, clientCode: f.event.clientCode, occurredAt: f.event.occurredAt ?? receivedAt.toISOString(), variables: f.event.variables };
    const headers: Record<string, string> = { 'event-id': f.id, source: options.source, 'received-at': receivedAt.toISOString() };
    if (options.caller) headers['caller'] = options.caller;
    return { topic: triggeredEventsTopic, key: f.clientId, type: f.event.type, payload, headers };
  }

  /**
   * Takes the Idempotency-Key for this caller, or answers with the stored outcome. A concurrent
   * request with the same key waits on the row until the first commits (or rolls back).
   */
  async function claimKey(tx: Queryable, caller: string, key: string, bodyHash: Buffer, now: Date): Promise<IntakeOutcome | undefined> {
    const inserted = await tx.query(
      'INSERT INTO event_idempotency_keys (caller, idempotency_key, body_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [caller, key, bodyHash, now],
    );
    if (inserted.rowCount) return undefined;
    const { rows } = await tx.query<{ body_hash: Buffer; response: Omit<IntakeOutcome, 'replayed'> | null }>(
      'SELECT body_hash, response FROM event_idempotency_keys WHERE caller = $1 AND idempotency_key = $2',
      [caller, key],
    );
    const stored = rows[0];
    if (!stored?.response) throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry shortly', { retryable: true });
    if (!stored.body_hash.equals(bodyHash)) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body; send a new key for a new request');
    }
    return { ...stored.response, replayed: true };
  }

  return {
    /**
     * Validates, de-duplicates and appends events; answers per event in submission order. Good
     * events are accepted even when others are rejected. With an Idempotency-Key, an outcome that
     * accepted (or found duplicate) anything is stored and replayed for the same body; an outcome
     * that only rejected is not stored, so the caller can fix the events and retry with the key.
     */
    async submit(events: readonly unknown[], options: SubmitOptions): Promise<IntakeOutcome> {
      const receivedAt = clock.now();
      const { results, fresh } = classify(events);
      const key = options.idempotencyKey;
      if (!key && !fresh.length) return summarise(results, false);
      return db.transaction(async (tx) => {
        const caller = options.caller ?? options.source;
        if (key) {
          const replay = await claimKey(tx, caller, key, sha256(canonicalJson(events)), receivedAt);
          if (replay) return replay;
        }
        if (fresh.length) {
          const claimed = await claimIds(tx, fresh, options.source, receivedAt);
          for (const f of fresh) if (!claimed.has(f.id)) results[f.index] = { index: f.index, status: 'duplicate', eventId: f.id };
          const appending = fresh.filter((f) => claimed.has(f.id));
          if (appending.length) {
            const appended = await log.append(appending.map((f) => toRecord(f, options, receivedAt)), { tx });
            await tx.query(
              'UPDATE event_intake SET log_id = u.log_id FROM unnest($1::text[], $2::bigint[]) AS u(event_id, log_id) WHERE event_intake.event_id = u.event_id',
              [appended.map((r) => r.eventId), appended.map((r) => r.id)],
            );
          }
        }
        const outcome = summarise(results, false);
        if (key) {
          const { replayed: _replayed, ...response } = outcome;
          if (outcome.accepted + outcome.duplicate === 0) await tx.query('DELETE FROM event_idempotency_keys WHERE caller = $1 AND idempotency_key = $2', [caller, key]);
          else await tx.query('UPDATE event_idempotency_keys SET response = $3 WHERE caller = $1 AND idempotency_key = $2', [caller, key, JSON.stringify(response)]);
        }
        return outcome;
      });
    },

    /** Drops de-dup rows and idempotency keys older than `days` (keep >= 7: the promised window). */
    async purgeOlderThan(days = 8): Promise<{ events: number; idempotencyKeys: number }> {
      const cutoff = new Date(clock.now().getTime() - days * DAY);
      const events = await db.query('DELETE FROM event_intake WHERE received_at < $1', [cutoff]);
      const keys = await db.query('DELETE FROM event_idempotency_keys WHERE created_at < $1', [cutoff]);
      return { events: events.rowCount ?? 0, idempotencyKeys: keys.rowCount ?? 0 };
    },
  };
}

/**
 * A lifecycle component that purges the intake's de-dup state once at start and then every
 * `everyMs` (a day by default). The cutoff comes from the intake's clock.
 */
export function createIntakePurgeSchedule(deps: { intake: Pick<EventIntake, 'purgeOlderThan'>; everyMs?: number; onError?: (error: unknown) => void }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = deps.intake.purgeOlderThan().catch((error: unknown) => deps.onError?.(error));
  };
  return {
    name: 'event-intake-purge',
    start() {
      run();
      timer = setInterval(run, deps.everyMs ?? DAY);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
