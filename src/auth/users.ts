// Staff users. Email and name are encrypted under the user's own data key (subject `user:<id>`);
// login finds a user through the email's blind index, never by decrypting.
import { randomUUID } from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { Envelope } from '../crypto/envelope.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { maskEmail } from '../crypto/mask.ts';
import { hashPassword, minPasswordLength } from './passwords.ts';
import type { StaffRole } from './roles.ts';
import { appendAudit } from './audit.ts';

export type User = { id: string; email: string; name: string; role: StaffRole; disabled: boolean; createdAt: Date; lastLoginAt: Date | null };
export type UserSummary = { id: string; emailMasked: string; role: StaffRole; disabled: boolean; createdAt: Date; lastLoginAt: Date | null };

const emailPattern = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

type Row = { id: string; email_enc: Buffer; name_enc: Buffer | null; email_masked: string; role: StaffRole; password_hash: string; disabled_at: Date | null; created_at: Date; last_login_at: Date | null };

export function createUserStore(deps: { db: Db; envelope: Envelope; blindIndex: BlindIndex }) {
  const { db, envelope, blindIndex } = deps;
  const subject = (id: string) => `user:${id}`;
  const emailIndex = (email: string) => blindIndex('user.email', normaliseEmail(email));

  async function toUser(row: Row): Promise<User> {
    return {
      id: row.id,
      email: await envelope.decrypt(subject(row.id), 'email', row.email_enc),
      name: row.name_enc ? await envelope.decrypt(subject(row.id), 'name', row.name_enc) : '',
      role: row.role,
      disabled: row.disabled_at !== null,
      createdAt: row.created_at,
      lastLoginAt: row.last_login_at,
    };
  }

  return {
    /** Creates a user; CONFLICT when the email exists. The audit row commits with the user. */
    async create(input: { email: string; name?: string; role: StaffRole; password: string }, actor: string): Promise<User> {
      const email = normaliseEmail(input.email);
      if (!emailPattern.test(email) || email.length > 100) throw new AppError('VALIDATION_FAILED', 'email is not a valid address', { details: [{ field: 'email', rule: 'format' }] });
      if (input.password.length < minPasswordLength) {
        throw new AppError('VALIDATION_FAILED', `password must be at least ${minPasswordLength} characters`, { details: [{ field: 'password', rule: 'minLength' }] });
      }
      const id = randomUUID();
      const emailEnc = await envelope.encrypt(subject(id), 'email', email);
      const nameEnc = input.name ? await envelope.encrypt(subject(id), 'name', input.name.trim()) : null;
      const passwordHash = await hashPassword(input.password);
      try {
        await db.transaction(async (tx) => {
          await tx.query('INSERT INTO users (id, email_bidx, email_enc, email_masked, name_enc, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
            id, emailIndex(email), emailEnc, maskEmail(email), nameEnc, input.role, passwordHash,
          ]);
          await appendAudit(tx, { actor, action: 'user.created', target: `user:${id}`, details: { role: input.role } });
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new AppError('CONFLICT', 'a user with this email already exists', { cause: error });
        throw error;
      }
      return (await this.get(id))!;
    },

    /** The login lookup: id, role and password hash by email (undefined when unknown). */
    async findCredentials(email: string): Promise<{ id: string; role: StaffRole; passwordHash: string; disabled: boolean } | undefined> {
      const { rows } = await db.query<Row>('SELECT id, role, password_hash, disabled_at FROM users WHERE email_bidx = $1', [emailIndex(email)]);
      const row = rows[0];
      return row && { id: row.id, role: row.role, passwordHash: row.password_hash, disabled: row.disabled_at !== null };
    },

    async get(id: string, q: Queryable = db): Promise<User | undefined> {
      const { rows } = await q.query<Row>('SELECT * FROM users WHERE id = $1', [id]);
      return rows[0] && toUser(rows[0]);
    },

    async count(): Promise<number> {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM users');
      return Number(rows[0]?.n ?? 0);
    },

    /** Masked listing: no decryption needed to show the users page. */
    async list(): Promise<UserSummary[]> {
      const { rows } = await db.query<Row>('SELECT id, email_masked, role, disabled_at, created_at, last_login_at FROM users ORDER BY created_at');
      return rows.map((r) => ({ id: r.id, emailMasked: r.email_masked, role: r.role, disabled: r.disabled_at !== null, createdAt: r.created_at, lastLoginAt: r.last_login_at }));
    },

    async recordLogin(id: string): Promise<void> {
      await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
    },

    async update(id: string, changes: { role?: StaffRole; disabled?: boolean; password?: string }, actor: string): Promise<User> {
      const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
      if (changes.password !== undefined && changes.password.length < minPasswordLength) {
        throw new AppError('VALIDATION_FAILED', `password must be at least ${minPasswordLength} characters`, { details: [{ field: 'password', rule: 'minLength' }] });
      }
      const found = await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash),
             disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN coalesce(disabled_at, now()) ELSE NULL END,
             updated_at = now() WHERE id = $1`,
          [id, changes.role ?? null, passwordHash ?? null, changes.disabled ?? null],
        );
        if (rowCount !== 1) return false;
        if (changes.disabled || changes.password !== undefined) await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
        await appendAudit(tx, { actor, action: 'user.updated', target: `user:${id}`, details: { role: changes.role, disabled: changes.disabled, passwordChanged: changes.password !== undefined } });
        return true;
      });
      if (!found) throw new AppError('NOT_FOUND', 'no user with this id');
      return (await this.get(id))!;
    },

    /** Looks a user up by email for CLI commands (reset password). */
    async findByEmail(email: string): Promise<User | undefined> {
      const creds = await this.findCredentials(email);
      return creds && this.get(creds.id);
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
