// The dispatcher: claims due ledger rows (FOR UPDATE SKIP LOCKED), renders, rate-limits per
// provider (token buckets in the Cache), sends with the idempotency key, and records the outcome:
// accepted, retry with backoff and jitter, failover to the next provider of the channel, or failure
// and fallback to the next channel. A row left 'sending' by a killed dispatcher is in doubt: it is
// reconciled with the provider (findSent) or, for providers that cannot tell, sent again only
// after a grace period in which a receipt carrying our key would have settled it.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepared, type Db } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';
import type { Cache, TokenBucket } from '../cache/cache.ts';
import type { Clock } from '../platform/time.ts';
import type { ChannelProvider, OutgoingMessage, PushContent, SmsContent, WhatsAppContent } from './channel-provider.ts';
import { claimedColumns, createLedger, type ClaimedMessage, type Doubt, type MessageRow } from './ledger.ts';
import { dltWindowRelease } from './time-windows.ts';
import { forEachConcurrently } from '../platform/repeat.ts';

/** Retryable codes after which the provider may have taken the message: check before sending again. */
const inDoubtCodes = new Set(['connection', 'timeout', 'bad_response', 'aborted']);

type DoubtDecision =
  | { kind: 'send'; doubt: Doubt | null }
  | { kind: 'found'; provider: string; providerMessageId: string }
  | { kind: 'wait'; until: Date; doubt: Doubt }
  | { kind: 'lookup_failed'; doubt: Doubt };

export type RenderResult =
  | { ok: true; content: { sms?: SmsContent; whatsapp?: WhatsAppContent; push?: PushContent }; templateId: string; version: number }
  | { ok: false; code: string; detail: string };

/**
 * Renders a message: with `template` (the version the planner pinned), that exact version, so every
 * attempt of a message sends the same text whatever was edited since; without it, the active one.
 */
export type Renderer = (input: {
  type: string; channel: MessageRow['channel']; language: string; variables: Record<string, unknown>; template?: { id: string; version: number };
}) => Promise<RenderResult>;

export type DispatcherOptions = {
  batchSize: number;
  concurrency: number;
  /** How long a claim lasts: a row still 'sending' after it is in doubt. */
  leaseMs: number;
  /** Idle poll between claims when nothing was due. */
  pollMs: number;
  /** A cap on send attempts before the message fails and falls back; 0 or unset: none, it is retried until its deadline. */
  maxAttempts?: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A message's retry window, from when it may first be sent: a message held for the DLT window gets it afresh at release (default 30 min). */
  deadlineMs?: number;
  /** Consecutive retryable failures on one provider before moving to the next. */
  failoverAfter: number;
  fallbackAfterMs: number;
  /** Wait for a receipt before re-sending an in-doubt message through a provider without lookup. */
  inDoubtGraceMs: number;
  rateLimits: Record<string, TokenBucket>;
  /** Rounds running side by side in a started dispatcher (default 1; more raised timeouts and duplicates on 2 cores); batch and concurrency are shared out. */
  rounds?: number;
  statusCallbackUrl?: (provider: string) => string | undefined;
};

export type DispatcherDeps = {
  db: Db;
  envelope: Envelope;
  cache: Cache;
  clock: Clock;
  random?: () => number;
  providers: Map<string, ChannelProvider>;
  render: Renderer;
  options: DispatcherOptions;
  onError?: (error: unknown, context: string) => void;
  /** Called after a push token was reported unregistered: the caller removes the device. */
  onTokenUnregistered?: (clientId: string, token: string) => Promise<void>;
};

/**
 * Full-jitter exponential backoff: after attempt n (1-based) wait a random time in
 * [0, min(maxDelayMs, baseDelayMs * 2^(n-1))).
 */
export function retryDelayMs(attempt: number, policy: { baseDelayMs: number; maxDelayMs: number }, random: () => number): number {
  return Math.floor(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1)) * random());
}

export function createDispatcher(deps: DispatcherDeps) {
  const { db, envelope, cache, clock, providers, options } = deps;
  const random = deps.random ?? Math.random;
  const me = randomUUID();
  const ledger = createLedger(db, { fallbackAfterMs: options.fallbackAfterMs, claimedBy: me });
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  async function claim(limit: number): Promise<Array<ClaimedMessage & { was: string }>> {
    const now = clock.now();
    // Only the columns a send needs: parsing every timestamp and text of the wide row cost more than the query.
    const { rows } = await db.query<ClaimedMessage & { was: string }>(
      // Two ordered index scans that stop at the limit: with one OR'ed condition PostgreSQL collected
      // and sorted every due row for each claim (tens of thousands in a backlog).
      prepared(`WITH queued AS (
         SELECT id, status AS was FROM notification_messages WHERE status IN ('queued', 'retrying', 'held') AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
       stale AS (
         SELECT id, status AS was FROM notification_messages WHERE status = 'sending' AND claimed_until < $1
         ORDER BY claimed_until LIMIT $2 FOR UPDATE SKIP LOCKED),
       due AS (SELECT * FROM stale UNION ALL SELECT * FROM queued)
       UPDATE notification_messages m SET status = 'sending', claimed_by = $3, claimed_until = $4, attempts = m.attempts + 1, updated_at = $1,
         -- The fallback clock runs from the first attempt: time in our own backlog is not the provider's failing.
         fallback_at = CASE WHEN m.attempts = 0 AND m.fallback_at IS NOT NULL THEN greatest(m.fallback_at, $1::timestamptz + $5 * interval '1 millisecond') ELSE m.fallback_at END,
         -- A row still 'sending' after its lease was claimed by a dispatcher that died mid-send (at its updated_at).
         in_doubt_at = CASE WHEN due.was = 'sending' THEN coalesce(m.in_doubt_at, m.updated_at) ELSE m.in_doubt_at END,
         in_doubt_provider = CASE WHEN due.was = 'sending' THEN coalesce(m.in_doubt_provider, m.providers[m.provider_index + 1]) ELSE m.in_doubt_provider END
       FROM due WHERE m.id = due.id
       RETURNING ${claimedColumns.map((c) => `m.${c}`).join(', ')}, due.was`),
      [now, limit, me, new Date(now.getTime() + options.leaseMs), options.fallbackAfterMs],
    );
    return rows;
  }

  const backoff = (attempt: number): number => retryDelayMs(attempt, options, random);

  type Accepted = Parameters<typeof ledger.acceptedMany>[0][number];
  type Retry = Parameters<typeof ledger.retryMany>[0][number];
  type Outcomes = { accepted: Accepted[]; retries: Retry[] };

  /**
   * What to do about an earlier attempt that may have reached the provider unrecorded: ask the
   * provider when it can tell (Twilio's findSent); send again when a repeat is harmless (push
   * replaces on the device, the sandbox keys by message) or dropped (MSG91 inside its
   * de-duplication window: within half of it, so a repeat slowed down on a loaded machine still
   * lands inside); else wait for a receipt carrying our key until the grace period has passed,
   * and only then send again (no receipt by then: the attempt most likely never left).
   */
  async function weighDoubt(m: ClaimedMessage, message: OutgoingMessage, provider: ChannelProvider, now: Date): Promise<DoubtDecision> {
    if (!m.in_doubt_at) return { kind: 'send', doubt: null };
    const doubt: Doubt = { at: new Date(m.in_doubt_at), provider: m.in_doubt_provider ?? provider.name };
    const where = providers.get(doubt.provider) ?? provider;
    if (where.findSent) {
      try {
        const found = await where.findSent(message, doubt.at, { signal: stopping.signal });
        return found ? { kind: 'found', provider: where.name, providerMessageId: found.providerMessageId } : { kind: 'send', doubt: null };
      } catch {
        // Not knowing is not "not sent": ask again later.
        return { kind: 'lookup_failed', doubt };
      }
    }
    if (where.channel === 'push' || where.name === 'sandbox') return { kind: 'send', doubt: null };
    const since = now.getTime() - doubt.at.getTime();
    if (where.dedupeWindowMs && since < where.dedupeWindowMs / 2) return { kind: 'send', doubt };
    if (since < options.inDoubtGraceMs) return { kind: 'wait', until: new Date(doubt.at.getTime() + options.inDoubtGraceMs), doubt };
    return { kind: 'send', doubt: null };
  }

  /** Sends one message; accepted sends and retries are collected, written with the round's others. */
  async function handle(m: ClaimedMessage & { was: string }, outcomes: Outcomes): Promise<void> {
    const now = clock.now();
    const providerName = m.providers[m.provider_index];
    const provider = providerName ? providers.get(providerName) : undefined;
    if (!provider) {
      await ledger.permanent(m, { provider: providerName ?? 'none', code: 'provider_unavailable', detail: 'no configured provider left for this channel', recipientInvalid: false, nextProvider: false }, now);
      return;
    }
    const expiresAt = m.expires_at ? new Date(m.expires_at).getTime() : Infinity;
    if (expiresAt <= now.getTime()) {
      return ledger.expired(m, now, 'expired: the event stopped being true before the message could be sent');
    }
    const subject = `client:${m.client_id}`;
    const to = m.to_enc ? await envelope.decrypt(subject, 'notify.to', m.to_enc) : '';
    const variables = JSON.parse(await envelope.decrypt(subject, 'notify.variables', m.variables_enc)) as Record<string, unknown>;
    const pinned = m.template_id && m.template_version ? { id: m.template_id, version: m.template_version } : undefined;
    const rendered = await deps.render({ type: m.type, channel: m.channel, language: m.language, variables, ...(pinned ? { template: pinned } : {}) });
    if (!rendered.ok) {
      await ledger.permanent(m, { provider: provider.name, code: `template.${rendered.code}`, detail: rendered.detail, recipientInvalid: false, nextProvider: false }, now);
      return;
    }
    const template = { id: rendered.templateId, version: rendered.version };
    const heldDoubt: Doubt | null = m.in_doubt_at ? { at: new Date(m.in_doubt_at), provider: m.in_doubt_provider ?? provider.name } : null;
    const sms = rendered.content.sms;
    if (sms && !m.regulatory && (sms.dlt.category === 'promotional' || sms.dlt.category === 'service_explicit')) {
      const release = dltWindowRelease(now);
      if (release) {
        // Held until the window opens, with its whole retry window after that (an event's expiry still bounds it).
        if (expiresAt <= release.getTime()) return ledger.expired(m, now, `expired: it would have waited for the DLT window (${sms.dlt.category} SMS only 10:00-21:00 IST) past the event's expiry`);
        const deadline = new Date(Math.min(expiresAt, release.getTime() + (options.deadlineMs ?? 30 * 60_000)));
        return ledger.requeue(m, release, now, 'held', `DLT window: ${sms.dlt.category} SMS only 10:00-21:00 IST`, heldDoubt, deadline);
      }
    }
    const message: OutgoingMessage = {
      messageId: m.id, idempotencyKey: m.idempotency_key, channel: m.channel, to, ...rendered.content,
      ...(options.statusCallbackUrl?.(provider.name) ? { statusCallbackUrl: options.statusCallbackUrl(provider.name) } : {}),
    };
    const decision = await weighDoubt(m, message, provider, now);
    if (decision.kind === 'found') {
      return ledger.accepted(m, decision.provider, decision.providerMessageId, false, now, options.fallbackAfterMs, 'reconciled after an interrupted send', template);
    }
    if (decision.kind === 'wait') {
      return ledger.requeue(m, decision.until, now, 'in_doubt', 'interrupted send: waiting for a receipt before anything else', decision.doubt);
    }
    if (decision.kind === 'lookup_failed') {
      outcomes.retries.push({ m, provider: provider.name, code: 'in_doubt_lookup_failed', detail: 'could not ask the provider about an interrupted send', delayMs: backoff(m.attempts), failover: false, doubt: decision.doubt });
      return;
    }
    const bucket = options.rateLimits[provider.name];
    if (bucket) {
      const token = await cache.takeToken(`notify:provider:${provider.name}`, bucket);
      if (!token.allowed) return ledger.requeue(m, new Date(now.getTime() + Math.max(10, token.retryAfterMs)), now, 'rate_limited', '', decision.doubt);
    }
    const attemptAt = clock.now();
    let doubt = decision.doubt;
    let outcome = await provider.send(message, { signal: stopping.signal });
    // A provider that drops repeats of a key inside a window settles a send left in doubt when it is
    // asked again at once: it answers with the first one's acceptance (or takes it, if the first
    // never arrived). Asked only while well inside the window.
    for (let again = 0; outcome.kind === 'retryable' && provider.dedupeWindowMs && again < 3 && !stopping.signal.aborted; again++) {
      if (inDoubtCodes.has(outcome.code)) doubt ??= { at: attemptAt, provider: provider.name };
      if (!doubt || clock.now().getTime() - doubt.at.getTime() >= provider.dedupeWindowMs / 2) break;
      outcome = await provider.send(message, { signal: stopping.signal });
    }
    const after = clock.now();
    if (outcome.kind === 'accepted') {
      outcomes.accepted.push({ m, provider: provider.name, providerMessageId: outcome.providerMessageId, terminal: outcome.terminal === true, template });
    } else if (outcome.kind === 'retryable') {
      // Doubt is kept until settled: a later failure for another reason does not clear it, and no
      // other provider is tried while the message may already be with this one.
      if (inDoubtCodes.has(outcome.code)) doubt ??= { at: attemptAt, provider: provider.name };
      const deadline = new Date(m.deadline).getTime();
      const exhausted = (options.maxAttempts ? m.attempts >= options.maxAttempts : false) || after.getTime() >= deadline;
      // Failover goes round the channel's providers: one that failed earlier may be back while the
      // one after it is down (a permanent failure, by contrast, never comes back to its provider).
      const failover = !exhausted && !doubt && m.provider_failures + 1 >= options.failoverAfter && m.providers.length > 1;
      // The last try is at the deadline, not after it.
      const delayMs = failover ? 0 : Math.min(Math.max(outcome.retryAfterMs ?? 0, backoff(m.attempts)), Math.max(0, deadline - after.getTime()));
      const retry = { m, provider: provider.name, code: outcome.code, detail: outcome.detail, delayMs, failover, doubt };
      if (exhausted) await ledger.retry(m, { ...retry, exhausted }, after);
      else outcomes.retries.push(retry);
    } else {
      if (outcome.tokenUnregistered && deps.onTokenUnregistered) await deps.onTokenUnregistered(m.client_id, to).catch((e: unknown) => deps.onError?.(e, 'device removal'));
      await ledger.permanent(m, {
        provider: provider.name, code: outcome.code, detail: outcome.detail, recipientInvalid: outcome.recipientInvalid === true,
        nextProvider: true,
      }, after);
    }
  }

  /** One round: claim a batch and handle it with bounded concurrency. Returns how many were claimed. */
  /** One round: claim up to `limit` due messages, send them `concurrency` at a time, record. */
  async function runOnce(limit = options.batchSize, concurrency = options.concurrency): Promise<number> {
    await ledger.fallbackDue(clock.now(), limit);
    const batch = await claim(limit);
    // The batch's data keys in one set of queries, not one per message on a cache miss.
    if (batch.length) await envelope.prepare([...new Set(batch.map((m) => `client:${m.client_id}`))]);
    const outcomes: Outcomes = { accepted: [], retries: [] };
    await forEachConcurrently(batch, concurrency, (m) => handle(m, outcomes).catch((error: unknown) => deps.onError?.(error, `message ${m.id}`)));
    // One write each for the round's accepted sends and retries; a crash before them leaves the
    // messages 'sending', in doubt, and reconciled like any interrupted send.
    await ledger.acceptedMany(outcomes.accepted, clock.now(), options.fallbackAfterMs);
    await ledger.retryMany(outcomes.retries, clock.now());
    return batch.length;
  }

  return {
    name: 'notification-dispatcher',
    runOnce,
    wake(): void {
      wakeUp?.();
    },
    start(): void {
      // Several rounds run side by side (SKIP LOCKED keeps their claims apart), so one slow send
      // holds back only its own round, not the whole dispatcher.
      const rounds = Math.max(1, Math.min(options.rounds ?? 1, options.concurrency));
      const limit = Math.max(1, Math.ceil(options.batchSize / rounds));
      const concurrency = Math.max(1, Math.ceil(options.concurrency / rounds));
      const wakers = new Set<() => void>();
      wakeUp = () => {
        for (const w of wakers) w();
      };
      loop ??= Promise.all(Array.from({ length: rounds }, async () => {
        while (!stopping.signal.aborted) {
          const claimed = await runOnce(limit, concurrency).catch((error: unknown) => {
            deps.onError?.(error, 'dispatch round');
            return 0;
          });
          if (claimed) continue;
          await new Promise<void>((resolve) => {
            const done = (): void => {
              wakers.delete(done);
              resolve();
            };
            wakers.add(done);
            void sleep(options.pollMs, undefined, { signal: stopping.signal }).then(done, done);
          });
        }
      })).then(() => undefined);
    },
    async stop(): Promise<void> {
      stopping.abort();
      wakeUp?.();
      await loop;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
