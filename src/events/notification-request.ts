// The seam between event processing and notifications: the processor hands one request per event
// and client to a planner, inside the transaction that records the event's outcome. Until the
// notifications planner lands (issue 5), the recording planner stores each request, without
// personal data, so its count and content can be tested.
import type { Queryable } from '../store/db.ts';
import type { EventChannel } from './catalog.ts';

export type SkippedChannel = { channel: EventChannel; reason: 'no_contact' | 'opted_out' | 'no_opt_in' };

export type NotificationRequest = {
  eventId: string;
  logId: string;
  type: string;
  regulatory: boolean;
  clientId: string;
  clientCode: string;
  /** Channels to use, in the catalog's order of preference; empty when every one was skipped. */
  channels: EventChannel[];
  skipped: SkippedChannel[];
  /**
   * Channels allowed only as a fallback: SMS behind WhatsApp when the event's defaults lack SMS, so
   * a WhatsApp message that fails or stays unconfirmed still reaches the client.
   */
  fallbackChannels?: EventChannel[];
  /** Decrypted contacts: in memory only, never stored or logged. */
  contacts: { mobile?: string; email?: string; name?: string };
  /** Display forms of the contacts, safe to store and show. */
  masked: { mobile?: string; email?: string };
  /** The catalog variables, complete (the processor filled in what it loads, e.g. the name). */
  variables: Record<string, unknown>;
  occurredAt: Date;
};

export type NotificationPlanner = {
  /** Plans the requests inside `tx`; called once per event and client (never again after commit). */
  plan(requests: NotificationRequest[], tx: Queryable): Promise<void>;
};

/** Variables that come from the client's personal data and must not be stored in clear. */
export const personalVariables: ReadonlySet<string> = new Set(['name']);

export function createRecordingPlanner(): NotificationPlanner {
  return {
    async plan(requests, tx) {
      if (!requests.length) return;
      await tx.query(
        `INSERT INTO notification_requests (event_id, client_id, type, regulatory, channels, skipped, destinations, variables, occurred_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(event_id text, client_id uuid, type text, regulatory boolean, channels text[],
           skipped jsonb, destinations jsonb, variables jsonb, occurred_at timestamptz)
         ON CONFLICT (event_id, client_id) DO NOTHING`,
        [JSON.stringify(requests.map((r) => ({
          event_id: r.eventId, client_id: r.clientId, type: r.type, regulatory: r.regulatory, channels: r.channels, skipped: r.skipped,
          destinations: r.masked, occurred_at: r.occurredAt.toISOString(),
          variables: Object.fromEntries(Object.entries(r.variables).filter(([k]) => !personalVariables.has(k))),
        })))],
      );
    },
  };
}
