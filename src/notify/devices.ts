// Client app devices (FCM registration tokens): registered by the broker's app backend, stored
// encrypted under the client's key with a hash to find one again; FCM's UNREGISTERED removes it.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

export function createDeviceStore(deps: { db: Db; envelope: Envelope }) {
  const { db, envelope } = deps;
  return {
    /** Registers (or re-activates) a token for a client; a token moves to the client that registers it last. */
    async register(clientId: string, token: string, platform: 'android' | 'ios' | 'web'): Promise<string> {
      await envelope.prepare([`client:${clientId}`]);
      const sealed = await envelope.encrypt(`client:${clientId}`, 'device.token', token);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO client_devices (id, client_id, token_enc, token_hash, platform) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (token_hash) DO UPDATE SET client_id = excluded.client_id, token_enc = excluded.token_enc, platform = excluded.platform,
           removed_at = NULL, removed_reason = NULL, created_at = now()
         RETURNING id`,
        [randomUUID(), clientId, sealed, hashOf(token), platform],
      );
      return rows[0]!.id;
    },
    async remove(token: string, reason: string): Promise<boolean> {
      const { rowCount } = await db.query(`UPDATE client_devices SET removed_at = now(), removed_reason = $2 WHERE token_hash = $1 AND removed_at IS NULL`, [hashOf(token), reason]);
      return (rowCount ?? 0) > 0;
    },
    async count(clientId: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM client_devices WHERE client_id = $1 AND removed_at IS NULL', [clientId]);
      return rows[0]!.n;
    },
  };
}

export type DeviceStore = ReturnType<typeof createDeviceStore>;
