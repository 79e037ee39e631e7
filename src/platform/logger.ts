// Structured JSON logs (pino). Personal data and secrets are redacted by path, whatever the depth
// at which a caller puts them, so a careless `log.info({ client })` still leaks nothing.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names that hold personal data or secrets anywhere in a log object. */
export const redactedFields = [
  'pan', 'mobile', 'email', 'phone', 'dob', 'aadhaar', 'aadhaarLast4', 'address', 'addresses', 'accountNumber',
  'bankAccount', 'name', 'fatherOrSpouseName', 'nominees', 'password', 'newPassword', 'token', 'accessToken',
  'refreshToken', 'apiKey', 'secret', 'authorization', 'cookie', 'set-cookie', 'x-api-key',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const field of redactedFields) {
    const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
    const dot = key.startsWith('[') ? '' : '.';
    paths.push(key, `*${dot}${key}`, `*.*${dot}${key}`, `*.*.*${dot}${key}`);
  }
  return paths;
}

export type LoggerOptions = { level: string; destination?: pino.DestinationStream };

/** A JSON logger with personal-data redaction; `destination` lets tests capture the lines. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'pravah' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      // Query strings can carry personal data (`/api/clients?pan=…`): request logs keep the path only.
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
