// The embedded mode's provider for every channel: it "delivers" by storing what the client's phone
// would show (encrypted under the client's key) for the web inbox, once per idempotency key, and
// answers as a provider that delivers at once (accepted is terminal).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../store/db.ts';
import type { Envelope } from '../../../crypto/envelope.ts';
import type { Channel, ChannelProvider } from '../../channel-provider.ts';

export function createSandboxProvider(deps: { db: Db; envelope: Envelope; channel: Channel }): ChannelProvider {
  const { db, envelope, channel } = deps;
  return {
    name: 'sandbox',
    channel,
    async send(message) {
      if (message.channel !== channel) throw new Error(`sandbox ${channel} provider was handed a ${message.channel} message`);
      const owner = await db.query<{ client_id: string; masked_to: string | null }>('SELECT client_id, masked_to FROM notification_messages WHERE id = $1', [message.messageId]);
      const row = owner.rows[0];
      if (!row) return { kind: 'permanent', code: 'sandbox.unknown_message', detail: 'no ledger row for this message' };
      const content = { sms: message.sms, whatsapp: message.whatsapp, push: message.push };
      const sealed = await envelope.encrypt(`client:${row.client_id}`, 'sandbox.content', JSON.stringify(content));
      const inserted = await db.query<{ id: string }>(
        `INSERT INTO sandbox_messages (id, idempotency_key, message_id, client_id, channel, content_enc, masked_to)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = excluded.idempotency_key RETURNING id`,
        [randomUUID(), message.idempotencyKey, message.messageId, row.client_id, channel, sealed, row.masked_to],
      );
      return { kind: 'accepted', providerMessageId: `sandbox-${inserted.rows[0]!.id}`, terminal: true };
    },
  };
}
