// Turns a log record into a business event the processor can act on. Triggered events (topic
// events.triggered) carry catalog variables already; domain events from ingestion (kyc.events)
// carry facts of the change, mapped here to the catalog's variables. Anything else, or variables
// that break the catalog, is an invalid event with its field and rule (never the value).
import type { EventRecord } from '../log/event-log.ts';
import { decodeKraStatus } from '../kyc/kra-status.ts';
import { getEventDefinition, variableValidators, type EventDefinition } from './catalog.ts';

export type BusinessEvent = {
  eventId: string;
  logId: string;
  topic: string;
  definition: EventDefinition;
  clientId: string;
  clientCode: string;
  occurredAt: Date;
  variables: Record<string, unknown>;
};

export type Interpretation = { ok: true; event: BusinessEvent } | { ok: false; reason: string; clientId: string | null };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const envelopeFields = new Set(['clientId', 'clientCode', 'kraStatus']);

/** Catalog variables of an ingestion domain event: its payload minus the envelope, nulls dropped. */
function domainVariables(type: string, payload: Record<string, unknown>, appendedAt: Date): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) if (!envelopeFields.has(k) && v !== null && v !== undefined) variables[k] = v;
  if (type === 'kyc.on_hold' || type === 'kyc.rejected') {
    const code = String(payload['kraStatus'] ?? '');
    variables['reasonCode'] = code;
    const decoded = decodeKraStatus(code);
    if (decoded) variables['reasonText'] = `${decoded.kra} status ${decoded.status.toLowerCase().replace(/_/g, ' ')}`;
  }
  if (type === 'account.contact_changed') variables['time'] ??= appendedAt.toISOString();
  return variables;
}

export function interpretRecord(record: EventRecord): Interpretation {
  const payload = record.payload;
  const clientId = typeof payload['clientId'] === 'string' && uuid.test(payload['clientId']) ? payload['clientId'] : null;
  const clientCode = typeof payload['clientCode'] === 'string' ? payload['clientCode'] : null;
  const definition = getEventDefinition(record.type);
  if (!definition) return { ok: false, reason: 'type: unknown_type', clientId };
  if (!clientId || !clientCode) return { ok: false, reason: 'clientId: required', clientId };
  const triggered = typeof payload['variables'] === 'object' && payload['variables'] !== null;
  const variables = triggered ? { ...(payload['variables'] as Record<string, unknown>) } : domainVariables(record.type, payload, record.appendedAt);
  const occurredAt = new Date(typeof payload['occurredAt'] === 'string' ? payload['occurredAt'] : record.appendedAt);
  if (Number.isNaN(occurredAt.getTime())) return { ok: false, reason: 'occurredAt: format', clientId };
  return { ok: true, event: { eventId: record.eventId, logId: record.id, topic: record.topic, definition, clientId, clientCode, occurredAt, variables } };
}

/** Checks the (completed) variables against the catalog; returns the broken paths and rules. */
export function checkVariables(event: BusinessEvent): string | null {
  const validator = variableValidators.get(event.definition.type)!;
  if (validator.Check(event.variables)) return null;
  const problems = [...validator.Errors(event.variables)]
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 5)
    .map((e) => `variables${e.instancePath.replace(/\//g, '.')}: ${e.keyword}`);
  return problems.join('; ');
}
