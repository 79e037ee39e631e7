// Structured JSON logs (pino). Personal data and secrets are censored by field name at any depth,
// in logged objects, child bindings and errors, so a careless `log.info({ client })` leaks nothing.
//
// Why not pino's `redact` paths: its redactor parses every path again on each call, including for
// the child logger Fastify makes per request whatever the level; with the 100 paths this list made,
// that was 31% of what a search request allocated. Here one walk per line actually written (pino's
// `formatters.log`) and one per child's bindings does it, copying only objects it censors in.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names that hold personal data or secrets anywhere in a log object. */
export const redactedFields = [
  'pan', 'mobile', 'email', 'phone', 'dob', 'aadhaar', 'aadhaarLast4', 'address', 'addresses', 'accountNumber',
  'bankAccount', 'name', 'fatherOrSpouseName', 'nominees', 'password', 'newPassword', 'token', 'accessToken',
  'refreshToken', 'apiKey', 'secret', 'authorization', 'cookie', 'set-cookie', 'x-api-key',
] as const;

const censored = '[redacted]';
const hidden: ReadonlySet<string> = new Set(redactedFields);
/** Deeper than this an object is written as a placeholder: a bound for the walk, never a leak. */
const maxDepth = 12;

// Serializers run here, before censoring, so that what they produce (an error's own fields, a
// request's parts) is censored too; pino's own serializer step then passes the results through.
// Query strings can carry personal data (`/api/clients?pan=…`): request logs keep the path only.
type Serialize = (value: never) => unknown;
const serializeRequest = (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] });
const serializeReply = (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode });
const serializers: Record<string, Serialize> = { req: serializeRequest, res: serializeReply, err: pino.stdSerializers.err };
const passThrough = (value: unknown) => value;

/** `value` as it will be written, with every hidden field censored; the same object when none was. */
function censor(value: unknown, depth: number, seen: unknown[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return censor(pino.stdSerializers.err(value), depth, seen);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return censor(toJSON.call(value), depth, seen); // Date, Buffer, …: what JSON.stringify writes
  if (depth > maxDepth) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (seen.includes(value)) return '[Circular]';
  seen.push(value);
  try {
    return Array.isArray(value) ? censorArray(value, depth, seen) : censorObject(value as Record<string, unknown>, depth, seen);
  } finally {
    seen.pop();
  }
}

function censorArray(array: unknown[], depth: number, seen: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const next = censor(item, depth + 1, seen);
    if (next !== item) (out ??= array.slice())[i] = next;
  }
  return out ?? array;
}

function censorObject(object: Record<string, unknown>, depth: number, seen: unknown[], serialize?: Record<string, Serialize>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const value = object[key];
    if (value === undefined) continue;
    const serializer = serialize?.[key];
    const next = hidden.has(key) ? censored : censor(serializer && value !== null ? serializer(value as never) : value, depth + 1, seen);
    if (next !== value) (out ??= { ...object })[key] = next;
  }
  return out ?? object;
}

/** A logged object or a child's bindings, serialized and censored. */
function prepare(object: Record<string, unknown>): Record<string, unknown> {
  return censorObject(object, 0, [], serializers);
}

export type LoggerOptions = { level: string; destination?: pino.DestinationStream };

/** A JSON logger that censors personal data (see above); `destination` lets tests capture the lines. */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level,
      base: { service: 'pravah' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Overrides pino's and Fastify's (which would log a request URL with its query string):
      // `prepare` has serialized these keys already.
      serializers: { req: passThrough, res: passThrough, err: passThrough },
      formatters: { level: (label) => ({ level: label }), log: prepare },
    },
    options.destination,
  );
  // pino applies `formatters.bindings` to the root's base only, so children's bindings are censored
  // here; every child inherits this method from the root (pino children are prototype-linked).
  const child = logger.child as unknown as (this: Logger, bindings: Record<string, unknown>, childOptions?: unknown) => Logger;
  const censoredChild = function (this: Logger, bindings: Record<string, unknown>, childOptions?: unknown) {
    return child.call(this, prepare(bindings), childOptions);
  };
  Object.defineProperty(logger, 'child', { value: censoredChild, writable: true, configurable: true });
  return logger;
}
