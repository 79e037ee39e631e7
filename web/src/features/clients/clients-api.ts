// The clients API as the pages see it. Every personal value arrives masked (`A*** V***`,
// `XXXXXX234F`): the server builds lists and details from the masked forms stored at ingestion, and
// these pages never ask for anything else.
import type { ApiClient } from '../../app/api-client.ts';

export type MaskedClient = {
  clientCode: string;
  name: string;
  pan: string;
  mobile: string;
  email: string | null;
  dob: string;
  city: string;
  stateCode: string;
  banks: Array<{ ifsc: string; accountNumber: string; type: string; primary: boolean }>;
  demat: Array<{ depository: string; boId: string }>;
  nominees: Array<{ name: string; relation: string; sharePct: number }>;
};

export type ClientSummary = {
  id: string;
  masked: MaskedClient;
  kraStatus: string;
  riskCategory: string;
  sourceVersion: number;
  updatedAt: string;
};

export type Consent = { purpose: string; channel: string; givenAt: string; withdrawnAt?: string };

/** The non-personal facts the server keeps in clear beside the masked record. */
export type ClientProfile = {
  kra: string;
  kraStatus: string;
  kraStatusDate: string | null;
  kycMode: number;
  residentialStatus: string;
  nationality: string;
  gender: string | null;
  riskCategory: string;
  pep: string;
  holderType: string;
  segments: Array<{ segment: string; status: string; activatedOn?: string }>;
  nomineeCount: number;
  nominationOptOut: boolean;
  bankCount: number;
  dematCount: number;
  consents: Consent[];
  mtfAgreementDate: string | null;
};

export type StatusChange = { kraStatus: string; kraStatusDate: string | null; sourceVersion: number; recordedAt: string };

export type ClientDetail = ClientSummary & {
  profile: ClientProfile;
  sourceSystem: string;
  sourceAsOf: string;
  createdAt: string;
  /** Oldest first, as recorded. */
  statusHistory: StatusChange[];
};

export type LookupKey = 'clientCode' | 'pan' | 'mobile' | 'email';

export type Lookup = { key: LookupKey; value: string };

/** The keys the server can look a client up by, exactly, through its blind indexes. */
export const lookupKeys: ReadonlyArray<{ key: LookupKey; label: string; placeholder: string; inputMode: 'text' | 'tel' | 'email' }> = [
  { key: 'clientCode', label: 'Client code', placeholder: 'e.g. T000003', inputMode: 'text' },
  { key: 'pan', label: 'PAN', placeholder: 'e.g. ABCPV1234D', inputMode: 'text' },
  { key: 'mobile', label: 'Mobile', placeholder: 'e.g. 98765 43210', inputMode: 'tel' },
  { key: 'email', label: 'Email', placeholder: 'e.g. name@example.in', inputMode: 'email' },
];

export function lookupLabel(key: LookupKey): string {
  return lookupKeys.find((entry) => entry.key === key)?.label ?? key;
}

export async function lookupClients(client: ApiClient, lookup: Lookup, signal: AbortSignal): Promise<ClientSummary[]> {
  const params = new URLSearchParams({ [lookup.key]: lookup.value.trim() });
  const body = await client.request<{ items: ClientSummary[] }>(`/api/clients?${params}`, { signal });
  return body.items;
}

export function fetchClient(client: ApiClient, code: string, signal: AbortSignal): Promise<ClientDetail> {
  return client.request<ClientDetail>(`/api/clients/${encodeURIComponent(code)}`, { signal });
}

export function clientPath(code: string): string {
  return `/clients/${encodeURIComponent(code)}`;
}
