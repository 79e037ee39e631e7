// Validation of a triggered event envelope against the catalog. Pure and total: whatever JSON
// arrives, the answer is either a normalised event or a list of {field, rule, message}, where the
// message is a constant of the rule, so no value sent (possibly personal data) is ever echoed.
import { getEventDefinition, variableValidators, type EventType } from './catalog.ts';
import { patterns } from '../kyc/patterns.ts';

/** Largest serialized envelope accepted by default (EVENT_MAX_BYTES). */
export const defaultMaxEventBytes = 16 * 1024;

export const eventIdPattern = /^[A-Za-z0-9._:-]{1,100}$/;

export const eventRules = {
  'event.not_object': 'The event is not a JSON object.',
  'event.not_json': 'The line is not valid JSON (events send: one JSON event per line).',
  'event.too_large': 'The serialized event is larger than the limit.',
  'event.type_unknown': 'The event type is not in the event catalog (GET /api/events/catalog).',
  'id.format': 'The event id must be 1-100 letters, digits or . _ : -',
  'client_code.format': 'Client code must be 1-10 uppercase letters or digits.',
  'occurred_at.format': 'occurredAt must be an ISO 8601 date-time with a time zone.',
  'field.required': 'A required field is missing.',
  'field.type': 'The field has the wrong type.',
  'field.format': 'The value does not have the required format.',
  'field.enum': 'The value is not one of the allowed values.',
  'field.range': 'The value is outside the allowed range.',
  'field.too_long': 'The value is longer than allowed.',
  'field.too_short': 'The value is empty or shorter than allowed.',
  'field.duplicate_items': 'The list holds the same item twice.',
  'field.unknown': 'The field is not defined for this event type.',
  'field.invalid': 'The value breaks a rule of the field.',
} as const;

export type EventRule = keyof typeof eventRules;
export type EventIssue = { field: string; rule: EventRule; message: string };

/** A valid event, normalised: the client code trimmed and upper-cased, occurredAt in UTC. */
export type ValidEvent = {
  id: string | undefined;
  type: EventType;
  clientCode: string;
  occurredAt: string | undefined;
  variables: Record<string, unknown>;
};

export type EventValidation = { ok: true; event: ValidEvent } | { ok: false; errors: EventIssue[] };

const envelopeFields = new Set(['id', 'type', 'clientCode', 'occurredAt', 'variables']);

const keywordRules: Record<string, EventRule> = {
  required: 'field.required', type: 'field.type', format: 'field.format', pattern: 'field.format', enum: 'field.enum', const: 'field.enum',
  minimum: 'field.range', maximum: 'field.range', exclusiveMinimum: 'field.range', exclusiveMaximum: 'field.range', multipleOf: 'field.range',
  maxLength: 'field.too_long', maxItems: 'field.too_long', minLength: 'field.too_short', minItems: 'field.too_short',
  uniqueItems: 'field.duplicate_items', additionalProperties: 'field.unknown',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property name as it appears in a path; long names are cut (they are caller-chosen text). */
function fieldName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${fieldName(part)}`))
    .join('');
}

/** ISO 8601 with a zone and a real calendar date (Date.parse alone accepts 30 February). */
function isRealTimestamp(text: string): boolean {
  if (!patterns.isoTimestamp.test(text) || Number.isNaN(Date.parse(text))) return false;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

function byteLength(input: unknown): number | undefined {
  try {
    const text = JSON.stringify(input);
    return text === undefined ? undefined : Buffer.byteLength(text, 'utf8');
  } catch {
    return undefined; // cycles or BigInt: not JSON
  }
}

/**
 * Checks one triggered event: envelope shape, catalog type, variables against the type's schema
 * (missing, wrong type, unknown extras), and the serialized size. Never throws.
 */
export function validateEvent(input: unknown, options: { maxBytes?: number } = {}): EventValidation {
  const errors: EventIssue[] = [];
  const seen = new Set<string>();
  const add = (field: string, rule: EventRule) => {
    if (seen.has(`${field}\u0000${rule}`)) return;
    seen.add(`${field}\u0000${rule}`);
    errors.push({ field, rule, message: eventRules[rule] });
  };
  if (!isObject(input)) {
    add('', 'event.not_object');
    return { ok: false, errors };
  }
  const maxBytes = options.maxBytes ?? defaultMaxEventBytes;
  const size = byteLength(input);
  if (size === undefined || size > maxBytes) {
    errors.push({ field: '', rule: 'event.too_large', message: `The serialized event is larger than ${maxBytes} bytes.` });
    return { ok: false, errors };
  }
  for (const name of Object.keys(input)) if (!envelopeFields.has(name)) add(fieldName(name), 'field.unknown');

  const { id, type, clientCode, occurredAt, variables } = input;
  if (id !== undefined && (typeof id !== 'string' || !eventIdPattern.test(id))) add('id', typeof id === 'string' ? 'id.format' : 'field.type');

  let code = '';
  if (clientCode === undefined) add('clientCode', 'field.required');
  else if (typeof clientCode !== 'string') add('clientCode', 'field.type');
  else {
    code = clientCode.trim().toUpperCase();
    if (!patterns.clientCode.test(code)) add('clientCode', 'client_code.format');
  }

  let when: string | undefined;
  if (occurredAt !== undefined) {
    if (typeof occurredAt !== 'string') add('occurredAt', 'field.type');
    else if (!isRealTimestamp(occurredAt)) add('occurredAt', 'occurred_at.format');
    else when = new Date(occurredAt).toISOString();
  }

  if (variables === undefined) add('variables', 'field.required');
  else if (!isObject(variables)) add('variables', 'field.type');

  const definition = typeof type === 'string' ? getEventDefinition(type) : undefined;
  if (type === undefined) add('type', 'field.required');
  else if (typeof type !== 'string') add('type', 'field.type');
  else if (!definition) add('type', 'event.type_unknown');
  else if (isObject(variables)) checkVariables(definition.type, variables, add);

  if (errors.length) return { ok: false, errors };
  return { ok: true, event: { id: id as string | undefined, type: type as EventType, clientCode: code, occurredAt: when, variables: variables as Record<string, unknown> } };
}

function checkVariables(type: string, variables: Record<string, unknown>, add: (field: string, rule: EventRule) => void): void {
  const validator = variableValidators.get(type)!;
  if (validator.Check(variables)) return;
  for (const error of validator.Errors(variables)) {
    if (error.keyword === 'boolean') continue; // `additionalProperties: false` repeated per property
    const base = `variables${pointerToPath(error.instancePath)}`;
    const rule = keywordRules[error.keyword] ?? 'field.invalid';
    const params = error.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    const names = params.requiredProperties ?? params.additionalProperties;
    if (names) for (const name of names) add(`${base}.${fieldName(name)}`, rule);
    else add(base, rule);
  }
}
