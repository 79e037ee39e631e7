// argon2id with OWASP's minimum parameters (19 MiB, 2 passes); a fixed dummy hash keeps the time
// of a login for an unknown user equal to that of a wrong password.
import { hash, verify, type Options } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// algorithm 2 is Argon2id (a const enum in the typings, which erasable TypeScript cannot import).
const options: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };
let dummy: Promise<string> | undefined;

export const minPasswordLength = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  dummy ??= hash(randomBytes(16).toString('hex'), options);
  const target = passwordHash ?? (await dummy);
  const ok = await verify(target, password).catch(() => false);
  return ok && passwordHash !== undefined;
}

/** A random password for generated accounts: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
