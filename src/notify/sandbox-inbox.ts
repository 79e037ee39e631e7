// The sandbox "phones" for the web inbox: what the sandbox provider stored for each client, newest
// first, decrypted for the caller (the route allows operators only). The content may carry the
// client's name, so it is decrypted in memory for the response and never logged.
import type { Db } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';
import type { PushContent, SmsContent, WhatsAppContent } from './channel-provider.ts';

export type SandboxMessage = {
  id: string; messageId: string; clientId: string; clientCode: string | null; channel: string; maskedTo: string | null; receivedAt: string;
  type: string | null; status: string | null;
  /** What the phone shows; null when it can no longer be read (the client's key was destroyed). */
  content: { sms?: SmsContent; whatsapp?: WhatsAppContent; push?: PushContent } | null;
};

type Row = {
  id: string; message_id: string; client_id: string; client_code: string | null; channel: string; masked_to: string | null; received_at: Date;
  content_enc: Buffer; type: string | null; status: string | null;
};

export function createSandboxInbox(deps: { db: Db; envelope: Envelope }) {
  const { db, envelope } = deps;
  return {
    async list(filter: { clientId?: string; limit: number }): Promise<SandboxMessage[]> {
      const values: unknown[] = [filter.limit];
      const where = filter.clientId ? `WHERE s.client_id = $${values.push(filter.clientId)}` : '';
      const { rows } = await db.query<Row>(
        `SELECT s.id, s.message_id, s.client_id, c.masked ->> 'clientCode' AS client_code, s.channel, s.masked_to, s.received_at, s.content_enc, m.type, m.status
         FROM sandbox_messages s LEFT JOIN notification_messages m ON m.id = s.message_id LEFT JOIN clients c ON c.id = s.client_id
         ${where} ORDER BY s.received_at DESC, s.id DESC LIMIT $1`,
        values,
      );
      await envelope.prepare([...new Set(rows.map((r) => `client:${r.client_id}`))]);
      return Promise.all(rows.map(async (r) => {
        const content = await envelope.decrypt(`client:${r.client_id}`, 'sandbox.content', r.content_enc).then(
          (text) => JSON.parse(text) as SandboxMessage['content'],
          () => null,
        );
        return {
          id: r.id, messageId: r.message_id, clientId: r.client_id, clientCode: r.client_code, channel: r.channel, maskedTo: r.masked_to,
          receivedAt: r.received_at.toISOString(), type: r.type, status: r.status, content,
        };
      }));
    },
  };
}

export type SandboxInbox = ReturnType<typeof createSandboxInbox>;
