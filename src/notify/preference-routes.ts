// /api/clients/:code/preferences: a client's notification preferences, set by the broker's app
// backend (API key with preferences:write) or an operator, read by staff. Regulatory events ignore
// opt-outs, muted channels and quiet hours; consent records stay on the KYC record.
import { Type, type Static } from 'typebox';
import type { App, RouteModule } from '../platform/http.ts';
import { AppError } from '../platform/errors.ts';
import { anyStaff, operators } from '../auth/roles.ts';
import type { Db } from '../store/db.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { clientIdForCode } from '../kyc/client-id.ts';
import { patterns } from '../kyc/patterns.ts';
import { eventCategories, eventChannels } from '../events/catalog.ts';

const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM local time' });
const Preferences = Type.Object({
  language: Type.Union([Type.Literal('en'), Type.Literal('hi')]),
  optedOut: Type.Array(Type.Union(eventCategories.map((c) => Type.Literal(c))), { uniqueItems: true, description: 'Event categories the client does not want (non-regulatory only)' }),
  muted: Type.Array(Type.Union(eventChannels.map((c) => Type.Literal(c))), { uniqueItems: true, description: 'Channels the client turned off (non-regulatory only)' }),
  quietHours: Type.Union([Type.Object({ start: Clock, end: Clock }, { additionalProperties: false }), Type.Null()], { description: 'Non-regulatory messages are held inside this window; it may wrap midnight' }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the quiet hours, e.g. Asia/Kolkata' }),
}, { additionalProperties: false });
type PreferencesBody = Static<typeof Preferences>;

const defaults: PreferencesBody = { language: 'en', optedOut: [], muted: [], quietHours: null, timeZone: 'Asia/Kolkata' };

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function preferenceRoutes(deps: { db: Db; blindIndex: BlindIndex }): RouteModule {
  const params = Type.Object({ code: Type.String({ pattern: patterns.clientCode.source }) });
  return async (app: App) => {
    app.get('/api/clients/:code/preferences', {
      config: { access: { roles: anyStaff } },
      schema: { tags: ['notifications'], summary: "A client's notification preferences (defaults when never set)", params, response: { 200: Preferences } },
    }, async (request) => {
      const { rows } = await deps.db.query<{ language: 'en' | 'hi'; opted_out: PreferencesBody['optedOut']; muted: PreferencesBody['muted']; quiet_start: string | null; quiet_end: string | null; time_zone: string }>(
        `SELECT language, opted_out, muted, to_char(quiet_start, 'HH24:MI') AS quiet_start, to_char(quiet_end, 'HH24:MI') AS quiet_end, time_zone
         FROM notification_preferences WHERE client_id = $1`, [clientIdForCode(deps.blindIndex, request.params.code)],
      );
      const r = rows[0];
      if (!r) return defaults;
      return { language: r.language, optedOut: r.opted_out, muted: r.muted, quietHours: r.quiet_start && r.quiet_end ? { start: r.quiet_start, end: r.quiet_end } : null, timeZone: r.time_zone };
    });
    app.put('/api/clients/:code/preferences', {
      config: { access: { roles: operators, scopes: ['preferences:write'] } },
      schema: { tags: ['notifications'], summary: "Set a client's notification preferences (the whole set)", params, body: Preferences, response: { 200: Preferences } },
    }, async (request) => {
      const body = request.body;
      if (!validTimeZone(body.timeZone)) throw new AppError('VALIDATION_FAILED', 'timeZone is not an IANA time zone', { details: [{ field: 'timeZone', rule: 'time_zone' }] });
      if (body.quietHours && body.quietHours.start === body.quietHours.end) {
        throw new AppError('VALIDATION_FAILED', 'quietHours start and end must differ', { details: [{ field: 'quietHours', rule: 'empty_window' }] });
      }
      await deps.db.query(
        `INSERT INTO notification_preferences (client_id, language, opted_out, muted, quiet_start, quiet_end, time_zone, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (client_id) DO UPDATE SET language = excluded.language, opted_out = excluded.opted_out, muted = excluded.muted,
           quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, time_zone = excluded.time_zone, updated_at = now()`,
        [clientIdForCode(deps.blindIndex, request.params.code), body.language, body.optedOut, body.muted, body.quietHours?.start ?? null, body.quietHours?.end ?? null, body.timeZone],
      );
      return body;
    });
  };
}
