// Exact client lookups through the blind indexes, and the masked detail with KYC status history.
// Nothing here decrypts: lists and details are built from the masked forms stored at ingestion.
import type { Db } from '../store/db.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import { AppError } from '../platform/errors.ts';
import { validateEmail, validateMobile } from './validate/contact.ts';
import { validatePan } from './validate/identifiers.ts';
import { normalizeCode } from './validate/text.ts';
import type { MaskedClient } from './ingest/mask-record.ts';

export type ClientSummary = { id: string; masked: MaskedClient; kraStatus: string; riskCategory: string; sourceVersion: number; updatedAt: string };
export type ClientDetail = ClientSummary & {
  profile: Record<string, unknown>;
  sourceSystem: string;
  sourceAsOf: string;
  createdAt: string;
  statusHistory: Array<{ kraStatus: string; kraStatusDate: string | null; sourceVersion: number; recordedAt: string }>;
};

type Row = { id: string; masked: MaskedClient; profile: Record<string, unknown> & { riskCategory: string }; kra_status: string; source_version: string; source_system: string; source_as_of: Date; created_at: Date; updated_at: Date };

function summary(r: Row): ClientSummary {
  return { id: r.id, masked: r.masked, kraStatus: r.kra_status, riskCategory: r.profile.riskCategory, sourceVersion: Number(r.source_version), updatedAt: r.updated_at.toISOString() };
}

/** The one lookup key of a query, normalised as ingestion normalised it; VALIDATION_FAILED otherwise. */
function lookupKey(blind: BlindIndex, query: { pan?: string; mobile?: string; email?: string; clientCode?: string }): { column: string; value: Buffer } {
  const given = Object.entries(query).filter(([, v]) => v !== undefined && v !== '');
  if (given.length !== 1) throw new AppError('VALIDATION_FAILED', 'give exactly one of pan, mobile, email, clientCode', { details: [{ field: 'query', rule: 'exactly_one' }] });
  const [field, raw] = given[0] as [string, string];
  const fail = (rule: string) => new AppError('VALIDATION_FAILED', `${field} is not valid (${rule})`, { details: [{ field, rule }] });
  switch (field) {
    case 'pan': {
      const c = validatePan(raw);
      if (!c.ok) throw fail(c.rule);
      return { column: 'pan_bidx', value: blind('client.pan', c.value) };
    }
    case 'mobile': {
      const c = validateMobile(raw, true);
      if (!c.ok) throw fail(c.rule);
      return { column: 'mobile_bidx', value: blind('client.mobile', c.value) };
    }
    case 'email': {
      const c = validateEmail(raw);
      if (!c.ok) throw fail(c.rule);
      return { column: 'email_bidx', value: blind('client.email', c.value.toLowerCase()) };
    }
    default:
      return { column: 'code_bidx', value: blind('client.code', normalizeCode(raw)) };
  }
}

export function createClientLookup(deps: { db: Db; blindIndex: BlindIndex }) {
  const { db, blindIndex } = deps;
  return {
    /** Clients matching one exact key (a family-shared mobile can match several). */
    async find(query: { pan?: string; mobile?: string; email?: string; clientCode?: string }): Promise<ClientSummary[]> {
      const key = lookupKey(blindIndex, query);
      const { rows } = await db.query<Row>(`SELECT * FROM clients WHERE ${key.column} = $1 ORDER BY updated_at DESC LIMIT 50`, [key.value]);
      return rows.map(summary);
    },

    async get(clientCode: string): Promise<ClientDetail | undefined> {
      const { rows } = await db.query<Row>('SELECT * FROM clients WHERE code_bidx = $1', [blindIndex('client.code', normalizeCode(clientCode))]);
      const r = rows[0];
      if (!r) return undefined;
      const history = await db.query<{ kra_status: string; kra_status_date: string | null; source_version: string; recorded_at: Date }>(
        "SELECT kra_status, to_char(kra_status_date, 'YYYY-MM-DD') AS kra_status_date, source_version, recorded_at FROM client_status_history WHERE client_id = $1 ORDER BY id",
        [r.id],
      );
      return {
        ...summary(r),
        profile: r.profile,
        sourceSystem: r.source_system,
        sourceAsOf: r.source_as_of.toISOString(),
        createdAt: r.created_at.toISOString(),
        statusHistory: history.rows.map((h) => ({ kraStatus: h.kra_status, kraStatusDate: h.kra_status_date, sourceVersion: Number(h.source_version), recordedAt: h.recorded_at.toISOString() })),
      };
    },
  };
}

export type ClientLookup = ReturnType<typeof createClientLookup>;
