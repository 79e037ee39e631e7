// The notifications planner (the processor's NotificationPlanner): from a request per event and
// client, one ledger row per channel, inside the processor's transaction. Applies preferences
// (language, category opt-outs, muted channels, quiet hours: regulatory events bypass them),
// skips channels no provider serves, throttles repeated alerts (the catalog's throttleBy), and builds the fallback
// chain: WhatsApp first with SMS waiting behind it (sent if WhatsApp fails or no receipt comes in
// time), push alongside. Destinations and variables are stored encrypted under the client's key.
import { randomUUID, createHash } from 'node:crypto';
import { prepared, type Queryable } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';
import type { Clock } from '../platform/time.ts';
import { getEventDefinition } from '../events/catalog.ts';
import type { NotificationPlanner, NotificationRequest } from '../events/notification-request.ts';
import type { Channel } from './channel-provider.ts';
import { quietHoursRelease } from './time-windows.ts';

/** The template version a message will be rendered with, chosen when it is planned (undefined: none yet). */
export type TemplatePicker = (input: { type: string; channel: Channel; language: string }) => Promise<{ id: string; version: number } | undefined>;

export type PlannerOptions = {
  /** Provider names per channel in failover order; a channel without any is skipped. */
  providersFor(channel: Channel): string[];
  /** How long a primary message may go without a delivery receipt before its fallback is sent. */
  fallbackAfterMs: number;
  /** How long retries of one message may go on. */
  deadlineMs: number;
  /** Repeated alerts (same client, type and key) within this window are throttled. */
  throttleWindowMs: number;
  /** The push destination when a client has no registered device and the sandbox serves push. */
  sandboxPush: boolean;
};

type Preferences = { language: string; opted_out: string[]; muted: string[]; quiet_start: string | null; quiet_end: string | null; time_zone: string };
const defaults: Preferences = { language: 'en', opted_out: [], muted: [], quiet_start: null, quiet_end: null, time_zone: 'Asia/Kolkata' };

type Row = {
  id: string; idempotency_key: string; chain_id: string; event_id: string; client_id: string; type: string; category: string; regulatory: boolean;
  channel: Channel; language: string; status: string; providers: string[]; next_attempt_at: string; deadline: string; fallback_channel: string | null;
  to_enc: string | null; variables_enc: string; masked_to: string | null; throttle_key: string | null; occurred_at: string; note: string | null;
  template_id: string | null; template_version: number | null; fallback_at: string | null; expires_at: string | null;
};

export function createNotificationPlanner(deps: { envelope: Envelope; clock: Clock; options: PlannerOptions; pickTemplate?: TemplatePicker }): NotificationPlanner {
  const { envelope, clock, options } = deps;

  async function load(tx: Queryable, clientIds: string[]) {
    const prefs = await tx.query<Preferences & { client_id: string }>(
      prepared(`SELECT client_id, language, opted_out, muted, to_char(quiet_start, 'HH24:MI') AS quiet_start, to_char(quiet_end, 'HH24:MI') AS quiet_end, time_zone
       FROM notification_preferences WHERE client_id = ANY($1::uuid[])`), [clientIds],
    );
    const devices = await tx.query<{ client_id: string; token_enc: Buffer }>(
      prepared(`SELECT DISTINCT ON (client_id) client_id, token_enc FROM client_devices WHERE client_id = ANY($1::uuid[]) AND removed_at IS NULL ORDER BY client_id, created_at DESC`), [clientIds],
    );
    return { prefs: new Map(prefs.rows.map((p) => [p.client_id, p])), devices: new Map(devices.rows.map((d) => [d.client_id, d.token_enc])) };
  }

  return {
    async plan(requests: NotificationRequest[], tx: Queryable): Promise<void> {
      if (!requests.length) return;
      const now = clock.now();
      const clientIds = [...new Set(requests.map((r) => r.clientId))];
      const { prefs, devices } = await load(tx, clientIds);
      await envelope.prepare(clientIds.map((id) => `client:${id}`));
      const rows: Row[] = [];
      for (const request of requests) {
        const definition = getEventDefinition(request.type);
        if (!definition) continue;
        const p = prefs.get(request.clientId) ?? defaults;
        const subject = `client:${request.clientId}`;
        const categoryOff = !request.regulatory && p.opted_out.includes(definition.category);
        const fallbackOnly = new Set(request.fallbackChannels ?? []);
        const chosen = [...request.channels, ...fallbackOnly].filter((c) => request.regulatory || !p.muted.includes(c));
        const release = request.regulatory ? null : quietHoursRelease(now, p.quiet_start && p.quiet_end ? { start: p.quiet_start, end: p.quiet_end } : null, p.time_zone);
        // When the event stops being true (the catalog's expiresWith variable), if it says so validly.
        const expiresValue = definition.expiresWith ? request.variables[definition.expiresWith] : undefined;
        const expiresMs = typeof expiresValue === 'string' ? Date.parse(expiresValue) : NaN;
        const expires = Number.isNaN(expiresMs) ? null : new Date(expiresMs);
        // The retry window opens when the message may first be sent: a message held for quiet hours
        // keeps all of it after release (the event's own expiry still bounds it).
        const deadline = new Date(Math.min((release ?? now).getTime() + options.deadlineMs, expires?.getTime() ?? Infinity));
        // Templates may also use the envelope's client code beside the catalog variables.
        const variablesEnc = (await envelope.encrypt(subject, 'notify.variables', JSON.stringify({ ...request.variables, clientCode: request.clientCode }))).toString('base64');
        // The same alert again (the catalog's throttleBy variables equal, e.g. a margin call for the
        // same shortfall): keyed by a hash, so the ledger holds no variable in clear.
        const throttleKey = definition.throttleBy
          ? createHash('sha256').update(JSON.stringify([request.type, request.clientId, ...definition.throttleBy.map((v) => request.variables[v] ?? null)])).digest('base64url')
          : null;
        const chain = new Map<Channel, string>();
        const whatsappChain = randomUUID();
        const mine: Row[] = [];
        for (const channel of chosen) {
          const providers = options.providersFor(channel);
          if (!providers.length || categoryOff) continue;
          let to: string | undefined;
          let maskedTo: string | null;
          if (channel === 'push') {
            const token = devices.get(request.clientId);
            if (token) to = await envelope.decrypt(subject, 'device.token', token);
            else if (options.sandboxPush && providers.includes('sandbox')) to = `sandbox-device:${request.clientId}`;
            maskedTo = to ? 'app' : null;
          } else {
            to = request.contacts.mobile;
            maskedTo = request.masked.mobile ?? null;
          }
          if (!to) continue;
          // WhatsApp goes first; SMS waits behind it as the fallback of the same chain.
          const waitsBehindWhatsapp = channel === 'sms' && chosen.includes('whatsapp') && options.providersFor('whatsapp').length > 0;
          if (fallbackOnly.has(channel) && !waitsBehindWhatsapp) continue;
          const chainId = waitsBehindWhatsapp || channel === 'whatsapp' ? whatsappChain : randomUUID();
          chain.set(channel, chainId);
          const expired = expires !== null && expires.getTime() <= now.getTime();
          const status = expired ? 'cancelled' : waitsBehindWhatsapp ? 'waiting' : release ? 'held' : 'queued';
          // The text is fixed when the message is planned: every attempt (a retry, a resend after an
          // interrupted send, a release after quiet hours) renders this version, edits or not.
          const template = await deps.pickTemplate?.({ type: request.type, channel, language: p.language });
          mine.push({
            id: randomUUID(), idempotency_key: `${request.eventId}:${request.clientId}:${channel}`, chain_id: chainId, event_id: request.eventId,
            client_id: request.clientId, type: request.type, category: definition.category, regulatory: request.regulatory, channel,
            language: p.language, status, providers, next_attempt_at: (status === 'waiting' ? deadline : release ?? now).toISOString(),
            deadline: deadline.toISOString(), fallback_channel: null, to_enc: (await envelope.encrypt(subject, 'notify.to', to)).toString('base64'),
            variables_enc: variablesEnc, masked_to: maskedTo, throttle_key: throttleKey, occurred_at: request.occurredAt.toISOString(),
            template_id: template?.id ?? null, template_version: template?.version ?? null, fallback_at: null,
            expires_at: expires?.toISOString() ?? null,
            note: status === 'cancelled' ? `expired: ${definition.expiresWith} passed before it could be sent`
              : status === 'held' ? `quiet hours until ${release!.toISOString()}` : status === 'waiting' ? 'fallback for WhatsApp' : null,
          });
        }
        // The WhatsApp row learns its fallback (the catalog may list SMS before or after WhatsApp) and
        // the fallback clock starts when it may first be sent (the dispatcher moves it to its first
        // attempt, if later: our own backlog does not count): a WhatsApp message not accepted by then
        // (its provider down, retrying) gives way to the SMS, as one accepted without a receipt does.
        for (const row of mine) {
          if (row.channel !== 'whatsapp' || chain.get('sms') !== row.chain_id) continue;
          row.fallback_channel = 'sms';
          if (row.status === 'queued' || row.status === 'held') row.fallback_at = new Date((release ?? now).getTime() + options.fallbackAfterMs).toISOString();
        }
        rows.push(...mine);
      }
      if (!rows.length) return;
      // Throttle: a key seen within the window (earlier, or earlier in this batch) is not sent again.
      const recent = await tx.query<{ throttle_key: string }>(
        prepared(`SELECT DISTINCT throttle_key FROM notification_messages WHERE throttle_key = ANY($1) AND created_at > $2 AND status <> 'throttled'`),
        [[...new Set(rows.flatMap((r) => (r.throttle_key ? [r.throttle_key] : [])))], new Date(now.getTime() - options.throttleWindowMs)],
      );
      const seen = new Set(recent.rows.map((r) => r.throttle_key));
      const firstOfKey = new Map<string, string>();
      for (const row of rows) {
        if (!row.throttle_key) continue;
        const owner = firstOfKey.get(row.throttle_key) ?? row.event_id;
        firstOfKey.set(row.throttle_key, owner);
        if (seen.has(row.throttle_key) || owner !== row.event_id) {
          row.status = 'throttled';
          row.note = 'same alert for this client within the throttle window';
        }
      }
      const inserted = await tx.query<{ id: string; status: string; note: string | null }>(
        prepared(`WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, idempotency_key text, chain_id uuid, event_id text, client_id uuid, type text,
            category text, regulatory boolean, channel text, language text, status text, providers text[], next_attempt_at timestamptz, deadline timestamptz,
            fallback_channel text, to_enc text, variables_enc text, masked_to text, throttle_key text, occurred_at timestamptz, note text,
            template_id text, template_version integer, fallback_at timestamptz, expires_at timestamptz)),
         ins AS (
           INSERT INTO notification_messages (id, idempotency_key, chain_id, event_id, client_id, type, category, regulatory, channel, language, status,
             providers, next_attempt_at, deadline, fallback_channel, to_enc, variables_enc, masked_to, throttle_key, occurred_at, template_id, template_version,
             fallback_at, expires_at, created_at, updated_at)
           SELECT id, idempotency_key, chain_id, event_id, client_id, type, category, regulatory, channel, language, status, providers, next_attempt_at,
             deadline, fallback_channel, decode(to_enc, 'base64'), decode(variables_enc, 'base64'), masked_to, throttle_key, occurred_at, template_id,
             template_version, fallback_at, expires_at, $2, $2
           FROM input ON CONFLICT (idempotency_key) DO NOTHING RETURNING id)
         INSERT INTO notification_timeline (message_id, at, state, detail)
         SELECT i.id, $2, CASE WHEN i.status IN ('held', 'waiting', 'throttled', 'cancelled') THEN i.status ELSE 'planned' END, i.note FROM input i JOIN ins USING (id)
         RETURNING message_id`),
        [JSON.stringify(rows), now],
      );
      if (inserted.rowCount) await tx.query(prepared(`SELECT pg_notify('pravah_notify', '')`));
    },
  };
}
