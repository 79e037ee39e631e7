// Reads the Firebase service-account JSON (FCM_SERVICE_ACCOUNT_FILE) that the composition root
// hands to `createFcmProvider`. Only the two fields the JWT assertion needs are kept; a bad file
// stops start-up with a message that names the file and the missing field, never the key.
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../platform/errors.ts';

export type ServiceAccount = { client_email: string; private_key: string };

/** Parses and checks a service-account JSON text; `source` names it in errors. */
export function parseServiceAccount(text: string, source: string): ServiceAccount {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('CONFIG_INVALID', `${source} is not JSON (expected a Firebase service-account key file)`);
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const missing = ['client_email', 'private_key'].filter((field) => typeof record[field] !== 'string' || record[field] === '');
  if (missing.length) throw new AppError('CONFIG_INVALID', `${source} lacks ${missing.join(' and ')} (expected a Firebase service-account key file)`);
  if (!String(record.private_key).includes('PRIVATE KEY')) throw new AppError('CONFIG_INVALID', `${source}: private_key is not a PEM private key`);
  return { client_email: String(record.client_email), private_key: String(record.private_key) };
}

/** Reads the service-account file at `path` (the composition root passes FCM_SERVICE_ACCOUNT_FILE). */
export async function readServiceAccountFile(path: string): Promise<ServiceAccount> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `FCM_SERVICE_ACCOUNT_FILE ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
  return parseServiceAccount(text, `FCM_SERVICE_ACCOUNT_FILE ${path}`);
}
